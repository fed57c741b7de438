//! [`RedisIdentifyQueue`]: identify buckets shared by every process running shards of a bot.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use redis::aio::ConnectionManager;

use crate::{ColdStart, Error, RedisWindowLimiter};

/// [`IdentifyQueue`](crate::IdentifyQueue) across processes: bucket
/// `shard_id % max_concurrency` of every process using the same key `prefix` is one
/// [`RedisWindowLimiter`] (key `prefix:bucket`) allowing one start per `period`.
///
/// ```no_run
/// use std::{num::NonZeroU32, time::Duration};
/// use core_ratelimit::{RedisIdentifyQueue, connect_redis};
///
/// # async fn run() -> Result<(), core_ratelimit::Error> {
/// let conn = connect_redis("redis://127.0.0.1:6379/").await?;
/// let identify = RedisIdentifyQueue::new(
///     &conn,
///     "mybot:discord:identify",
///     NonZeroU32::new(16).unwrap(),
///     Duration::from_secs(5),
/// );
/// identify.acquire(42).await?; // shard 42 may IDENTIFY now
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub struct RedisIdentifyQueue {
    buckets: Arc<[RedisWindowLimiter]>,
    prefix: Arc<str>,
    period: Duration,
}

impl RedisIdentifyQueue {
    /// `max_concurrency` shared buckets under `prefix`, one start per bucket per `period`,
    /// with the default [`ColdStart::Wait`].
    pub fn new(
        conn: &ConnectionManager,
        prefix: &str,
        max_concurrency: NonZeroU32,
        period: Duration,
    ) -> Self {
        Self::with_cold_start(conn, prefix, max_concurrency, period, ColdStart::default())
    }

    /// Like [`new`](Self::new), choosing what happens when a bucket has no state yet.
    pub fn with_cold_start(
        conn: &ConnectionManager,
        prefix: &str,
        max_concurrency: NonZeroU32,
        period: Duration,
        cold_start: ColdStart,
    ) -> Self {
        let buckets = (0..max_concurrency.get())
            .map(|bucket| {
                RedisWindowLimiter::builder(
                    conn.clone(),
                    format!("{prefix}:{bucket}"),
                    NonZeroU32::MIN,
                    period,
                )
                .cold_start(cold_start)
                .build()
            })
            .collect();
        Self {
            buckets,
            prefix: Arc::from(prefix),
            period,
        }
    }

    /// Waits until shard `shard_id` may start a session, then takes its bucket's slot;
    /// returns the Redis server's time of the grant. Waits through Redis outages.
    ///
    /// # Errors
    ///
    /// As [`RedisWindowLimiter::acquire`].
    pub async fn acquire(&self, shard_id: u64) -> Result<SystemTime, Error> {
        self.buckets[self.bucket_index(shard_id)].acquire().await
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

impl fmt::Debug for RedisIdentifyQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisIdentifyQueue")
            .field("prefix", &self.prefix)
            .field("max_concurrency", &self.buckets.len())
            .field("period", &self.period)
            .finish()
    }
}
