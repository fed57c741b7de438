//! [`RedisBucketLimiter`]: header-driven buckets and the global limit, shared by every
//! process using the same Redis key prefix.

use std::fmt;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use dashmap::DashMap;
use redis::Script;
use redis::aio::ConnectionManager;
use tokio::runtime::Handle;

use crate::bucket_state::lockout;
use crate::redis_connect::store_error;
use crate::{BucketConfig, BucketId, Bucketing, ColdStart, Error, ErrorKind, Outcome, RouteKey};

/// Shared helpers: the server clock in microseconds, and integer formatting.
const PRELUDE: &str = include_str!("lua/prelude.lua");

/// One admission, atomically: the global 429 lockout, the bucket (learned limit, remaining,
/// reset, lockout, one probe at a time while the limit is unknown), then the global sliding
/// log. Nothing is written unless both the bucket and the global limit allow the request,
/// so a caller never holds one while waiting for the other. Requests in flight are leases
/// (a sorted set scored by expiry) so a process that dies mid-request frees its slots.
///
/// The file lists its KEYS, ARGV and answers.
const ACQUIRE: &str = include_str!("lua/bucket_acquire.lua");

/// What a response taught, atomically: frees the lease, records a learned route → bucket
/// hash (moving to the hash's state, shared with every route reporting it), then applies
/// the same rules as the in-memory [`BucketState`](crate::BucketState): a newer window
/// (by reset epoch, or by reset time when there is none) replaces the estimate, the same
/// window only ever lowers it, requests still in flight are subtracted from the server's
/// count, a 429 locks the bucket (or, global, every bucket) out.
///
/// The file lists its KEYS and ARGV.
const COMPLETE: &str = include_str!("lua/bucket_complete.lua");

/// A request that ended without a response: its lease goes, and its slot comes back if its
/// window is still the current one.
const RELEASE: &str = include_str!("lua/bucket_release.lua");

static ACQUIRE_SCRIPT: LazyLock<Script> =
    LazyLock::new(|| Script::new(&format!("{PRELUDE}{ACQUIRE}")));
static COMPLETE_SCRIPT: LazyLock<Script> =
    LazyLock::new(|| Script::new(&format!("{PRELUDE}{COMPLETE}")));
static RELEASE_SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(RELEASE));

/// First and last pause between retries while Redis is unreachable.
const BACKOFF_MIN: Duration = Duration::from_millis(50);
const BACKOFF_MAX: Duration = Duration::from_millis(500);

/// How often a caller waiting for a response it cannot be told about (another process's
/// probe, or requests in flight after a refill) asks again.
const POLL: Duration = Duration::from_millis(20);

/// The header-driven [`BucketLimiter`](crate::BucketLimiter) with its state in Redis, so
/// every process of a bot (same token, same IP) shares one view of Discord's per-route
/// buckets and its global 50 requests per second.
///
/// Each decision is one Lua script (`EVALSHA`, reloaded after a `SCRIPT FLUSH`): the global
/// 429 lockout, the bucket and the global sliding log (on the Redis server's clock) are
/// checked and taken together, atomically, so N processes never send more than the server
/// allows. Responses are reported with [`RedisTicket::complete`], which applies the same
/// learning rules as the in-memory limiter. Requests in flight are *leases* that expire
/// (default 30 s, [`RedisBucketLimiterBuilder::lease`]) so a process that dies mid-request
/// cannot hold its slots forever. Callers of one bucket in this process queue on a fair
/// lock, so only the head of each bucket's queue asks Redis.
///
/// While Redis is unreachable [`acquire`](Self::acquire) backs off (50 ms doubling to
/// 500 ms) and retries; a failed call is never taken for a grant. After a restart that lost
/// the state, buckets are learned again from scratch (one probe at a time) and the global
/// limit waits one window ([`ColdStart::Wait`]).
///
/// To put it behind an HTTP client that takes a [`BucketLimiter`](crate::BucketLimiter)
/// (transport-http, svc-gateway's `RestClient`), convert it:
/// `BucketLimiter::from(shared)`.
///
/// Keys, under `prefix`: `{prefix}:routes` (route template → bucket hash),
/// `{prefix}:bucket:{id}` and `{prefix}:bucket:{id}:leases` (expire after `max_wait` plus a
/// minute untouched), `{prefix}:global` (+ `:seq`, `:fence`, `:lockout`).
///
/// ```no_run
/// use std::time::Duration;
/// use core_ratelimit::{BucketConfig, Outcome, RedisBucketLimiter, RouteKey, connect_redis};
///
/// # async fn run() -> Result<(), core_ratelimit::Error> {
/// let conn = connect_redis("redis://127.0.0.1:6379/").await?;
/// // Per-route buckets and 50 requests per second over all of them (Discord's REST).
/// let config = BucketConfig { global: Some((50, Duration::from_secs(1))), ..BucketConfig::default() };
/// let limiter = RedisBucketLimiter::new(conn, "mybot:discord", config);
/// let route = RouteKey::new("POST /channels/{channel_id}/messages", Some("1234"));
/// let ticket = limiter.acquire(&route).await?;
/// // … send the request, then report what came back:
/// # let outcome = Outcome::new(200, Default::default());
/// ticket.complete(&outcome).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub struct RedisBucketLimiter {
    inner: Arc<Inner>,
}

