//! The size report every cache gives.

/// How full a [`TtlCache`](crate::TtlCache) is.
///
/// moka updates its counters in batches, so both figures can trail recent
/// writes; call [`TtlCache::run_pending_tasks`](crate::TtlCache::run_pending_tasks)
/// first when you need them current (tests, shutdown reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CacheStats {
    /// Entries held, including ones past their TTL that were not reclaimed yet.
    pub entries: u64,
    /// Sum of the entries' weights (1 each unless the cache has a weigher).
    pub weighted_size: u64,
}
