//! A bounded async cache where every entry carries its own time to live.

use std::{borrow::Borrow, fmt, hash::Hash, sync::Arc, time::Duration};

use moka::{future::Cache, ops::compute::Op};
use tokio::time::Instant;

use crate::{
    CacheStats,
    expiry::{PerEntryTtl, Stored},
};

type Weigher<K, V> = Arc<dyn Fn(&K, &V) -> u32 + Send + Sync>;

/// A bounded cache (moka's async cache underneath) in which each entry has its
/// own TTL — typically a response's `Cache-Control: max-age`.
///
/// **Two clocks, one answer.** Each entry records its deadline on the Tokio
/// clock when inserted, and [`get`](Self::get) compares against it: that check
/// is authoritative, and it is why tests can drive expiry exactly with
/// `tokio::time::pause()` / `advance`. moka also gets each entry's TTL (through
/// its `Expiry` policy) so it reclaims expired entries on its own (real) clock
/// without anyone reading them; a `get` that finds an entry past its Tokio
/// deadline removes it. Under real time the two deadlines are the same
/// instant, give or take the microseconds between the two `now()` calls.
///
/// Capacity is in weight units: one per entry by default, or what the
/// [`weigher`](TtlCacheBuilder::weigher) says (bytes, typically); with
/// [`max_entries`](TtlCacheBuilder::max_entries) the entry count is capped as
/// well. Beyond it moka evicts by its TinyLFU policy. Cloning is cheap and
/// clones share the entries.
///
/// ```
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() {
/// use std::time::Duration;
/// use core_cache::{CacheControl, TtlCache};
///
/// let clans: TtlCache<String, String> = TtlCache::new(10_000);
/// let header = CacheControl::parse("public max-age=120");
/// if let Some(ttl) = header.ttl() {
///     clans.insert_with_ttl("#2PP".to_owned(), "{...}".to_owned(), ttl).await;
/// }
/// assert!(clans.get("#2PP").await.is_some());
///
/// tokio::time::advance(Duration::from_secs(120)).await;
/// assert!(clans.get("#2PP").await.is_none());
/// # }
/// ```
pub struct TtlCache<K, V> {
    inner: Cache<K, Stored<V>>,
    default_ttl: Option<Duration>,
}

impl<K, V> Clone for TtlCache<K, V> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            default_ttl: self.default_ttl,
        }
    }
}

impl<K, V> fmt::Debug for TtlCache<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TtlCache")
            .field("entries", &self.inner.entry_count())
            .field("weighted_size", &self.inner.weighted_size())
            .field("default_ttl", &self.default_ttl)
            .finish_non_exhaustive()
    }
}

impl<K, V> TtlCache<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    /// A cache of at most `max_capacity` entries, with no default TTL.
    pub fn new(max_capacity: u64) -> Self {
        Self::builder(max_capacity).build()
    }

    /// Starts configuring a cache whose total weight stays within `max_capacity`.
    pub fn builder(max_capacity: u64) -> TtlCacheBuilder<K, V> {
        TtlCacheBuilder {
            max_capacity,
            max_entries: None,
            default_ttl: None,
            weigher: None,
        }
    }

    /// Stores `value` with the cache's default TTL (or none: it then stays until
    /// evicted for capacity or invalidated).
    pub async fn insert(&self, key: K, value: V) {
        self.inner
            .insert(key, Stored::new(value, self.default_ttl))
            .await;
    }

    /// Stores `value` for `ttl`, replacing any previous value and its TTL.
    ///
    /// A zero TTL (`max-age=0`) means "already stale": nothing is stored, and a
    /// previous value for `key` is removed.
    pub async fn insert_with_ttl(&self, key: K, value: V, ttl: Duration) {
        if ttl.is_zero() {
            self.inner.invalidate(&key).await;
            return;
        }
        self.inner.insert(key, Stored::new(value, Some(ttl))).await;
    }

    /// A clone of the value for `key`, if present and not past its TTL.
    /// Wrap large values in `Arc` to make this cheap.
    ///
    /// `Q: ToOwned<Owned = K>` (moka's entry API needs it to drop an expired
    /// entry race-free) holds for the usual keys: `String` looked up by `&str`,
    /// ids by `&Id`. With `&'static str` keys, look up by `&"key"`.
    pub async fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        self.get_with_deadline(key).await.map(|(value, _)| value)
    }

    /// Like [`get`](Self::get), also returning when the entry expires (on the
    /// Tokio clock; `None` for no TTL) — the earliest moment worth refetching.
    pub async fn get_with_deadline<Q>(&self, key: &Q) -> Option<(V, Option<Instant>)>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        let stored = self.inner.get(key).await?;
        if !stored.is_expired(Instant::now()) {
            return Some((stored.value, stored.deadline));
        }
        // Remove it only if it is *still* expired: a fresh value inserted since
        // our read must survive.
        self.inner
            .entry_by_ref(key)
            .and_compute_with(|current| {
                let op = match current {
                    Some(entry) if entry.value().is_expired(Instant::now()) => Op::Remove,
                    _ => Op::Nop,
                };
                std::future::ready(op)
            })
            .await;
        None
    }

    /// Removes the value for `key`, if any.
    pub async fn invalidate<Q>(&self, key: &Q)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.inner.invalidate(key).await;
    }

    /// Removes every value. Counts drop once moka's pending tasks have run.
    pub fn invalidate_all(&self) {
        self.inner.invalidate_all();
    }

    /// Entries held (approximate until [`run_pending_tasks`](Self::run_pending_tasks)).
    pub fn entry_count(&self) -> u64 {
        self.inner.entry_count()
    }

    /// Total weight held (approximate until [`run_pending_tasks`](Self::run_pending_tasks)).
    pub fn weighted_size(&self) -> u64 {
        self.inner.weighted_size()
    }

    /// Both counters at once.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            entries: self.entry_count(),
            weighted_size: self.weighted_size(),
        }
    }

    /// Applies moka's buffered bookkeeping now (evictions, expirations,
    /// counters). moka does this by itself as the cache is used; call it when
    /// you need exact [`stats`](Self::stats).
    pub async fn run_pending_tasks(&self) {
        self.inner.run_pending_tasks().await;
    }
}