struct Inner {
    conn: ConnectionManager,
    prefix: String,
    config: BucketConfig,
    cold_start: ColdStart,
    lease: Duration,
    /// Route → the server bucket it was learned to share (this process's cache of
    /// `{prefix}:routes`).
    routes: DashMap<RouteKey, BucketId>,
    /// Fair (FIFO) locks, one per bucket key: the callers of this process wait their turn.
    lanes: DashMap<String, Arc<tokio::sync::Mutex<()>>>,
    global_keys: [String; 4],
}

/// Builds a [`RedisBucketLimiter`]; see [`RedisBucketLimiter::builder`].
#[must_use]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub struct RedisBucketLimiterBuilder {
    conn: ConnectionManager,
    prefix: String,
    config: BucketConfig,
    cold_start: ColdStart,
    lease: Duration,
}

/// One admitted request's slot in a [`RedisBucketLimiter`] bucket.
///
/// Report the response with [`complete`](Self::complete). Dropping the ticket instead
/// releases the slot (in a background task) and gives it back if the window has not changed.
#[must_use = "complete the ticket with the response's outcome; dropping it releases the slot"]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub struct RedisTicket {
    limiter: RedisBucketLimiter,
    bucket: BucketId,
    route: RouteKey,
    lease: String,
    generation: u64,
    armed: bool,
    runtime: Option<Handle>,
}

/// One answer of the acquire script.
enum Decision {
    Granted { generation: u64, lease: String },
    Wait(Duration),
    Moved(String),
}

impl RedisBucketLimiter {
    /// A shared limiter under `prefix` with `config`'s rules, default [`ColdStart::Wait`] and
    /// 30 s leases.
    pub fn new(conn: ConnectionManager, prefix: impl Into<String>, config: BucketConfig) -> Self {
        Self::builder(conn, prefix, config).build()
    }

    /// A builder for the less common settings.
    pub fn builder(
        conn: ConnectionManager,
        prefix: impl Into<String>,
        config: BucketConfig,
    ) -> RedisBucketLimiterBuilder {
        RedisBucketLimiterBuilder {
            conn,
            prefix: prefix.into(),
            config,
            cold_start: ColdStart::default(),
            lease: Duration::from_secs(30),
        }
    }

