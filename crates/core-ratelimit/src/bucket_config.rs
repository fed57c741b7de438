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
/// // Per-route buckets under a global limit of 25 requests per second. Service crates
/// // provide their platform's config (e.g. `svc_gateway::rest::bucket_config()`).
/// let config = BucketConfig { global: Some((25, Duration::from_secs(1))), ..BucketConfig::default() };
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
