//! [`SharedCache`]: REST responses cached once for every process, with a local tier in front.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use redis::aio::ConnectionManager;

use crate::{Error, TtlCache};

/// A two-tier cache for response bodies: Redis holds each entry for its TTL
/// (`SET key value PX ttl`), so a body one process fetched serves every process; a local
/// [`TtlCache`] in front answers repeated reads without a round trip.
///
/// A Redis hit is copied into the local tier with the TTL Redis has left (`PTTL`), so both
/// tiers expire together. Invalidation reaches Redis and this process's local tier, but not
/// the local tiers of other processes: cap how long those may lag with
/// [`local_max_ttl`](SharedCacheBuilder::local_max_ttl).
///
/// Redis failures are typed errors ([`ErrorKind::StoreUnavailable`](crate::ErrorKind)): a
/// failed read is best treated as a miss, a failed write still filled the local tier. Give
/// the [`ConnectionManager`] short connection and response timeouts
/// (`ConnectionManagerConfig`) so a down Redis fails a call quickly instead of stalling it.
///
/// ```no_run
/// use std::time::Duration;
/// use core_cache::SharedCache;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = core_cache::redis::Client::open("redis://127.0.0.1:6379/")?;
/// let conn = client.get_connection_manager().await?;
/// let players = SharedCache::builder(conn, "mybot:coc:players", 10_000).build();
/// players.insert("#8YQ", &b"{\"name\":\"x\"}"[..], Duration::from_secs(600)).await?;
/// assert!(players.get("#8YQ").await?.is_some());
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub struct SharedCache {
    local: TtlCache<String, Bytes>,
    conn: ConnectionManager,
    prefix: Arc<str>,
    local_max_ttl: Option<Duration>,
}

/// Builds a [`SharedCache`]; see [`SharedCache::builder`].
#[must_use]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub struct SharedCacheBuilder {
    conn: ConnectionManager,
    prefix: String,
    local_capacity: u64,
    local_max_ttl: Option<Duration>,
}

impl SharedCache {
    /// A cache whose Redis keys are `prefix:key`, with a local tier of at most
    /// `local_capacity` bytes of bodies.
    pub fn builder(
        conn: ConnectionManager,
        prefix: impl Into<String>,
        local_capacity: u64,
    ) -> SharedCacheBuilder {
        SharedCacheBuilder {
            conn,
            prefix: prefix.into(),
            local_capacity,
            local_max_ttl: None,
        }
    }

    /// The body cached for `key`: from the local tier, else from Redis (then kept locally
    /// for the TTL Redis has left).
    ///
    /// # Errors
    ///
    /// When Redis fails on a local miss; treat it as a miss.
    pub async fn get(&self, key: &str) -> Result<Option<Bytes>, Error> {
        if let Some(body) = self.local.get(key).await {
            return Ok(Some(body));
        }
        let mut conn = self.conn.clone();
        let (body, pttl): (Option<Vec<u8>>, i64) = redis::pipe()
            .get(self.redis_key(key))
            .pttl(self.redis_key(key))
            .query_async(&mut conn)
            .await
            .map_err(|error| {
                tracing::warn!(%error, "shared cache read failed");
                Error::from_redis(error)
            })?;
        let Some(body) = body.map(Bytes::from) else {
            return Ok(None);
        };
        // PTTL is -1 for a key without expiry (written by something else): keep it locally
        // only as long as the cap allows.
        let left = u64::try_from(pttl).ok().map(Duration::from_millis);
        if let Some(ttl) = self.local_ttl(left) {
            self.local
                .insert_with_ttl(key.to_owned(), body.clone(), ttl)
                .await;
        }
        Ok(Some(body))
    }

    /// Stores `body` for `ttl` in both tiers (a zero TTL removes the entry).
    ///
    /// # Errors
    ///
    /// When Redis fails; the local tier was still filled.
    pub async fn insert(
        &self,
        key: &str,
        body: impl Into<Bytes>,
        ttl: Duration,
    ) -> Result<(), Error> {
        let body = body.into();
        let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        if millis == 0 {
            return self.invalidate(key).await;
        }
        if let Some(local_ttl) = self.local_ttl(Some(ttl)) {
            self.local
                .insert_with_ttl(key.to_owned(), body.clone(), local_ttl)
                .await;
        }
        let mut conn = self.conn.clone();
        redis::cmd("SET")
            .arg(self.redis_key(key))
            .arg(&body[..])
            .arg("PX")
            .arg(millis)
            .query_async::<()>(&mut conn)
            .await
            .map_err(|error| {
                tracing::warn!(%error, "shared cache write failed");
                Error::from_redis(error)
            })
    }

    /// Removes `key` from Redis and from this process's local tier.
    ///
    /// # Errors
    ///
    /// When Redis fails; the local entry was still removed.
    pub async fn invalidate(&self, key: &str) -> Result<(), Error> {
        self.local.invalidate(key).await;
        let mut conn = self.conn.clone();
        redis::cmd("DEL")
            .arg(self.redis_key(key))
            .query_async::<()>(&mut conn)
            .await
            .map_err(Error::from_redis)
    }

    /// The local tier (for statistics, or to drop everything local).
    pub fn local(&self) -> &TtlCache<String, Bytes> {
        &self.local
    }

    fn redis_key(&self, key: &str) -> String {
        format!("{}:{key}", self.prefix)
    }

    fn local_ttl(&self, left: Option<Duration>) -> Option<Duration> {
        match (left, self.local_max_ttl) {
            (Some(left), Some(cap)) => Some(left.min(cap)),
            (Some(left), None) => Some(left),
            (None, cap) => cap,
        }
        .filter(|ttl| !ttl.is_zero())
    }
}

impl SharedCacheBuilder {
    /// The longest a body stays in the local tier, whatever its TTL: how long another
    /// process's invalidation may go unseen here (default: no cap).
    pub fn local_max_ttl(mut self, cap: Duration) -> Self {
        self.local_max_ttl = Some(cap);
        self
    }

    /// The cache.
    pub fn build(self) -> SharedCache {
        SharedCache {
            local: TtlCache::builder(self.local_capacity)
                .weigher(|_key: &String, body: &Bytes| {
                    u32::try_from(body.len()).unwrap_or(u32::MAX)
                })
                .build(),
            conn: self.conn,
            prefix: Arc::from(self.prefix),
            local_max_ttl: self.local_max_ttl,
        }
    }
}

impl fmt::Debug for SharedCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedCache")
            .field("prefix", &self.prefix)
            .field("local", &self.local)
            .field("local_max_ttl", &self.local_max_ttl)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for SharedCacheBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedCacheBuilder")
            .field("prefix", &self.prefix)
            .field("local_capacity", &self.local_capacity)
            .field("local_max_ttl", &self.local_max_ttl)
            .finish_non_exhaustive()
    }
}
