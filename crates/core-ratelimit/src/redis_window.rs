//! [`RedisWindowLimiter`]: one window limit shared by every process using the same Redis key.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use redis::Script;
use redis::aio::ConnectionManager;

use crate::redis_connect::store_error;
use crate::{ColdStart, Error, ErrorKind, RetryAfter};

/// The sliding log, atomically, on the Redis server's clock (the file says how).
const SCRIPT: &str = include_str!("lua/window_acquire.lua");

static WINDOW_SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(SCRIPT));

/// First and last pause between retries while Redis is unreachable.
const BACKOFF_MIN: Duration = Duration::from_millis(50);
const BACKOFF_MAX: Duration = Duration::from_millis(500);

/// At most `limit` acquisitions in any window of length `window`, counted across every
/// process whose limiter uses the same Redis `key` (Discord's global 50 requests per second
/// for a bot split over several processes).
///
/// # Why an async type and not a [`WindowBackend`](crate::WindowBackend)
///
/// [`WindowBackend::try_acquire`](crate::WindowBackend::try_acquire) is synchronous by
/// design (it sits on every request's hot path); a Redis decision is a network round trip.
/// Rather than block a runtime thread inside a sync trait, this type offers the same
/// surface as [`WindowLimiter`](crate::WindowLimiter) with async methods that can fail:
/// [`acquire`](Self::acquire) waits, [`try_acquire`](Self::try_acquire) answers at once.
///
/// # How the limit holds
///
/// Each decision is one Lua script (`EVALSHA`, reloaded with `EVAL` after a `SCRIPT FLUSH`)
/// over a sorted set of grant times on the server's clock. Callers in this process queue
/// on a fair lock, so only the head of the queue polls Redis. When Redis cannot be reached,
/// [`acquire`](Self::acquire) backs off (50 ms doubling to 500 ms) and tries again; a failed
/// call is never taken for a grant, and after a restart that lost the state the key waits a
/// window (see [`ColdStart`]) before granting again. Cancelling `acquire` while a script is in
/// flight may waste a slot, never add one.
///
/// Keys used: `key` (the log, expires a second after its last grant leaves the window),
/// `key:seq` and `key:fence` (a few bytes each, no expiry).
///
/// ```no_run
/// use std::{num::NonZeroU32, time::Duration};
/// use core_ratelimit::{RedisWindowLimiter, connect_redis};
///
/// # async fn run() -> Result<(), core_ratelimit::Error> {
/// let conn = connect_redis("redis://127.0.0.1:6379/").await?;
/// let global = RedisWindowLimiter::new(
///     conn,
///     "mybot:discord:global",
///     NonZeroU32::new(50).unwrap(),
///     Duration::from_secs(1),
/// );
/// global.acquire().await?; // now send one REST request
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub struct RedisWindowLimiter {
    inner: Arc<Inner>,
}

struct Inner {
    conn: ConnectionManager,
    keys: [String; 3],
    limit: u32,
    window: Duration,
    cold_start: ColdStart,
    /// Fair (FIFO) lock: callers of this process wait their turn here.
    lane: tokio::sync::Mutex<()>,
}

/// Builds a [`RedisWindowLimiter`]; see [`RedisWindowLimiter::builder`].
#[must_use]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub struct RedisWindowLimiterBuilder {
    conn: ConnectionManager,
    key: String,
    limit: NonZeroU32,
    window: Duration,
    cold_start: ColdStart,
}

/// One decision of the script.
enum Decision {
    Granted(SystemTime),
    Wait(Duration),
}

impl RedisWindowLimiter {
    /// At most `limit` acquisitions per `window` across every limiter on `key`, with the
    /// default [`ColdStart::Wait`].
    pub fn new(
        conn: ConnectionManager,
        key: impl Into<String>,
        limit: NonZeroU32,
        window: Duration,
    ) -> Self {
        Self::builder(conn, key, limit, window).build()
    }

    /// A builder for the less common settings ([`ColdStart`]).
    pub fn builder(
        conn: ConnectionManager,
        key: impl Into<String>,
        limit: NonZeroU32,
        window: Duration,
    ) -> RedisWindowLimiterBuilder {
        RedisWindowLimiterBuilder {
            conn,
            key: key.into(),
            limit,
            window,
            cold_start: ColdStart::default(),
        }
    }

