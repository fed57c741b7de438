//! [`Backoff`]: how long to wait before trying again, for every retry and reconnect.

use std::time::Duration;

use rand::Rng as _;

/// Exponential backoff with jitter, a cap, an optional attempt limit, and a reset once a
/// success has lasted long enough. The one backoff type of the workspace: WebSocket
/// reconnects, HTTP retries, chat reconnects and fan-out workers all wait through it.
///
/// The `n`-th consecutive attempt (1-based) waits `min(initial × multiplier^(n-1), max)`
/// scaled by a random factor in `[1 - jitter, 1]`, so clients that failed together do not
/// come back together. A connection (or any success) that lasted at least
/// [`healthy_after`](Self::healthy_after) starts the sequence over
/// ([`on_success_lasting`](Self::on_success_lasting)); one that did not keeps climbing, so a
/// server that accepts and then drops every connection at once is met with growing delays
/// rather than a reconnect storm.
///
/// ```
/// use std::time::Duration;
/// use core_ratelimit::Backoff;
///
/// let mut backoff = Backoff::new()
///     .initial_delay(Duration::from_millis(100))
///     .max_delay(Duration::from_secs(1))
///     .jitter(0.0);
/// let delays: Vec<_> = std::iter::from_fn(|| backoff.next_delay()).take(6).collect();
/// assert_eq!(delays.iter().map(Duration::as_millis).collect::<Vec<_>>(), [100, 200, 400, 800, 1000, 1000]);
/// backoff.reset();
/// assert_eq!(backoff.next_delay(), Some(Duration::from_millis(100)));
/// // Stateless: the delay of the third attempt, without advancing anything.
/// assert_eq!(backoff.delay(3), Duration::from_millis(400));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    multiplier: f64,
    jitter: f64,
    healthy_after: Duration,
    max_attempts: Option<u32>,
    attempt: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new()
    }
}

impl Backoff {
    /// 1 s initial delay doubling up to 60 s, jitter 0.5, reset after 60 s of success,
    /// unlimited attempts.
    pub const fn new() -> Self {
        Self {
            initial: Duration::from_secs(1),
            max: Duration::from_mins(1),
            multiplier: 2.0,
            jitter: 0.5,
            healthy_after: Duration::from_mins(1),
            max_attempts: None,
            attempt: 0,
        }
    }

