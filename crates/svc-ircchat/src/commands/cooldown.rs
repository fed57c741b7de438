//! Cooldowns: `rate` uses per `per`, counted in buckets (everyone, per channel, per user,
//! per user in a channel), each bucket a `core_ratelimit::WindowLimiter` on tokio's clock.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::time::Duration;

use core_ratelimit::WindowLimiter;
use parking_lot::Mutex;

use crate::Privmsg;

/// Who shares a cooldown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Bucket {
    /// Everyone, everywhere (twitchio's `Bucket.default`).
    Global,
    /// Everyone in one channel (`Bucket.channel`).
    Channel,
    /// One user, in every channel (`Bucket.user`).
    User,
    /// One user in one channel (`Bucket.member`).
    Member,
}

/// A command may run `rate` times per `per` in each `bucket`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cooldown {
    /// Uses per window (at least 1).
    pub rate: u32,
    /// The window.
    pub per: Duration,
    /// Who shares it.
    pub bucket: Bucket,
}

impl Cooldown {
    /// `rate` uses per `per` in `bucket`.
    pub fn new(rate: u32, per: Duration, bucket: Bucket) -> Self {
        Self { rate, per, bucket }
    }

    fn key(&self, message: &Privmsg<'_>) -> String {
        match self.bucket {
            Bucket::Global => String::new(),
            Bucket::Channel => message.channel_login.to_string(),
            Bucket::User => message.sender_login.to_string(),
            Bucket::Member => format!("{}#{}", message.sender_login, message.channel_login),
        }
    }
}

/// The state of one command's cooldown: a window per bucket key.
#[derive(Debug)]
pub(crate) struct Cooldowns {
    limit: Cooldown,
    windows: Mutex<HashMap<String, WindowLimiter>>,
}

impl Cooldowns {
    pub(crate) fn new(limit: Cooldown) -> Self {
        Self {
            limit,
            windows: Mutex::default(),
        }
    }

    /// Takes one use in `message`'s bucket, or says how long until one is free.
    pub(crate) fn take(&self, message: &Privmsg<'_>) -> Result<(), Duration> {
        let limit = self.limit;
        self.windows
            .lock()
            .entry(limit.key(message))
            .or_insert_with(|| {
                WindowLimiter::new(
                    NonZeroU32::new(limit.rate).unwrap_or(NonZeroU32::MIN),
                    limit.per,
                )
            })
            .try_acquire()
            .map_err(|retry| retry.0)
    }
}
