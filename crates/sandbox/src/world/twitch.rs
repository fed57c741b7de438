//! The Twitch part of the world: one app (client id and secret), users with OAuth tokens
//! and scopes (the first is the bot, the second a viewer), and channels with their stream,
//! followers, subscribers, moderators and VIPs.

use serde::{Deserialize, Serialize};

use super::{Offset, Secret};

/// Twitch: an app and its users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwitchWorld {
    /// The app's client id (`Client-Id`).
    pub client_id: String,
    /// The app's client secret (client credentials and refresh grants).
    pub client_secret: Secret,
    /// Users: the first is the bot, the second a viewer.
    pub users: Vec<TwitchUser>,
    /// Channel details (every user has a channel; these add to it).
    #[serde(default)]
    pub channels: Vec<TwitchChannel>,
}

/// A user with a user access token for the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwitchUser {
    /// Numeric id.
    pub id: String,
    /// Login (lowercase).
    pub login: String,
    /// Display name (default: the login).
    #[serde(default)]
    pub display_name: Option<String>,
    /// `""`, `admin`, `global_mod` or `staff`.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// `""`, `affiliate` or `partner`.
    #[serde(default)]
    pub broadcaster_type: String,
    /// Profile description.
    #[serde(default)]
    pub description: String,
    /// When the account was made.
    #[serde(default = "created_default")]
    pub created: Offset,
    /// The user access token (`Authorization: Bearer`, `PASS oauth:`).
    pub token: Secret,
    /// A refresh token for it.
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    /// Scopes the token holds.
    #[serde(default)]
    pub scopes: Vec<String>,
}

fn created_default() -> Offset {
    Offset::seconds(-3 * 365 * 86_400)
}

impl TwitchUser {
    /// The display name, or the login when none is set.
    pub fn display_name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.login)
    }
}

/// A broadcaster's channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwitchChannel {
    /// The broadcaster's login.
    pub broadcaster: String,
    /// Stream title.
    #[serde(default)]
    pub title: String,
    /// Category id.
    #[serde(default = "game_id")]
    pub game_id: String,
    /// Category name.
    #[serde(default = "game_name")]
    pub game_name: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Broadcast language.
    #[serde(default = "language")]
    pub language: String,
    /// Set when the channel is live.
    #[serde(default)]
    pub stream: Option<TwitchStream>,
    /// Logins of followers, oldest first.
    #[serde(default)]
    pub followers: Vec<String>,
    /// Logins of subscribers (tier 1).
    #[serde(default)]
    pub subscribers: Vec<String>,
    /// Logins of moderators.
    #[serde(default)]
    pub moderators: Vec<String>,
    /// Logins of VIPs.
    #[serde(default)]
    pub vips: Vec<String>,
}

fn game_id() -> String {
    "509658".to_owned()
}

fn game_name() -> String {
    "Just Chatting".to_owned()
}

fn language() -> String {
    "en".to_owned()
}

/// A live stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwitchStream {
    /// When it went live.
    #[serde(default = "started_default")]
    pub started: Offset,
    /// Viewers.
    #[serde(default)]
    pub viewer_count: u64,
}

fn started_default() -> Offset {
    Offset::hours(-1)
}

impl TwitchWorld {
    /// A user by id or login.
    pub fn user(&self, key: &str) -> Option<&TwitchUser> {
        let key = key.trim_start_matches('#');
        self.users
            .iter()
            .find(|u| u.id == key || u.login.eq_ignore_ascii_case(key))
    }

    /// The bot: the first user.
    pub fn bot(&self) -> Option<&TwitchUser> {
        self.users.first()
    }

    /// The viewer: the second user.
    pub fn viewer(&self) -> Option<&TwitchUser> {
        self.users.get(1)
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        if self.users.len() < 2 {
            return Err("twitch: the world needs two users, a bot and a viewer".to_owned());
        }
        if self.client_id.is_empty() || self.client_secret.expose().is_empty() {
            return Err("twitch: client_id and client_secret must be set".to_owned());
        }
        for (index, user) in self.users.iter().enumerate() {
            if user.id.is_empty() || !user.id.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("twitch: user {} has a non-numeric id", user.login));
            }
            if user.login.is_empty() || user.login != user.login.to_lowercase() {
                return Err(format!(
                    "twitch: login {:?} must be lowercase and not empty",
                    user.login
                ));
            }
            if user.token.expose().is_empty() {
                return Err(format!("twitch: user {} has no token", user.login));
            }
            let clash = self.users[..index]
                .iter()
                .find(|u| u.id == user.id || u.login == user.login || u.token == user.token);
            if let Some(other) = clash {
                return Err(format!(
                    "twitch: users {} and {} share an id, login or token",
                    other.login, user.login
                ));
            }
        }
        for channel in &self.channels {
            if self.user(&channel.broadcaster).is_none() {
                return Err(format!(
                    "twitch: channel {} belongs to no user",
                    channel.broadcaster
                ));
            }
            for login in channel
                .followers
                .iter()
                .chain(&channel.subscribers)
                .chain(&channel.moderators)
                .chain(&channel.vips)
            {
                if self.user(login).is_none() {
                    return Err(format!(
                        "twitch: channel {} lists {login}, who is not a user",
                        channel.broadcaster
                    ));
                }
            }
        }
        Ok(())
    }
}
