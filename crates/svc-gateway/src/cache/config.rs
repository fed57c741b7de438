//! What the cache keeps: one switch per resource, and the message bound.

bitflags::bitflags! {
    /// The resources a [`Cache`](super::Cache) keeps, one bit each.
    ///
    /// ```
    /// use svc_gateway::cache::{CacheConfig, ResourceType};
    ///
    /// let config = CacheConfig::new(ResourceType::GUILD | ResourceType::CHANNEL);
    /// assert!(config.wants(ResourceType::CHANNEL) && !config.wants(ResourceType::MEMBER));
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct ResourceType: u16 {
        /// Guilds.
        const GUILD = 1;
        /// Channels and threads.
        const CHANNEL = 1 << 1;
        /// Roles.
        const ROLE = 1 << 2;
        /// Members. A cached member's user is always kept too: a member is read back with it.
        const MEMBER = 1 << 3;
        /// Users from everywhere else (message authors, READY, REST).
        const USER = 1 << 4;
        /// Messages, up to [`CacheConfig::messages_per_channel`] per channel.
        const MESSAGE = 1 << 5;
        /// Presences.
        const PRESENCE = 1 << 6;
        /// Voice states.
        const VOICE_STATE = 1 << 7;
        /// Stage instances (live stages), per guild.
        const STAGE_INSTANCE = 1 << 8;
    }
}

/// What the cache keeps. Everything is on by default, with 100 messages per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheConfig {
    /// The resources kept.
    pub resources: ResourceType,
    /// Messages kept per channel (0: none, whatever `resources` says).
    pub messages_per_channel: usize,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self::new(ResourceType::all())
    }
}

impl CacheConfig {
    /// Keeps `resources`, with 100 messages per channel when messages are among them.
    pub fn new(resources: ResourceType) -> Self {
        Self {
            resources,
            messages_per_channel: 100,
        }
    }

    /// Nothing cached.
    pub fn none() -> Self {
        Self {
            resources: ResourceType::empty(),
            messages_per_channel: 0,
        }
    }

    /// Whether every resource in `resource` is kept.
    pub fn wants(&self, resource: ResourceType) -> bool {
        self.resources.contains(resource)
    }

    /// How many messages a channel keeps: 0 when messages are off.
    pub(super) fn message_bound(&self) -> usize {
        if self.wants(ResourceType::MESSAGE) {
            self.messages_per_channel
        } else {
            0
        }
    }
}
