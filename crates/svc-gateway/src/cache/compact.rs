//! What the cache stores for the entries it holds by the thousand (users, members, roles,
//! presences, voice states): the model's data in a tighter layout, turned back into the
//! model types on read.
//!
//! Why not the model types themselves: a model [`User`] is 104 bytes plus a heap block per
//! name, a [`Member`] 240 bytes with a whole `User` inside. Here names of up to 24 bytes sit
//! inline ([`CompactString`]), a member refers to its user by the key it is stored under,
//! fields that are nearly always empty share one optional box, and bools are bits. Nothing
//! is dropped: each `to_model` gives back exactly what went in.

use compact_str::CompactString;

use crate::model::{
    Activity, ChannelMarker, Emoji, Guild, GuildCreate, GuildMarker, Id, ImageHash, Member,
    Permissions, Presence, PresenceUser, Role, RoleMarker, StageInstance, StageMarker, Status,
    Timestamp, User, UserMarker, VoiceState,
};

fn compact(text: &str) -> CompactString {
    CompactString::from(text)
}

/// A guild without its id (the key) and roles (the role table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CachedGuild {
    name: CompactString,
    icon: Option<ImageHash>,
    owner_id: Option<Id<UserMarker>>,
    afk_channel_id: Option<Id<ChannelMarker>>,
    emojis: Box<[Emoji]>,
    features: Box<[CompactString]>,
    preferred_locale: Option<CompactString>,
    approximate_member_count: Option<u64>,
    approximate_presence_count: Option<u64>,
    verification_level: u8,
}

impl CachedGuild {
    pub(super) fn new(guild: &Guild) -> Self {
        let Guild {
            id: _,
            name,
            icon,
            owner_id,
            afk_channel_id,
            roles: _,
            emojis,
            features,
            verification_level,
            preferred_locale,
            approximate_member_count,
            approximate_presence_count,
        } = guild;
        Self {
            name: compact(name),
            icon: icon.clone(),
            owner_id: *owner_id,
            afk_channel_id: *afk_channel_id,
            emojis: emojis.as_slice().into(),
            features: features.iter().map(|f| compact(f)).collect(),
            preferred_locale: preferred_locale.as_deref().map(compact),
            approximate_member_count: *approximate_member_count,
            approximate_presence_count: *approximate_presence_count,
            verification_level: *verification_level,
        }
    }

    /// The guild part of a `GUILD_CREATE` (which has no approximate counts).
    pub(super) fn from_create(create: &GuildCreate) -> Self {
        Self {
            name: compact(&create.name),
            icon: create.icon.clone(),
            owner_id: create.owner_id,
            afk_channel_id: create.afk_channel_id,
            emojis: create.emojis.as_slice().into(),
            features: create.features.iter().map(|f| compact(f)).collect(),
            preferred_locale: create.preferred_locale.as_deref().map(compact),
            approximate_member_count: None,
            approximate_presence_count: None,
            verification_level: create.verification_level,
        }
    }

    /// The guild as the model has it, with `roles` (looked up by the caller).
    pub(super) fn to_model(&self, id: Id<GuildMarker>, roles: Vec<Role>) -> Guild {
        Guild {
            id,
            name: self.name.to_string(),
            icon: self.icon.clone(),
            owner_id: self.owner_id,
            afk_channel_id: self.afk_channel_id,
            roles,
            emojis: self.emojis.to_vec(),
            features: self.features.iter().map(ToString::to_string).collect(),
            verification_level: self.verification_level,
            preferred_locale: self.preferred_locale.as_ref().map(ToString::to_string),
            approximate_member_count: self.approximate_member_count,
            approximate_presence_count: self.approximate_presence_count,
        }
    }
}

/// A user without its id (the key it is stored under).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CachedUser {
    username: CompactString,
    global_name: Option<CompactString>,
    avatar: Option<ImageHash>,
    public_flags: Option<u64>,
    discriminator: Option<u16>,
    bot: bool,
    system: bool,
}

impl CachedUser {
    pub(super) fn new(user: &User) -> Self {
        Self {
            username: compact(&user.username),
            global_name: user.global_name.as_deref().map(compact),
            avatar: user.avatar.clone(),
            public_flags: user.public_flags,
            discriminator: user.discriminator,
            bot: user.bot,
            system: user.system,
        }
    }

