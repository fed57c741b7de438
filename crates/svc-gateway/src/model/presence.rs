//! Presences and activities.

use serde::{Deserialize, Serialize};

use super::id::{GuildMarker, Id, UserMarker};

/// A user's presence in a guild.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    /// The user (often only `id`).
    pub user: PresenceUser,
    /// Guild.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
    /// Status.
    #[serde(default)]
    pub status: Status,
    /// Activities.
    #[serde(default)]
    pub activities: Vec<Activity>,
}

/// The user part of a presence: an id, maybe more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceUser {
    /// The user's id.
    pub id: Id<UserMarker>,
}

/// Online status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Online.
    Online,
    /// Do not disturb.
    Dnd,
    /// Idle.
    Idle,
    /// Invisible (own presence only).
    Invisible,
    /// Offline.
    #[default]
    Offline,
}

/// An activity ("Playing X"). `kind`: 0 playing, 1 streaming, 2 listening, 3 watching,
/// 4 custom, 5 competing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// Name.
    pub name: String,
    /// Activity type.
    #[serde(rename = "type")]
    pub kind: u8,
    /// Stream URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Custom status / details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// Op 3 Presence Update and the identify `presence`: what the bot shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdatePresence {
    /// Unix ms since idle, or `None`.
    pub since: Option<u64>,
    /// Activities.
    pub activities: Vec<Activity>,
    /// Status.
    pub status: Status,
    /// AFK.
    pub afk: bool,
}

impl UpdatePresence {
    /// Online with one activity.
    pub fn online(activity: Option<Activity>) -> Self {
        Self {
            since: None,
            activities: activity.into_iter().collect(),
            status: Status::Online,
            afk: false,
        }
    }
}
