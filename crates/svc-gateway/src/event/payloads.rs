//! The payload type of each gateway event, one struct per event so listeners can ask for
//! exactly one (`client.on::<MessageCreate>(…)`).

use serde::{Deserialize, Serialize};

use crate::model::{
    Application, AutoModerationAction, AutoModerationRule, Channel, Emoji, Guild,
    GuildScheduledEvent, Id, ImageHash, Interaction, Member, Message, Presence, Role,
    StageInstance, ThreadMember, Timestamp, UnavailableGuild, User, VoiceState,
};
use crate::model::{
    AutoModerationRuleMarker, ChannelMarker, GuildMarker, MessageMarker, RoleMarker,
    ScheduledEventMarker, UserMarker,
};

pub use crate::model::GuildCreate;

/// Op 10 Hello: how often to heartbeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// Heartbeat interval in milliseconds (a negative or fractional number from a broken
    /// gateway reads as 0 or rounded down; the shard clamps it to at least one second).
    #[serde(deserialize_with = "non_negative_millis")]
    pub heartbeat_interval: u64,
}

/// Any JSON number as milliseconds: negatives and NaN as 0, fractions rounded down, past
/// `u64::MAX` as `u64::MAX`.
fn non_negative_millis<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    struct Millis;
    impl serde::de::Visitor<'_> for Millis {
        type Value = u64;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a number of milliseconds")
        }

        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<u64, E> {
            Ok(value)
        }

        fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<u64, E> {
            Ok(u64::try_from(value).unwrap_or(0))
        }

        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<u64, E> {
            // `as` saturates: NaN and negatives to 0, past the range to `u64::MAX`.
            Ok(value as u64)
        }
    }
    deserializer.deserialize_any(Millis)
}

/// `READY`: the session is established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ready {
    /// Gateway version.
    #[serde(default)]
    pub v: u8,
    /// The bot user.
    pub user: User,
    /// Guilds, as unavailable stubs; a `GUILD_CREATE` follows for each.
    #[serde(default)]
    pub guilds: Vec<UnavailableGuild>,
    /// For resuming.
    pub session_id: String,
    /// Where to resume.
    pub resume_gateway_url: String,
    /// `[shard_id, shard_count]`.
    #[serde(default)]
    pub shard: Option<[u32; 2]>,
    /// Partial application (`id`, `flags`).
    pub application: Application,
}

/// `RESUMED`: replay after a resume is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Resumed;

/// Op 7 Reconnect: the server asks the client to reconnect and resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reconnect;

/// Op 11 Heartbeat ACK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeartbeatAck;

/// Op 1 Heartbeat from the server: answer with a heartbeat at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeartbeatRequest {
    /// The sequence the server included, if any.
    pub seq: Option<u64>,
}

/// Op 9 Invalid Session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidSession {
    /// Whether the session may be resumed (otherwise identify again).
    pub resumable: bool,
}

