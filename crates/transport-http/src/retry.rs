//! When and how long to wait before trying a request again.

use std::time::Duration;

use core_ratelimit::Backoff;
use http::Method;

/// Retry behaviour: exponential backoff with jitter for connect errors and 5xx answers to
/// idempotent requests, and a separate budget for 429 answers.
///
/// A 429 means the server did not act on the request, so it is retried whatever the
/// method; connect errors and 5xx are retried only for `GET`, `HEAD`, `PUT`, `DELETE` and
/// `OPTIONS`, because a `POST`/`PATCH` may already have taken effect.
///
/// ```
/// use std::time::Duration;
/// use transport_http::RetryPolicy;
///
/// let policy = RetryPolicy::new()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(50))
///     .max_delay(Duration::from_secs(2));
/// assert_eq!(policy.attempts(), 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    jitter: bool,
    rate_limit_retries: u32,
    max_rate_limit_wait: Duration,
}

impl RetryPolicy {
    /// Three attempts, 100 ms base delay doubling up to 5 s, jitter on; up to three 429
    /// retries, each waiting at most 60 s.
    pub const fn new() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
            jitter: true,
            rate_limit_retries: 3,
            max_rate_limit_wait: Duration::from_mins(1),
        }
    }

    /// Never retry connect errors or 5xx (429s still follow [`RetryPolicy::rate_limit_retries`]).
    pub const fn none() -> Self {
        Self::new().max_attempts(1)
    }

    /// Total attempts for connect errors and 5xx, first try included (at least 1).
    pub const fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = if attempts == 0 { 1 } else { attempts };
        self
    }

    /// Delay before the first retry; doubles for each further one.
    pub const fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Upper bound on a single backoff delay.
    pub const fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Randomise each delay within its upper half, so that many clients failing together do
    /// not retry together.
    pub const fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// How many times a 429 answer is retried before [`ErrorKind::RateLimited`](crate::ErrorKind::RateLimited).
    pub const fn rate_limit_retries(mut self, retries: u32) -> Self {
        self.rate_limit_retries = retries;
        self
    }

    /// A 429 asking to wait longer than this is surfaced at once instead of waited out.
    pub const fn max_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.max_rate_limit_wait = wait;
        self
    }

    /// Total attempts for connect errors and 5xx.
    pub const fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) const fn rate_limit_budget(&self) -> u32 {
        self.rate_limit_retries
    }

    pub(crate) const fn rate_limit_wait_cap(&self) -> Duration {
        self.max_rate_limit_wait
    }

    /// The delay before retry number `retry` (1 = the first retry): the workspace's one
    /// [`Backoff`], stateless, since each request counts its own retries.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        self.as_backoff().delay(retry)
    }

    /// These delays as a [`Backoff`]: doubling from the base delay up to the cap, with
    /// "equal jitter" (at least half of each delay, so retries never bunch at zero).
    fn as_backoff(&self) -> Backoff {
        Backoff::new()
            .initial_delay(self.base_delay)
            .max_delay(self.max_delay)
            .multiplier(2.0)
            .jitter(if self.jitter { 0.5 } else { 0.0 })
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::new()
    }
}

/// Methods whose repetition has no further effect (RFC 9110 §9.2.2), minus TRACE.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps_without_jitter() {
        let policy = RetryPolicy::new()
            .jitter(false)
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(450));
        let delays: Vec<_> = (1..=5).map(|n| policy.backoff(n)).collect();
        assert_eq!(
            delays,
            [100, 200, 400, 450, 450]
                .map(Duration::from_millis)
                .to_vec()
        );
    }

    #[test]
    fn jitter_stays_in_upper_half() {
        let policy = RetryPolicy::new()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(10));
        for retry in 1..=6 {
            let ceiling = Duration::from_millis(100) * (1 << (retry - 1));
            for _ in 0..50 {
                let delay = policy.backoff(retry);
                assert!(delay >= ceiling / 2 && delay <= ceiling, "{delay:?}");
            }
        }
    }

    #[test]
    fn huge_retry_counts_do_not_overflow() {
        let policy = RetryPolicy::new().max_delay(Duration::from_secs(3));
        assert!(policy.backoff(u32::MAX) <= Duration::from_secs(3));
    }

    #[test]
    fn zero_attempts_means_one() {
        assert_eq!(RetryPolicy::new().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::none().attempts(), 1);
    }

    #[test]
    fn only_idempotent_methods_are_retried() {
        for method in [
            Method::GET,
            Method::HEAD,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ] {
            assert!(is_idempotent(&method), "{method}");
        }
        for method in [Method::POST, Method::PATCH, Method::CONNECT, Method::TRACE] {
            assert!(!is_idempotent(&method), "{method}");
        }
    }
}
