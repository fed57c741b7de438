//! Gateway events: the [`Event`] enum, one payload type per event (what listeners ask for:
//! `client.on::<MessageCreate>(…)`), the [`ShardEvent`] the bot's hub carries, and the
//! decode entry points ([`Event::from_slice`], [`Envelope::from_slice`]).
//!
//! ```
//! use svc_gateway::event::MessageCreate;
//!
//! # fn listen(client: &svc_gateway::Client) {
//! client.on(|message: MessageCreate| println!("{}", message.content)).detach();
//! # }
//! ```

mod decode;
pub(crate) use decode::{ShardPayload, decode};
mod envelope;
mod payloads;
mod scratch;

pub use envelope::Envelope;
pub use payloads::*;

use core_events::Extract;

/// Gateway opcodes.
pub mod opcode {
    /// An event was dispatched (server → client).
    pub const DISPATCH: u8 = 0;
    /// Heartbeat (both ways).
    pub const HEARTBEAT: u8 = 1;
    /// Identify (client → server).
    pub const IDENTIFY: u8 = 2;
    /// Presence update (client → server).
    pub const PRESENCE_UPDATE: u8 = 3;
    /// Voice state update (client → server).
    pub const VOICE_STATE_UPDATE: u8 = 4;
    /// Resume (client → server).
    pub const RESUME: u8 = 6;
    /// Reconnect (server → client).
    pub const RECONNECT: u8 = 7;
    /// Request guild members (client → server).
    pub const REQUEST_GUILD_MEMBERS: u8 = 8;
    /// Invalid session (server → client).
    pub const INVALID_SESSION: u8 = 9;
    /// Hello (server → client).
    pub const HELLO: u8 = 10;
    /// Heartbeat ACK (server → client).
    pub const HEARTBEAT_ACK: u8 = 11;
}

/// One event from a gateway shard, with the shard it came from: what the bot's event hub
/// carries. Every payload type extracts from it, so `client.on::<MessageCreate>(…)` works.
#[derive(Debug, Clone)]
pub struct ShardEvent {
    /// The shard that received it.
    pub shard_id: u32,
    /// The event.
    pub event: Event,
}

impl Extract<ShardEvent> for Event {
    fn extract(event: ShardEvent) -> Option<Self> {
        Some(event.event)
    }
}

macro_rules! events {
    ($($variant:ident = $name:literal,)*) => {
        /// A decoded gateway payload: control opcodes, then one variant per dispatch event.
        /// Dispatch names this crate does not know decode to [`Event::Unknown`], never an error.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum Event {
            /// Op 10.
            Hello(Hello),
            /// `READY`.
            Ready(Box<Ready>),
            /// `RESUMED`.
            Resumed(Resumed),
            /// Op 7.
            Reconnect(Reconnect),
            /// Op 9.
            InvalidSession(InvalidSession),
            /// Op 11.
            HeartbeatAck(HeartbeatAck),
            /// Op 1 sent by the server.
            HeartbeatRequest(HeartbeatRequest),
            $(
                #[doc = concat!("`", $name, "`.")]
                $variant(Box<$variant>),
            )*
            /// A dispatch this crate has no type for, kept as JSON. A shard also delivers a
            /// dispatch whose data does not fit its type this way (counting the decode
            /// error in `ShardStats::decode_errors`).
            Unknown {
                /// The event name (`t`).
                name: String,
                /// The `d` payload.
                raw: serde_json::Value,
            },
        }

        impl Event {
            /// The dispatch name (`t`), or `None` for control opcodes.
            pub fn name(&self) -> Option<&str> {
                match self {
                    Self::Hello(_) | Self::Reconnect(_) | Self::InvalidSession(_) | Self::HeartbeatAck(_) | Self::HeartbeatRequest(_) => None,
                    Self::Ready(_) => Some("READY"),
                    Self::Resumed(_) => Some("RESUMED"),
                    $(Self::$variant(_) => Some($name),)*
                    Self::Unknown { name, .. } => Some(name),
                }
            }
        }

        /// The payload type a dispatch name decodes to, chosen from the envelope before `d`
        /// is parsed (names this crate does not know have none: they become [`Event::Unknown`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Dispatch {
            Ready,
            Resumed,
            $($variant,)*
        }

        impl Dispatch {
            pub(crate) fn from_name(name: &str) -> Option<Self> {
                match name {
                    "READY" => Some(Self::Ready),
                    "RESUMED" => Some(Self::Resumed),
                    $($name => Some(Self::$variant),)*
                    _ => None,
                }
            }

            pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Event, D::Error> {
                use serde::Deserialize;
                match self {
                    Self::Ready => Ready::deserialize(deserializer).map(|v| Event::Ready(Box::new(v))),
                    Self::Resumed => serde::de::IgnoredAny::deserialize(deserializer).map(|_| Event::Resumed(Resumed)),
                    $(Self::$variant => <$variant>::deserialize(deserializer).map(|v| Event::$variant(Box::new(v))),)*
                }
            }
        }

        $(
            impl Extract<Event> for $variant {
                fn extract(event: Event) -> Option<Self> {
                    match event {
                        Event::$variant(payload) => Some(*payload),
                        _ => None,
                    }
                }
            }

            impl Extract<ShardEvent> for $variant {
                fn extract(event: ShardEvent) -> Option<Self> {
                    <$variant as Extract<Event>>::extract(event.event)
                }
            }
        )*
    };
}

