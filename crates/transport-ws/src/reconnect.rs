//! When to try again after a connection failed or dropped.

use std::time::Duration;

use rand::Rng as _;

/// Exponential backoff with jitter, a cap, an optional attempt limit, and a reset once a
/// connection has stayed up long enough.
///
/// The `n`-th consecutive attempt (1-based) waits `min(initial × multiplier^(n-1), max)`
/// scaled by a random factor in `[1 - jitter, 1]`, so clients that lost their connections
/// together do not come back together. A connection that lasted at least
/// [`healthy_after`](Self::healthy_after) resets the sequence.
///
/// ```
/// use std::time::Duration;
/// use transport_ws::ReconnectPolicy;
///
/// let mut policy = ReconnectPolicy::new()
///     .initial_delay(Duration::from_millis(100))
///     .max_delay(Duration::from_secs(1))
///     .jitter(0.0);
/// let delays: Vec<_> = std::iter::from_fn(|| policy.next_delay()).take(6).collect();
/// assert_eq!(delays.iter().map(Duration::as_millis).collect::<Vec<_>>(), [100, 200, 400, 800, 1000, 1000]);
/// policy.reset();
/// assert_eq!(policy.next_delay(), Some(Duration::from_millis(100)));
/// ```
#[derive(Debug, Clone)]
pub struct ReconnectPolicy {
    initial: Duration,
    max: Duration,
    multiplier: f64,
    jitter: f64,
    healthy_after: Duration,
    max_attempts: Option<u32>,
    attempt: u32,
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        Self::new()
    }
}

impl ReconnectPolicy {
    /// 1 s initial delay doubling up to 60 s, jitter 0.5, reset after 60 s of healthy
    /// connection, unlimited attempts.
    pub fn new() -> Self {
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
    #[must_use]
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial = delay;
        self
    }

    /// Upper bound of any delay (before jitter).
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max = delay;
        self
    }

    /// Growth factor between consecutive delays; values below 1 are treated as 1.
    #[must_use]
    pub fn multiplier(mut self, multiplier: f64) -> Self {
        self.multiplier = if multiplier.is_finite() {
            multiplier.max(1.0)
        } else {
            1.0
        };
        self
    }

    /// Fraction of each delay that is randomised away, clamped to `0.0..=1.0`
    /// (0: exact delays, 1: anywhere between zero and the full delay).
    #[must_use]
    pub fn jitter(mut self, jitter: f64) -> Self {
        self.jitter = if jitter.is_nan() {
            0.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        self
    }

    /// How long a connection must stay up before the backoff sequence starts over.
    #[must_use]
    pub fn healthy_after(mut self, duration: Duration) -> Self {
        self.healthy_after = duration;
        self
    }

    /// Give up after this many consecutive attempts (`0`: never reconnect).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// The configured healthy duration.
    pub fn healthy_duration(&self) -> Duration {
        self.healthy_after
    }

    /// Consecutive attempts handed out since the last reset.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Starts the backoff sequence over (a connection was healthy).
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// The delay before the next attempt, or `None` when the attempt limit is reached.
    pub fn next_delay(&mut self) -> Option<Duration> {
        if self.max_attempts.is_some_and(|max| self.attempt >= max) {
            return None;
        }
        let exponent = i32::try_from(self.attempt).unwrap_or(i32::MAX);
        self.attempt = self.attempt.saturating_add(1);
        let base = self.initial.as_secs_f64() * self.multiplier.powi(exponent);
        let capped = if base.is_finite() {
            base.min(self.max.as_secs_f64())
        } else {
            self.max.as_secs_f64()
        };
        let factor = 1.0 - self.jitter * rand::rng().random::<f64>();
        Some(Duration::from_secs_f64((capped * factor).max(0.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::ReconnectPolicy;
    use std::time::Duration;

    #[test]
    fn jitter_stays_within_bounds() {
        let mut policy = ReconnectPolicy::new()
            .initial_delay(Duration::from_secs(1))
            .max_delay(Duration::from_secs(8))
            .jitter(0.5);
        let expected = [1.0, 2.0, 4.0, 8.0, 8.0, 8.0];
        for _ in 0..50 {
            policy.reset();
            for base in expected {
                let delay = policy.next_delay().unwrap().as_secs_f64();
                assert!(
                    delay >= base * 0.5 - 1e-9 && delay <= base + 1e-9,
                    "{delay} vs {base}"
                );
            }
        }
        assert_eq!(policy.attempt(), 6);
    }

    #[test]
    fn jitter_actually_varies() {
        let mut policy = ReconnectPolicy::new().jitter(1.0);
        let delays: Vec<_> = (0..20)
            .map(|_| {
                policy.reset();
                policy.next_delay().unwrap()
            })
            .collect();
        assert!(delays.iter().any(|d| *d != delays[0]));
    }

    #[test]
    fn attempt_limit() {
        let mut policy = ReconnectPolicy::new().max_attempts(2);
        assert!(policy.next_delay().is_some());
        assert!(policy.next_delay().is_some());
        assert_eq!(policy.next_delay(), None);
        policy.reset();
        assert!(policy.next_delay().is_some());
        assert_eq!(ReconnectPolicy::new().max_attempts(0).next_delay(), None);
    }

    #[test]
    fn huge_attempt_counts_stay_capped() {
        let mut policy = ReconnectPolicy::new()
            .max_delay(Duration::from_secs(30))
            .multiplier(10.0)
            .jitter(0.0);
        for _ in 0..2000 {
            assert!(policy.next_delay().unwrap() <= Duration::from_secs(30));
        }
        assert_eq!(policy.next_delay(), Some(Duration::from_secs(30)));
    }

    #[test]
    fn odd_parameters_are_sanitised() {
        let mut policy = ReconnectPolicy::new()
            .multiplier(f64::NAN)
            .jitter(f64::NAN)
            .initial_delay(Duration::from_millis(10));
        assert_eq!(policy.next_delay(), Some(Duration::from_millis(10)));
        assert_eq!(policy.next_delay(), Some(Duration::from_millis(10)));
    }
}