    /// Whether `user` says nothing new (the common case: a message author, a member update
    /// that changed the nickname), so the stored entry can stay as it is.
    pub(super) fn matches(&self, user: &User) -> bool {
        self.username == user.username
            && self.global_name.as_deref() == user.global_name.as_deref()
            && self.avatar == user.avatar
            && self.public_flags == user.public_flags
            && self.discriminator == user.discriminator
            && self.bot == user.bot
            && self.system == user.system
    }

    pub(super) fn to_model(&self, id: Id<UserMarker>) -> User {
        User {
            id,
            username: self.username.to_string(),
            discriminator: self.discriminator,
            global_name: self.global_name.as_ref().map(ToString::to_string),
            avatar: self.avatar.clone(),
            bot: self.bot,
            system: self.system,
            public_flags: self.public_flags,
        }
    }
}

/// A member without its user (stored in the user table) and guild (the table it sits in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CachedMember {
    roles: Box<[Id<RoleMarker>]>,
    nick: Option<CompactString>,
    joined_at: Option<Timestamp>,
    /// What most members lack: a guild avatar, boosting, a timeout, flags past 32 bits.
    rare: Option<Box<MemberRare>>,
    flags: u32,
    deaf: bool,
    mute: bool,
    pending: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct MemberRare {
    avatar: Option<ImageHash>,
    premium_since: Option<Timestamp>,
    communication_disabled_until: Option<Timestamp>,
    flags_high: u32,
}

impl MemberRare {
    fn boxed(self) -> Option<Box<Self>> {
        (self != Self::default()).then(|| Box::new(self))
    }
}

impl CachedMember {
    pub(super) fn new(member: &Member) -> Self {
        Self {
            roles: member.roles.as_slice().into(),
            nick: member.nick.as_deref().map(compact),
            joined_at: member.joined_at,
            rare: MemberRare {
                avatar: member.avatar.clone(),
                premium_since: member.premium_since,
                communication_disabled_until: member.communication_disabled_until,
                flags_high: (member.flags >> 32) as u32,
            }
            .boxed(),
            flags: member.flags as u32,
            deaf: member.deaf,
            mute: member.mute,
            pending: member.pending,
        }
    }

    /// The member as the model has it, with `user` (looked up by the caller).
    pub(super) fn to_model(&self, user: Option<User>) -> Member {
        let rare = self.rare.as_deref();
        Member {
            user,
            nick: self.nick.as_ref().map(ToString::to_string),
            avatar: rare.and_then(|r| r.avatar.clone()),
            roles: self.roles.to_vec(),
            joined_at: self.joined_at,
            premium_since: rare.and_then(|r| r.premium_since),
            deaf: self.deaf,
            mute: self.mute,
            flags: u64::from(rare.map_or(0, |r| r.flags_high)) << 32 | u64::from(self.flags),
            pending: self.pending,
            communication_disabled_until: rare.and_then(|r| r.communication_disabled_until),
        }
    }

    /// Applies a `GUILD_MEMBER_UPDATE` (which carries no deaf, mute or flags; a missing
    /// `joined_at` keeps the known one).
    pub(super) fn apply_update(&mut self, update: &MemberChanges<'_>) {
        if *self.roles != *update.roles {
            self.roles = update.roles.into();
        }
        if self.nick.as_deref() != update.nick {
            self.nick = update.nick.map(compact);
        }
        self.joined_at = update.joined_at.or(self.joined_at);
        self.pending = update.pending;
        let mut rare = self.rare.take().map(|r| *r).unwrap_or_default();
        rare.avatar = update.avatar.cloned();
        rare.premium_since = update.premium_since;
        rare.communication_disabled_until = update.communication_disabled_until;
        self.rare = rare.boxed();
    }
}

/// The member fields a `GUILD_MEMBER_UPDATE` carries, borrowed from the event.
pub(super) struct MemberChanges<'a> {
    pub(super) roles: &'a [Id<RoleMarker>],
    pub(super) nick: Option<&'a str>,
    pub(super) avatar: Option<&'a ImageHash>,
    pub(super) joined_at: Option<Timestamp>,
    pub(super) premium_since: Option<Timestamp>,
    pub(super) pending: bool,
    pub(super) communication_disabled_until: Option<Timestamp>,
}

