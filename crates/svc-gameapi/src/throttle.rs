//! Per-key request throttling: each API key sends at most N requests per second, spaced
//! evenly, so a burst of calls never meets a 429.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use core_ratelimit::{GcraWindow, WindowLimiter};

/// Spaces one key's requests evenly: at most `per_second` in any second, with a burst of one.
///
/// The API counts per rolling second on its own clock, so a full burst at the start of a
/// window could meet a 429 when network jitter squeezes the gaps; spacing the requests
/// leaves that margin. core-ratelimit's `GcraWindow` with burst 1 does exactly this on
/// tokio's clock (so paused-time tests drive it).
#[derive(Debug)]
pub(crate) struct KeyThrottle {
    limiter: WindowLimiter,
}

impl KeyThrottle {
    pub(crate) fn new(per_second: NonZeroU32) -> Self {
        let spacing = GcraWindow::new(per_second, Duration::from_secs(1), NonZeroU32::MIN);
        Self {
            limiter: WindowLimiter::with_backend(Arc::new(spacing)),
        }
    }

    /// Waits until this key may send.
    pub(crate) async fn ready(&self) {
        self.limiter.acquire().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::Instant;

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