macro_rules! newtype {
    ($($(#[$doc:meta])* $name:ident($inner:ty);)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #[serde(transparent)]
            pub struct $name(pub $inner);

            impl std::ops::Deref for $name {
                type Target = $inner;
                fn deref(&self) -> &$inner {
                    &self.0
                }
            }
        )*
    };
}

newtype! {
    /// `GUILD_UPDATE`.
    GuildUpdate(Guild);
    /// `GUILD_DELETE`: `unavailable` true for an outage, false when the bot was removed.
    GuildDelete(UnavailableGuild);
    /// `CHANNEL_CREATE`.
    ChannelCreate(Channel);
    /// `CHANNEL_UPDATE`.
    ChannelUpdate(Channel);
    /// `CHANNEL_DELETE`.
    ChannelDelete(Channel);
    /// `THREAD_CREATE`.
    ThreadCreate(Channel);
    /// `THREAD_UPDATE`.
    ThreadUpdate(Channel);
    /// `THREAD_DELETE` (id, guild_id, parent_id, type only).
    ThreadDelete(Channel);
    /// `MESSAGE_CREATE`.
    MessageCreate(Message);
    /// `PRESENCE_UPDATE`.
    PresenceUpdate(Presence);
    /// `VOICE_STATE_UPDATE`.
    VoiceStateUpdate(VoiceState);
    /// `INTERACTION_CREATE`.
    InteractionCreate(Interaction);
    /// `USER_UPDATE`: the bot user changed.
    UserUpdate(User);
    /// `STAGE_INSTANCE_CREATE`: a stage went live.
    StageInstanceCreate(StageInstance);
    /// `STAGE_INSTANCE_UPDATE`: a stage's topic or privacy changed.
    StageInstanceUpdate(StageInstance);
    /// `STAGE_INSTANCE_DELETE`: a stage ended.
    StageInstanceDelete(StageInstance);
    /// `GUILD_SCHEDULED_EVENT_CREATE`.
    GuildScheduledEventCreate(GuildScheduledEvent);
    /// `GUILD_SCHEDULED_EVENT_UPDATE`.
    GuildScheduledEventUpdate(GuildScheduledEvent);
    /// `GUILD_SCHEDULED_EVENT_DELETE`.
    GuildScheduledEventDelete(GuildScheduledEvent);
    /// `AUTO_MODERATION_RULE_CREATE`.
    AutoModerationRuleCreate(AutoModerationRule);
    /// `AUTO_MODERATION_RULE_UPDATE`.
    AutoModerationRuleUpdate(AutoModerationRule);
    /// `AUTO_MODERATION_RULE_DELETE`.
    AutoModerationRuleDelete(AutoModerationRule);
}

/// `GUILD_SCHEDULED_EVENT_USER_ADD`: a user subscribed to a scheduled event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildScheduledEventUserAdd {
    /// The event.
    pub guild_scheduled_event_id: Id<ScheduledEventMarker>,
    /// The user.
    pub user_id: Id<UserMarker>,
    /// Guild.
    pub guild_id: Id<GuildMarker>,
}

/// `GUILD_SCHEDULED_EVENT_USER_REMOVE`: a user unsubscribed from a scheduled event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildScheduledEventUserRemove {
    /// The event.
    pub guild_scheduled_event_id: Id<ScheduledEventMarker>,
    /// The user.
    pub user_id: Id<UserMarker>,
    /// Guild.
    pub guild_id: Id<GuildMarker>,
}

/// `AUTO_MODERATION_ACTION_EXECUTION`: a rule triggered and one of its actions ran (needs
/// the `AUTO_MODERATION_EXECUTION` intent; `content` and the matches are empty without
/// `MESSAGE_CONTENT`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoModerationActionExecution {
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// The action that ran.
    pub action: AutoModerationAction,
    /// The rule that triggered.
    pub rule_id: Id<AutoModerationRuleMarker>,
    /// The rule's trigger type.
    #[serde(default)]
    pub rule_trigger_type: u8,
    /// Whose content triggered it.
    pub user_id: Id<UserMarker>,
    /// Where.
    #[serde(default)]
    pub channel_id: Option<Id<ChannelMarker>>,
    /// The message (absent when it was blocked).
    #[serde(default)]
    pub message_id: Option<Id<MessageMarker>>,
    /// The alert message the action posted.
    #[serde(default)]
    pub alert_system_message_id: Option<Id<MessageMarker>>,
    /// The content that triggered.
    #[serde(default)]
    pub content: String,
    /// The keyword or pattern that matched.
    #[serde(default)]
    pub matched_keyword: Option<String>,
    /// The part of the content that matched.
    #[serde(default)]
    pub matched_content: Option<String>,
}

/// `CHANNEL_PINS_UPDATE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelPinsUpdate {
    /// Guild.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
    /// Channel.
    pub channel_id: Id<ChannelMarker>,
    /// Newest pin time.
    #[serde(default)]
    pub last_pin_timestamp: Option<Timestamp>,
}

