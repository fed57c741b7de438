//! A FIFO of async waiters in front of a synchronous admission check.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Callers that could not be admitted at once wait here in arrival order (tokio's mutex is
/// fair); only the caller at the head sleeps on the limiter, so a burst of waiters costs one
/// timer, not one per waiter. While anyone waits, newcomers queue instead of overtaking.
#[derive(Debug, Default)]
pub(crate) struct Lane {
    waiting: AtomicUsize,
    head: tokio::sync::Mutex<()>,
}

/// Decrements the waiter count however the wait ends (admitted or cancelled).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Lane {
    /// Whether `attempt` succeeded at once, tried only when nobody waits (so a caller here
    /// never overtakes a queued one).
    pub(crate) fn try_acquire_unqueued(&self, attempt: impl Fn() -> Result<(), Duration>) -> bool {
        self.waiting.load(Ordering::Acquire) == 0 && attempt().is_ok()
    }

    /// Waits until `attempt` succeeds. `attempt` returns how long to sleep before retrying.
    /// Returns whether the caller had to queue.
    ///
    /// Cancel-safe: dropping the future before it completes consumes nothing.
    pub(crate) async fn acquire(&self, attempt: impl Fn() -> Result<(), Duration>) -> bool {
        if self.try_acquire_unqueued(&attempt) {
            return false;
        }
        self.waiting.fetch_add(1, Ordering::AcqRel);
        let _waiting = Waiting(&self.waiting);
        let _head = self.head.lock().await;
        loop {
            match attempt() {
                Ok(()) => return true,
                Err(wait) => tokio::time::sleep(wait).await,
            }
        }
    }
}
