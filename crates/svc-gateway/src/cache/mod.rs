//! An in-memory cache of what the gateway said: guilds, channels, roles, members, users,
//! messages (bounded per channel), presences, voice states and live stages, each switchable.
//!
//! Built for memory first (a bot's largest cost is a cache of big guilds), then for update
//! speed; `benches/cache_memory.rs` and `benches/cache_update.rs` hold it against
//! twilight-cache-inmemory fed the same events.
//!
//! - [`config`](CacheConfig): one [`ResourceType`] bit per resource and the message bound.
//! - `compact`: how users, members, roles, presences and voice states are stored (names
//!   inline, a member's user by reference, rare fields boxed), rebuilt into model types on
//!   read.
//! - `guild_entry`: one entry per guild with the ids of its channels and roles and its
//!   members, presences and voice states, so `GUILD_DELETE` removes exactly what the guild
//!   owned without scanning any table. The guild itself is in a table of its own, so a
//!   cache of guilds alone pays for none of this.
//! - `update`: [`Cache::update`] and the REST inserts.
//! - `stats`: [`CacheStats`].
//!
//! Reads never hand out a lock: channels and messages come back as `Arc`s (a clone is a
//! reference count), the compact entries as freshly built model values.

mod compact;
mod config;
mod guild_entry;
mod stats;
mod update;

use std::collections::VecDeque;
use std::sync::Arc;

use core_cache::Index;

pub use config::{CacheConfig, ResourceType};
pub use stats::CacheStats;

use compact::{CachedGuild, CachedRole, CachedUser};
use guild_entry::GuildEntry;

use crate::model::{
    Channel, ChannelMarker, Guild, GuildMarker, Id, Member, Message, MessageMarker, Presence, Role,
    RoleMarker, StageInstance, User, UserMarker, VoiceState,
};

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
/// assert_eq!(cache.guild_channels(9.into()), [5.into()]);
/// assert_eq!(cache.stats().channels, 1);
/// ```
#[derive(Debug)]
pub struct Cache {
    config: CacheConfig,
    guilds: Index<Id<GuildMarker>, Box<CachedGuild>>,
    per_guild: Index<Id<GuildMarker>, Box<GuildEntry>>,
    channels: Index<Id<ChannelMarker>, Arc<Channel>>,
    roles: Index<Id<RoleMarker>, CachedRole>,
    users: Index<Id<UserMarker>, CachedUser>,
    messages: Index<Id<ChannelMarker>, VecDeque<Arc<Message>>>,
    current_user: Index<(), User>,
}

impl Cache {
    /// An empty cache.
    pub fn new(config: CacheConfig) -> Self {
        Self {
            config,
            guilds: Index::new(),
            per_guild: Index::new(),
            channels: Index::new(),
            roles: Index::new(),
            users: Index::new(),
            messages: Index::new(),
            current_user: Index::new(),
        }
    }

    /// What the cache keeps.
    pub fn config(&self) -> CacheConfig {
        self.config
    }

    /// The bot user, from READY.
    pub fn current_user(&self) -> Option<User> {
        self.current_user.get(&())
    }

    /// A guild, with its cached roles (sorted by position; empty when roles are not
    /// cached).
    pub fn guild(&self, id: Id<GuildMarker>) -> Option<Guild> {
        let guild = self
            .guilds
            .read(&id, |guild| guild.to_model(id, Vec::new()))?;
        Some(Guild {
            roles: self.guild_roles(id),
            ..guild
        })
    }

    /// A channel or thread.
    pub fn channel(&self, id: Id<ChannelMarker>) -> Option<Arc<Channel>> {
        self.channels.get(&id)
    }

    /// A role.
    pub fn role(&self, id: Id<RoleMarker>) -> Option<Role> {
        self.roles.read(&id, |role| role.to_model(id))
    }

    /// A guild member, with its user.
    pub fn member(&self, guild: Id<GuildMarker>, user: Id<UserMarker>) -> Option<Member> {
        let mut member = self.per_guild.read(&guild, |entry| {
            entry.members.get(&user).map(|m| m.to_model(None))
        })??;
        // Read after the guild's lock is released: no lock is ever taken inside another.
        member.user = self.user(user);
        Some(member)
    }

    /// A user.
    pub fn user(&self, id: Id<UserMarker>) -> Option<User> {
        self.users.read(&id, |user| user.to_model(id))
    }

    /// A cached message.
    pub fn message(
        &self,
        channel: Id<ChannelMarker>,
        id: Id<MessageMarker>,
    ) -> Option<Arc<Message>> {
        self.messages
            .read(&channel, |list| list.iter().find(|m| m.id == id).cloned())
            .flatten()
    }