/// `THREAD_LIST_SYNC`: active threads after gaining access to channels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadListSync {
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// Parent channels synced (all when absent).
    #[serde(default)]
    pub channel_ids: Vec<Id<ChannelMarker>>,
    /// Active threads.
    #[serde(default)]
    pub threads: Vec<Channel>,
    /// The bot's memberships.
    #[serde(default)]
    pub members: Vec<ThreadMember>,
}

/// `THREAD_MEMBER_UPDATE`: the bot's thread membership changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadMemberUpdate {
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// Thread.
    #[serde(default)]
    pub id: Option<Id<ChannelMarker>>,
    /// User.
    #[serde(default)]
    pub user_id: Option<Id<UserMarker>>,
    /// When they joined.
    #[serde(default)]
    pub join_timestamp: Option<Timestamp>,
    /// Flags.
    #[serde(default)]
    pub flags: u64,
}

/// `THREAD_MEMBERS_UPDATE`: who joined or left a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadMembersUpdate {
    /// Thread.
    pub id: Id<ChannelMarker>,
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// Approximate members (stops at 50).
    #[serde(default)]
    pub member_count: u32,
    /// Added.
    #[serde(default)]
    pub added_members: Vec<ThreadMember>,
    /// Removed.
    #[serde(default)]
    pub removed_member_ids: Vec<Id<UserMarker>>,
}

/// `GUILD_MEMBER_ADD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildMemberAdd {
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// The user.
    pub user: User,
    /// Nickname.
    #[serde(default)]
    pub nick: Option<String>,
    /// Roles.
    #[serde(default)]
    pub roles: Vec<Id<RoleMarker>>,
    /// When they joined.
    #[serde(default)]
    pub joined_at: Option<Timestamp>,
    /// Pending screening.
    #[serde(default)]
    pub pending: bool,
}

impl GuildMemberAdd {
    /// As a [`Member`].
    pub fn member(&self) -> Member {
        Member {
            user: Some(self.user.clone()),
            nick: self.nick.clone(),
            avatar: None,
            roles: self.roles.clone(),
            joined_at: self.joined_at,
            premium_since: None,
            deaf: false,
            mute: false,
            flags: 0,
            pending: self.pending,
            communication_disabled_until: None,
        }
    }
}

/// `GUILD_MEMBER_UPDATE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildMemberUpdate {
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// Roles now.
    #[serde(default)]
    pub roles: Vec<Id<RoleMarker>>,
    /// The user.
    pub user: User,
    /// Nickname.
    #[serde(default)]
    pub nick: Option<String>,
    /// Guild avatar.
    #[serde(default)]
    pub avatar: Option<ImageHash>,
    /// Joined at.
    #[serde(default)]
    pub joined_at: Option<Timestamp>,
    /// Boosting since.
    #[serde(default)]
    pub premium_since: Option<Timestamp>,
    /// Pending screening.
    #[serde(default)]
    pub pending: bool,
    /// Timed out until.
    #[serde(default)]
    pub communication_disabled_until: Option<Timestamp>,
}

/// `GUILD_MEMBER_REMOVE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildMemberRemove {
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// Who left.
    pub user: User,
}

/// `GUILD_MEMBERS_CHUNK`: an answer to op 8 Request Guild Members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildMembersChunk {
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// Members in this chunk.
    pub members: Vec<Member>,
    /// 0-based chunk index.
    pub chunk_index: u32,
    /// Total chunks.
    pub chunk_count: u32,
    /// Requested ids that were not found.
    #[serde(default)]
    pub not_found: Vec<Id<UserMarker>>,
    /// Presences, when asked for.
    #[serde(default)]
    pub presences: Vec<Presence>,
    /// The request's nonce.
    #[serde(default)]
    pub nonce: Option<String>,
}

/// `GUILD_ROLE_CREATE` and `GUILD_ROLE_UPDATE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildRoleCreate {
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// The role.
    pub role: Role,
}

/// `GUILD_ROLE_UPDATE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildRoleUpdate {
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// The role.
    pub role: Role,
}

/// `GUILD_ROLE_DELETE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuildRoleDelete {
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// The role.
    pub role_id: Id<RoleMarker>,
}