impl MemberChanges<'_> {
    /// A member that had no entry yet: what the update says, defaults for the rest.
    pub(super) fn to_member(&self) -> CachedMember {
        let mut member = CachedMember::new(&Member::default());
        member.apply_update(self);
        member
    }
}

/// A role without its id (the key). Its guild is not kept: the guild's entry lists its
/// roles, and every event about a role names the guild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CachedRole {
    name: CompactString,
    position: i64,
    permissions: Permissions,
    color: u32,
    hoist: bool,
    managed: bool,
    mentionable: bool,
}

impl CachedRole {
    pub(super) fn new(role: &Role) -> Self {
        Self {
            name: compact(&role.name),
            position: role.position,
            permissions: role.permissions,
            color: role.color,
            hoist: role.hoist,
            managed: role.managed,
            mentionable: role.mentionable,
        }
    }

    pub(super) fn to_model(&self, id: Id<RoleMarker>) -> Role {
        Role {
            id,
            name: self.name.to_string(),
            color: self.color,
            hoist: self.hoist,
            position: self.position,
            permissions: self.permissions,
            managed: self.managed,
            mentionable: self.mentionable,
        }
    }
}

/// A presence without its user and guild (the keys it is stored under).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CachedPresence {
    status: Status,
    activities: Box<[Activity]>,
}

impl CachedPresence {
    pub(super) fn new(presence: &Presence) -> Self {
        Self {
            status: presence.status,
            activities: presence.activities.as_slice().into(),
        }
    }

    /// Takes `presence`'s state, keeping the stored activities when they did not change
    /// (a status change alone is the most frequent presence update).
    pub(super) fn set(&mut self, presence: &Presence) {
        self.status = presence.status;
        if *self.activities != *presence.activities {
            self.activities = presence.activities.as_slice().into();
        }
    }

    pub(super) fn to_model(&self, guild: Id<GuildMarker>, user: Id<UserMarker>) -> Presence {
        Presence {
            user: PresenceUser { id: user },
            guild_id: Some(guild),
            status: self.status,
            activities: self.activities.to_vec(),
        }
    }
}

/// A voice state without its guild, user and member (the keys, and the member table).
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // Discord's switches, one each
pub(super) struct CachedVoiceState {
    channel: Option<Id<ChannelMarker>>,
    session_id: CompactString,
    deaf: bool,
    mute: bool,
    self_deaf: bool,
    self_mute: bool,
    self_stream: bool,
    self_video: bool,
    suppress: bool,
}

impl CachedVoiceState {
    pub(super) fn new(state: &VoiceState) -> Self {
        Self {
            channel: state.channel_id,
            session_id: compact(&state.session_id),
            deaf: state.deaf,
            mute: state.mute,
            self_deaf: state.self_deaf,
            self_mute: state.self_mute,
            self_stream: state.self_stream,
            self_video: state.self_video,
            suppress: state.suppress,
        }
    }

    pub(super) fn channel(&self) -> Option<Id<ChannelMarker>> {
        self.channel
    }

    /// The voice state as the model has it, with `member` (looked up by the caller).
    pub(super) fn to_model(
        &self,
        guild: Id<GuildMarker>,
        user: Id<UserMarker>,
        member: Option<Member>,
    ) -> VoiceState {
        VoiceState {
            guild_id: Some(guild),
            channel_id: self.channel,
            user_id: user,
            member,
            session_id: self.session_id.to_string(),
            deaf: self.deaf,
            mute: self.mute,
            self_deaf: self.self_deaf,
            self_mute: self.self_mute,
            self_stream: self.self_stream,
            self_video: self.self_video,
            suppress: self.suppress,
        }
    }
}

/// A live stage without its guild and channel (the keys it is stored under).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CachedStage {
    id: Id<StageMarker>,
    topic: CompactString,
    privacy_level: u8,
}

impl CachedStage {
    pub(super) fn new(stage: &StageInstance) -> Self {
        Self {
            id: stage.id,
            topic: compact(&stage.topic),
            privacy_level: stage.privacy_level,
        }
    }

