//! Guild members.

use serde::{Deserialize, Serialize};

use super::id::{GuildMarker, Id, RoleMarker};
use super::image_hash::{ImageHash, cdn_url};
use super::timestamp::Timestamp;
use super::user::User;

/// A guild member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The user (absent inside `MESSAGE_CREATE.member`).
    #[serde(default)]
    pub user: Option<User>,
    /// Guild nickname.
    #[serde(default)]
    pub nick: Option<String>,
    /// Guild avatar hash (`None`: the user's own avatar shows).
    #[serde(default)]
    pub avatar: Option<ImageHash>,
    /// Role ids.
    #[serde(default)]
    pub roles: Vec<Id<RoleMarker>>,
    /// When they joined.
    #[serde(default)]
    pub joined_at: Option<Timestamp>,
    /// When they started boosting.
    #[serde(default)]
    pub premium_since: Option<Timestamp>,
    /// Server-deafened.
    #[serde(default)]
    pub deaf: bool,
    /// Server-muted.
    #[serde(default)]
    pub mute: bool,
    /// Member flags.
    #[serde(default)]
    pub flags: u64,
    /// Has not passed membership screening.
    #[serde(default)]
    pub pending: bool,
    /// Timed out until.
    #[serde(default)]
    pub communication_disabled_until: Option<Timestamp>,
}

impl Member {
    /// The member's guild avatar on the CDN, `size` pixels wide; `None` without one (or
    /// without `user`, as inside `MESSAGE_CREATE.member`).
    pub fn avatar_url(&self, guild_id: Id<GuildMarker>, size: u16) -> Option<String> {
        let (hash, user) = (self.avatar.as_ref()?, self.user.as_ref()?);
        Some(cdn_url(
            format_args!("guilds/{guild_id}/users/{}/avatars", user.id),
            hash,
            size,
        ))
    }

    /// The avatar shown for the member in the guild: the guild one, else the user's.
    pub fn display_avatar_url(&self, guild_id: Id<GuildMarker>, size: u16) -> Option<String> {
        self.avatar_url(guild_id, size)
            .or_else(|| self.user.as_ref().map(|u| u.display_avatar_url(size)))
    }
}
