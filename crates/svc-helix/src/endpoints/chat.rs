//! Chat: chatters, settings, badges, emotes.

use futures_core::Stream;
use serde::{Deserialize, Serialize};
use transport_http::Method;

use crate::client::repeated;
use crate::{EmoteId, Error, HelixClient, UserId};

/// Someone in a chat (`GET /chat/chatters`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Chatter {
    /// Id.
    pub user_id: UserId,
    /// Login.
    #[serde(default)]
    pub user_login: String,
    /// Display name.
    #[serde(default)]
    pub user_name: String,
}

/// Chat settings (`GET/PATCH /chat/settings`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ChatSettings {
    /// Broadcaster id: always in Twitch's answers, left out of an update (the broadcaster
    /// is a parameter of [`HelixClient::update_chat_settings`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broadcaster_id: Option<UserId>,
    /// Emote-only mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emote_mode: Option<bool>,
    /// Followers-only mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follower_mode: Option<bool>,
    /// Minutes a follower must have followed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follower_mode_duration: Option<u64>,
    /// Slow mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slow_mode: Option<bool>,
    /// Seconds between messages in slow mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slow_mode_wait_time: Option<u64>,
    /// Subscribers-only mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscriber_mode: Option<bool>,
    /// Unique-chat mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_chat_mode: Option<bool>,
}

/// A badge set (`GET /chat/badges`, `/chat/badges/global`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BadgeSet {
    /// Set id (`subscriber`, `bits`, …).
    pub set_id: String,
    /// Versions.
    pub versions: Vec<BadgeVersion>,
}

/// One version of a badge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BadgeVersion {
    /// Version id.
    pub id: String,
    /// Small image.
    pub image_url_1x: String,
    /// Title.
    pub title: String,
}

/// An emote (`GET /chat/emotes`, `/chat/emotes/global`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ChatEmote {
    /// Id.
    pub id: EmoteId,
    /// Name (the text that shows it).
    #[serde(default)]
    pub name: String,
    /// Tier, for subscriber emotes.
    #[serde(default)]
    pub tier: String,
    /// `bitstier`, `follower`, `subscriptions`, ….
    #[serde(default)]
    pub emote_type: String,
    /// Emote set.
    #[serde(default)]
    pub emote_set_id: String,
}

/// A user's chat color (`GET /chat/color`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ChatColor {
    /// Id.
    pub user_id: UserId,
    /// Login.
    #[serde(default)]
    pub user_login: String,
    /// Display name.
    #[serde(default)]
    pub user_name: String,
    /// `#RRGGBB`, or empty if the user never chose one.
    #[serde(default)]
    pub color: String,
}

impl HelixClient {
    /// Everyone in a chat, page by page (moderator token).
    pub fn chatters(
        &self,
        broadcaster_id: &UserId,
        moderator_id: &UserId,
    ) -> impl Stream<Item = Result<Chatter, Error>> + Send + 'static {
        self.paginate(
            "/chat/chatters",
            vec![
                ("broadcaster_id", broadcaster_id.to_string()),
                ("moderator_id", moderator_id.to_string()),
                ("first", "1000".into()),
            ],
        )
    }

    /// A chat's settings.
    pub async fn get_chat_settings(
        &self,
        broadcaster_id: &UserId,
    ) -> Result<Option<ChatSettings>, Error> {
        Ok(self
            .get_data(
                "/chat/settings",
                &[("broadcaster_id", broadcaster_id.to_string())],
            )
            .await?
            .into_iter()
            .next())
    }

    /// Changes chat settings (moderator token).
    pub async fn update_chat_settings(
        &self,
        broadcaster_id: &UserId,
        moderator_id: &UserId,
        settings: &ChatSettings,
    ) -> Result<Option<ChatSettings>, Error> {
        let query = [
            ("broadcaster_id", broadcaster_id.to_string()),
            ("moderator_id", moderator_id.to_string()),
        ];
        Ok(self
            .send_json(Method::PATCH, "/chat/settings", &query, settings)
            .await?
            .data
            .into_iter()
            .next())
    }

    /// The chat colors of up to 100 users.
    pub async fn get_chat_colors(&self, user_ids: &[UserId]) -> Result<Vec<ChatColor>, Error> {
        self.get_data("/chat/color", &repeated("user_id", user_ids))
            .await
    }

    /// Sets the token user's chat color (`user:manage:chat_color`): a named color
    /// (`blue`, `hot_pink`, …) or, for Turbo and Prime users, `#RRGGBB`.
    pub async fn update_chat_color(&self, user_id: &UserId, color: &str) -> Result<(), Error> {
        let query = [
            ("user_id", user_id.to_string()),
            ("color", color.to_owned()),
        ];
        self.send_empty(Method::PUT, "/chat/color", &query).await
    }

    /// Badge sets of a channel, or global ones with `None`.
    pub async fn chat_badges(
        &self,
        broadcaster_id: Option<&UserId>,
    ) -> Result<Vec<BadgeSet>, Error> {
        match broadcaster_id {
            Some(id) => {
                self.get_data("/chat/badges", &[("broadcaster_id", id.to_string())])
                    .await
            }
            None => self.get_data("/chat/badges/global", &[]).await,
        }
    }

    /// Emotes of a channel, or global ones with `None`.
    pub async fn chat_emotes(
        &self,
        broadcaster_id: Option<&UserId>,
    ) -> Result<Vec<ChatEmote>, Error> {
        match broadcaster_id {
            Some(id) => {
                self.get_data("/chat/emotes", &[("broadcaster_id", id.to_string())])
                    .await
            }
            None => self.get_data("/chat/emotes/global", &[]).await,
        }
    }
}
