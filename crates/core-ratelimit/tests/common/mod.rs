//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)]

pub mod bucket_server;

use std::num::NonZeroU32;
use std::time::Duration;

use core_ratelimit::{BucketConfig, Bucketing};
use tokio::time::Instant;

/// Per-route buckets under a global limit of 50 requests per second: the shape of
/// Discord's REST limits (svc-gateway's `rest::bucket_config()`).
pub fn per_route_50_per_second() -> BucketConfig {
    BucketConfig {
        global: Some((50, Duration::from_secs(1))),
        ..BucketConfig::default()
    }
}

/// One budget for every route, no global limit: the shape of Helix's point budget
/// (svc-helix's `bucket_config()`).
pub fn single_budget() -> BucketConfig {
    BucketConfig {
        bucketing: Bucketing::Single,
        ..BucketConfig::default()
    }
}

pub fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).expect("test limits are non-zero")
}

/// The most instants that fall in one closed interval of length `window`, found by sliding
/// over the sorted instants (two pointers).
pub fn max_in_any_window(instants: &[Instant], window: Duration) -> usize {
    let mut sorted = instants.to_vec();
    sorted.sort_unstable();
    let mut best = 0;
    let mut first = 0;
    for last in 0..sorted.len() {
        while sorted[last] - sorted[first] > window {
            first += 1;
        }
        best = best.max(last - first + 1);
    }
    best
}

/// A small deterministic generator (splitmix64) for latencies and schedules.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `low..=high`.
    pub fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }
}

#[test]
fn the_window_scan_counts_closed_intervals() {
    let start = Instant::now();
    let at = |ms: u64| start + Duration::from_millis(ms);
    let instants = [at(0), at(500), at(1000), at(1001), at(2500)];
    assert_eq!(max_in_any_window(&instants, Duration::from_secs(1)), 3);
    assert_eq!(max_in_any_window(&instants, Duration::from_millis(999)), 3);
    assert_eq!(max_in_any_window(&instants, Duration::from_millis(400)), 2);
    assert_eq!(max_in_any_window(&[], Duration::from_secs(1)), 0);
}
