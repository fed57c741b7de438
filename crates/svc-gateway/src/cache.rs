//! An in-memory cache of what the gateway said: guilds, channels, roles, members, users,
//! messages (bounded per channel), presences and voice states, each switchable.

use std::collections::VecDeque;

use core_cache::Index;

use crate::event::Event;
use crate::model::{
    Channel, ChannelMarker, Guild, GuildMarker, Id, Member, Message, MessageMarker, Presence, Role,
    RoleMarker, User, UserMarker, VoiceState,
};

/// What the cache keeps. Everything is on by default, with 100 messages per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // one switch per resource is the point
pub struct CacheConfig {
    /// Guilds.
    pub guilds: bool,
    /// Channels and threads.
    pub channels: bool,
    /// Roles.
    pub roles: bool,
    /// Members.
    pub members: bool,
    /// Users (from members, authors, READY).
    pub users: bool,
    /// Messages kept per channel (0 = none).
    pub messages_per_channel: usize,
    /// Presences.
    pub presences: bool,
    /// Voice states.
    pub voice_states: bool,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            guilds: true,
            channels: true,
            roles: true,
            members: true,
            users: true,
            messages_per_channel: 100,
            presences: true,
            voice_states: true,
        }
    }
}

impl CacheConfig {
    /// Nothing cached.
    pub fn none() -> Self {
        Self {
            guilds: false,
            channels: false,
            roles: false,
            members: false,
            users: false,
            messages_per_channel: 0,
            presences: false,
            voice_states: false,
        }
    }
}

/// Entry counts and an approximate memory figure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Guilds.
    pub guilds: usize,
    /// Channels.
    pub channels: usize,
    /// Roles.
    pub roles: usize,
    /// Members.
    pub members: usize,
    /// Users.
    pub users: usize,
    /// Messages, over all channels.
    pub messages: usize,
    /// Presences.
    pub presences: usize,
    /// Voice states.
    pub voice_states: usize,
    /// Approximate bytes held by the tables (a lower bound: heap data inside entries such
    /// as strings is not counted).
    pub approx_bytes: usize,
}

type GuildUser = (Id<GuildMarker>, Id<UserMarker>);

/// The cache. Feed it every event with [`update`](Self::update); the bot client does.
///
/// ```
/// use svc_gateway::event::Event;
/// use svc_gateway::cache::{Cache, CacheConfig};
///
/// let cache = Cache::new(CacheConfig::default());
/// let mut raw = br#"{"t":"CHANNEL_CREATE","s":1,"op":0,"d":{"id":"5","type":0,"guild_id":"9","name":"general"}}"#.to_vec();
/// cache.update(&Event::from_slice(&mut raw).unwrap());
/// assert_eq!(cache.channel(5.into()).unwrap().name.as_deref(), Some("general"));
/// assert_eq!(cache.stats().channels, 1);
/// ```
#[derive(Debug)]
pub struct Cache {
    config: CacheConfig,
    guilds: Index<Id<GuildMarker>, Guild>,
    channels: Index<Id<ChannelMarker>, Channel>,
    roles: Index<Id<RoleMarker>, (Id<GuildMarker>, Role)>,
    members: Index<GuildUser, Member>,
    users: Index<Id<UserMarker>, User>,
    messages: Index<Id<ChannelMarker>, VecDeque<Message>>,
    presences: Index<GuildUser, Presence>,
    voice_states: Index<GuildUser, VoiceState>,
    current_user: Index<(), User>,
}

impl Cache {
    /// An empty cache.
    pub fn new(config: CacheConfig) -> Self {
        Self {
            config,
            guilds: Index::new(),
            channels: Index::new(),
            roles: Index::new(),
            members: Index::new(),
            users: Index::new(),
            messages: Index::new(),
            presences: Index::new(),
            voice_states: Index::new(),
            current_user: Index::new(),
        }
    }