    /// Waits until the route's bucket and the global limit allow one request, across every
    /// process sharing the prefix, then takes the slot.
    ///
    /// Waits through Redis outages (backing off, logging at `warn`). Cancel-safe in that a
    /// cancelled call never adds a slot; cancelled during a script it may hold one until the
    /// lease expires.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::StoreReply`] when Redis answers with something unusable.
    pub async fn acquire(&self, route: &RouteKey) -> Result<RedisTicket, Error> {
        let runtime = Handle::try_current().ok();
        let mut backoff = BACKOFF_MIN;
        let mut outage = false;
        loop {
            let bucket = self.bucket_for(route);
            let lane = self.lane(&bucket);
            let _turn = lane.lock().await;
            loop {
                match self.decide(route, &bucket).await {
                    Ok(Decision::Granted { generation, lease }) => {
                        if outage {
                            tracing::info!(prefix = %self.inner.prefix, "Redis reachable again");
                        }
                        return Ok(RedisTicket {
                            limiter: self.clone(),
                            bucket,
                            route: route.clone(),
                            lease,
                            generation,
                            armed: true,
                            runtime,
                        });
                    }
                    Ok(Decision::Wait(wait)) => {
                        backoff = BACKOFF_MIN;
                        tokio::time::sleep(wait).await;
                    }
                    Ok(Decision::Moved(hash)) => {
                        self.inner.routes.insert(
                            route.clone(),
                            BucketId::Hash {
                                hash: Arc::from(hash),
                                major: route.major_arc(),
                            },
                        );
                        break;
                    }
                    Err(error) if *error.kind() == ErrorKind::StoreUnavailable => {
                        if !outage {
                            tracing::warn!(prefix = %self.inner.prefix, %error, "Redis unreachable; waiting");
                            outage = true;
                        }
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(BACKOFF_MAX);
                    }
                    Err(error) => return Err(error),
                }
            }
        }
    }

    /// The bucket `route` maps to in this process right now (its route key until a response
    /// names the server bucket).
    pub fn bucket_of(&self, route: &RouteKey) -> BucketId {
        self.bucket_for(route)
    }

    /// The configuration this limiter was built with.
    pub fn config(&self) -> &BucketConfig {
        &self.inner.config
    }

    /// The Redis key prefix.
    pub fn prefix(&self) -> &str {
        &self.inner.prefix
    }

    fn bucket_for(&self, route: &RouteKey) -> BucketId {
        if self.inner.config.bucketing == Bucketing::Single {
            return BucketId::Shared;
        }
        self.inner
            .routes
            .get(route)
            .map_or_else(|| BucketId::Route(route.clone()), |id| id.clone())
    }

    fn lane(&self, bucket: &BucketId) -> Arc<tokio::sync::Mutex<()>> {
        let key = self.state_key(bucket);
        if let Some(lane) = self.inner.lanes.get(&key) {
            return Arc::clone(&lane);
        }
        Arc::clone(&self.inner.lanes.entry(key).or_default())
    }

    /// `{prefix}:bucket:{id}`: one Redis hash per bucket.
    fn state_key(&self, bucket: &BucketId) -> String {
        let prefix = &self.inner.prefix;
        match bucket {
            BucketId::Global => format!("{prefix}:bucket:global"),
            BucketId::Shared => format!("{prefix}:bucket:shared"),
            BucketId::Route(route) => format!(
                "{prefix}:bucket:route:{}:{}",
                route.route(),
                route.major().unwrap_or("")
            ),
            BucketId::Hash { hash, major } => {
                format!(
                    "{prefix}:bucket:hash:{hash}:{}",
                    major.as_deref().unwrap_or("")
                )
            }
        }
    }

    fn ttl_ms(&self) -> u64 {
        u64::try_from((self.inner.config.max_wait + Duration::from_mins(1)).as_millis())
            .unwrap_or(u64::MAX / 4)
    }