    /// The cached messages of a channel, oldest first.
    pub fn messages(&self, channel: Id<ChannelMarker>) -> Vec<Arc<Message>> {
        self.messages
            .read(&channel, |list| list.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// A member's presence.
    pub fn presence(&self, guild: Id<GuildMarker>, user: Id<UserMarker>) -> Option<Presence> {
        self.per_guild
            .read(&guild, |entry| {
                entry.presences.get(&user).map(|p| p.to_model(guild, user))
            })
            .flatten()
    }

    /// A member's voice state, with the member when it is cached.
    pub fn voice_state(&self, guild: Id<GuildMarker>, user: Id<UserMarker>) -> Option<VoiceState> {
        let mut state = self.per_guild.read(&guild, |entry| {
            entry
                .voice_states
                .get(&user)
                .map(|s| s.to_model(guild, user, None))
        })??;
        state.member = self.member(guild, user);
        Some(state)
    }

    /// The live stage in a stage channel of `guild`.
    pub fn stage_instance(
        &self,
        guild: Id<GuildMarker>,
        channel: Id<ChannelMarker>,
    ) -> Option<StageInstance> {
        self.per_guild
            .read(&guild, |entry| {
                entry
                    .stage_instances
                    .get(&channel)
                    .map(|s| s.to_model(guild, channel))
            })
            .flatten()
    }

    /// A guild's live stages, by channel id.
    pub fn guild_stage_instances(&self, guild: Id<GuildMarker>) -> Vec<StageInstance> {
        let mut stages = self.guild_ids_of(guild, |entry| {
            entry
                .stage_instances
                .iter()
                .map(|(channel, s)| s.to_model(guild, *channel))
                .collect()
        });
        stages.sort_by_key(|s| s.channel_id);
        stages
    }

    /// The ids of the cached guilds.
    pub fn guild_ids(&self) -> Vec<Id<GuildMarker>> {
        let mut ids = Vec::with_capacity(self.guilds.len());
        self.guilds.for_each(|id, _| ids.push(*id));
        ids
    }

    /// The cached roles of a guild, sorted by position.
    pub fn guild_roles(&self, guild: Id<GuildMarker>) -> Vec<Role> {
        let ids = self.guild_ids_of(guild, |entry| entry.roles.iter().copied().collect());
        self.roles_by_position(ids)
    }

    /// The ids of a guild's cached channels and threads.
    pub fn guild_channels(&self, guild: Id<GuildMarker>) -> Vec<Id<ChannelMarker>> {
        self.guild_ids_of(guild, |entry| entry.channels.iter().copied().collect())
    }

    /// The user ids of a guild's cached members.
    pub fn guild_members(&self, guild: Id<GuildMarker>) -> Vec<Id<UserMarker>> {
        self.guild_ids_of(guild, |entry| entry.members.keys().copied().collect())
    }

    /// The user ids of a guild's cached presences.
    pub fn guild_presences(&self, guild: Id<GuildMarker>) -> Vec<Id<UserMarker>> {
        self.guild_ids_of(guild, |entry| entry.presences.keys().copied().collect())
    }

    /// The user ids of a guild's cached voice states.
    pub fn guild_voice_states(&self, guild: Id<GuildMarker>) -> Vec<Id<UserMarker>> {
        self.guild_ids_of(guild, |entry| entry.voice_states.keys().copied().collect())
    }

    /// The voice states in a voice channel. Walks the guilds' voice states (a few per
    /// guild), so it needs no index of its own.
    pub fn voice_channel_states(&self, channel: Id<ChannelMarker>) -> Vec<VoiceState> {
        let mut found = Vec::new();
        self.per_guild.for_each(|guild, entry| {
            for (user, state) in &entry.voice_states {
                if state.channel() == Some(channel) {
                    found.push((*guild, *user));
                }
            }
        });
        found
            .into_iter()
            .filter_map(|(guild, user)| self.voice_state(guild, user))
            .collect()
    }

    /// The guilds a user is a cached member of. Asks each cached guild (one hash lookup
    /// each) rather than keeping a set per user, which would cost memory for every user.
    pub fn user_guilds(&self, user: Id<UserMarker>) -> Vec<Id<GuildMarker>> {
        let mut guilds = Vec::new();
        self.per_guild.for_each(|guild, entry| {
            if entry.members.contains_key(&user) {
                guilds.push(*guild);
            }
        });
        guilds
    }

    fn guild_ids_of<T>(
        &self,
        guild: Id<GuildMarker>,
        ids: impl FnOnce(&GuildEntry) -> Vec<T>,
    ) -> Vec<T> {
        self.per_guild
            .read(&guild, |entry| ids(entry))
            .unwrap_or_default()
    }

    /// The roles with these ids, by position then id (Discord's order).
    fn roles_by_position(&self, ids: Vec<Id<RoleMarker>>) -> Vec<Role> {
        let mut roles: Vec<Role> = ids.into_iter().filter_map(|id| self.role(id)).collect();
        roles.sort_by_key(|role| (role.position, role.id));
        roles
    }
}
