//! [`BucketConfig`]: how a [`BucketLimiter`](crate::BucketLimiter) groups and caps requests.

use std::time::Duration;

/// How routes map to buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Bucketing {
    /// Each route template plus major parameter is limited separately until the server names
    /// its bucket (`X-RateLimit-Bucket`); routes with the same bucket hash and major parameter
    /// then share one limit (Discord).
    #[default]
    PerRoute,
    /// Every route draws from one budget (Helix's points per client / user).
    Single,
}

/// Configuration of a [`BucketLimiter`](crate::BucketLimiter).
///
/// ```
/// use std::time::Duration;
/// use core_ratelimit::BucketConfig;
///
/// // Discord's defaults, with a tighter global limit for a shared IP.
/// let config = BucketConfig { global: Some((25, Duration::from_secs(1))), ..BucketConfig::discord() };
/// assert_eq!(config.global, Some((25, Duration::from_secs(1))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketConfig {
    /// A limit over every request, whatever its bucket: `(count, window)`, enforced as an exact
    /// sliding window. `None` (or a count of 0) disables it.
    pub global: Option<(u32, Duration)>,
    /// How routes map to buckets.
    pub bucketing: Bucketing,
    /// How long to back off after a 429 that says neither `retry_after` nor a reset.
    pub default_retry_after: Duration,
    /// The longest wait any response may impose (a reset or `retry_after` beyond it is capped,
    /// with a warning), so a bogus header cannot park requests for days.
    pub max_wait: Duration,
}

impl BucketConfig {
    /// Discord REST: per-route buckets learned from `X-RateLimit-*`, 50 requests per second
    /// globally.
    pub fn discord() -> Self {
        Self {
            global: Some((50, Duration::from_secs(1))),
            ..Self::default()
        }
    }

    /// Twitch Helix: one budget (800 points per minute for a typical client) shared by every
    /// route, learned from `Ratelimit-Limit` / `-Remaining` / `-Reset`.
    pub fn helix() -> Self {
        Self {
            global: None,
            bucketing: Bucketing::Single,
            ..Self::default()
        }
    }
}

impl Default for BucketConfig {
    /// Per-route buckets, no global limit, 1 s default back-off, waits capped at one hour.
    fn default() -> Self {
        Self {
            global: None,
            bucketing: Bucketing::PerRoute,
            default_retry_after: Duration::from_secs(1),
            max_wait: Duration::from_hours(1),
        }
    }
}
