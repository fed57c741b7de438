//! Bit sets Discord sends as numbers: permissions (a decimal string, they outgrew 53 bits)
//! and gateway intents (a plain integer).

use std::fmt;

use bitflags::bitflags;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

bitflags! {
    /// Channel and role permissions. Unknown bits are kept.
    ///
    /// ```
    /// use svc_gateway::model::Permissions;
    ///
    /// let p: Permissions = serde_json::from_str("\"2048\"").unwrap();
    /// assert!(p.contains(Permissions::SEND_MESSAGES));
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Permissions: u64 {
        /// Create invites.
        const CREATE_INSTANT_INVITE = 1 << 0;
        /// Kick members.
        const KICK_MEMBERS = 1 << 1;
        /// Ban members.
        const BAN_MEMBERS = 1 << 2;
        /// Every permission, overwrites ignored.
        const ADMINISTRATOR = 1 << 3;
        /// Manage channels.
        const MANAGE_CHANNELS = 1 << 4;
        /// Manage the guild.
        const MANAGE_GUILD = 1 << 5;
        /// Add reactions.
        const ADD_REACTIONS = 1 << 6;
        /// View the audit log.
        const VIEW_AUDIT_LOG = 1 << 7;
        /// Priority speaker in voice.
        const PRIORITY_SPEAKER = 1 << 8;
        /// Go live.
        const STREAM = 1 << 9;
        /// View channels.
        const VIEW_CHANNEL = 1 << 10;
        /// Send messages.
        const SEND_MESSAGES = 1 << 11;
        /// Send TTS messages.
        const SEND_TTS_MESSAGES = 1 << 12;
        /// Delete others' messages, pin.
        const MANAGE_MESSAGES = 1 << 13;
        /// Embed links.
        const EMBED_LINKS = 1 << 14;
        /// Attach files.
        const ATTACH_FILES = 1 << 15;
        /// Read message history.
        const READ_MESSAGE_HISTORY = 1 << 16;
        /// Mention @everyone.
        const MENTION_EVERYONE = 1 << 17;
        /// Use external emojis.
        const USE_EXTERNAL_EMOJIS = 1 << 18;
        /// View guild insights.
        const VIEW_GUILD_INSIGHTS = 1 << 19;
        /// Connect to voice.
        const CONNECT = 1 << 20;
        /// Speak in voice.
        const SPEAK = 1 << 21;
        /// Mute members.
        const MUTE_MEMBERS = 1 << 22;
        /// Deafen members.
        const DEAFEN_MEMBERS = 1 << 23;
        /// Move members.
        const MOVE_MEMBERS = 1 << 24;
        /// Use voice activity.
        const USE_VAD = 1 << 25;
        /// Change own nickname.
        const CHANGE_NICKNAME = 1 << 26;
        /// Manage nicknames.
        const MANAGE_NICKNAMES = 1 << 27;
        /// Manage roles.
        const MANAGE_ROLES = 1 << 28;
        /// Manage webhooks.
        const MANAGE_WEBHOOKS = 1 << 29;
        /// Manage emojis, stickers, sounds.
        const MANAGE_GUILD_EXPRESSIONS = 1 << 30;
        /// Use application commands.
        const USE_APPLICATION_COMMANDS = 1 << 31;
        /// Request to speak in stages.
        const REQUEST_TO_SPEAK = 1 << 32;
        /// Manage events.
        const MANAGE_EVENTS = 1 << 33;
        /// Manage threads.
        const MANAGE_THREADS = 1 << 34;
        /// Create public threads.
        const CREATE_PUBLIC_THREADS = 1 << 35;
        /// Create private threads.
        const CREATE_PRIVATE_THREADS = 1 << 36;
        /// Use external stickers.
        const USE_EXTERNAL_STICKERS = 1 << 37;
        /// Send messages in threads.
        const SEND_MESSAGES_IN_THREADS = 1 << 38;
        /// Use activities.
        const USE_EMBEDDED_ACTIVITIES = 1 << 39;
        /// Time out members.
        const MODERATE_MEMBERS = 1 << 40;
        const _ = !0;
    }
}

bitflags! {
    /// Gateway intents: which event groups a shard receives. Privileged ones
    /// ([`GUILD_MEMBERS`](Self::GUILD_MEMBERS), [`GUILD_PRESENCES`](Self::GUILD_PRESENCES),
    /// [`MESSAGE_CONTENT`](Self::MESSAGE_CONTENT)) must be enabled for the application.
    ///
    /// ```
    /// use svc_gateway::model::Intents;
    ///
    /// let intents = Intents::GUILDS | Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT;
    /// assert_eq!(intents.bits(), 33_281);
    /// assert!(!Intents::non_privileged().contains(Intents::GUILD_MEMBERS));
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Intents: u64 {
        /// Guilds, channels, threads, roles.
        const GUILDS = 1 << 0;
        /// Member add/update/remove (privileged).
        const GUILD_MEMBERS = 1 << 1;
        /// Audit log entries, bans.
        const GUILD_MODERATION = 1 << 2;
        /// Emojis and stickers.
        const GUILD_EXPRESSIONS = 1 << 3;
        /// Integrations.
        const GUILD_INTEGRATIONS = 1 << 4;
        /// Webhooks.
        const GUILD_WEBHOOKS = 1 << 5;
        /// Invites.
        const GUILD_INVITES = 1 << 6;
        /// Voice states.
        const GUILD_VOICE_STATES = 1 << 7;
        /// Presences (privileged).
        const GUILD_PRESENCES = 1 << 8;
        /// Guild messages.
        const GUILD_MESSAGES = 1 << 9;
        /// Guild message reactions.
        const GUILD_MESSAGE_REACTIONS = 1 << 10;
        /// Guild typing.
        const GUILD_MESSAGE_TYPING = 1 << 11;
        /// Direct messages.
        const DIRECT_MESSAGES = 1 << 12;
        /// DM reactions.
        const DIRECT_MESSAGE_REACTIONS = 1 << 13;
        /// DM typing.
        const DIRECT_MESSAGE_TYPING = 1 << 14;
        /// Message content (privileged).
        const MESSAGE_CONTENT = 1 << 15;
        /// Scheduled events.
        const GUILD_SCHEDULED_EVENTS = 1 << 16;
        /// Auto moderation configuration.
        const AUTO_MODERATION_CONFIGURATION = 1 << 20;
        /// Auto moderation execution.
        const AUTO_MODERATION_EXECUTION = 1 << 21;
        /// Poll votes in guilds.
        const GUILD_MESSAGE_POLLS = 1 << 24;
        /// Poll votes in DMs.
        const DIRECT_MESSAGE_POLLS = 1 << 25;
    }
}

impl Intents {
    /// Every intent that needs no approval.
    pub fn non_privileged() -> Self {
        Self::all() - Self::privileged()
    }

    /// The privileged intents.
    pub fn privileged() -> Self {
        Self::GUILD_MEMBERS | Self::GUILD_PRESENCES | Self::MESSAGE_CONTENT
    }
}

impl Serialize for Permissions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.bits())
    }
}

struct BitsVisitor(&'static str);

impl Visitor<'_> for BitsVisitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        v.parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }
}

impl<'de> Deserialize<'de> for Permissions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(BitsVisitor("permissions as a decimal string"))
            .map(Self::from_bits_retain)
    }
}

impl Serialize for Intents {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.bits())
    }
}

impl<'de> Deserialize<'de> for Intents {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(BitsVisitor("intents as an integer"))
            .map(Self::from_bits_retain)
    }
}
