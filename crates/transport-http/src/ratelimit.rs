//! What a response tells the rate limiter: its headers, and for a 429 what the platform's
//! body says (read by a parser the service provides).

use std::time::Duration;

use core_ratelimit::RateLimitHeaders;
use http::HeaderMap;

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

/// What a 429 response's body says about waiting, for platforms that put it there (Discord
/// sends `{"retry_after": 1.5, "global": false}`). A service reads its platform's body with
/// a parser set by [`ClientBuilder::rate_limit_body`](crate::ClientBuilder::rate_limit_body);
/// without one, 429s are read from the headers only (`Retry-After`, `X-RateLimit-Reset-After`,
/// `X-RateLimit-Global`). The body's values win over the headers' where both are given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TooManyRequests {
    /// How long to wait before trying again.
    pub retry_after: Option<Duration>,
    /// Whether the limit hit is the global one (every route waits), not the route's.
    pub global: bool,
}

impl TooManyRequests {
    /// What a body said: the wait (if any) and whether it is global.
    pub const fn new(retry_after: Option<Duration>, global: bool) -> Self {
        Self {
            retry_after,
            global,
        }
    }
}

/// Reads a platform's 429 body; anything it cannot read should be
/// [`TooManyRequests::default`] (nothing said).
pub type RateLimitBodyParser = fn(&[u8]) -> TooManyRequests;

#[cfg(test)]
mod tests {
    use super::*;

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