    /// Waits until the shared window allows one more acquisition, then takes it; returns the
    /// Redis server's time of the grant.
    ///
    /// Waits through Redis outages (backing off, logging at `warn`), so it only fails when
    /// Redis answers with something unusable (for example the key holds another type).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::StoreReply`] for an unusable answer.
    pub async fn acquire(&self) -> Result<SystemTime, Error> {
        let _turn = self.inner.lane.lock().await;
        let mut backoff = BACKOFF_MIN;
        let mut outage = false;
        loop {
            match self.decide().await {
                Ok(Decision::Granted(at)) => {
                    if outage {
                        tracing::info!(key = %self.inner.keys[0], "Redis reachable again");
                    }
                    return Ok(at);
                }
                Ok(Decision::Wait(wait)) => {
                    backoff = BACKOFF_MIN;
                    tokio::time::sleep(wait).await;
                }
                Err(error) if *error.kind() == ErrorKind::StoreUnavailable => {
                    if !outage {
                        tracing::warn!(key = %self.inner.keys[0], %error, "Redis unreachable; waiting");
                        outage = true;
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(BACKOFF_MAX);
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Takes one acquisition if the shared window allows it now (one round trip, no
    /// queueing); the inner `Err` says how long to wait.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::StoreUnavailable`] when Redis cannot be reached (nothing was taken),
    /// [`ErrorKind::StoreReply`] for an unusable answer.
    pub async fn try_acquire(&self) -> Result<Result<SystemTime, RetryAfter>, Error> {
        Ok(match self.decide().await? {
            Decision::Granted(at) => Ok(at),
            Decision::Wait(wait) => Err(RetryAfter(wait)),
        })
    }

    /// The most acquisitions allowed in any window.
    pub fn limit(&self) -> u32 {
        self.inner.limit
    }

    /// The window length.
    pub fn window(&self) -> Duration {
        self.inner.window
    }

    /// The Redis key holding the log.
    pub fn key(&self) -> &str {
        &self.inner.keys[0]
    }

    async fn decide(&self) -> Result<Decision, Error> {
        let inner = &*self.inner;
        let window_micros = u64::try_from(inner.window.as_micros())
            .unwrap_or(u64::MAX / 4)
            .max(1);
        let mut conn = inner.conn.clone();
        let reply: (i64, i64) = WINDOW_SCRIPT
            .key(&inner.keys[0])
            .key(&inner.keys[1])
            .key(&inner.keys[2])
            .arg(inner.limit)
            .arg(window_micros)
            .arg(u8::from(inner.cold_start == ColdStart::Wait))
            .invoke_async(&mut conn)
            .await
            .map_err(store_error)?;
        let micros = u64::try_from(reply.1).map_err(|_| {
            tracing::warn!(key = %inner.keys[0], "window script returned a negative time");
            Error::new(ErrorKind::StoreReply)
        })?;
        Ok(if reply.0 == 1 {
            Decision::Granted(UNIX_EPOCH + Duration::from_micros(micros))
        } else {
            Decision::Wait(Duration::from_micros(micros.max(1)))
        })
    }
}

impl RedisWindowLimiterBuilder {
    /// What to do when the key has no state yet (default [`ColdStart::Wait`]).
    pub fn cold_start(mut self, cold_start: ColdStart) -> Self {
        self.cold_start = cold_start;
        self
    }

    /// The limiter.
    pub fn build(self) -> RedisWindowLimiter {
        let seq = format!("{}:seq", self.key);
        let fence = format!("{}:fence", self.key);
        RedisWindowLimiter {
            inner: Arc::new(Inner {
                conn: self.conn,
                keys: [self.key, seq, fence],
                limit: self.limit.get(),
                window: self.window,
                cold_start: self.cold_start,
                lane: tokio::sync::Mutex::new(()),
            }),
        }
    }
}

impl fmt::Debug for RedisWindowLimiterBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisWindowLimiterBuilder")
            .field("key", &self.key)
            .field("limit", &self.limit)
            .field("window", &self.window)
            .field("cold_start", &self.cold_start)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for RedisWindowLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisWindowLimiter")
            .field("key", &self.inner.keys[0])
            .field("limit", &self.inner.limit)
            .field("window", &self.inner.window)
            .field("cold_start", &self.inner.cold_start)
            .finish_non_exhaustive()
    }
}