    async fn decide(&self, route: &RouteKey, bucket: &BucketId) -> Result<Decision, Error> {
        let inner = &*self.inner;
        let state = self.state_key(bucket);
        let lookup = match bucket {
            BucketId::Route(route) => route.route(),
            _ => "",
        };
        let (global_limit, global_window) = inner.config.global.unwrap_or((0, Duration::ZERO));
        let mut conn = inner.conn.clone();
        let reply: (i64, i64, String) = ACQUIRE_SCRIPT
            .key(&state)
            .key(format!("{state}:leases"))
            .key(format!("{}:routes", inner.prefix))
            .key(&inner.global_keys[0])
            .key(&inner.global_keys[1])
            .key(&inner.global_keys[2])
            .key(&inner.global_keys[3])
            .arg(lookup)
            .arg(global_limit)
            .arg(micros(global_window).max(1))
            .arg(u8::from(inner.cold_start == ColdStart::Wait))
            .arg(micros(inner.lease))
            .arg(micros(POLL))
            .arg(self.ttl_ms())
            .invoke_async(&mut conn)
            .await
            .map_err(store_error)?;
        match reply {
            (1, generation, lease) => Ok(Decision::Granted {
                generation: u64::try_from(generation).unwrap_or_default(),
                lease,
            }),
            (0, wait, _) => Ok(Decision::Wait(Duration::from_micros(
                u64::try_from(wait).unwrap_or(1).max(1),
            ))),
            (2, _, hash) if !hash.is_empty() => Ok(Decision::Moved(hash)),
            _ => {
                tracing::warn!(%route, "bucket script returned an unknown answer");
                Err(Error::new(ErrorKind::StoreReply))
            }
        }
    }
}

impl RedisTicket {
    /// Reports how the request ended; the bucket (shared by every process) learns from its
    /// headers, a 429 locks it (or, global, every bucket) out.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::StoreUnavailable`] when Redis cannot be reached (what the response
    /// taught is lost; the slot frees itself when its lease expires),
    /// [`ErrorKind::StoreReply`] for an unusable answer.
    pub async fn complete(mut self, outcome: &Outcome) -> Result<(), Error> {
        self.armed = false;
        let limiter = &self.limiter;
        let inner = &*limiter.inner;
        let config = &inner.config;
        let headers = &outcome.headers;
        let learned = match (&self.bucket, headers.bucket.as_deref()) {
            (BucketId::Route(route), Some(hash)) if config.bucketing == Bucketing::PerRoute => {
                Some((route.route(), hash))
            }
            _ => None,
        };
        let target = learned.map_or_else(
            || self.bucket.clone(),
            |(_, hash)| BucketId::Hash {
                hash: Arc::from(hash),
                major: self.route.major_arc(),
            },
        );
        let (wait, global) = lockout(outcome, config.default_retry_after, config.max_wait)
            .unwrap_or((Duration::ZERO, false));
        if outcome.status == 429 {
            tracing::warn!(bucket = %target, global, "429 Too Many Requests");
        }
        let has_window = headers.has_window();
        let state = limiter.state_key(&self.bucket);
        let target_state = limiter.state_key(&target);
        let mut conn = inner.conn.clone();
        COMPLETE_SCRIPT
            .key(&state)
            .key(format!("{state}:leases"))
            .key(&target_state)
            .key(format!("{target_state}:leases"))
            .key(format!("{}:routes", inner.prefix))
            .key(&inner.global_keys[3])
            .arg(&self.lease)
            .arg(outcome.status)
            .arg(u8::from(has_window))
            .arg(headers.limit.unwrap_or(0))
            .arg(headers.remaining.unwrap_or(0))
            .arg(micros(
                headers.reset_after.unwrap_or_default().min(config.max_wait),
            ))
            .arg(
                headers
                    .reset_at_epoch
                    .map(|epoch| format!("{epoch:.3}"))
                    .unwrap_or_default(),
            )
            .arg(micros(wait))
            .arg(u8::from(global))
            .arg(learned.map_or("", |(route, _)| route))
            .arg(learned.map_or("", |(_, hash)| hash))
            .arg(limiter.ttl_ms())
            .invoke_async::<i64>(&mut conn)
            .await
            .map_err(store_error)?;
        if learned.is_some() {
            inner.routes.insert(self.route.clone(), target);
        }
        Ok(())
    }

    /// The bucket this request was admitted by.
    pub fn bucket(&self) -> &BucketId {
        &self.bucket
    }

