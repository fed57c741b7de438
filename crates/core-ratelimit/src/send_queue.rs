//! [`SendQueue`]: a window limit with capacity reserved for priority traffic (heartbeats).

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use crate::lane::Lane;
use crate::{RetryAfter, SlidingLog};

/// Which share of a [`SendQueue`] a message may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Priority {
    /// Traffic that keeps the connection alive (heartbeats, pongs): may use the reserved
    /// slots and never waits behind [`Normal`](Priority::Normal) traffic.
    High,
    /// Everything else: limited to the unreserved share of the window.
    Normal,
}

/// A per-connection send limit (for example Discord's 120 gateway sends per 60 s, heartbeats
/// included) that keeps `reserved` slots of every window for [`Priority::High`].
///
/// Both priorities share one exact [`SlidingLog`]: [`Priority::Normal`] is admitted only while
/// fewer than `limit − reserved` sends are in the window, [`Priority::High`] while fewer than
/// `limit`. So the total never exceeds `limit` in any window, a flood of normal sends can never
/// use the last `reserved` slots, and the two priorities queue separately: a heartbeat never
/// waits behind a queued normal send.
///
/// ```
/// use std::{num::NonZeroU32, time::Duration};
/// use core_ratelimit::{Priority, SendQueue};
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
/// let queue = SendQueue::new(NonZeroU32::new(120).unwrap(), Duration::from_mins(1), 3);
/// for _ in 0..117 {
///     queue.acquire(Priority::Normal).await;
/// }
/// // Normal traffic is out of slots for a minute, but a heartbeat goes out at once.
/// assert!(queue.try_acquire(Priority::Normal).is_err());
/// let before = tokio::time::Instant::now();
/// queue.acquire(Priority::High).await;
/// assert_eq!(before.elapsed(), Duration::ZERO);
/// # }
/// ```
#[derive(Clone)]
pub struct SendQueue {
    inner: Arc<Inner>,
}

struct Inner {
    log: SlidingLog,
    limit: u32,
    reserved: u32,
    high: Lane,
    normal: Lane,
}

impl SendQueue {
    /// `limit` sends per `window` overall (priority traffic included), of which `reserved`
    /// only [`Priority::High`] may use.
    ///
    /// `reserved` is capped at `limit − 1` (normal traffic always gets at least one slot per
    /// window, so it can never wait forever).
    pub fn new(limit: NonZeroU32, window: Duration, reserved: u32) -> Self {
        let capped = reserved.min(limit.get() - 1);
        if capped != reserved {
            tracing::warn!(
                limit = limit.get(),
                reserved,
                capped,
                "send queue reservation capped so normal traffic keeps one slot"
            );
        }
        Self {
            inner: Arc::new(Inner {
                log: SlidingLog::new(limit, window),
                limit: limit.get(),
                reserved: capped,
                high: Lane::default(),
                normal: Lane::default(),
            }),
        }
    }

    /// Waits (on tokio time) until a send of this priority is allowed, then takes the slot.
    ///
    /// Each priority is served in arrival order. Cancel-safe: dropping the future before it
    /// completes takes nothing.
    pub async fn acquire(&self, priority: Priority) {
        let inner = &*self.inner;
        let allowed = inner.allowed(priority);
        let lane = match priority {
            Priority::High => &inner.high,
            Priority::Normal => &inner.normal,
        };
        lane.acquire(|| inner.log.try_acquire_within(allowed)).await;
    }

    /// Takes a slot for this priority if one is free now, without waiting (and without
    /// queueing behind waiting callers).
    pub fn try_acquire(&self, priority: Priority) -> Result<(), RetryAfter> {
        let inner = &*self.inner;
        inner
            .log
            .try_acquire_within(inner.allowed(priority))
            .map_err(RetryAfter)
    }

    /// The most sends allowed in any window, both priorities together.
    pub fn limit(&self) -> u32 {
        self.inner.limit
    }

    /// The slots of every window only [`Priority::High`] may use.
    pub fn reserved(&self) -> u32 {
        self.inner.reserved
    }
}

impl Inner {
    fn allowed(&self, priority: Priority) -> u32 {
        match priority {
            Priority::High => self.limit,
            Priority::Normal => self.limit - self.reserved,
        }
    }
}

impl fmt::Debug for SendQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendQueue")
            .field("limit", &self.inner.limit)
            .field("reserved", &self.inner.reserved)
            .field("log", &self.inner.log)
            .finish_non_exhaustive()
    }
}
