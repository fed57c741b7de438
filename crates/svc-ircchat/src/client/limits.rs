//! Twitch's chat limits on our side, so the server never has to drop anything: JOIN 20 / 10 s,
//! logins 20 / 10 s, PRIVMSG 20 / 30 s (100 / 30 s where we are broadcaster, moderator or
//! VIP), and the rule that an identical message within 30 s is dropped.

use std::collections::{HashMap, VecDeque};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use core_ratelimit::WindowLimiter;
use parking_lot::{Mutex, MutexGuard};
use tokio::time::Instant;

/// Twitch drops a normal user's message identical to their previous one within this span.
const DUPLICATE_WINDOW: Duration = Duration::from_secs(30);

/// Appended to a repeated message so it differs from the previous one (a space and U+E0000,
/// which Twitch clients render as nothing).
const DUPLICATE_SUFFIX: &str = " \u{E0000}";

/// Added to every window: Twitch counts a line when it *arrives*, we count it when we write
/// it, so a window measured exactly would let the first line of a new window land while the
/// server still counts the oldest one of the previous window.
const SKEW_MARGIN: Duration = Duration::from_millis(500);

fn limiter(limit: u32, window: Duration) -> WindowLimiter {
    WindowLimiter::new(
        NonZeroU32::new(limit).unwrap_or(NonZeroU32::MIN),
        window + SKEW_MARGIN,
    )
}

/// The limiters one login needs; shared over reconnects and by every connection of a
/// [`ChatPool`](crate::ChatPool), since Twitch counts per user, not per connection.
#[derive(Debug, Clone)]
pub(crate) struct ChatLimiters {
    pub(crate) join: WindowLimiter,
    pub(crate) auth: WindowLimiter,
    messages: Arc<Mutex<MessageState>>,
}

#[derive(Debug, Default)]
struct MessageState {
    windows: MessageWindows,
    last_text: HashMap<String, (String, bool, Instant)>,
}

impl ChatLimiters {
    pub(crate) fn new() -> Self {
        Self {
            join: limiter(20, Duration::from_secs(10)),
            auth: limiter(20, Duration::from_secs(10)),
            messages: Arc::default(),
        }
    }

    fn state(&self) -> MutexGuard<'_, MessageState> {
        self.messages.lock()
    }

    /// How long until a message may go (zero: now).
    pub(crate) fn message_wait(&self, privileged: bool) -> Duration {
        self.state().windows.wait(privileged)
    }

    /// Takes a send slot if one is free now, answering the text to put on the wire.
    pub(crate) fn take_message(
        &self,
        channel: &str,
        text: &str,
        privileged: bool,
    ) -> Option<String> {
        let mut state = self.state();
        if !state.windows.wait(privileged).is_zero() {
            return None;
        }
        state.windows.record(privileged);
        Some(state.dedupe(channel, text, privileged))
    }
}

impl MessageState {
    /// The text to put on the wire for `text` in `channel`: unchanged, unless it repeats our
    /// previous message there within 30 s, in which case the suffix is toggled.
    fn dedupe(&mut self, channel: &str, text: &str, privileged: bool) -> String {
        let now = Instant::now();
        let suffixed = match self.last_text.get(channel) {
            Some((last, was_suffixed, at))
                if !privileged && last == text && now.duration_since(*at) < DUPLICATE_WINDOW =>
            {
                !*was_suffixed
            }
            _ => false,
        };
        self.last_text
            .insert(channel.to_owned(), (text.to_owned(), suffixed, now));
        if suffixed {
            format!("{text}{DUPLICATE_SUFFIX}")
        } else {
            text.to_owned()
        }
    }
}

/// The two PRIVMSG windows Twitch applies together: 20 / 30 s where we are a normal user and
/// 100 / 30 s over everything. A message is taken only when *both* windows it needs have room
/// at the same instant: holding one while waiting for the other would date it too early.
#[derive(Debug, Default)]
pub(crate) struct MessageWindows {
    normal: VecDeque<Instant>,
    all: VecDeque<Instant>,
}

const NORMAL_LIMIT: usize = 20;
const ALL_LIMIT: usize = 100;
const MESSAGE_WINDOW: Duration = Duration::from_secs(30);

fn wait_in(log: &mut VecDeque<Instant>, limit: usize, now: Instant) -> Duration {
    let window = MESSAGE_WINDOW + SKEW_MARGIN;
    while log
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        log.pop_front();
    }
    if log.len() < limit {
        Duration::ZERO
    } else {
        log.front().map_or(Duration::ZERO, |t| {
            window.saturating_sub(now.duration_since(*t))
        })
    }
}

impl MessageWindows {
    /// How long until a message may go (zero: now).
    pub(crate) fn wait(&mut self, privileged: bool) -> Duration {
        let now = Instant::now();
        let all = wait_in(&mut self.all, ALL_LIMIT, now);
        if privileged {
            all
        } else {
            all.max(wait_in(&mut self.normal, NORMAL_LIMIT, now))
        }
    }

    /// Records a message sent now.
    pub(crate) fn record(&mut self, privileged: bool) {
        let now = Instant::now();
        self.all.push_back(now);
        if !privileged {
            self.normal.push_back(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn message_windows_hold_both_limits() {
        let mut windows = MessageWindows::default();
        for _ in 0..NORMAL_LIMIT {
            assert_eq!(windows.wait(false), Duration::ZERO);
            windows.record(false);
        }
        assert!(windows.wait(false) > Duration::from_secs(29));
        for _ in NORMAL_LIMIT..ALL_LIMIT {
            assert_eq!(windows.wait(true), Duration::ZERO);
            windows.record(true);
        }
        assert!(windows.wait(true) > Duration::from_secs(29));
        tokio::time::advance(MESSAGE_WINDOW + SKEW_MARGIN).await;
        assert_eq!(windows.wait(false), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn repeated_text_alternates() {
        let limits = ChatLimiters::new();
        let take =
            |channel: &str, privileged| limits.take_message(channel, "hi", privileged).unwrap();
        assert_eq!(take("c", false), "hi");
        assert_eq!(take("c", false), format!("hi{DUPLICATE_SUFFIX}"));
        assert_eq!(take("c", false), "hi");
        assert_eq!(take("d", false), "hi");
        assert_eq!(take("c", true), "hi");
        tokio::time::advance(DUPLICATE_WINDOW).await;
        assert_eq!(take("c", false), "hi");
    }
}
