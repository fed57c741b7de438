//! Counters shared by a hub and everything listening to it.

use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of an [`EventHub`](crate::EventHub)'s health, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct HubStats {
    /// Live receivers: listeners, pending `once`/`wait_for` futures and streams.
    pub receivers: usize,
    /// Events dropped for slow receivers since the hub was created, summed over
    /// every receiver (a receiver that misses 3 events adds 3).
    pub missed: u64,
    /// Handler invocations that panicked (the listener survived each one).
    pub handler_panics: u64,
}

/// Lag and panic counters; one set per hub, one per listener.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    missed: AtomicU64,
    panics: AtomicU64,
}

impl Counters {
    pub(crate) fn add_missed(&self, missed: u64) {
        self.missed.fetch_add(missed, Ordering::Relaxed);
    }

    pub(crate) fn add_panic(&self) {
        self.panics.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn missed(&self) -> u64 {
        self.missed.load(Ordering::Relaxed)
    }

    pub(crate) fn panics(&self) -> u64 {
        self.panics.load(Ordering::Relaxed)
    }
}