    /// Releases the slot (what dropping an armed ticket does, awaited).
    async fn release(
        limiter: RedisBucketLimiter,
        bucket: BucketId,
        lease: String,
        generation: u64,
    ) {
        let state = limiter.state_key(&bucket);
        let mut conn = limiter.inner.conn.clone();
        let released: Result<i64, _> = RELEASE_SCRIPT
            .key(&state)
            .key(format!("{state}:leases"))
            .arg(lease)
            .arg(generation)
            .invoke_async(&mut conn)
            .await;
        if let Err(error) = released {
            tracing::warn!(%bucket, %error, "could not release a slot; its lease will expire");
        }
    }
}

impl Drop for RedisTicket {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        self.armed = false;
        let Some(runtime) = Handle::try_current().ok().or_else(|| self.runtime.clone()) else {
            tracing::warn!(bucket = %self.bucket, "no tokio runtime to release a slot on; its lease will expire");
            return;
        };
        runtime.spawn(Self::release(
            self.limiter.clone(),
            self.bucket.clone(),
            std::mem::take(&mut self.lease),
            self.generation,
        ));
    }
}

impl RedisBucketLimiterBuilder {
    /// What to do when the global limit has no state yet (default [`ColdStart::Wait`]).
    pub fn cold_start(mut self, cold_start: ColdStart) -> Self {
        self.cold_start = cold_start;
        self
    }

    /// How long an admitted request counts as in flight at most (default 30 s): longer
    /// than any request takes, short enough that a crashed process's slots come back.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease.max(Duration::from_millis(1));
        self
    }

    /// The limiter.
    pub fn build(self) -> RedisBucketLimiter {
        let global = format!("{}:global", self.prefix);
        let global_keys = [
            format!("{global}:seq"),
            format!("{global}:fence"),
            format!("{global}:lockout"),
        ];
        let [seq, fence, lockout] = global_keys;
        RedisBucketLimiter {
            inner: Arc::new(Inner {
                conn: self.conn,
                prefix: self.prefix,
                config: self.config,
                cold_start: self.cold_start,
                lease: self.lease,
                routes: DashMap::new(),
                lanes: DashMap::new(),
                global_keys: [global, seq, fence, lockout],
            }),
        }
    }
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX / 4)
}

impl fmt::Debug for RedisBucketLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisBucketLimiter")
            .field("prefix", &self.inner.prefix)
            .field("config", &self.inner.config)
            .field("cold_start", &self.inner.cold_start)
            .field("lease", &self.inner.lease)
            .field("routes", &self.inner.routes.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for RedisBucketLimiterBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisBucketLimiterBuilder")
            .field("prefix", &self.prefix)
            .field("config", &self.config)
            .field("cold_start", &self.cold_start)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for RedisTicket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTicket")
            .field("bucket", &self.bucket)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

/// [`RedisBucketLimiter::acquire`] for callers that cannot handle an error (the
/// [`BucketLimiter`](crate::BucketLimiter) API): an unusable Redis answer is logged and
/// retried after the longest backoff, so the caller waits rather than over-sends.
pub(crate) async fn acquire_patiently(
    limiter: &RedisBucketLimiter,
    route: &RouteKey,
) -> RedisTicket {
    loop {
        match limiter.acquire(route).await {
            Ok(ticket) => return ticket,
            Err(error) => {
                tracing::error!(prefix = %limiter.prefix(), %route, %error, "shared rate limiter unusable; retrying");
                tokio::time::sleep(BACKOFF_MAX).await;
            }
        }
    }
}

/// [`RedisTicket::complete`] from synchronous code: runs on the ticket's runtime; a failure
/// is logged (the lease expires on its own).
pub(crate) fn complete_in_background(ticket: RedisTicket, outcome: Outcome) {
    let Some(runtime) = Handle::try_current()
        .ok()
        .or_else(|| ticket.runtime.clone())
    else {
        tracing::warn!(bucket = %ticket.bucket, "no tokio runtime to report a response on");
        return;
    };
    runtime.spawn(async move {
        let bucket = ticket.bucket.clone();
        if let Err(error) = ticket.complete(&outcome).await {
            tracing::warn!(%bucket, %error, "could not report a response to the shared limiter");
        }
    });
}
