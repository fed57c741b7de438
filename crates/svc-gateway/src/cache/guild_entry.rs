//! What the cache keeps under one guild besides the guild itself: the ids of its channels
//! and roles (so forgetting a guild touches only what it owns, no table scans), its
//! members, presences and voice states keyed by user, and its live stages by channel.

use std::collections::{HashMap, HashSet};
use std::mem::size_of;

use foldhash::fast::RandomState;

use super::compact::{CachedMember, CachedPresence, CachedStage, CachedVoiceState};
use crate::model::{ChannelMarker, Id, RoleMarker, UserMarker};

/// Id-keyed tables hash with foldhash: these are hit on every member, presence and voice
/// update, where SipHash would be most of the cost.
type Map<K, V> = HashMap<K, V, RandomState>;
type Set<K> = HashSet<K, RandomState>;

/// One guild's share of the cache. Channels and roles live in the cache's id-keyed tables
/// (they are looked up by id alone); members, presences and voice states only ever by
/// guild and user, so they live here and go with the guild.
#[derive(Debug, Default)]
pub(super) struct GuildEntry {
    pub(super) channels: Set<Id<ChannelMarker>>,
    pub(super) roles: Set<Id<RoleMarker>>,
    pub(super) members: Map<Id<UserMarker>, CachedMember>,
    pub(super) presences: Map<Id<UserMarker>, CachedPresence>,
    pub(super) voice_states: Map<Id<UserMarker>, CachedVoiceState>,
    /// Live stages by stage channel (a channel hosts at most one). A guild has a few at
    /// most, so a short vector would do as well; a map keeps the entry's shape uniform.
    pub(super) stage_instances: Map<Id<ChannelMarker>, CachedStage>,
}

impl GuildEntry {
    /// A lower bound of the bytes the entry's tables occupy (slots and control bytes, not
    /// what the entries own on the heap).
    pub(super) fn approx_bytes(&self) -> usize {
        fn table<T>(capacity: usize) -> usize {
            capacity * (size_of::<T>() + 1)
        }
        size_of::<Self>()
            + table::<Id<ChannelMarker>>(self.channels.capacity())
            + table::<Id<RoleMarker>>(self.roles.capacity())
            + table::<(Id<UserMarker>, CachedMember)>(self.members.capacity())
            + table::<(Id<UserMarker>, CachedPresence)>(self.presences.capacity())
            + table::<(Id<UserMarker>, CachedVoiceState)>(self.voice_states.capacity())
            + table::<(Id<ChannelMarker>, CachedStage)>(self.stage_instances.capacity())
    }
}