    /// The bot user, from READY.
    pub fn current_user(&self) -> Option<User> {
        self.current_user.get(&())
    }

    /// A guild.
    pub fn guild(&self, id: Id<GuildMarker>) -> Option<Guild> {
        self.guilds.get(&id)
    }

    /// A channel or thread.
    pub fn channel(&self, id: Id<ChannelMarker>) -> Option<Channel> {
        self.channels.get(&id)
    }

    /// A role.
    pub fn role(&self, id: Id<RoleMarker>) -> Option<Role> {
        self.roles.get(&id).map(|(_, role)| role)
    }

    /// A guild member.
    pub fn member(&self, guild: Id<GuildMarker>, user: Id<UserMarker>) -> Option<Member> {
        self.members.get(&(guild, user))
    }

    /// A user.
    pub fn user(&self, id: Id<UserMarker>) -> Option<User> {
        self.users.get(&id)
    }

    /// A cached message.
    pub fn message(&self, channel: Id<ChannelMarker>, id: Id<MessageMarker>) -> Option<Message> {
        self.messages
            .read(&channel, |list| list.iter().find(|m| m.id == id).cloned())
            .flatten()
    }

    /// The cached messages of a channel, oldest first.
    pub fn messages(&self, channel: Id<ChannelMarker>) -> Vec<Message> {
        self.messages
            .read(&channel, |list| list.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// A member's presence.
    pub fn presence(&self, guild: Id<GuildMarker>, user: Id<UserMarker>) -> Option<Presence> {
        self.presences.get(&(guild, user))
    }

    /// A member's voice state.
    pub fn voice_state(&self, guild: Id<GuildMarker>, user: Id<UserMarker>) -> Option<VoiceState> {
        self.voice_states.get(&(guild, user))
    }

    /// The ids of the cached guilds.
    pub fn guild_ids(&self) -> Vec<Id<GuildMarker>> {
        let mut ids = Vec::with_capacity(self.guilds.len());
        self.guilds.retain(|id, _| {
            ids.push(*id);
            true
        });
        ids
    }

    /// The cached roles of a guild.
    pub fn guild_roles(&self, guild: Id<GuildMarker>) -> Vec<Role> {
        let mut roles = Vec::new();
        self.roles.retain(|_, (g, role)| {
            if *g == guild {
                roles.push(role.clone());
            }
            true
        });
        roles
    }

    /// Stores a guild fetched over REST (when guilds are cached); its roles go to the role
    /// table (when roles are cached).
    pub fn insert_guild(&self, guild: &Guild) {
        if self.config.guilds {
            self.guilds.insert(guild.id, guild.clone());
        }
        for role in &guild.roles {
            self.insert_role(guild.id, role);
        }
    }

    /// Stores a channel fetched over REST (when channels are cached).
    pub fn insert_channel(&self, channel: &Channel) {
        self.put_channel(channel, None);
    }

    /// Stores a user fetched over REST (when users are cached).
    pub fn insert_user(&self, user: &User) {
        self.put_user(user);
    }

    /// Stores a member fetched over REST (when members are cached; its user when users are).
    pub fn insert_member(&self, guild: Id<GuildMarker>, member: &Member) {
        self.put_member(guild, member);
    }

    /// Stores a role fetched over REST (when roles are cached).
    pub fn insert_role(&self, guild: Id<GuildMarker>, role: &Role) {
        if self.config.roles {
            self.roles.insert(role.id, (guild, role.clone()));
        }
    }

    /// Stores a message fetched over REST (when messages are cached): it replaces the cached
    /// copy, or takes its place by id among the channel's messages, within the bound.
    pub fn insert_message(&self, message: &Message) {
        self.put_user(&message.author);
        let bound = self.config.messages_per_channel;
        if bound == 0 {
            return;
        }
        self.messages.upsert(message.channel_id, |list| {
            if let Some(cached) = list.iter_mut().find(|m| m.id == message.id) {
                *cached = message.clone();
                return;
            }
            let at = list.partition_point(|m| m.id < message.id);
            list.insert(at, message.clone());
            while list.len() > bound {
                list.pop_front();
            }
        });
    }

    /// Counts and memory.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            guilds: self.guilds.len(),
            channels: self.channels.len(),
            roles: self.roles.len(),
            members: self.members.len(),
            users: self.users.len(),
            messages: self.messages.read_all_len(),
            presences: self.presences.len(),
            voice_states: self.voice_states.len(),
            approx_bytes: self.guilds.approx_memory_bytes()
                + self.channels.approx_memory_bytes()
                + self.roles.approx_memory_bytes()
                + self.members.approx_memory_bytes()
                + self.users.approx_memory_bytes()
                + self.messages.approx_memory_bytes()
                + self.presences.approx_memory_bytes()
                + self.voice_states.approx_memory_bytes(),
        }
    }