/// `MESSAGE_UPDATE`. Discord now sends the whole edited message, as in `MESSAGE_CREATE`;
/// older and unfurl-only updates carried just the ids and what changed, so every field but
/// the ids is optional and a partial update still decodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageUpdate {
    /// Message.
    pub id: Id<MessageMarker>,
    /// Channel.
    pub channel_id: Id<ChannelMarker>,
    /// Guild.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
    /// Author.
    #[serde(default)]
    pub author: Option<User>,
    /// New content.
    #[serde(default)]
    pub content: Option<String>,
    /// Edit time.
    #[serde(default)]
    pub edited_timestamp: Option<Timestamp>,
    /// Embeds now.
    #[serde(default)]
    pub embeds: Option<Vec<crate::model::Embed>>,
    /// Pinned now.
    #[serde(default)]
    pub pinned: Option<bool>,
    /// The author as a member (guild messages).
    #[serde(default)]
    pub member: Option<Member>,
    /// Mentioned users now.
    #[serde(default)]
    pub mentions: Option<Vec<User>>,
    /// Mentioned roles now.
    #[serde(default)]
    pub mention_roles: Option<Vec<Id<RoleMarker>>>,
    /// Mentions @everyone now.
    #[serde(default)]
    pub mention_everyone: Option<bool>,
    /// Attachments now.
    #[serde(default)]
    pub attachments: Option<Vec<crate::model::Attachment>>,
    /// Flags now.
    #[serde(default)]
    pub flags: Option<u64>,
}

/// `MESSAGE_DELETE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDelete {
    /// Message.
    pub id: Id<MessageMarker>,
    /// Channel.
    pub channel_id: Id<ChannelMarker>,
    /// Guild.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
}

/// `MESSAGE_DELETE_BULK`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDeleteBulk {
    /// Messages.
    pub ids: Vec<Id<MessageMarker>>,
    /// Channel.
    pub channel_id: Id<ChannelMarker>,
    /// Guild.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
}

/// `MESSAGE_REACTION_ADD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageReactionAdd {
    /// Who reacted.
    pub user_id: Id<UserMarker>,
    /// Channel.
    pub channel_id: Id<ChannelMarker>,
    /// Message.
    pub message_id: Id<MessageMarker>,
    /// Guild.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
    /// The member (guilds).
    #[serde(default)]
    pub member: Option<Member>,
    /// Emoji.
    pub emoji: Emoji,
}

/// `MESSAGE_REACTION_REMOVE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageReactionRemove {
    /// Whose reaction.
    pub user_id: Id<UserMarker>,
    /// Channel.
    pub channel_id: Id<ChannelMarker>,
    /// Message.
    pub message_id: Id<MessageMarker>,
    /// Guild.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
    /// Emoji.
    pub emoji: Emoji,
}

/// `MESSAGE_REACTION_REMOVE_ALL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageReactionRemoveAll {
    /// Channel.
    pub channel_id: Id<ChannelMarker>,
    /// Message.
    pub message_id: Id<MessageMarker>,
    /// Guild.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
}

/// `MESSAGE_REACTION_REMOVE_EMOJI`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageReactionRemoveEmoji {
    /// Channel.
    pub channel_id: Id<ChannelMarker>,
    /// Message.
    pub message_id: Id<MessageMarker>,
    /// Guild.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
    /// Emoji.
    pub emoji: Emoji,
}

/// `TYPING_START`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypingStart {
    /// Channel.
    pub channel_id: Id<ChannelMarker>,
    /// Guild.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
    /// Who.
    pub user_id: Id<UserMarker>,
    /// Unix seconds.
    pub timestamp: u64,
    /// The member (guilds).
    #[serde(default)]
    pub member: Option<Member>,
}

/// `VOICE_SERVER_UPDATE`: where to open the voice connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceServerUpdate {
    /// Voice token.
    pub token: String,
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// Voice server host (`None` while reallocating).
    #[serde(default)]
    pub endpoint: Option<String>,
}
