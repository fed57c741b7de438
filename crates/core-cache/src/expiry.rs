//! What a [`TtlCache`](crate::TtlCache) stores per entry, and the moka expiry
//! policy that reads it.

use std::time::Duration;

use moka::Expiry;
use tokio::time::Instant;

/// A value with its own TTL and the Tokio-clock deadline derived from it.
#[derive(Clone)]
pub(crate) struct Stored<V> {
    pub(crate) value: V,
    pub(crate) ttl: Option<Duration>,
    pub(crate) deadline: Option<Instant>,
}

impl<V> Stored<V> {
    pub(crate) fn new(value: V, ttl: Option<Duration>) -> Self {
        // A TTL too large for an Instant means "never" (moka saturates likewise).
        let deadline = ttl.and_then(|ttl| Instant::now().checked_add(ttl));
        Self {
            value,
            ttl,
            deadline,
        }
    }

    pub(crate) fn is_expired(&self, now: Instant) -> bool {
        self.deadline.is_some_and(|deadline| now >= deadline)
    }
}

/// Tells moka each entry's own TTL so it reclaims memory on its own clock; the
/// authoritative freshness check is [`Stored::is_expired`] on the Tokio clock.
pub(crate) struct PerEntryTtl;

impl<K, V> Expiry<K, Stored<V>> for PerEntryTtl {
    fn expire_after_create(
        &self,
        _key: &K,
        value: &Stored<V>,
        _created_at: std::time::Instant,
    ) -> Option<Duration> {
        value.ttl
    }

    fn expire_after_update(
        &self,
        _key: &K,
        value: &Stored<V>,
        _updated_at: std::time::Instant,
        _duration_until_expiry: Option<Duration>,
    ) -> Option<Duration> {
        // A replaced value brings its own TTL; the old deadline no longer applies.
        value.ttl
    }
}
