//! [`WindowLimiter`]: at most `limit` acquisitions in any sliding window.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use crate::lane::Lane;
use crate::{GcraWindow, RetryAfter, SlidingLog, WindowBackend};

/// At most `limit` acquisitions in *any* window of length `window` (not only in aligned
/// windows), with async waiting in FIFO order.
///
/// Cloning is cheap and clones share the limit. Built for platform rules such as Twitch chat's
/// "20 JOINs per 10 s" or Discord's global "50 requests per second".
///
/// ```
/// use std::{num::NonZeroU32, time::Duration};
/// use core_ratelimit::WindowLimiter;
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
/// let joins = WindowLimiter::new(NonZeroU32::new(20).unwrap(), Duration::from_secs(10));
/// let start = tokio::time::Instant::now();
/// for _ in 0..21 {
///     joins.acquire().await;
/// }
/// // The 21st JOIN had to wait for the first to leave the window.
/// assert!(start.elapsed() > Duration::from_secs(10));
/// # }
/// ```
#[derive(Clone)]
pub struct WindowLimiter {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Arc<dyn WindowBackend>,
    lane: Lane,
}

impl WindowLimiter {
    /// At most `limit` acquisitions in any window of length `window`.
    ///
    /// Up to [`SlidingLog::MAX_LIMIT`] the state is an exact [`SlidingLog`] (full burst and
    /// full sustained rate); above it, a constant-memory [`GcraWindow`] with burst
    /// `limit / 2`, which still never exceeds the limit in any window.
    pub fn new(limit: NonZeroU32, window: Duration) -> Self {
        let backend: Arc<dyn WindowBackend> = if limit.get() <= SlidingLog::MAX_LIMIT {
            Arc::new(SlidingLog::new(limit, window))
        } else {
            let burst = NonZeroU32::new(limit.get() / 2).unwrap_or(NonZeroU32::MIN);
            Arc::new(GcraWindow::new(limit, window, burst))
        };
        Self::with_backend(backend)
    }

    /// A limiter whose state lives in `backend` (for example one shared between processes).
    pub fn with_backend(backend: Arc<dyn WindowBackend>) -> Self {
        Self {
            inner: Arc::new(Inner {
                backend,
                lane: Lane::default(),
            }),
        }
    }

    /// Waits (on tokio time) until the window allows one more acquisition, then takes it.
    ///
    /// Waiters are served in arrival order. Cancel-safe: dropping the future before it
    /// completes takes nothing.
    pub async fn acquire(&self) {
        self.acquire_queued().await;
    }

    /// Like [`acquire`](Self::acquire); returns whether the caller had to wait.
    pub(crate) async fn acquire_queued(&self) -> bool {
        let backend = &*self.inner.backend;
        self.inner.lane.acquire(|| backend.try_acquire()).await
    }

    /// Takes one acquisition now if nobody is queued and the window allows it; `false`
    /// (having taken nothing) otherwise. The synchronous first step of
    /// [`acquire`](Self::acquire).
    pub(crate) fn try_acquire_unqueued(&self) -> bool {
        let backend = &*self.inner.backend;
        self.inner
            .lane
            .try_acquire_unqueued(|| backend.try_acquire())
    }

    /// Takes one acquisition if the window allows it now, without waiting.
    ///
    /// This does not queue: it may succeed while [`acquire`](Self::acquire) callers are
    /// waiting for the same slot (their wait then gets longer).
    pub fn try_acquire(&self) -> Result<(), RetryAfter> {
        self.inner.backend.try_acquire().map_err(RetryAfter)
    }

    /// The most acquisitions allowed in any window.
    pub fn limit(&self) -> u32 {
        self.inner.backend.limit()
    }

    /// The window length.
    pub fn window(&self) -> Duration {
        self.inner.backend.window()
    }
}

impl fmt::Debug for WindowLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WindowLimiter")
            .field("backend", &self.inner.backend)
            .field("lane", &self.inner.lane)
            .finish()
    }
}
