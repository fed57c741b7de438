//! The daily session start budget (`session_start_limit`): `total` IDENTIFYs per window,
//! the window starting at the first IDENTIFY after a reset. Discord's answer to an IDENTIFY
//! past the budget is drastic: it ends every session of the bot and resets its token, which
//! the gateway module carries out.

use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug)]
pub(crate) struct SessionStarts {
    total: u32,
    period: Duration,
    remaining: u32,
    /// When the current window ends (`None`: no start since the last reset).
    window_end: Option<Instant>,
}

impl SessionStarts {
    pub(crate) fn new(total: u32, period: Duration) -> Self {
        Self {
            total,
            period,
            remaining: total,
            window_end: None,
        }
    }

    fn refresh(&mut self, now: Instant) {
        if self.window_end.is_some_and(|end| now >= end) {
            self.remaining = self.total;
            self.window_end = None;
        }
    }

    /// `(total, remaining, reset_after)` as `GET /gateway/bot` reports them.
    pub(crate) fn limit(&mut self, now: Instant) -> (u32, u32, Duration) {
        self.refresh(now);
        let reset_after = self.window_end.map_or(self.period, |end| end - now);
        (self.total, self.remaining, reset_after)
    }

    /// Takes one start; `false` when the budget is spent.
    pub(crate) fn take(&mut self, now: Instant) -> bool {
        self.refresh(now);
        if self.remaining == 0 {
            return false;
        }
        self.remaining -= 1;
        self.window_end.get_or_insert(now + self.period);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spends_then_resets_after_the_window() {
        let day = Duration::from_hours(24);
        let mut starts = SessionStarts::new(2, day);
        assert_eq!(starts.limit(Instant::now()), (2, 2, day));
        assert!(starts.take(Instant::now()));
        tokio::time::advance(Duration::from_hours(1)).await;
        assert!(starts.take(Instant::now()));
        assert!(!starts.take(Instant::now()));
        assert_eq!(
            starts.limit(Instant::now()),
            (2, 0, Duration::from_hours(23))
        );
        tokio::time::advance(day).await;
        assert_eq!(starts.limit(Instant::now()), (2, 2, day));
        assert!(starts.take(Instant::now()));
    }
}
