//! Entry counts and an approximate memory figure.

use super::Cache;

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
    /// Live stages.
    pub stage_instances: usize,
    /// Approximate bytes held by the tables (a lower bound: heap data inside entries such
    /// as long strings is not counted; `benches/cache_memory.rs` measures the real figure).
    pub approx_bytes: usize,
}

impl Cache {
    /// Counts and memory. Walks the guild entries and message lists under shared locks.
    pub fn stats(&self) -> CacheStats {
        let mut stats = CacheStats {
            channels: self.channels.len(),
            roles: self.roles.len(),
            users: self.users.len(),
            guilds: self.guilds.len(),
            approx_bytes: self.guilds.approx_memory_bytes()
                + self.guilds.len() * std::mem::size_of::<super::compact::CachedGuild>()
                + self.per_guild.approx_memory_bytes()
                + self.channels.approx_memory_bytes()
                + self.roles.approx_memory_bytes()
                + self.users.approx_memory_bytes()
                + self.messages.approx_memory_bytes(),
            ..CacheStats::default()
        };
        self.per_guild.for_each(|_, entry| {
            stats.members += entry.members.len();
            stats.presences += entry.presences.len();
            stats.voice_states += entry.voice_states.len();
            stats.stage_instances += entry.stage_instances.len();
            stats.approx_bytes += entry.approx_bytes();
        });
        self.messages
            .for_each(|_, list| stats.messages += list.len());
        stats
    }
}
