//! Voice states.

use serde::{Deserialize, Serialize};

use super::id::{ChannelMarker, GuildMarker, Id, UserMarker};
use super::member::Member;

/// A user's voice connection state.
#[allow(clippy::struct_excessive_bools)] // Discord's shape
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceState {
    /// Guild.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
    /// Channel (`None` = disconnected).
    #[serde(default)]
    pub channel_id: Option<Id<ChannelMarker>>,
    /// User.
    pub user_id: Id<UserMarker>,
    /// Member.
    #[serde(default)]
    pub member: Option<Member>,
    /// Voice session id.
    #[serde(default)]
    pub session_id: String,
    /// Server-deafened.
    #[serde(default)]
    pub deaf: bool,
    /// Server-muted.
    #[serde(default)]
    pub mute: bool,
    /// Self-deafened.
    #[serde(default)]
    pub self_deaf: bool,
    /// Self-muted.
    #[serde(default)]
    pub self_mute: bool,
    /// Streaming.
    #[serde(default)]
    pub self_stream: bool,
    /// Camera on.
    #[serde(default)]
    pub self_video: bool,
    /// Suppressed (stage audience).
    #[serde(default)]
    pub suppress: bool,
}
