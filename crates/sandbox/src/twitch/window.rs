//! A sliding-window counter on tokio time, the sandbox's own (it shares no code with the
//! clients it checks): at most `limit` events in any window of `window`.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug)]
pub(crate) struct Window {
    limit: usize,
    span: Duration,
    stamps: VecDeque<Instant>,
}

impl Window {
    pub(crate) fn new(limit: usize, window: Duration) -> Self {
        Self {
            limit,
            span: window,
            stamps: VecDeque::with_capacity(limit),
        }
    }

    /// Counts one event if the window has room; `false` means over the limit.
    pub(crate) fn admit(&mut self) -> bool {
        let now = Instant::now();
        while self
            .stamps
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.span)
        {
            self.stamps.pop_front();
        }
        if self.stamps.len() >= self.limit {
            return false;
        }
        self.stamps.push_back(now);
        true
    }

    /// Whether one more event would be admitted now (without counting it).
    pub(crate) fn has_room(&mut self) -> bool {
        let now = Instant::now();
        while self
            .stamps
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.span)
        {
            self.stamps.pop_front();
        }
        self.stamps.len() < self.limit
    }
}
