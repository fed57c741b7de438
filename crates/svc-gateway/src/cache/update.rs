//! Writing into the cache: [`Cache::update`] for gateway events, `insert_*` for what REST
//! returned.
//!
//! No lock is taken while another is held: each step writes one table (users first, then
//! the guild's entry), so readers and writers of different tables never wait in a cycle.

use std::collections::VecDeque;
use std::sync::Arc;

use super::compact::{
    CachedGuild, CachedMember, CachedPresence, CachedRole, CachedStage, CachedUser,
    CachedVoiceState, MemberChanges,
};
use super::{Cache, ResourceType};
use crate::event::{Event, GuildMemberUpdate, MessageUpdate};
use crate::model::{
    Channel, Guild, GuildCreate, GuildMarker, Id, Member, Message, Presence, Role, RoleMarker,
    StageInstance, User, VoiceState,
};

impl Cache {
    /// Stores a guild fetched over REST (when guilds are cached); its roles go to the role
    /// table (when roles are cached), replacing the guild's known roles.
    pub fn insert_guild(&self, guild: &Guild) {
        self.put_guild(guild);
    }

    /// Stores a channel fetched over REST (when channels are cached).
    pub fn insert_channel(&self, channel: &Channel) {
        self.put_channel(channel, None);
    }

    /// Stores a user fetched over REST (when users are cached).
    pub fn insert_user(&self, user: &User) {
        self.put_user(user);
    }

    /// Stores a member fetched over REST (when members are cached, with its user).
    pub fn insert_member(&self, guild: Id<GuildMarker>, member: &Member) {
        self.put_member(guild, member);
    }

    /// Stores a role fetched over REST (when roles are cached).
    pub fn insert_role(&self, guild: Id<GuildMarker>, role: &Role) {
        self.put_role(guild, role);
    }

    /// Stores a message fetched over REST (when messages are cached): it replaces the cached
    /// copy, or takes its place by id among the channel's messages, within the bound.
    pub fn insert_message(&self, message: &Message) {
        self.put_user(&message.author);
        let bound = self.config.message_bound();
        if bound == 0 {
            return;
        }
        self.messages.upsert(message.channel_id, |list| {
            if let Some(cached) = list.iter_mut().find(|m| m.id == message.id) {
                *cached = Arc::new(message.clone());
                return;
            }
            let at = list.partition_point(|m| m.id < message.id);
            list.insert(at, Arc::new(message.clone()));
            trim(list, bound);
        });
    }

    /// Applies one event.
    #[allow(clippy::match_same_arms)] // one arm per event kind reads like the event list
    pub fn update(&self, event: &Event) {
        match event {
            Event::Ready(ready) => {
                self.current_user.insert((), ready.user.clone());
                self.put_user(&ready.user);
            }
            Event::UserUpdate(user) => {
                self.current_user.insert((), user.0.clone());
                self.put_user(user);
            }
            Event::GuildCreate(create) if !create.unavailable => self.put_guild_create(create),
            Event::GuildUpdate(update) => self.put_guild(update),
            // An outage (`unavailable`) keeps what is known until the guild is back.
            Event::GuildDelete(delete) if !delete.unavailable => self.forget_guild(delete.id),
            Event::ChannelCreate(c) => self.put_channel(c, None),
            Event::ChannelUpdate(c) => self.put_channel(c, None),
            Event::ThreadCreate(c) => self.put_channel(c, None),
            Event::ThreadUpdate(c) => self.put_channel(c, None),
            Event::ChannelDelete(c) => self.forget_channel(c),
            Event::ThreadDelete(c) => self.forget_channel(c),
            Event::ThreadListSync(sync) => {
                for thread in &sync.threads {
                    self.put_channel(thread, Some(sync.guild_id));
                }
            }
            Event::GuildMemberAdd(add) => self.put_member(add.guild_id, &add.member()),
            Event::GuildMemberUpdate(update) => self.put_member_update(update),
            Event::GuildMemberRemove(remove) => {
                self.per_guild.modify(&remove.guild_id, |entry| {
                    entry.members.remove(&remove.user.id);
                    entry.presences.remove(&remove.user.id);
                });
            }
            Event::GuildMembersChunk(chunk) => {
                for member in &chunk.members {
                    self.put_member(chunk.guild_id, member);
                }
                for presence in &chunk.presences {
                    self.put_presence(chunk.guild_id, presence);
                }
            }
            Event::GuildRoleCreate(r) => self.put_role(r.guild_id, &r.role),
            Event::GuildRoleUpdate(r) => self.put_role(r.guild_id, &r.role),
            Event::GuildRoleDelete(r) => self.forget_role(r.guild_id, r.role_id),
            Event::MessageCreate(message) => self.put_message(message),
            Event::MessageUpdate(update) => self.put_message_update(update),
            Event::MessageDelete(delete) => {
                self.messages.modify(&delete.channel_id, |list| {
                    list.retain(|m| m.id != delete.id);
                });
            }
            Event::MessageDeleteBulk(delete) => {
                self.messages.modify(&delete.channel_id, |list| {
                    list.retain(|m| !delete.ids.contains(&m.id));
                });
            }
            Event::PresenceUpdate(presence) => {
                if let Some(guild) = presence.guild_id {
                    self.put_presence(guild, presence);
                }
            }
            Event::VoiceStateUpdate(state) => {
                if let Some(guild) = state.guild_id {
                    self.put_voice_state(guild, state);
                }
            }
            Event::StageInstanceCreate(stage) => self.put_stage(stage),
            Event::StageInstanceUpdate(stage) => self.put_stage(stage),
            Event::StageInstanceDelete(stage) => {
                self.per_guild.modify(&stage.guild_id, |entry| {
                    entry.stage_instances.remove(&stage.channel_id);
                });
            }
            _ => {}
        }
    }