    /// Delay before the first attempt.
    pub const fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial = delay;
        self
    }

    /// Upper bound of any delay (before jitter).
    pub const fn max_delay(mut self, delay: Duration) -> Self {
        self.max = delay;
        self
    }

    /// Growth factor between consecutive delays; values below 1 (and NaN) are treated as 1.
    pub fn multiplier(mut self, multiplier: f64) -> Self {
        self.multiplier = if multiplier.is_finite() {
            multiplier.max(1.0)
        } else {
            1.0
        };
        self
    }

    /// Fraction of each delay that is randomised away, clamped to `0.0..=1.0`
    /// (0: exact delays, 0.5: between half and the full delay, 1: anywhere from zero).
    pub fn jitter(mut self, jitter: f64) -> Self {
        self.jitter = if jitter.is_nan() {
            0.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        self
    }

    /// How long a success must last before the sequence starts over.
    pub const fn healthy_after(mut self, duration: Duration) -> Self {
        self.healthy_after = duration;
        self
    }

    /// Give up after this many consecutive attempts (`0`: never try again).
    pub const fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// The configured healthy duration.
    pub const fn healthy_duration(&self) -> Duration {
        self.healthy_after
    }

    /// The configured attempt limit, if any.
    pub const fn attempt_limit(&self) -> Option<u32> {
        self.max_attempts
    }

    /// Consecutive attempts handed out since the last reset.
    pub const fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Starts the sequence over.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// A success that lasted `lasted` ended: start over only if it was healthy. Returns
    /// whether the sequence was reset.
    pub fn on_success_lasting(&mut self, lasted: Duration) -> bool {
        let healthy = lasted >= self.healthy_after;
        if healthy {
            self.reset();
        }
        healthy
    }

    /// The delay before the next attempt, or `None` once the attempt limit is reached.
    pub fn next_delay(&mut self) -> Option<Duration> {
        if self.max_attempts.is_some_and(|max| self.attempt >= max) {
            return None;
        }
        self.attempt = self.attempt.saturating_add(1);
        Some(self.delay(self.attempt))
    }

    /// The (jittered) delay before attempt `attempt` (1 = the first), without changing any
    /// state: for callers that count attempts themselves (HTTP retries of one request).
    pub fn delay(&self, attempt: u32) -> Duration {
        let exponent = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
        let base = self.initial.as_secs_f64() * self.multiplier.powi(exponent);
        let capped = if base.is_finite() {
            base.min(self.max.as_secs_f64())
        } else {
            self.max.as_secs_f64()
        };
        let factor = if self.jitter == 0.0 {
            1.0
        } else {
            1.0 - self.jitter * rand::rng().random::<f64>()
        };
        Duration::try_from_secs_f64((capped * factor).max(0.0)).unwrap_or(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::Backoff;
    use std::time::Duration;

    #[test]
    fn jitter_stays_within_bounds() {
        let mut backoff = Backoff::new()
            .initial_delay(Duration::from_secs(1))
            .max_delay(Duration::from_secs(8))
            .jitter(0.5);
        let expected = [1.0, 2.0, 4.0, 8.0, 8.0, 8.0];
        for _ in 0..50 {
            backoff.reset();
            for base in expected {
                let delay = backoff.next_delay().unwrap().as_secs_f64();
                assert!(
                    delay >= base * 0.5 - 1e-9 && delay <= base + 1e-9,
                    "{delay} vs {base}"
                );
            }
        }
        assert_eq!(backoff.attempt(), 6);
    }

    #[test]
    fn jitter_actually_varies() {
        let mut backoff = Backoff::new().jitter(1.0);
        let delays: Vec<_> = (0..20)
            .map(|_| {
                backoff.reset();
                backoff.next_delay().unwrap()
            })
            .collect();
        assert!(delays.iter().any(|d| *d != delays[0]));
    }

    #[test]
    fn attempt_limit() {
        let mut backoff = Backoff::new().max_attempts(2);
        assert!(backoff.next_delay().is_some());
        assert!(backoff.next_delay().is_some());
        assert_eq!(backoff.next_delay(), None);
        backoff.reset();
        assert!(backoff.next_delay().is_some());
        assert_eq!(Backoff::new().max_attempts(0).next_delay(), None);
    }

    #[test]
    fn huge_attempt_counts_stay_capped() {
        let mut backoff = Backoff::new()
            .max_delay(Duration::from_secs(30))
            .multiplier(10.0)
            .jitter(0.0);
        for _ in 0..2000 {
            assert!(backoff.next_delay().unwrap() <= Duration::from_secs(30));
        }
        assert_eq!(backoff.next_delay(), Some(Duration::from_secs(30)));
        assert_eq!(backoff.delay(u32::MAX), Duration::from_secs(30));
    }

    #[test]
    fn odd_parameters_are_sanitised() {
        let mut backoff = Backoff::new()
            .multiplier(f64::NAN)
            .jitter(f64::NAN)
            .initial_delay(Duration::from_millis(10));
        assert_eq!(backoff.next_delay(), Some(Duration::from_millis(10)));
        assert_eq!(backoff.next_delay(), Some(Duration::from_millis(10)));
        let huge = Backoff::new()
            .initial_delay(Duration::MAX)
            .max_delay(Duration::MAX)
            .jitter(0.0);
        assert!(
            huge.delay(1) > Duration::from_secs(1 << 40),
            "saturates, never panics"
        );
    }

    #[test]
    fn only_healthy_successes_reset() {
        let mut backoff = Backoff::new()
            .healthy_after(Duration::from_mins(1))
            .jitter(0.0);
        backoff.next_delay();
        backoff.next_delay();
        assert!(!backoff.on_success_lasting(Duration::from_secs(5)));
        assert_eq!(backoff.next_delay(), Some(Duration::from_secs(4)));
        assert!(backoff.on_success_lasting(Duration::from_mins(1)));
        assert_eq!(backoff.next_delay(), Some(Duration::from_secs(1)));
    }
}
