//! [`SessionBudget`]: a budget of session starts per window (Discord's daily
//! `session_start_limit`), spent by [`IdentifyQueue`](crate::IdentifyQueue) before each start.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use tokio::time::Instant;

/// How long past its own count of a window a [`SessionBudget`] waits before it refills.
pub const RESET_MARGIN: Duration = Duration::from_mins(1);

/// How many session starts remain, and when the count returns to its total.
///
/// Discord allows a bot `total` IDENTIFYs per 24 hours across all shards; one past that ends
/// every session of the bot and resets its token. A budget given to an
/// [`IdentifyQueue`](crate::IdentifyQueue) makes a start wait for the reset instead, however
/// often the shards are told to identify again.
///
/// The window is counted from the first start after a reset, plus a [`RESET_MARGIN`], so the
/// budget never refills before the server's does: the server counts from when the start
/// reached it (later, by the connection's latency), or from the reset itself (sooner).
///
/// ```
/// use std::time::Duration;
/// use core_ratelimit::SessionBudget;
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
/// let day = Duration::from_hours(24);
/// // As `GET /gateway/bot` reported it: 1 of 1000 left, resetting in an hour.
/// let budget = SessionBudget::new(1000, 1, Duration::from_hours(1), day);
/// let start = tokio::time::Instant::now();
/// budget.take().await;
/// assert_eq!(budget.remaining(), 0);
/// budget.take().await; // waits for the reset (and a margin)
/// assert!(start.elapsed() >= Duration::from_hours(1));
/// assert_eq!(budget.remaining(), 999);
/// # }
/// ```
#[derive(Clone)]
pub struct SessionBudget {
    state: Arc<Mutex<State>>,
}

struct State {
    total: u32,
    remaining: u32,
    period: Duration,
    /// When the current window ends (`None`: no start since the last reset).
    window_end: Option<Instant>,
}

impl State {
    fn refresh(&mut self, now: Instant) {
        if self.window_end.is_some_and(|end| now >= end) {
            self.remaining = self.total;
            self.window_end = None;
        }
    }
}

impl SessionBudget {
    /// `remaining` of `total` starts left, the count returning to `total` after `reset_after`
    /// and then `period` after each window's first start (each plus [`RESET_MARGIN`]). With nothing spent yet
    /// (`remaining == total`) the first window starts with the first start, whatever
    /// `reset_after` says.
    pub fn new(total: u32, remaining: u32, reset_after: Duration, period: Duration) -> Self {
        let remaining = remaining.min(total);
        Self {
            state: Arc::new(Mutex::new(State {
                total,
                remaining,
                period,
                window_end: (remaining < total)
                    .then(|| Instant::now() + reset_after + RESET_MARGIN),
            })),
        }
    }

    /// Takes one start, waiting for the window's reset when none is left. Cancel-safe: a
    /// cancelled wait takes nothing.
    pub async fn take(&self) {
        loop {
            let reset = {
                let mut state = self.state.lock();
                let now = Instant::now();
                state.refresh(now);
                if state.remaining > 0 {
                    state.remaining -= 1;
                    let period = state.period;
                    state.window_end.get_or_insert(now + period + RESET_MARGIN);
                    return;
                }
                state.window_end.unwrap_or(now)
            };
            tracing::warn!(
                wait_ms = reset.saturating_duration_since(Instant::now()).as_millis() as u64,
                "session start budget spent; waiting for its reset"
            );
            tokio::time::sleep_until(reset).await;
        }
    }

    /// Starts left in the current window.
    pub fn remaining(&self) -> u32 {
        let mut state = self.state.lock();
        state.refresh(Instant::now());
        state.remaining
    }
}

impl fmt::Debug for SessionBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.lock();
        f.debug_struct("SessionBudget")
            .field("total", &state.total)
            .field("remaining", &state.remaining)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Duration = Duration::from_hours(24);

    #[tokio::test(start_paused = true)]
    async fn a_spent_budget_waits_for_the_window_counted_from_its_first_start() {
        let budget = SessionBudget::new(2, 0, Duration::from_secs(10), DAY);
        let start = Instant::now();
        budget.take().await;
        let first = Duration::from_secs(10) + RESET_MARGIN;
        assert_eq!(start.elapsed(), first);
        // The new window began with that start; an hour later one start is left.
        tokio::time::advance(Duration::from_hours(1)).await;
        budget.take().await;
        assert_eq!(budget.remaining(), 0);
        budget.take().await;
        assert_eq!(start.elapsed(), first + DAY + RESET_MARGIN);
        assert_eq!(budget.remaining(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn an_unspent_budget_counts_its_window_from_the_first_start() {
        let budget = SessionBudget::new(1, 1, Duration::from_secs(10), DAY);
        tokio::time::advance(Duration::from_mins(1)).await;
        let start = Instant::now();
        budget.take().await;
        budget.take().await;
        assert_eq!(start.elapsed(), DAY + RESET_MARGIN);
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_wait_takes_nothing() {
        let budget = SessionBudget::new(1, 0, Duration::from_secs(10), DAY);
        let waited = tokio::time::timeout(Duration::from_secs(5), budget.take()).await;
        assert!(waited.is_err());
        tokio::time::advance(Duration::from_secs(5) + RESET_MARGIN).await;
        assert_eq!(budget.remaining(), 1);
    }
}