    /// A whole guild in one write of its entry; its channels, roles and users go to their
    /// tables first.
    fn put_guild_create(&self, create: &GuildCreate) {
        let guild = create.id;
        let config = self.config;
        let channels = create.channels.iter().chain(&create.threads);
        if config.wants(ResourceType::CHANNEL) {
            for channel in channels.clone() {
                self.channels
                    .insert(channel.id, Arc::new(with_guild(channel, Some(guild))));
            }
        }
        if config.wants(ResourceType::ROLE) {
            for role in &create.roles {
                self.roles.insert(role.id, CachedRole::new(role));
            }
        }
        let members = config.wants(ResourceType::MEMBER);
        for user in create.members.iter().filter_map(|m| m.user.as_ref()) {
            self.put_member_user(user);
        }
        if config.wants(ResourceType::GUILD) {
            self.guilds
                .insert(guild, Box::new(CachedGuild::from_create(create)));
        }
        let per_guild = ResourceType::CHANNEL
            | ResourceType::ROLE
            | ResourceType::MEMBER
            | ResourceType::PRESENCE
            | ResourceType::VOICE_STATE
            | ResourceType::STAGE_INSTANCE;
        if !config.resources.intersects(per_guild) {
            return;
        }
        self.per_guild.upsert(guild, |entry| {
            if config.wants(ResourceType::CHANNEL) {
                entry.channels.extend(channels.map(|c| c.id));
            }
            if config.wants(ResourceType::ROLE) {
                entry.roles.extend(create.roles.iter().map(|r| r.id));
            }
            if members {
                entry.members.reserve(create.members.len());
                for member in &create.members {
                    if let Some(user) = &member.user {
                        entry.members.insert(user.id, CachedMember::new(member));
                    }
                }
            }
            if config.wants(ResourceType::PRESENCE) {
                entry.presences.reserve(create.presences.len());
                for presence in &create.presences {
                    entry
                        .presences
                        .insert(presence.user.id, CachedPresence::new(presence));
                }
            }
            if config.wants(ResourceType::VOICE_STATE) {
                for state in create
                    .voice_states
                    .iter()
                    .filter(|s| s.channel_id.is_some())
                {
                    entry
                        .voice_states
                        .insert(state.user_id, CachedVoiceState::new(state));
                }
            }
            if config.wants(ResourceType::STAGE_INSTANCE) {
                // GUILD_CREATE lists every live stage: it replaces what an outage left.
                entry.stage_instances.clear();
                for stage in &create.stage_instances {
                    entry
                        .stage_instances
                        .insert(stage.channel_id, CachedStage::new(stage));
                }
            }
        });
    }

