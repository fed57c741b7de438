//! Event groups: which stream a dispatch goes to.

use std::fmt;

/// A family of dispatch events sharing one Redis stream, `{prefix}:events:{group}`.
///
/// Workers subscribe to the groups they handle, so a bot that only answers messages never
/// reads presence updates.
///
/// ```
/// use fanout::EventGroup;
///
/// assert_eq!(EventGroup::of("MESSAGE_CREATE"), EventGroup::Messages);
/// assert_eq!(EventGroup::of("MESSAGE_REACTION_ADD"), EventGroup::Reactions);
/// assert_eq!(EventGroup::of("SOMETHING_NEW"), EventGroup::Other);
/// assert_eq!(EventGroup::Members.as_str(), "members");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum EventGroup {
    /// Messages and typing.
    Messages,
    /// Guilds, channels, threads, roles, emojis and other guild structure.
    Guilds,
    /// Guild and thread members.
    Members,
    /// Message reactions.
    Reactions,
    /// Presence and user updates.
    Presence,
    /// Voice states and voice servers.
    Voice,
    /// Interactions and application commands.
    Interactions,
    /// Everything else (`READY`, `RESUMED`, names added later).
    Other,
}

impl EventGroup {
    /// Every group, in a fixed order.
    pub const ALL: [Self; 8] = [
        Self::Messages,
        Self::Guilds,
        Self::Members,
        Self::Reactions,
        Self::Presence,
        Self::Voice,
        Self::Interactions,
        Self::Other,
    ];

    /// The group of the dispatch named `name` (the payload's `t`).
    pub fn of(name: &str) -> Self {
        match name {
            "MESSAGE_CREATE"
            | "MESSAGE_UPDATE"
            | "MESSAGE_DELETE"
            | "MESSAGE_DELETE_BULK"
            | "MESSAGE_POLL_VOTE_ADD"
            | "MESSAGE_POLL_VOTE_REMOVE"
            | "TYPING_START" => Self::Messages,
            "GUILD_MEMBER_ADD"
            | "GUILD_MEMBER_UPDATE"
            | "GUILD_MEMBER_REMOVE"
            | "GUILD_MEMBERS_CHUNK"
            | "THREAD_MEMBER_UPDATE"
            | "THREAD_MEMBERS_UPDATE" => Self::Members,
            "PRESENCE_UPDATE" | "USER_UPDATE" => Self::Presence,
            "VOICE_STATE_UPDATE" | "VOICE_SERVER_UPDATE" | "VOICE_CHANNEL_EFFECT_SEND" => {
                Self::Voice
            }
            "INTERACTION_CREATE" | "APPLICATION_COMMAND_PERMISSIONS_UPDATE" => Self::Interactions,
            name if name.starts_with("MESSAGE_REACTION_") => Self::Reactions,
            name if name.starts_with("GUILD_")
                || name.starts_with("CHANNEL_")
                || name.starts_with("THREAD_")
                || name.starts_with("STAGE_INSTANCE_") =>
            {
                Self::Guilds
            }
            _ => Self::Other,
        }
    }

    /// The group's name as it appears in stream keys.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Messages => "messages",
            Self::Guilds => "guilds",
            Self::Members => "members",
            Self::Reactions => "reactions",
            Self::Presence => "presence",
            Self::Voice => "voice",
            Self::Interactions => "interactions",
            Self::Other => "other",
        }
    }

    /// The stream key for this group under `prefix`: `{prefix}:events:{group}`.
    pub fn stream_key(self, prefix: &str) -> String {
        format!("{prefix}:events:{}", self.as_str())
    }
}

impl fmt::Display for EventGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The dead-letter stream under `prefix`: `{prefix}:events:dead`.
pub fn dead_letter_key(prefix: &str) -> String {
    format!("{prefix}:events:dead")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_known_families() {
        for (name, group) in [
            ("MESSAGE_DELETE_BULK", EventGroup::Messages),
            ("TYPING_START", EventGroup::Messages),
            ("GUILD_CREATE", EventGroup::Guilds),
            ("GUILD_ROLE_DELETE", EventGroup::Guilds),
            ("CHANNEL_PINS_UPDATE", EventGroup::Guilds),
            ("THREAD_LIST_SYNC", EventGroup::Guilds),
            ("GUILD_MEMBERS_CHUNK", EventGroup::Members),
            ("THREAD_MEMBERS_UPDATE", EventGroup::Members),
            ("MESSAGE_REACTION_REMOVE_EMOJI", EventGroup::Reactions),
            ("PRESENCE_UPDATE", EventGroup::Presence),
            ("VOICE_SERVER_UPDATE", EventGroup::Voice),
            ("INTERACTION_CREATE", EventGroup::Interactions),
            ("READY", EventGroup::Other),
        ] {
            assert_eq!(EventGroup::of(name), group, "{name}");
        }
        assert_eq!(
            EventGroup::Voice.stream_key("sb"),
            "sb:events:voice".to_owned()
        );
        assert_eq!(dead_letter_key("sb"), "sb:events:dead");
    }
}
