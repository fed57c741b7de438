//! [`IdentifyQueue`]: session starts keyed by bucket (Discord `max_concurrency`).

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use crate::{SessionBudget, SlidingLog, WindowBackend, WindowLimiter};

/// Paces session starts (Discord IDENTIFY, Twitch chat logins): shards whose
/// `shard_id % max_concurrency` is equal share a bucket, and each bucket allows one start per
/// `period` (Discord: 5 s). Different buckets start in parallel, so `max_concurrency` shards
/// can identify at the same moment.
///
/// ```
/// use std::{num::NonZeroU32, time::Duration};
/// use core_ratelimit::IdentifyQueue;
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
/// let queue = IdentifyQueue::new(NonZeroU32::new(2).unwrap(), Duration::from_secs(5));
/// let start = tokio::time::Instant::now();
/// queue.acquire(0).await; // bucket 0
/// queue.acquire(1).await; // bucket 1: no wait
/// assert!(start.elapsed() < Duration::from_secs(1));
/// queue.acquire(2).await; // bucket 0 again: waits for the period
/// assert!(start.elapsed() >= Duration::from_secs(5));
/// # }
/// ```
///
/// With feature `redis`, `IdentifyQueue::from(RedisIdentifyQueue)` paces the starts of every
/// process sharing the Redis prefix behind this same API (so a gateway shard configured with
/// an `IdentifyQueue` shares it unchanged); its `acquire` waits through Redis outages.
#[derive(Clone)]
pub struct IdentifyQueue {
    buckets: Arc<[WindowLimiter]>,
    period: Duration,
    budget: Option<SessionBudget>,
    #[cfg(feature = "redis")]
    redis: Option<crate::RedisIdentifyQueue>,
}

impl IdentifyQueue {
    /// `max_concurrency` buckets (key = `shard_id % max_concurrency`), one start per bucket per
    /// `period`.
    pub fn new(max_concurrency: NonZeroU32, period: Duration) -> Self {
        Self::with_backends(max_concurrency, period, |_| {
            Arc::new(SlidingLog::new(NonZeroU32::MIN, period))
        })
    }

    /// Like [`new`](Self::new), with each bucket's state in the backend `backend(key)` returns
    /// (for example a shared store, so several processes running shards of one bot respect
    /// the same buckets). Each backend should allow one start per `period`.
    pub fn with_backends(
        max_concurrency: NonZeroU32,
        period: Duration,
        mut backend: impl FnMut(u32) -> Arc<dyn WindowBackend>,
    ) -> Self {
        let buckets = (0..max_concurrency.get())
            .map(|key| WindowLimiter::with_backend(backend(key)))
            .collect();
        Self {
            buckets,
            period,
            budget: None,
            #[cfg(feature = "redis")]
            redis: None,
        }
    }

    /// Spends `budget` on every start: once it is used up, starts wait for its reset (Discord
    /// resets a bot's token when an IDENTIFY overruns the daily budget). A budget is local to
    /// this process; shards split over processes need a budget each, or none.
    #[must_use]
    pub fn with_budget(mut self, budget: SessionBudget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// The session start budget, if one was given.
    pub fn budget(&self) -> Option<&SessionBudget> {
        self.budget.as_ref()
    }

    /// Waits until shard `shard_id` may start a session, then takes its bucket's slot (and
    /// one start of the budget, if there is one).
    ///
    /// Shards of one bucket start in arrival order. Cancel-safe, though a start cancelled
    /// while waiting for its bucket has spent its budget share.
    pub async fn acquire(&self, shard_id: u64) {
        if let Some(budget) = &self.budget {
            budget.take().await;
        }
        #[cfg(feature = "redis")]
        if let Some(redis) = &self.redis {
            // Outages are waited out inside; only an unusable answer comes back, and a
            // start must not go out unpaced, so keep asking.
            while let Err(error) = redis.acquire(shard_id).await {
                tracing::error!(shard_id, %error, "shared identify queue unusable; retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            return;
        }
        self.buckets[self.bucket_index(shard_id)].acquire().await;
    }

    /// The bucket shard `shard_id` belongs to: `shard_id % max_concurrency`.
    pub fn bucket_of(&self, shard_id: u64) -> u32 {
        self.bucket_index(shard_id) as u32
    }

    /// How many buckets start in parallel.
    pub fn max_concurrency(&self) -> u32 {
        self.buckets.len() as u32
    }

    /// The time between two starts of one bucket.
    pub fn period(&self) -> Duration {
        self.period
    }

    fn bucket_index(&self, shard_id: u64) -> usize {
        // `buckets.len()` is a non-zero u32, so the remainder fits in usize.
        (shard_id % self.buckets.len() as u64) as usize
    }
}

#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
impl From<crate::RedisIdentifyQueue> for IdentifyQueue {
    /// A queue pacing every process that shares the Redis queue's prefix.
    fn from(redis: crate::RedisIdentifyQueue) -> Self {
        let max_concurrency = NonZeroU32::new(redis.max_concurrency()).unwrap_or(NonZeroU32::MIN);
        let mut queue = Self::new(max_concurrency, redis.period());
        queue.redis = Some(redis);
        queue
    }
}

impl fmt::Debug for IdentifyQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentifyQueue")
            .field("max_concurrency", &self.buckets.len())
            .field("period", &self.period)
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}
