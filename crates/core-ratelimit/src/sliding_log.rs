//! [`SlidingLog`]: the exact sliding-window backend (a ring of the last `limit` instants).

use std::fmt;
use std::num::NonZeroU32;
use std::time::Duration;

use parking_lot::Mutex;
use tokio::time::Instant;

use crate::WindowBackend;

/// An exact sliding-window limiter: it remembers the instants of the last `limit`
/// acquisitions and admits a new one only when the oldest of them is more than `window` ago.
///
/// Guarantee: any closed interval of length `window` contains at most `limit` acquisitions
/// (the platform's limit holds over *every* window, not only aligned ones), while a full burst
/// of `limit` is still allowed at any moment the window is empty. Compared with a GCRA (token
/// bucket) configured to the same guarantee, it gives both the full burst and the full
/// sustained rate; the price is `8 × limit` bytes of memory, allocated as it is used. That is
/// why [`WindowLimiter::new`](crate::WindowLimiter::new) uses it up to
/// [`SlidingLog::MAX_LIMIT`] and [`GcraWindow`](crate::GcraWindow) above.
///
/// [`SlidingLog::try_acquire_within`] also admits against a *lower* threshold, which is how
/// [`SendQueue`](crate::SendQueue) keeps capacity for heartbeats in the same log.
///
/// ```
/// use std::{num::NonZeroU32, time::Duration};
/// use core_ratelimit::{SlidingLog, WindowBackend};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let log = SlidingLog::new(NonZeroU32::new(2).unwrap(), Duration::from_secs(1));
/// assert!(log.try_acquire().is_ok());
/// assert!(log.try_acquire().is_ok());
/// let wait = log.try_acquire().unwrap_err();
/// assert!(wait <= Duration::from_secs(1) + Duration::from_nanos(1));
/// # }
/// ```
pub struct SlidingLog {
    limit: u32,
    window: Duration,
    window_nanos: u64,
    base: Instant,
    ring: Mutex<Ring>,
}

/// The last `limit` acquisition instants (nanoseconds since `base`), oldest at `next` once
/// the ring is full.
struct Ring {
    stamps: Vec<u64>,
    next: usize,
}

impl SlidingLog {
    /// The largest limit [`WindowLimiter::new`](crate::WindowLimiter::new) gives a sliding log
    /// (128 KiB of instants at most); larger limits get a [`GcraWindow`](crate::GcraWindow).
    pub const MAX_LIMIT: u32 = 16_384;

    /// At most `limit` acquisitions in any window of length `window`.
    pub fn new(limit: NonZeroU32, window: Duration) -> Self {
        let limit = limit.get();
        Self {
            limit,
            window,
            window_nanos: u64::try_from(window.as_nanos()).unwrap_or(u64::MAX / 4),
            base: Instant::now(),
            ring: Mutex::new(Ring {
                stamps: Vec::with_capacity(limit.min(64) as usize),
                next: 0,
            }),
        }
    }

    /// Records one acquisition now if fewer than `allowed` acquisitions happened in the
    /// window ending now (`allowed` is capped at the limit, and at least 1); otherwise
    /// returns how long until that is true.
    pub fn try_acquire_within(&self, allowed: u32) -> Result<(), Duration> {
        let allowed = allowed.clamp(1, self.limit) as usize;
        let mut ring = self.ring.lock();
        // Read the clock under the lock so the ring stays sorted.
        let now = u64::try_from(self.base.elapsed().as_nanos()).unwrap_or(u64::MAX / 2);
        let len = ring.stamps.len();
        if len >= allowed {
            // The `allowed`-th most recent acquisition must have left the window. `+ 1`:
            // windows are closed intervals, so one exactly `window` ago still counts.
            let index = (ring.next + len - allowed) % len;
            let earliest = ring.stamps[index]
                .saturating_add(self.window_nanos)
                .saturating_add(1);
            if now < earliest {
                return Err(Duration::from_nanos(earliest - now));
            }
        }
        if len < self.limit as usize {
            ring.stamps.push(now);
            ring.next = (len + 1) % self.limit as usize;
        } else {
            let next = ring.next;
            ring.stamps[next] = now;
            ring.next = (next + 1) % len;
        }
        Ok(())
    }
}

impl fmt::Debug for SlidingLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The ring can hold thousands of instants: show how full it is, not its contents.
        let recorded = self.ring.lock().stamps.len();
        f.debug_struct("SlidingLog")
            .field("limit", &self.limit)
            .field("window", &self.window)
            .field("recorded", &recorded)
            .finish_non_exhaustive()
    }
}

impl WindowBackend for SlidingLog {
    fn limit(&self) -> u32 {
        self.limit
    }

    fn window(&self) -> Duration {
        self.window
    }

    fn try_acquire(&self) -> Result<(), Duration> {
        self.try_acquire_within(self.limit)
    }
}
