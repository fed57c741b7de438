//! Channels and threads.

use serde::{Deserialize, Serialize};

use super::flags::Permissions;
use super::id::{ChannelMarker, GuildMarker, Id, MessageMarker, UserMarker};
use super::timestamp::Timestamp;
use super::user::User;

/// A channel or thread. `kind` is Discord's `type` (0 text, 1 DM, 2 voice, 4 category,
/// 5 announcement, 10/11/12 threads, 13 stage, 15 forum…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    /// The channel's id.
    pub id: Id<ChannelMarker>,
    /// Channel type.
    #[serde(rename = "type")]
    pub kind: u8,
    /// Guild, for guild channels (absent in some gateway payloads, filled in by the cache).
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
    /// Sort position.
    #[serde(default)]
    pub position: Option<i64>,
    /// Permission overwrites.
    #[serde(default)]
    pub permission_overwrites: Vec<PermissionOverwrite>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Topic.
    #[serde(default)]
    pub topic: Option<String>,
    /// Age-restricted.
    #[serde(default)]
    pub nsfw: bool,
    /// Last message id.
    #[serde(default)]
    pub last_message_id: Option<Id<MessageMarker>>,
    /// Voice bitrate.
    #[serde(default)]
    pub bitrate: Option<u32>,
    /// Voice user limit.
    #[serde(default)]
    pub user_limit: Option<u32>,
    /// Slowmode seconds.
    #[serde(default)]
    pub rate_limit_per_user: Option<u32>,
    /// DM recipients.
    #[serde(default)]
    pub recipients: Vec<User>,
    /// Category or, for threads, the parent channel.
    #[serde(default)]
    pub parent_id: Option<Id<ChannelMarker>>,
    /// Creator of a thread or group DM.
    #[serde(default)]
    pub owner_id: Option<Id<UserMarker>>,
    /// Last pin time.
    #[serde(default)]
    pub last_pin_timestamp: Option<Timestamp>,
    /// Thread metadata.
    #[serde(default)]
    pub thread_metadata: Option<ThreadMetadata>,
    /// Computed permissions of the invoking user (interactions).
    #[serde(default)]
    pub permissions: Option<Permissions>,
}

/// A permission overwrite on a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionOverwrite {
    /// Role or user id.
    pub id: OverwriteTarget,
    /// 0 role, 1 member.
    #[serde(rename = "type")]
    pub kind: u8,
    /// Allowed.
    pub allow: Permissions,
    /// Denied.
    pub deny: Permissions,
}

/// An overwrite target: a role or a user, depending on the overwrite's `kind`.
pub type OverwriteTarget = Id<OverwriteTargetMarker>;

/// Marks the id of a permission overwrite's target (role or user).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct OverwriteTargetMarker;

/// Thread state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadMetadata {
    /// Archived.
    #[serde(default)]
    pub archived: bool,
    /// Minutes of inactivity before auto-archive.
    #[serde(default)]
    pub auto_archive_duration: u32,
    /// When archived state last changed.
    #[serde(default)]
    pub archive_timestamp: Option<Timestamp>,
    /// Locked.
    #[serde(default)]
    pub locked: bool,
}

/// A user's membership in a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadMember {
    /// The thread.
    #[serde(default)]
    pub id: Option<Id<ChannelMarker>>,
    /// The user.
    #[serde(default)]
    pub user_id: Option<Id<UserMarker>>,
    /// When they joined.
    #[serde(default)]
    pub join_timestamp: Option<Timestamp>,
    /// Flags.
    #[serde(default)]
    pub flags: u64,
}

/// A stage instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageInstance {
    /// Its id.
    pub id: Id<super::id::StageMarker>,
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// Stage channel.
    pub channel_id: Id<ChannelMarker>,
    /// Topic.
    pub topic: String,
    /// Privacy level (2 guild only).
    #[serde(default)]
    pub privacy_level: u8,
}
