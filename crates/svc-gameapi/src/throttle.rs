//! Per-key request throttling: each API key sends at most N requests per second, spaced
//! evenly, so a burst of calls never meets a 429.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use tokio::time::Instant;

/// governor's clock read from tokio's, so waits line up with tokio timers and paused-time
/// tests drive the limiter (governor's default clock ignores `tokio::time::pause`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokioClock {
    base: Instant,
}

impl TokioClock {
    fn new() -> Self {
        Self {
            base: Instant::now(),
        }
    }
}

impl Clock for TokioClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        Nanos::from(self.base.elapsed())
    }
}

/// Spaces one key's requests `1 s / per_second` apart (burst of one).
///
/// A burst allowance would let ~2× the rate through in the first second (governor's burst
/// semantics), and the API counts per rolling second, so the limiter only spaces. The
/// period is rounded *up* to the nanosecond so `per_second` requests never fit in one second.
pub(crate) struct KeyThrottle {
    limiter: RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Nanos>>,
    clock: TokioClock,
}

impl std::fmt::Debug for KeyThrottle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyThrottle").finish_non_exhaustive()
    }
}

impl KeyThrottle {
    pub(crate) fn new(per_second: NonZeroU32) -> Self {
        let period = Duration::from_nanos(1_000_000_000_u64.div_ceil(u64::from(per_second.get())));
        let quota = Quota::with_period(period).unwrap_or_else(|| Quota::per_second(per_second));
        let clock = TokioClock::new();
        Self {
            limiter: RateLimiter::direct_with_clock(quota, clock),
            clock,
        }
    }

    /// Waits until this key may send.
    pub(crate) async fn ready(&self) {
        loop {
            match self.limiter.check() {
                Ok(()) => return,
                Err(not_until) => {
                    let at = self.clock.base + Duration::from(not_until.earliest_possible());
                    tokio::time::sleep_until(at).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spaces_requests_evenly() {
        let throttle = KeyThrottle::new(NonZeroU32::new(30).unwrap());
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..61 {
            throttle.ready().await;
            times.push(start.elapsed());
        }
        // 30 per second: the 31st request waits a whole second after the first.
        assert!(times[30] >= Duration::from_secs(1), "{:?}", times[30]);
        assert!(times[60] >= Duration::from_secs(2));
        // tokio timers have millisecond resolution, so each 33.3 ms gap becomes 34 ms.
        assert!(times[60] <= Duration::from_millis(2060), "{:?}", times[60]);
    }
}