    fn put_user(&self, user: &User) {
        if self.config.users {
            self.users.insert(user.id, user.clone());
        }
    }

    fn put_member(&self, guild: Id<GuildMarker>, member: &Member) {
        if let Some(user) = &member.user {
            self.put_user(user);
            if self.config.members {
                self.members.insert((guild, user.id), member.clone());
            }
        }
    }

    fn put_channel(&self, channel: &Channel, guild: Option<Id<GuildMarker>>) {
        if self.config.channels {
            let mut channel = channel.clone();
            channel.guild_id = channel.guild_id.or(guild);
            self.channels.insert(channel.id, channel);
        }
    }

    fn put_message(&self, message: &Message) {
        self.put_user(&message.author);
        let bound = self.config.messages_per_channel;
        if bound == 0 {
            return;
        }
        self.messages.upsert(message.channel_id, |list| {
            list.push_back(message.clone());
            while list.len() > bound {
                list.pop_front();
            }
        });
    }

    fn forget_guild(&self, guild: Id<GuildMarker>) {
        self.guilds.remove(&guild);
        self.channels.retain(|_, c| c.guild_id != Some(guild));
        self.roles.retain(|_, (g, _)| *g != guild);
        self.members.retain(|(g, _), _| *g != guild);
        self.presences.retain(|(g, _), _| *g != guild);
        self.voice_states.retain(|(g, _), _| *g != guild);
    }

