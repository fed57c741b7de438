//! Discord's REST rate limits: per-route buckets learned from `X-RateLimit-*` under a
//! global 50 requests per second, and the 429 body that says how long to wait.

use std::time::Duration;

use core_ratelimit::BucketConfig;
use serde::Deserialize;
use transport_http::TooManyRequests;

/// Discord's REST limits for a [`BucketLimiter`](core_ratelimit::BucketLimiter): per-route
/// buckets learned from `X-RateLimit-*` (the default [`Bucketing`](core_ratelimit::Bucketing)),
/// 50 requests per second globally. Start from it to share a limiter between clients or
/// processes, or to lower the global limit for a bot that shares its IP:
///
/// ```
/// use std::time::Duration;
/// use core_ratelimit::{BucketConfig, BucketLimiter};
/// use svc_gateway::rest::{RestClient, bucket_config};
///
/// let limiter = BucketLimiter::new(BucketConfig {
///     global: Some((25, Duration::from_secs(1))),
///     ..bucket_config()
/// });
/// let rest = RestClient::builder("token").limiter(limiter).build().unwrap();
/// assert!(rest.limiter().is_some());
/// ```
pub fn bucket_config() -> BucketConfig {
    BucketConfig {
        global: Some((50, Duration::from_secs(1))),
        ..BucketConfig::default()
    }
}

#[derive(Deserialize)]
struct Body {
    retry_after: Option<f64>,
    #[serde(default)]
    global: bool,
}

/// A 429 body as Discord sends it: `{"message": …, "retry_after": 1.5, "global": false}`
/// (seconds, as a float). Anything unreadable says nothing, and the headers decide.
pub(crate) fn too_many_requests(body: &[u8]) -> TooManyRequests {
    let mut buffer = body.to_vec();
    match simd_json::serde::from_slice::<Body>(&mut buffer) {
        Ok(body) => TooManyRequests::new(
            body.retry_after
                .and_then(|secs| Duration::try_from_secs_f64(secs).ok()),
            body.global,
        ),
        Err(_) => TooManyRequests::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_429_body() {
        let parsed = too_many_requests(
            br#"{"message":"You are being rate limited.","retry_after":0.25,"global":true}"#,
        );
        assert_eq!(
            parsed,
            TooManyRequests::new(Some(Duration::from_millis(250)), true)
        );
    }

    #[test]
    fn odd_429_bodies_are_empty() {
        for body in [
            &b""[..],
            b"<html>",
            br#"{"retry_after":-1}"#,
            br#"{"reason":"requestThrottled"}"#,
        ] {
            let parsed = too_many_requests(body);
            assert_eq!(parsed.retry_after, None, "{body:?}");
            assert!(!parsed.global);
        }
    }

    #[test]
    fn fifty_requests_per_second_over_per_route_buckets() {
        let config = bucket_config();
        assert_eq!(config.global, Some((50, Duration::from_secs(1))));
        assert_eq!(config.bucketing, core_ratelimit::Bucketing::PerRoute);
    }
}
