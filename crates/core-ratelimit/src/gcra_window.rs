//! [`GcraWindow`]: the constant-memory backend, governor's GCRA configured so the real window
//! limit holds.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

use crate::{TokioClock, WindowBackend};

type Gcra =
    RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<governor::nanos::Nanos>>;

/// A window limiter on [`governor`]'s GCRA (lock-free, 8 bytes of state), with burst and
/// period chosen so that at most `limit` acquisitions fall in any window.
///
/// # Why not `Quota::per_minute(limit)`
///
/// A GCRA with burst `b` and emission interval `T` admits `b` cells at once and then one
/// every `T`, so a closed interval of length `W` can hold `b + ⌊W / T⌋` of them. governor's
/// `Quota::per_minute(120)` means `b = 120, T = 0.5 s`: up to 240 in the first minute, twice
/// Discord's 120 / 60 s (the test `naive_governor_quota_doubles_the_first_window` shows it).
/// Here `T = ⌊W / (limit − b + 1)⌋ + 1 ns`, which makes `⌊W / T⌋ ≤ limit − b` and so
/// `b + ⌊W / T⌋ ≤ limit` for every window.
///
/// The trade-off is between burst and sustained rate: `b` at once, then about `limit − b`
/// per window. [`WindowLimiter::new`](crate::WindowLimiter::new) only uses this backend above
/// [`SlidingLog::MAX_LIMIT`](crate::SlidingLog::MAX_LIMIT), with `b = limit / 2`; protocol
/// limits get the exact [`SlidingLog`](crate::SlidingLog), which has neither cost.
///
/// ```
/// use std::{num::NonZeroU32, time::Duration};
/// use core_ratelimit::{GcraWindow, WindowBackend};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let gcra = GcraWindow::new(
///     NonZeroU32::new(10).unwrap(),
///     Duration::from_secs(1),
///     NonZeroU32::new(5).unwrap(),
/// );
/// for _ in 0..5 {
///     assert!(gcra.try_acquire().is_ok());
/// }
/// assert!(gcra.try_acquire().is_err());
/// # }
/// ```
#[derive(Debug)]
pub struct GcraWindow {
    limit: u32,
    window: Duration,
    burst: u32,
    limiter: Gcra,
}

impl GcraWindow {
    /// At most `limit` in any window of length `window`, allowing bursts of `burst` (capped at
    /// `limit`).
    pub fn new(limit: NonZeroU32, window: Duration, burst: NonZeroU32) -> Self {
        let burst = burst.min(limit);
        let cells_after_burst = u128::from(limit.get() - burst.get()) + 1;
        let period_nanos = window.as_nanos() / cells_after_burst + 1;
        let period = Duration::from_nanos(u64::try_from(period_nanos).unwrap_or(u64::MAX));
        // `with_period` only refuses a zero period, and `period` is at least 1 ns.
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        Self {
            limit: limit.get(),
            window,
            burst: burst.get(),
            limiter: RateLimiter::direct_with_clock(quota, TokioClock::new()),
        }
    }

    /// The burst this limiter allows at once.
    pub fn burst(&self) -> u32 {
        self.burst
    }
}

impl WindowBackend for GcraWindow {
    fn limit(&self) -> u32 {
        self.limit
    }

    fn window(&self) -> Duration {
        self.window
    }

    fn try_acquire(&self) -> Result<(), Duration> {
        self.limiter.check().map_err(|not_until| {
            not_until
                .wait_time_from(self.limiter.clock().now())
                .max(Duration::from_nanos(1))
        })
    }
}
