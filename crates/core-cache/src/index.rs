//! A sharded concurrent map for hot lookups that need no expiry.

use std::{borrow::Borrow, fmt, hash::Hash, mem};

use dashmap::DashMap;
use foldhash::fast::RandomState;

/// A concurrent map (dashmap underneath) for lookups on the hot path, such as
/// guild → channel ids or channel → guild, that live as long as the gateway
/// says they do rather than for a TTL.
///
/// Keys are hashed with foldhash (seeded per index, several times faster than
/// the standard library's SipHash on the small keys indexes hold, such as ids).
///
/// Reads and writes lock one shard briefly; no method hands out a guard, so a
/// caller cannot deadlock by holding one across another call. Reads (`get`,
/// `read`, `for_each`) take shared locks, so readers never wait for each other.
///
/// ```
/// use core_cache::Index;
///
/// let channels: Index<u64, Vec<u64>> = Index::new();
/// channels.upsert(1, |ids| ids.push(10));
/// channels.upsert(1, |ids| ids.push(11));
/// assert_eq!(channels.get(&1), Some(vec![10, 11]));
/// assert_eq!(channels.len(), 1);
/// assert!(channels.approx_memory_bytes() > 0);
/// ```
pub struct Index<K, V> {
    map: DashMap<K, V, RandomState>,
}

impl<K: Hash + Eq, V> Default for Index<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Hash + Eq, V> fmt::Debug for Index<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Index")
            .field("len", &self.map.len())
            .finish_non_exhaustive()
    }
}

impl<K: Hash + Eq, V> Index<K, V> {
    /// An empty index.
    pub fn new() -> Self {
        Self {
            map: DashMap::with_hasher(RandomState::default()),
        }
    }

    /// An empty index with room for `capacity` entries before it reallocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            map: DashMap::with_capacity_and_hasher(capacity, RandomState::default()),
        }
    }

    /// Sets the value for `key`, returning the previous one.
    pub fn insert(&self, key: K, value: V) -> Option<V> {
        self.map.insert(key, value)
    }

    /// A clone of the value for `key`. Prefer cheap-to-clone values
    /// (`Arc<[Id]>`, small `Vec`s) for hot keys.
    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
        V: Clone,
    {
        self.map.get(key).map(|entry| entry.value().clone())
    }

    /// Runs `read` on the value for `key` without cloning it.
    ///
    /// The key's shard is read-locked while `read` runs: keep it short and do
    /// not write to this index from inside it.
    pub fn read<Q, R>(&self, key: &Q, read: impl FnOnce(&V) -> R) -> Option<R>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.get(key).map(|entry| read(entry.value()))
    }

    /// Changes the value for `key` in place if there is one, returning what
    /// `update` returns; `None` (and no entry created) when there is none.
    ///
    /// The key's shard is write-locked while `update` runs: keep it short and do
    /// not touch this index from inside it.
    pub fn modify<Q, R>(&self, key: &Q, update: impl FnOnce(&mut V) -> R) -> Option<R>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map
            .get_mut(key)
            .map(|mut entry| update(entry.value_mut()))
    }

    /// Runs `visit` on every entry, holding a shared (read) lock on one shard
    /// at a time: other readers go on meanwhile, writers to that shard wait.
    ///
    /// Do not write to this index from inside `visit` (that shard is locked);
    /// entries written meanwhile by other threads may or may not be seen.
    ///
    /// ```
    /// use core_cache::Index;
    ///
    /// let members: Index<u64, Vec<u64>> = Index::new();
    /// members.insert(1, vec![10, 11]);
    /// members.insert(2, vec![12]);
    /// let mut total = 0;
    /// members.for_each(|_guild, users| total += users.len());
    /// assert_eq!(total, 3);
    /// ```
    pub fn for_each(&self, mut visit: impl FnMut(&K, &V)) {
        for entry in &self.map {
            visit(entry.key(), entry.value());
        }
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.contains_key(key)
    }

    /// Changes the value for `key` in place, starting from `V::default()` when
    /// there is none — one atomic step, so concurrent upserts never lose a write.
    ///
    /// The key's shard is write-locked while `update` runs: keep it short and do
    /// not touch this index from inside it.
    pub fn upsert(&self, key: K, update: impl FnOnce(&mut V))
    where
        V: Default,
    {
        update(&mut self.map.entry(key).or_default());
    }

    /// Removes and returns the value for `key`.
    pub fn remove<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.remove(key).map(|(_, value)| value)
    }

    /// Keeps only the entries for which `keep` returns true.
    pub fn retain(&self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.map.retain(|key, value| keep(key, value));
    }

    /// Removes every entry (the allocated table is kept).
    pub fn clear(&self) {
        self.map.clear();
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// A rough figure of the bytes this index occupies, for dashboards.
    ///
    /// It is `size_of`-based: the allocated slots times
    /// `size_of::<(K, V)>() + 1` (the hash table's control byte), plus the
    /// index itself. It does **not** count heap memory owned by keys or values
    /// (a `Vec`'s buffer, a `String`'s bytes) nor the table's power-of-two
    /// rounding and per-shard headers, so treat it as a lower bound that tracks
    /// growth, not an exact measurement.
    pub fn approx_memory_bytes(&self) -> usize {
        let slot = mem::size_of::<(K, V)>() + 1;
        self.map
            .capacity()
            .saturating_mul(slot)
            .saturating_add(mem::size_of::<Self>())
    }
}