    /// A guild from `GUILD_UPDATE` or REST: the guild itself, and its roles (a full list
    /// replaces the known one; an empty list says nothing, every guild has `@everyone`).
    fn put_guild(&self, guild: &Guild) {
        let replace_roles = self.config.wants(ResourceType::ROLE) && !guild.roles.is_empty();
        if replace_roles {
            for role in &guild.roles {
                self.roles.insert(role.id, CachedRole::new(role));
            }
        }
        if self.config.wants(ResourceType::GUILD) {
            self.guilds
                .insert(guild.id, Box::new(CachedGuild::new(guild)));
        }
        if !replace_roles {
            return;
        }
        let mut gone = Vec::new();
        let now: Vec<Id<RoleMarker>> = guild.roles.iter().map(|r| r.id).collect();
        self.per_guild.upsert(guild.id, |entry| {
            entry.roles.retain(|id| {
                let keep = now.contains(id);
                if !keep {
                    gone.push(*id);
                }
                keep
            });
            entry.roles.extend(&now);
        });
        for id in gone {
            self.roles.remove(&id);
        }
    }

    /// Forgets a guild the bot left: its entry (members, presences, voice states with it)
    /// and exactly the channels, messages and roles it listed.
    fn forget_guild(&self, guild: Id<GuildMarker>) {
        self.guilds.remove(&guild);
        let Some(entry) = self.per_guild.remove(&guild) else {
            return;
        };
        for channel in &entry.channels {
            self.channels.remove(channel);
            self.messages.remove(channel);
        }
        for role in &entry.roles {
            self.roles.remove(role);
        }
    }

    fn put_channel(&self, channel: &Channel, guild: Option<Id<GuildMarker>>) {
        if !self.config.wants(ResourceType::CHANNEL) {
            return;
        }
        let channel = with_guild(channel, guild);
        if let Some(guild) = channel.guild_id {
            self.per_guild.upsert(guild, |entry| {
                entry.channels.insert(channel.id);
            });
        }
        self.channels.insert(channel.id, Arc::new(channel));
    }

    fn forget_channel(&self, channel: &Channel) {
        let cached = self.channels.remove(&channel.id);
        let guild = channel.guild_id.or_else(|| cached.and_then(|c| c.guild_id));
        if let Some(guild) = guild {
            self.per_guild
                .modify(&guild, |entry| entry.channels.remove(&channel.id));
        }
        self.messages.remove(&channel.id);
    }

    fn put_role(&self, guild: Id<GuildMarker>, role: &Role) {
        if !self.config.wants(ResourceType::ROLE) {
            return;
        }
        self.roles.insert(role.id, CachedRole::new(role));
        self.per_guild.upsert(guild, |entry| {
            entry.roles.insert(role.id);
        });
    }

    fn forget_role(&self, guild: Id<GuildMarker>, role: Id<RoleMarker>) {
        self.roles.remove(&role);
        self.per_guild
            .modify(&guild, |entry| entry.roles.remove(&role));
    }

    /// A user from anywhere but a member (message authors, READY, REST).
    fn put_user(&self, user: &User) {
        if self.config.wants(ResourceType::USER) {
            self.store_user(user);
        }
    }

    /// Stores `user` unless the cached copy already says the same (most sightings of a
    /// user change nothing), so a repeat costs one shared lookup and no allocation.
    fn store_user(&self, user: &User) {
        if self.users.read(&user.id, |cached| cached.matches(user)) != Some(true) {
            self.users.insert(user.id, CachedUser::new(user));
        }
    }

    /// A member's user: always kept with the member, else as any other user.
    fn put_member_user(&self, user: &User) {
        if self.config.wants(ResourceType::MEMBER) {
            self.store_user(user);
        } else {
            self.put_user(user);
        }
    }

    fn put_member(&self, guild: Id<GuildMarker>, member: &Member) {
        let Some(user) = &member.user else { return };
        self.put_member_user(user);
        if !self.config.wants(ResourceType::MEMBER) {
            return;
        }
        let cached = CachedMember::new(member);
        self.per_guild.upsert(guild, |entry| {
            entry.members.insert(user.id, cached);
        });
    }

