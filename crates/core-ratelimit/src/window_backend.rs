//! [`WindowBackend`]: where a window limiter keeps its state.

use std::fmt;
use std::time::Duration;

/// The state behind a [`WindowLimiter`](crate::WindowLimiter): decides, for one acquisition
/// now, whether the window allows it.
///
/// This is the seam for sharing a limit between processes. The in-memory backends are
/// [`SlidingLog`](crate::SlidingLog) (exact) and [`GcraWindow`](crate::GcraWindow)
/// (governor, constant memory). A shared backend (for example Redis, for a bot split over
/// several processes that must respect one global limit) implements this trait and is passed
/// to [`WindowLimiter::with_backend`](crate::WindowLimiter::with_backend).
///
/// The decision is synchronous on purpose: it is on every request's hot path, and the async
/// waiting, FIFO fairness and cancellation live in the limiter above it, once for every
/// backend. A networked backend therefore either answers from a local lease of slots it
/// refills in the background, or does a short blocking round trip; either way it must read
/// its own clock (a shared backend uses the store's clock, not the caller's).
///
/// # Contract
///
/// Over any closed time interval of length [`window`](Self::window), at most
/// [`limit`](Self::limit) calls of [`try_acquire`](Self::try_acquire) return `Ok`. A refusal
/// returns how long to wait before trying again (never zero, so callers cannot spin).
pub trait WindowBackend: Send + Sync + fmt::Debug {
    /// The most acquisitions allowed in any window.
    fn limit(&self) -> u32;

    /// The window length.
    fn window(&self) -> Duration;

    /// Records one acquisition now if the window allows it; otherwise returns how long to
    /// wait before trying again.
    fn try_acquire(&self) -> Result<(), Duration>;
}