/// Configures a [`TtlCache`]; start with [`TtlCache::builder`].
#[must_use = "a builder does nothing until .build() is called"]
pub struct TtlCacheBuilder<K, V> {
    max_capacity: u64,
    max_entries: Option<u64>,
    default_ttl: Option<Duration>,
    weigher: Option<Weigher<K, V>>,
}

impl<K, V> fmt::Debug for TtlCacheBuilder<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TtlCacheBuilder")
            .field("max_capacity", &self.max_capacity)
            .field("max_entries", &self.max_entries)
            .field("default_ttl", &self.default_ttl)
            .field("weigher", &self.weigher.is_some())
            .finish()
    }
}

impl<K, V> TtlCacheBuilder<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    /// TTL for values stored with [`TtlCache::insert`]. A zero TTL is ignored
    /// (there would be no point caching).
    pub fn default_ttl(mut self, ttl: Duration) -> Self {
        self.default_ttl = (!ttl.is_zero()).then_some(ttl);
        self
    }

    /// Weighs each entry, e.g. by its size in bytes; `max_capacity` and
    /// `weighted_size` are then in those units. Without one every entry weighs 1.
    pub fn weigher(mut self, weigher: impl Fn(&K, &V) -> u32 + Send + Sync + 'static) -> Self {
        self.weigher = Some(Arc::new(weigher));
        self
    }

    /// Caps the number of entries too, not only their total weight: a cache
    /// weighed in bytes then holds neither more bytes than its capacity nor more
    /// entries than `max_entries`. moka has one capacity, so each entry weighs
    /// at least `capacity / max_entries` (rounded up): the weight cap then
    /// implies the entry cap. Small entries count for more than their size,
    /// which keeps both caps conservative, never over. Without a weigher the
    /// capacity is simply the smaller of the two.
    pub fn max_entries(mut self, max_entries: u64) -> Self {
        self.max_entries = Some(max_entries.max(1));
        self
    }

    /// Builds the cache.
    pub fn build(self) -> TtlCache<K, V> {
        let capacity = match (self.max_entries, &self.weigher) {
            (Some(entries), None) => self.max_capacity.min(entries),
            _ => self.max_capacity,
        };
        let mut builder = Cache::builder()
            .max_capacity(capacity)
            .expire_after(PerEntryTtl);
        if let Some(weigher) = self.weigher {
            let floor = self.max_entries.map_or(0, |entries| {
                u32::try_from(self.max_capacity.div_ceil(entries)).unwrap_or(u32::MAX)
            });
            builder = builder
                .weigher(move |key: &K, stored: &Stored<V>| weigher(key, &stored.value).max(floor));
        }
        TtlCache {
            inner: builder.build(),
            default_ttl: self.default_ttl,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::TtlCache;

    /// moka must see each entry's own TTL, or it would never reclaim unread
    /// entries. moka has no public mock clock, so this one test uses real time:
    /// a tiny TTL and a single sleep well past it, asserting only "expired",
    /// never how soon. (moka's *reclamation* timer wheel ticks in ~1 s buckets,
    /// so we ask moka's precise per-entry check, `contains_key`, instead of
    /// waiting for the entry count to drop.)
    #[tokio::test]
    async fn moka_expires_entries_by_their_own_ttl_on_its_own_clock() {
        let cache: TtlCache<u8, u8> = TtlCache::builder(100)
            .default_ttl(Duration::from_hours(1))
            .build();
        cache.insert_with_ttl(1, 1, Duration::from_millis(20)).await;
        cache.insert(2, 2).await; // default TTL, an hour
        cache.insert_with_ttl(3, 3, Duration::from_hours(1)).await;
        // Replacing brings the new, shorter TTL to moka as well.
        cache.insert_with_ttl(3, 3, Duration::from_millis(20)).await;

        tokio::time::sleep(Duration::from_millis(60)).await;

        assert!(!cache.inner.contains_key(&1));
        assert!(cache.inner.contains_key(&2));
        assert!(!cache.inner.contains_key(&3));
    }
}