    /// Applies one event.
    #[allow(clippy::too_many_lines, clippy::collapsible_match)] // one arm per event kind, switches inside
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
            Event::GuildCreate(create) => {
                if create.unavailable {
                    return;
                }
                let guild = create.id;
                if self.config.guilds {
                    self.guilds.insert(guild, create.guild());
                }
                for channel in create.channels.iter().chain(&create.threads) {
                    self.put_channel(channel, Some(guild));
                }
                if self.config.roles {
                    for role in &create.roles {
                        self.roles.insert(role.id, (guild, role.clone()));
                    }
                }
                for member in &create.members {
                    self.put_member(guild, member);
                }
                if self.config.presences {
                    for presence in &create.presences {
                        self.presences
                            .insert((guild, presence.user.id), presence.clone());
                    }
                }
                if self.config.voice_states {
                    for state in &create.voice_states {
                        self.voice_states
                            .insert((guild, state.user_id), state.clone());
                    }
                }
            }
            Event::GuildUpdate(update) => {
                if self.config.guilds {
                    self.guilds.insert(update.id, update.0.clone());
                }
            }
            Event::GuildDelete(delete) => {
                if !delete.unavailable {
                    self.forget_guild(delete.id);
                }
            }
            Event::ChannelCreate(c) => self.put_channel(c, None),
            Event::ChannelUpdate(c) => self.put_channel(c, None),
            Event::ThreadCreate(c) => self.put_channel(c, None),
            Event::ThreadUpdate(c) => self.put_channel(c, None),
            Event::ChannelDelete(c) => {
                self.channels.remove(&c.id);
                self.messages.remove(&c.id);
            }
            Event::ThreadDelete(c) => {
                self.channels.remove(&c.id);
                self.messages.remove(&c.id);
            }
            Event::ThreadListSync(sync) => {
                for thread in &sync.threads {
                    self.put_channel(thread, Some(sync.guild_id));
                }
            }
            Event::GuildMemberAdd(add) => self.put_member(add.guild_id, &add.member()),
            Event::GuildMemberUpdate(update) => {
                self.put_user(&update.user);
                if self.config.members {
                    self.members
                        .upsert((update.guild_id, update.user.id), |member| {
                            member.user = Some(update.user.clone());
                            member.nick.clone_from(&update.nick);
                            member.roles.clone_from(&update.roles);
                            member.avatar.clone_from(&update.avatar);
                            member.joined_at = update.joined_at.or(member.joined_at);
                            member.premium_since = update.premium_since;
                            member.pending = update.pending;
                            member.communication_disabled_until =
                                update.communication_disabled_until;
                        });
                }
            }
            Event::GuildMemberRemove(remove) => {
                self.members.remove(&(remove.guild_id, remove.user.id));
                self.presences.remove(&(remove.guild_id, remove.user.id));
            }
            Event::GuildMembersChunk(chunk) => {
                for member in &chunk.members {
                    self.put_member(chunk.guild_id, member);
                }
                if self.config.presences {
                    for presence in &chunk.presences {
                        self.presences
                            .insert((chunk.guild_id, presence.user.id), presence.clone());
                    }
                }
            }
            Event::GuildRoleCreate(r) => {
                if self.config.roles {
                    self.roles.insert(r.role.id, (r.guild_id, r.role.clone()));
                }
            }
            Event::GuildRoleUpdate(r) => {
                if self.config.roles {
                    self.roles.insert(r.role.id, (r.guild_id, r.role.clone()));
                }
            }
            Event::GuildRoleDelete(r) => {
                self.roles.remove(&r.role_id);
            }
            Event::MessageCreate(message) => self.put_message(message),
            Event::MessageUpdate(update) => {
                if self.config.messages_per_channel > 0
                    && self.messages.contains_key(&update.channel_id)
                {
                    self.messages.upsert(update.channel_id, |list| {
                        if let Some(message) = list.iter_mut().find(|m| m.id == update.id) {
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
                            message.edited_timestamp =
                                update.edited_timestamp.or(message.edited_timestamp);
                        }
                    });
                }
            }
            Event::MessageDelete(delete) => {
                if self.messages.contains_key(&delete.channel_id) {
                    self.messages
                        .upsert(delete.channel_id, |list| list.retain(|m| m.id != delete.id));
                }
            }
            Event::MessageDeleteBulk(delete) => {
                if self.messages.contains_key(&delete.channel_id) {
                    self.messages.upsert(delete.channel_id, |list| {
                        list.retain(|m| !delete.ids.contains(&m.id));
                    });
                }
            }
            Event::PresenceUpdate(presence) => {
                if let (true, Some(guild)) = (self.config.presences, presence.guild_id) {
                    self.presences
                        .insert((guild, presence.user.id), presence.0.clone());
                }
            }
            Event::VoiceStateUpdate(state) => {
                if let (true, Some(guild)) = (self.config.voice_states, state.guild_id) {
                    if state.channel_id.is_some() {
                        self.voice_states
                            .insert((guild, state.user_id), state.0.clone());
                    } else {
                        self.voice_states.remove(&(guild, state.user_id));
                    }
                }
            }
            _ => {}
        }
    }
}

trait MessageCount {
    fn read_all_len(&self) -> usize;
}

impl MessageCount for Index<Id<ChannelMarker>, VecDeque<Message>> {
    fn read_all_len(&self) -> usize {
        let mut total = 0;
        self.retain(|_, list| {
            total += list.len();
            true
        });
        total
    }
}
