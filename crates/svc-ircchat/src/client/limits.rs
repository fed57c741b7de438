//! Twitch's chat limits on our side, so the server never has to drop anything: JOIN 20 / 10 s,
//! logins 20 / 10 s, PRIVMSG 20 / 30 s (100 / 30 s where we are broadcaster, moderator or
//! VIP), and the rule that an identical message within 30 s is dropped.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::time::Duration;

use core_ratelimit::WindowLimiter;
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
    WindowLimiter::new(NonZeroU32::new(limit).unwrap_or(NonZeroU32::MIN), window + SKEW_MARGIN)
}

/// The limiters one login needs; shared over reconnects, since Twitch counts per user.
#[derive(Debug)]
pub(crate) struct ChatLimiters {
    pub(crate) join: WindowLimiter,
    pub(crate) auth: WindowLimiter,
    pub(crate) privmsg: WindowLimiter,
    pub(crate) privmsg_privileged: WindowLimiter,
    last_text: HashMap<String, (String, bool, Instant)>,
}

impl ChatLimiters {
    pub(crate) fn new() -> Self {
        Self {
            join: limiter(20, Duration::from_secs(10)),
            auth: limiter(20, Duration::from_secs(10)),
            privmsg: limiter(20, Duration::from_secs(30)),
            privmsg_privileged: limiter(100, Duration::from_secs(30)),
            last_text: HashMap::new(),
        }
    }

    /// The text to put on the wire for `text` in `channel`: unchanged, unless it repeats our
    /// previous message there within 30 s, in which case the suffix is toggled.
    pub(crate) fn dedupe(&mut self, channel: &str, text: &str, privileged: bool) -> String {
        let now = Instant::now();
        let suffixed = match self.last_text.get(channel) {
            Some((last, was_suffixed, at)) if !privileged && last == text && now.duration_since(*at) < DUPLICATE_WINDOW => {
                !*was_suffixed
            }
            _ => false,
        };
        self.last_text.insert(channel.to_owned(), (text.to_owned(), suffixed, now));
        if suffixed { format!("{text}{DUPLICATE_SUFFIX}") } else { text.to_owned() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn repeated_text_alternates() {
        let mut limits = ChatLimiters::new();
        assert_eq!(limits.dedupe("c", "hi", false), "hi");
        assert_eq!(limits.dedupe("c", "hi", false), format!("hi{DUPLICATE_SUFFIX}"));
        assert_eq!(limits.dedupe("c", "hi", false), "hi");
        assert_eq!(limits.dedupe("d", "hi", false), "hi");
        assert_eq!(limits.dedupe("c", "hi", true), "hi");
        tokio::time::advance(DUPLICATE_WINDOW).await;
        assert_eq!(limits.dedupe("c", "hi", false), "hi");
    }
}
