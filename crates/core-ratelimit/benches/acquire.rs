//! Uncontended acquire costs: the path every send and request takes when no limit is near.

#![allow(missing_docs)]

use std::hint::black_box;
use std::num::NonZeroU32;
use std::time::Duration;

use core_ratelimit::{
    BucketConfig, BucketLimiter, Outcome, Priority, RateLimitHeaders, RouteKey, SendQueue,
    SlidingLog, WindowBackend, WindowLimiter,
};
use criterion::{Criterion, criterion_group, criterion_main};

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).expect("bench limits are non-zero")
}

fn window(c: &mut Criterion) {
    let mut group = c.benchmark_group("window");
    // A limit so large it never binds: the GCRA (governor) backend `new` picks above
    // SlidingLog::MAX_LIMIT.
    let gcra = WindowLimiter::new(nonzero(u32::MAX), Duration::from_secs(1));
    group.bench_function("try_acquire/gcra", |b| {
        b.iter(|| black_box(gcra.try_acquire()));
    });
    // The exact sliding log with its ring full: every call compares against the oldest of
    // the last 16384 instants and overwrites it (a 1 µs window never binds here).
    let log = WindowLimiter::new(nonzero(SlidingLog::MAX_LIMIT), Duration::from_micros(1));
    group.bench_function("try_acquire/sliding_log", |b| {
        b.iter(|| black_box(log.try_acquire()));
    });
    let raw = SlidingLog::new(nonzero(120), Duration::from_nanos(1));
    group.bench_function("backend/sliding_log_120", |b| {
        b.iter(|| black_box(raw.try_acquire()));
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    group.bench_function("acquire/sliding_log", |b| {
        b.to_async(&runtime).iter(|| log.acquire());
    });
    let sends = SendQueue::new(nonzero(SlidingLog::MAX_LIMIT), Duration::from_micros(1), 8);
    group.bench_function("send_queue/normal", |b| {
        b.to_async(&runtime)
            .iter(|| sends.acquire(Priority::Normal));
    });
    group.finish();
}

fn buckets(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let limiter = BucketLimiter::new(BucketConfig::default());
    let route = RouteKey::new("POST /channels/{channel_id}/messages", Some("1234"));
    let headers = RateLimitHeaders {
        limit: Some(u32::MAX),
        remaining: Some(u32::MAX - 1),
        reset_after: Some(Duration::from_mins(50)),
        reset_at_epoch: Some(1_700_000_000.0),
        bucket: Some("80c17d2f203122d936070c88c8d10f33".to_owned()),
        ..RateLimitHeaders::default()
    };
    // Learn the bucket first, so the measured path is a known bucket with room.
    runtime.block_on(async {
        limiter
            .acquire(&route)
            .await
            .complete(Outcome::new(200, headers.clone()));
    });
    let outcome = Outcome::new(200, headers);
    c.bench_function("bucket/acquire_complete", |b| {
        b.to_async(&runtime).iter(|| async {
            let ticket = limiter.acquire(&route).await;
            ticket.complete(outcome.clone());
        });
    });
    let discord = BucketLimiter::new(BucketConfig {
        global: Some((u32::MAX, Duration::from_secs(1))),
        ..BucketConfig::default()
    });
    runtime.block_on(async {
        discord.acquire(&route).await.complete(outcome.clone());
    });
    c.bench_function("bucket/acquire_complete_with_global", |b| {
        b.to_async(&runtime).iter(|| async {
            let ticket = discord.acquire(&route).await;
            ticket.complete(outcome.clone());
        });
    });
    let helix = RateLimitHeaders::parse([
        ("Ratelimit-Limit", &b"800"[..]),
        ("Ratelimit-Remaining", b"799"),
        ("Ratelimit-Reset", b"1700000060"),
        ("Content-Type", b"application/json"),
    ]);
    black_box(helix.is_ok());
    c.bench_function("headers/parse_discord", |b| {
        b.iter(|| {
            RateLimitHeaders::parse(black_box([
                ("X-RateLimit-Limit", &b"5"[..]),
                ("X-RateLimit-Remaining", b"1"),
                ("X-RateLimit-Reset", b"1470173023.123"),
                ("X-RateLimit-Reset-After", b"1"),
                ("X-RateLimit-Bucket", b"abcd1234"),
                ("Content-Type", b"application/json"),
            ]))
        });
    });
}

criterion_group!(benches, window, buckets);
criterion_main!(benches);
