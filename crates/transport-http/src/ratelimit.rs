//! What a response tells the rate limiter: its headers, and for a 429 the JSON body.

use std::time::Duration;

use core_ratelimit::RateLimitHeaders;
use http::HeaderMap;
use serde::Deserialize;

/// The rate-limit headers of a response. A malformed one is ignored (core-ratelimit logs
/// it as a warning): the response itself is still good, and the limiter falls back to
/// what it already knew.
pub(crate) fn parse_headers(headers: &HeaderMap) -> RateLimitHeaders {
    let pairs = headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()));
    RateLimitHeaders::parse(pairs).unwrap_or_else(|error| {
        tracing::debug!(error = %error, "ignoring malformed rate-limit headers");
        RateLimitHeaders::default()
    })
}

/// A 429 body as Discord sends it: `{"message": …, "retry_after": 1.5, "global": false}`.
/// Other platforms send other bodies (or none); anything unreadable counts as empty.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct TooManyRequests {
    pub(crate) retry_after: Option<Duration>,
    pub(crate) global: bool,
}

#[derive(Deserialize)]
struct Body {
    retry_after: Option<f64>,
    #[serde(default)]
    global: bool,
}

impl TooManyRequests {
    pub(crate) fn parse(body: &[u8]) -> Self {
        let mut buffer = body.to_vec();
        match simd_json::serde::from_slice::<Body>(&mut buffer) {
            Ok(body) => Self {
                retry_after: body
                    .retry_after
                    .and_then(|secs| Duration::try_from_secs_f64(secs).ok()),
                global: body.global,
            },
            Err(_) => Self::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_429_body() {
        let parsed = TooManyRequests::parse(
            br#"{"message":"You are being rate limited.","retry_after":0.25,"global":true}"#,
        );
        assert_eq!(
            parsed,
            TooManyRequests {
                retry_after: Some(Duration::from_millis(250)),
                global: true,
            }
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
            let parsed = TooManyRequests::parse(body);
            assert_eq!(parsed.retry_after, None, "{body:?}");
            assert!(!parsed.global);
        }
    }

    #[test]
    fn headers_are_parsed() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", "5".parse().unwrap());
        headers.insert("x-ratelimit-remaining", "4".parse().unwrap());
        headers.insert("x-ratelimit-reset-after", "1.5".parse().unwrap());
        headers.insert("x-ratelimit-bucket", "abc".parse().unwrap());
        let parsed = parse_headers(&headers);
        assert_eq!(parsed.limit, Some(5));
        assert_eq!(parsed.remaining, Some(4));
        assert_eq!(parsed.reset_after, Some(Duration::from_millis(1500)));
        assert_eq!(parsed.bucket.as_deref(), Some("abc"));
    }

    #[test]
    fn malformed_headers_are_ignored() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", "lots".parse().unwrap());
        assert_eq!(parse_headers(&headers), RateLimitHeaders::default());
    }
}
