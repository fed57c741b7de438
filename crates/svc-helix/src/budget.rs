//! Helix's rate limit: one point budget per client (or per user token) shared by every
//! route, learned from `Ratelimit-Limit` / `-Remaining` / `-Reset`.

use core_ratelimit::{BucketConfig, Bucketing};

/// Helix's limits for a [`BucketLimiter`](core_ratelimit::BucketLimiter): one budget
/// (800 points a minute for a typical app) that every route draws from, learned from the
/// `Ratelimit-*` headers; no global limit on top; a wait the headers ask for is capped at
/// [`HELIX_MAX_WAIT`](crate::HELIX_MAX_WAIT). [`HelixClient`](crate::HelixClient) uses it.
///
/// ```
/// use core_ratelimit::Bucketing;
///
/// assert_eq!(svc_helix::bucket_config().bucketing, Bucketing::Single);
/// ```
pub fn bucket_config() -> BucketConfig {
    BucketConfig {
        global: None,
        bucketing: Bucketing::Single,
        max_wait: crate::HELIX_MAX_WAIT,
        ..BucketConfig::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_budget_for_every_route_and_no_global_limit() {
        let config = bucket_config();
        assert_eq!(config.bucketing, Bucketing::Single);
        assert_eq!(config.global, None);
        assert_eq!(config.max_wait, crate::HELIX_MAX_WAIT);
    }
}
