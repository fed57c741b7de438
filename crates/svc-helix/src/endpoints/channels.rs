//! Channels: information (get / modify), followers, search.

use futures_core::Stream;
use serde::{Deserialize, Serialize};
use transport_http::Method;

use crate::client::repeated;
use crate::{Error, HelixClient};

/// Channel information (`GET /channels`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ChannelInformation {
    /// Broadcaster id.
    pub broadcaster_id: String,
    /// Broadcaster login.
    pub broadcaster_login: String,
    /// Broadcaster display name.
    pub broadcaster_name: String,
    /// Stream language (ISO 639-1).
    pub broadcaster_language: String,
    /// Category id.
    pub game_id: String,
    /// Category name.
    pub game_name: String,
    /// Stream title.
    pub title: String,
    /// Stream delay in seconds.
    pub delay: u64,
    /// Tags.
    pub tags: Vec<String>,
}

/// Fields to change with [`HelixClient::modify_channel`]; `None` leaves a field as is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ModifyChannel {
    /// New category id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub game_id: Option<String>,
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
    pub fn game_id(mut self, game_id: impl Into<String>) -> Self {
        self.game_id = Some(game_id.into());
        self
    }
}

/// A follower (`GET /channels/followers`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Follower {
    /// Follower id.
    pub user_id: String,
    /// Follower login.
    pub user_login: String,
    /// Follower display name.
    pub user_name: String,
    /// Since when (RFC 3339).
    pub followed_at: String,
}

/// A channel a user follows (`GET /channels/followed`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct FollowedChannel {
    /// Broadcaster id.
    pub broadcaster_id: String,
    /// Broadcaster login.
    pub broadcaster_login: String,
    /// Broadcaster display name.
    pub broadcaster_name: String,
    /// Since when (RFC 3339).
    pub followed_at: String,
}

/// A search result (`GET /search/channels`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SearchedChannel {
    /// Channel id.
    pub id: String,
    /// Login.
    pub broadcaster_login: String,
    /// Display name.
    pub display_name: String,
    /// Current category id.
    pub game_id: String,
    /// Current category name.
    pub game_name: String,
    /// Whether live now.
    pub is_live: bool,
    /// Title.
    pub title: String,
}

impl HelixClient {
    /// Channel information for up to 100 broadcasters.
    pub async fn get_channels(
        &self,
        broadcaster_ids: &[&str],
    ) -> Result<Vec<ChannelInformation>, Error> {
        self.get_data("/channels", &repeated("broadcaster_id", broadcaster_ids))
            .await
    }

    /// Changes a channel's title, category, language or tags (`PATCH /channels`).
    pub async fn modify_channel(
        &self,
        broadcaster_id: &str,
        changes: &ModifyChannel,
    ) -> Result<(), Error> {
        self.send_json::<_, serde_json::Value>(
            Method::PATCH,
            "/channels",
            &[("broadcaster_id", broadcaster_id.to_owned())],
            changes,
        )
        .await
        .map(drop)
    }

    /// Every follower of a channel, page by page.
    pub fn channel_followers(
        &self,
        broadcaster_id: &str,
    ) -> impl Stream<Item = Result<Follower, Error>> + Send + 'static {
        self.paginate(
            "/channels/followers",
            vec![
                ("broadcaster_id", broadcaster_id.to_owned()),
                ("first", "100".into()),
            ],
        )
    }

    /// How many users follow a channel (any token; the list itself needs the broadcaster
    /// or a moderator with `moderator:read:followers`).
    pub async fn follower_count(&self, broadcaster_id: &str) -> Result<u64, Error> {
        let page = self
            .get_page::<Follower>(
                "/channels/followers",
                &[
                    ("broadcaster_id", broadcaster_id.to_owned()),
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
        user_id: &str,
    ) -> impl Stream<Item = Result<FollowedChannel, Error>> + Send + 'static {
        self.paginate(
            "/channels/followed",
            vec![("user_id", user_id.to_owned()), ("first", "100".into())],
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