events! {
    GuildCreate = "GUILD_CREATE",
    GuildUpdate = "GUILD_UPDATE",
    GuildDelete = "GUILD_DELETE",
    ChannelCreate = "CHANNEL_CREATE",
    ChannelUpdate = "CHANNEL_UPDATE",
    ChannelDelete = "CHANNEL_DELETE",
    ChannelPinsUpdate = "CHANNEL_PINS_UPDATE",
    ThreadCreate = "THREAD_CREATE",
    ThreadUpdate = "THREAD_UPDATE",
    ThreadDelete = "THREAD_DELETE",
    ThreadListSync = "THREAD_LIST_SYNC",
    ThreadMemberUpdate = "THREAD_MEMBER_UPDATE",
    ThreadMembersUpdate = "THREAD_MEMBERS_UPDATE",
    GuildMemberAdd = "GUILD_MEMBER_ADD",
    GuildMemberUpdate = "GUILD_MEMBER_UPDATE",
    GuildMemberRemove = "GUILD_MEMBER_REMOVE",
    GuildMembersChunk = "GUILD_MEMBERS_CHUNK",
    GuildRoleCreate = "GUILD_ROLE_CREATE",
    GuildRoleUpdate = "GUILD_ROLE_UPDATE",
    GuildRoleDelete = "GUILD_ROLE_DELETE",
    MessageCreate = "MESSAGE_CREATE",
    MessageUpdate = "MESSAGE_UPDATE",
    MessageDelete = "MESSAGE_DELETE",
    MessageDeleteBulk = "MESSAGE_DELETE_BULK",
    MessageReactionAdd = "MESSAGE_REACTION_ADD",
    MessageReactionRemove = "MESSAGE_REACTION_REMOVE",
    MessageReactionRemoveAll = "MESSAGE_REACTION_REMOVE_ALL",
    MessageReactionRemoveEmoji = "MESSAGE_REACTION_REMOVE_EMOJI",
    PresenceUpdate = "PRESENCE_UPDATE",
    TypingStart = "TYPING_START",
    VoiceStateUpdate = "VOICE_STATE_UPDATE",
    VoiceServerUpdate = "VOICE_SERVER_UPDATE",
    InteractionCreate = "INTERACTION_CREATE",
    UserUpdate = "USER_UPDATE",
    StageInstanceCreate = "STAGE_INSTANCE_CREATE",
    StageInstanceUpdate = "STAGE_INSTANCE_UPDATE",
    StageInstanceDelete = "STAGE_INSTANCE_DELETE",
    GuildScheduledEventCreate = "GUILD_SCHEDULED_EVENT_CREATE",
    GuildScheduledEventUpdate = "GUILD_SCHEDULED_EVENT_UPDATE",
    GuildScheduledEventDelete = "GUILD_SCHEDULED_EVENT_DELETE",
    GuildScheduledEventUserAdd = "GUILD_SCHEDULED_EVENT_USER_ADD",
    GuildScheduledEventUserRemove = "GUILD_SCHEDULED_EVENT_USER_REMOVE",
    AutoModerationRuleCreate = "AUTO_MODERATION_RULE_CREATE",
    AutoModerationRuleUpdate = "AUTO_MODERATION_RULE_UPDATE",
    AutoModerationRuleDelete = "AUTO_MODERATION_RULE_DELETE",
    AutoModerationActionExecution = "AUTO_MODERATION_ACTION_EXECUTION",
}

macro_rules! control_extract {
    ($($variant:ident),*) => {
        $(
            impl Extract<Event> for $variant {
                fn extract(event: Event) -> Option<Self> {
                    match event {
                        Event::$variant(payload) => Some(payload),
                        _ => None,
                    }
                }
            }

            impl Extract<ShardEvent> for $variant {
                fn extract(event: ShardEvent) -> Option<Self> {
                    <$variant as Extract<Event>>::extract(event.event)
                }
            }
        )*
    };
}

control_extract!(
    Hello,
    Resumed,
    Reconnect,
    InvalidSession,
    HeartbeatAck,
    HeartbeatRequest
);

impl Extract<Event> for Ready {
    fn extract(event: Event) -> Option<Self> {
        match event {
            Event::Ready(ready) => Some(*ready),
            _ => None,
        }
    }
}

impl Extract<ShardEvent> for Ready {
    fn extract(event: ShardEvent) -> Option<Self> {
        <Ready as Extract<Event>>::extract(event.event)
    }
}
