//! [`TokioClock`]: governor's clock driven by tokio's time, so paused-clock tests see it.

use governor::clock::Clock;
use governor::nanos::Nanos;
use tokio::time::Instant;

/// A [`governor`] clock that reads [`tokio::time::Instant`].
///
/// governor's default clock (quanta) ignores `tokio::time::pause()`, so a limiter built on it
/// cannot be tested with paused time, and its waits would not line up with tokio's timers.
/// This clock reports nanoseconds since its creation as measured by tokio, which follows
/// pause/advance in tests and is the monotonic system clock otherwise.
///
/// ```
/// use std::num::NonZeroU32;
/// use core_ratelimit::TokioClock;
/// use governor::{Quota, RateLimiter};
///
/// let limiter = RateLimiter::direct_with_clock(
///     Quota::per_second(NonZeroU32::new(2).unwrap()),
///     TokioClock::new(),
/// );
/// assert!(limiter.check().is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokioClock {
    base: Instant,
}

impl TokioClock {
    /// A clock whose zero is now.
    pub fn new() -> Self {
        Self {
            base: Instant::now(),
        }
    }

    /// The tokio instant a reading of this clock corresponds to.
    pub fn instant_at(&self, reading: Nanos) -> Instant {
        self.base + std::time::Duration::from(reading)
    }
}

impl Default for TokioClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for TokioClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        Nanos::from(self.base.elapsed())
    }
}
