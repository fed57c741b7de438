//! HTTP response headers: rate limits (core-ratelimit) and Cache-Control (core-cache).

use std::time::{Duration, SystemTime};

use core_cache::CacheControl;
use core_ratelimit::RateLimitHeaders;

/// `name: value` lines (values as raw bytes, names must be text).
pub(crate) fn ratelimit_headers(data: &[u8]) {
    let headers: Vec<(&str, &[u8])> = data
        .split(|&b| b == b'\n')
        .filter_map(|line| {
            let at = line.iter().position(|&b| b == b':')?;
            let name = std::str::from_utf8(&line[..at]).ok()?;
            let value = &line[at + 1..];
            Some((name, value.strip_prefix(b" ").unwrap_or(value)))
        })
        .collect();
    // A fixed "now", so a failing input fails the same way on every run.
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let _ = RateLimitHeaders::parse_at(headers, now);
}

pub(crate) fn cache_control(data: &[u8]) {
    let Some(text) = crate::text(data) else {
        return;
    };
    let parsed = CacheControl::parse(text);
    let _ = parsed.ttl();
}