    pub(super) fn to_model(
        &self,
        guild: Id<GuildMarker>,
        channel: Id<ChannelMarker>,
    ) -> StageInstance {
        StageInstance {
            id: self.id,
            guild_id: guild,
            channel_id: channel,
            topic: self.topic.to_string(),
            privacy_level: self.privacy_level,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::mem::size_of;

    use super::*;

    fn user(json: serde_json::Value) -> User {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn entries_are_compact() {
        // The point of this module: a cached member is well under the model's 240 bytes,
        // a user under its 104 (plus, for the model, a heap block per name).
        assert!(
            size_of::<CachedMember>() <= 72,
            "{}",
            size_of::<CachedMember>()
        );
        assert!(size_of::<CachedUser>() <= 96, "{}", size_of::<CachedUser>());
        assert!(size_of::<CachedRole>() <= 48, "{}", size_of::<CachedRole>());
        assert!(
            size_of::<CachedPresence>() <= 24,
            "{}",
            size_of::<CachedPresence>()
        );
    }

    #[test]
    fn users_and_members_round_trip_whole() {
        let full = user(serde_json::json!({
            "id": "7", "username": "a-rather-long-username-over-24-bytes", "discriminator": "0042",
            "global_name": "Ana", "avatar": "a_1269e74af4df7417b13759eae50c83dc",
            "bot": true, "system": true, "public_flags": 4_294_967_296u64,
        }));
        let cached = CachedUser::new(&full);
        assert_eq!(cached.to_model(full.id), full);
        assert!(cached.matches(&full));
        let mut renamed = full.clone();
        renamed.global_name = None;
        assert!(!cached.matches(&renamed));

        let member: Member = serde_json::from_value(serde_json::json!({
            "nick": "n", "avatar": "1269e74af4df7417b13759eae50c83dc", "roles": ["1", "2"],
            "joined_at": "2024-03-01T12:00:00+00:00", "premium_since": "2024-03-02T12:00:00+00:00",
            "deaf": true, "mute": true, "flags": (1u64 << 40) | 3, "pending": true,
            "communication_disabled_until": "2024-03-03T12:00:00+00:00",
        }))
        .unwrap();
        assert_eq!(CachedMember::new(&member).to_model(None), member);
        let plain = Member::default();
        let cached = CachedMember::new(&plain);
        assert!(cached.rare.is_none(), "nothing rare, no box");
        assert_eq!(cached.to_model(None), plain);
    }

    #[test]
    fn guilds_round_trip_without_their_roles() {
        let guild: Guild = serde_json::from_value(serde_json::json!({
            "id": "1", "name": "g", "icon": "1269e74af4df7417b13759eae50c83dc", "owner_id": "2",
            "afk_channel_id": "3", "roles": [], "emojis": [{"id": "4", "name": "blob"}],
            "features": ["COMMUNITY"], "verification_level": 2, "preferred_locale": "en-US",
            "approximate_member_count": 10, "approximate_presence_count": 5,
        }))
        .unwrap();
        assert_eq!(
            CachedGuild::new(&guild).to_model(guild.id, Vec::new()),
            guild
        );
    }

    #[test]
    fn roles_presences_and_voice_states_round_trip() {
        let role: Role = serde_json::from_value(serde_json::json!({
            "id": "3", "name": "mods", "color": 255, "hoist": true, "position": 4,
            "permissions": "8", "managed": true, "mentionable": true,
        }))
        .unwrap();
        assert_eq!(CachedRole::new(&role).to_model(role.id), role);

        let presence: Presence = serde_json::from_value(serde_json::json!({
            "user": {"id": "5"}, "guild_id": "1", "status": "dnd",
            "activities": [{"name": "a game", "type": 0}],
        }))
        .unwrap();
        let mut cached = CachedPresence::new(&presence);
        assert_eq!(cached.to_model(Id::new(1), Id::new(5)), presence);
        let mut idle = presence.clone();
        idle.status = Status::Idle;
        cached.set(&idle);
        assert_eq!(cached.to_model(Id::new(1), Id::new(5)), idle);

        let state: VoiceState = serde_json::from_value(serde_json::json!({
            "guild_id": "1", "channel_id": "2", "user_id": "5", "session_id": "abc",
            "self_mute": true, "suppress": true,
        }))
        .unwrap();
        assert_eq!(
            CachedVoiceState::new(&state).to_model(Id::new(1), Id::new(5), None),
            state
        );
    }
}
