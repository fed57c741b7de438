//! Channels: information (get / modify), followers, search.

use futures_core::Stream;
use serde::{Deserialize, Serialize};
use transport_http::Method;

use crate::client::repeated;
use crate::{Error, GameId, HelixClient, UserId};

/// Channel information (`GET /channels`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ChannelInformation {
    /// Broadcaster id.
    pub broadcaster_id: UserId,
    /// Broadcaster login.
    #[serde(default)]
    pub broadcaster_login: String,
    /// Broadcaster display name.
    #[serde(default)]
    pub broadcaster_name: String,
    /// Stream language (ISO 639-1).
    #[serde(default)]
    pub broadcaster_language: String,
    /// Category id; `None` for a channel without a category (Twitch sends `""`).
    #[serde(default, with = "crate::id::empty_is_none")]
    pub game_id: Option<GameId>,
    /// Category name.
    #[serde(default)]
    pub game_name: String,
    /// Stream title.
    #[serde(default)]
    pub title: String,
    /// Stream delay in seconds.
    #[serde(default)]
    pub delay: u64,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Fields to change with [`HelixClient::modify_channel`]; `None` leaves a field as is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ModifyChannel {
    /// New category id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub game_id: Option<GameId>,
    /// New title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// New language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broadcaster_language: Option<String>,
    /// New tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}

impl ModifyChannel {
    /// Sets the title.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the category.
    #[must_use]
    pub fn game_id(mut self, game_id: impl Into<GameId>) -> Self {
        self.game_id = Some(game_id.into());
        self
    }
}

/// A follower (`GET /channels/followers`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Follower {
    /// Follower id.
    pub user_id: UserId,
    /// Follower login.
    #[serde(default)]
    pub user_login: String,
    /// Follower display name.
    #[serde(default)]
    pub user_name: String,
    /// Since when (RFC 3339).
    #[serde(default)]
    pub followed_at: String,
}

/// A channel a user follows (`GET /channels/followed`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct FollowedChannel {
    /// Broadcaster id.
    pub broadcaster_id: UserId,
    /// Broadcaster login.
    #[serde(default)]
    pub broadcaster_login: String,
    /// Broadcaster display name.
    #[serde(default)]
    pub broadcaster_name: String,
    /// Since when (RFC 3339).
    #[serde(default)]
    pub followed_at: String,
}

/// A search result (`GET /search/channels`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SearchedChannel {
    /// Channel id.
    pub id: UserId,
    /// Login.
    #[serde(default)]
    pub broadcaster_login: String,
    /// Display name.
    #[serde(default)]
    pub display_name: String,
    /// Current category id; `None` without a category (Twitch sends `""`).
    #[serde(default, with = "crate::id::empty_is_none")]
    pub game_id: Option<GameId>,
    /// Current category name.
    #[serde(default)]
    pub game_name: String,
    /// Whether live now.
    #[serde(default)]
    pub is_live: bool,
    /// Title.
    #[serde(default)]
    pub title: String,
}

impl HelixClient {
    /// Channel information for up to 100 broadcasters.
    pub async fn get_channels(
        &self,
        broadcaster_ids: &[UserId],
    ) -> Result<Vec<ChannelInformation>, Error> {
        self.get_data("/channels", &repeated("broadcaster_id", broadcaster_ids))
            .await
    }

    /// Changes a channel's title, category, language or tags (`PATCH /channels`).
    pub async fn modify_channel(
        &self,
        broadcaster_id: &UserId,
        changes: &ModifyChannel,
    ) -> Result<(), Error> {
        self.send_json::<_, serde_json::Value>(
            Method::PATCH,
            "/channels",
            &[("broadcaster_id", broadcaster_id.to_string())],
            changes,
        )
        .await
        .map(drop)
    }

    /// Every follower of a channel, page by page.
    pub fn channel_followers(
        &self,
        broadcaster_id: &UserId,
    ) -> impl Stream<Item = Result<Follower, Error>> + Send + 'static {
        self.paginate(
            "/channels/followers",
            vec![
                ("broadcaster_id", broadcaster_id.to_string()),
                ("first", "100".into()),
            ],
        )
    }

    /// How many users follow a channel (any token; the list itself needs the broadcaster
    /// or a moderator with `moderator:read:followers`).
    pub async fn follower_count(&self, broadcaster_id: &UserId) -> Result<u64, Error> {
        let page = self
            .get_page::<Follower>(
                "/channels/followers",
                &[
                    ("broadcaster_id", broadcaster_id.to_string()),
                    ("first", "1".into()),
                ],
            )
            .await?;
        Ok(page.total.unwrap_or_default())
    }

    /// Every channel `user_id` follows, newest first, page by page (a token of that user
    /// with `user:read:follows`).
    pub fn followed_channels(
        &self,
        user_id: &UserId,
    ) -> impl Stream<Item = Result<FollowedChannel, Error>> + Send + 'static {
        self.paginate(
            "/channels/followed",
            vec![("user_id", user_id.to_string()), ("first", "100".into())],
        )
    }

    /// Channels matching `query` (live ones only with `live_only`).
    pub fn search_channels(
        &self,
        query: &str,
        live_only: bool,
    ) -> impl Stream<Item = Result<SearchedChannel, Error>> + Send + 'static {
        self.paginate(
            "/search/channels",
            vec![
                ("query", query.to_owned()),
                ("live_only", live_only.to_string()),
                ("first", "100".into()),
            ],
        )
    }
}
