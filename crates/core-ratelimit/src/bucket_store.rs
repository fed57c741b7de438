//! [`BucketStore`]: where a [`BucketLimiter`](crate::BucketLimiter) keeps what it learned.

use std::fmt;
use std::sync::Arc;

use dashmap::DashMap;
use foldhash::fast::RandomState;

use crate::{BucketId, BucketState};

/// The state behind a [`BucketLimiter`](crate::BucketLimiter): per-bucket
/// [`BucketState`]s and the route → bucket-hash map learned from `X-RateLimit-Bucket`.
///
/// [`MemoryBucketStore`] is the in-process implementation. The trait is synchronous (it runs
/// under the bucket queue's lock on every request), so it is not how limits are shared
/// between processes: a network store cannot answer synchronously. For that, feature
/// `redis` has `RedisBucketLimiter`, whose whole admission (bucket and global limit) is one
/// async Lua script, usable as a `BucketLimiter` through `BucketLimiter::from`.
///
/// # Contract
///
/// [`update`](Self::update) must run `f` atomically with respect to every other `update` of
/// the same bucket (the admission rules read and write several fields at once), and `f` must
/// see the latest state. It is called on every request, so keep it fast; `f` itself never
/// calls back into the store.
pub trait BucketStore: Send + Sync + fmt::Debug {
    /// Atomically applies `f` to the state of `bucket` (the default state if the bucket is
    /// new).
    fn update(&self, bucket: &BucketId, f: &mut dyn FnMut(&mut BucketState));

    /// Forgets the state of `bucket` (a provisional bucket whose route turned out to share a
    /// server bucket).
    fn remove(&self, bucket: &BucketId);

    /// The bucket hash the server reported for a route template, if one was learned.
    fn route_bucket(&self, route: &str) -> Option<Arc<str>>;

    /// Records the bucket hash the server reported for a route template.
    fn set_route_bucket(&self, route: &str, hash: &str);
}

/// The in-memory [`BucketStore`]: concurrent maps, one lock per shard.
///
/// Entries are never evicted: Discord has a few hundred route templates, and buckets grow
/// with the number of distinct major parameters (channels, guilds) a process talks to.
///
/// [`BucketLimiter::new`](crate::BucketLimiter::new) keeps bucket states next to its queues
/// instead (one map lookup less per request) and uses this store for the route map only;
/// pass one to [`BucketLimiter::with_store`](crate::BucketLimiter::with_store) to keep the
/// states here, where [`get`](Self::get) can read them.
#[derive(Debug, Default)]
pub struct MemoryBucketStore {
    // foldhash, not SipHash: these maps are looked up on every request, and their keys are
    // this process's own routes and ids.
    states: DashMap<BucketId, BucketState, RandomState>,
    routes: DashMap<Arc<str>, Arc<str>, RandomState>,
}

impl MemoryBucketStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of the state of `bucket`, if it has one.
    pub fn get(&self, bucket: &BucketId) -> Option<BucketState> {
        self.states.get(bucket).map(|state| state.clone())
    }

    /// How many buckets have state.
    pub fn len(&self) -> usize {
        self.states.len()
    }

    /// Whether no bucket has state yet.
    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
}

impl BucketStore for MemoryBucketStore {
    fn update(&self, bucket: &BucketId, f: &mut dyn FnMut(&mut BucketState)) {
        // The shard's write lock is held while `f` runs: that is the atomicity.
        if let Some(mut state) = self.states.get_mut(bucket) {
            f(&mut state);
            return;
        }
        f(&mut self.states.entry(bucket.clone()).or_default());
    }

    fn remove(&self, bucket: &BucketId) {
        self.states.remove(bucket);
    }

    fn route_bucket(&self, route: &str) -> Option<Arc<str>> {
        self.routes.get(route).map(|hash| Arc::clone(&hash))
    }

    fn set_route_bucket(&self, route: &str, hash: &str) {
        if self.routes.get(route).is_some_and(|known| &**known == hash) {
            return;
        }
        self.routes.insert(Arc::from(route), Arc::from(hash));
    }
}