    fn put_member_update(&self, update: &GuildMemberUpdate) {
        self.put_member_user(&update.user);
        if !self.config.wants(ResourceType::MEMBER) {
            return;
        }
        let changes = MemberChanges {
            roles: &update.roles,
            nick: update.nick.as_deref(),
            avatar: update.avatar.as_ref(),
            joined_at: update.joined_at,
            premium_since: update.premium_since,
            pending: update.pending,
            communication_disabled_until: update.communication_disabled_until,
        };
        self.per_guild.upsert(update.guild_id, |entry| {
            match entry.members.get_mut(&update.user.id) {
                Some(member) => member.apply_update(&changes),
                None => {
                    entry.members.insert(update.user.id, changes.to_member());
                }
            }
        });
    }

    fn put_presence(&self, guild: Id<GuildMarker>, presence: &Presence) {
        if !self.config.wants(ResourceType::PRESENCE) {
            return;
        }
        self.per_guild.upsert(guild, |entry| {
            match entry.presences.get_mut(&presence.user.id) {
                Some(cached) => cached.set(presence),
                None => {
                    entry
                        .presences
                        .insert(presence.user.id, CachedPresence::new(presence));
                }
            }
        });
    }

    fn put_voice_state(&self, guild: Id<GuildMarker>, state: &VoiceState) {
        if !self.config.wants(ResourceType::VOICE_STATE) {
            return;
        }
        if state.channel_id.is_some() {
            let cached = CachedVoiceState::new(state);
            self.per_guild.upsert(guild, |entry| {
                entry.voice_states.insert(state.user_id, cached);
            });
        } else {
            self.per_guild
                .modify(&guild, |entry| entry.voice_states.remove(&state.user_id));
        }
    }

    fn put_stage(&self, stage: &StageInstance) {
        if !self.config.wants(ResourceType::STAGE_INSTANCE) {
            return;
        }
        let cached = CachedStage::new(stage);
        self.per_guild.upsert(stage.guild_id, |entry| {
            entry.stage_instances.insert(stage.channel_id, cached);
        });
    }

    fn put_message(&self, message: &Message) {
        self.put_user(&message.author);
        let bound = self.config.message_bound();
        if bound == 0 {
            return;
        }
        let message = Arc::new(message.clone());
        self.messages.upsert(message.channel_id, |list| {
            list.push_back(message);
            trim(list, bound);
        });
    }

    /// `MESSAGE_UPDATE`: the fields it carries replace the cached ones (a copy is made only
    /// if a reader still holds the old message).
    fn put_message_update(&self, update: &MessageUpdate) {
        self.messages.modify(&update.channel_id, |list| {
            let Some(cached) = list.iter_mut().find(|m| m.id == update.id) else {
                return;
            };
            let message = Arc::make_mut(cached);
            if let Some(content) = &update.content {
                message.content.clone_from(content);
            }
            if let Some(embeds) = &update.embeds {
                message.embeds.clone_from(embeds);
            }
            if let Some(pinned) = update.pinned {
                message.pinned = pinned;
            }
            if let Some(mentions) = &update.mentions {
                message.mentions.clone_from(mentions);
            }
            if let Some(roles) = &update.mention_roles {
                message.mention_roles.clone_from(roles);
            }
            if let Some(everyone) = update.mention_everyone {
                message.mention_everyone = everyone;
            }
            if let Some(attachments) = &update.attachments {
                message.attachments.clone_from(attachments);
            }
            if let Some(flags) = update.flags {
                message.flags = flags;
            }
            message.edited_timestamp = update.edited_timestamp.or(message.edited_timestamp);
        });
    }
}

/// A copy of `channel` that names its guild (some gateway payloads leave it out).
fn with_guild(channel: &Channel, guild: Option<Id<GuildMarker>>) -> Channel {
    let mut channel = channel.clone();
    channel.guild_id = channel.guild_id.or(guild);
    channel
}

/// Drops the oldest messages beyond `bound`.
fn trim(list: &mut VecDeque<Arc<Message>>, bound: usize) {
    while list.len() > bound {
        list.pop_front();
    }
}
