//! What a shard sends: identify, resume, heartbeat and the user commands (presence, voice
//! state, request guild members), serialised with Discord's field names.

use serde::Serialize;

use crate::model::{ChannelMarker, GuildMarker, Id, Intents, UpdatePresence, UserMarker};

/// Discord's limit on one gateway payload.
pub const MAX_PAYLOAD_BYTES: usize = 4096;

#[derive(Serialize)]
pub(crate) struct Outgoing<'a, T: Serialize> {
    pub(crate) op: u8,
    pub(crate) d: &'a T,
}

#[derive(Serialize)]
pub(crate) struct Identify<'a> {
    pub(crate) token: &'a str,
    pub(crate) properties: Properties,
    pub(crate) intents: Intents,
    pub(crate) shard: [u32; 2],
    pub(crate) large_threshold: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) presence: Option<&'a UpdatePresence>,
    pub(crate) compress: bool,
}

#[derive(Serialize)]
pub(crate) struct Properties {
    pub(crate) os: &'static str,
    pub(crate) browser: &'static str,
    pub(crate) device: &'static str,
}

impl Properties {
    pub(crate) fn current() -> Self {
        Self {
            os: std::env::consts::OS,
            browser: "switchboard",
            device: "switchboard",
        }
    }
}

#[derive(Serialize)]
pub(crate) struct Resume<'a> {
    pub(crate) token: &'a str,
    pub(crate) session_id: &'a str,
    pub(crate) seq: u64,
}

/// Op 4: join, move or leave a voice channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UpdateVoiceState {
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// Channel to join, `None` to leave.
    pub channel_id: Option<Id<ChannelMarker>>,
    /// Mute self.
    pub self_mute: bool,
    /// Deafen self.
    pub self_deaf: bool,
}

/// Op 8: ask for a guild's members; answers come as `GUILD_MEMBERS_CHUNK`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestGuildMembers {
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// Username prefix (`""` = everyone; needs GUILD_MEMBERS for that).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Maximum members (0 = no limit with an empty query).
    pub limit: u32,
    /// Include presences.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub presences: bool,
    /// Specific users instead of a query.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub user_ids: Vec<Id<UserMarker>>,
    /// Echoed in the chunks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
}

impl RequestGuildMembers {
    /// Every member of a guild.
    pub fn all(guild_id: Id<GuildMarker>) -> Self {
        Self {
            guild_id,
            query: Some(String::new()),
            limit: 0,
            presences: false,
            user_ids: Vec::new(),
            nonce: None,
        }
    }
}
