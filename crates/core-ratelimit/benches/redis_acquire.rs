//! Shared-limiter acquire latency against a local `redis-server` on loopback: one Lua
//! script round trip per decision (window limiter, and the header-driven bucket limiter
//! whose acquire also takes the global limit).

#![allow(missing_docs)]

use std::hint::black_box;
use std::num::NonZeroU32;
use std::time::Duration;

use core_ratelimit::redis::aio::ConnectionManager;
use core_ratelimit::{
    BucketConfig, ColdStart, Outcome, RateLimitHeaders, RedisBucketLimiter, RedisWindowLimiter,
    RouteKey, connect_redis,
};
use criterion::{Criterion, criterion_group, criterion_main};
use redis_test_server::RedisServer;

/// A local `redis-server`, a current-thread runtime and a connection to the server.
fn loopback() -> (RedisServer, tokio::runtime::Runtime, ConnectionManager) {
    let server = RedisServer::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let conn = runtime
        .block_on(connect_redis(&server.url()))
        .expect("redis reachable");
    (server, runtime, conn)
}

fn shared_window(c: &mut Criterion) {
    let (server, runtime, conn) = loopback();
    let limiter = |key: &str, limit: u32, window: Duration| {
        RedisWindowLimiter::builder(
            conn.clone(),
            key,
            NonZeroU32::new(limit).expect("non-zero"),
            window,
        )
        .cold_start(ColdStart::Trust)
        .build()
    };

    let mut group = c.benchmark_group("redis_window");
    // A limit that never binds (a 1 ms window holds a few dozen grants): the granted path,
    // including trimming the log.
    let open = limiter("bench:open", u32::MAX, Duration::from_millis(1));
    group.bench_function("acquire/granted", |b| {
        b.iter(|| black_box(runtime.block_on(open.acquire()).expect("granted")));
    });
    // A limit that always binds: the refused path (reads the oldest grant for the wait).
    let closed = limiter("bench:closed", 1, Duration::from_hours(1));
    let _ = runtime.block_on(closed.try_acquire());
    group.bench_function("try_acquire/refused", |b| {
        b.iter(|| black_box(runtime.block_on(closed.try_acquire()).expect("reachable")));
    });
    group.finish();
    drop(server);
}

fn shared_buckets(c: &mut Criterion) {
    let (server, runtime, conn) = loopback();
    // Discord's shape with limits that never bind: a learned bucket of a billion per hour,
    // and a global limit whose 1 ms window holds a few dozen grants (so it is checked and
    // trimmed on every acquire, as in production).
    let config = BucketConfig {
        global: Some((u32::MAX, Duration::from_millis(1))),
        ..BucketConfig::default()
    };
    let limiter = RedisBucketLimiter::builder(conn, "bench:discord", config)
        .cold_start(ColdStart::Trust)
        .build();
    let route = RouteKey::new("POST /channels/{channel_id}/messages", Some("1"));
    let learned = RateLimitHeaders::parse([
        ("x-ratelimit-limit", &b"1000000000"[..]),
        ("x-ratelimit-remaining", b"999999999"),
        ("x-ratelimit-reset-after", b"3600"),
        ("x-ratelimit-bucket", b"abcd"),
    ])
    .expect("headers");
    runtime.block_on(async {
        let ticket = limiter.acquire(&route).await.expect("probe");
        ticket
            .complete(&Outcome::new(200, learned.clone()))
            .await
            .expect("learn");
    });

    let mut group = c.benchmark_group("redis_bucket");
    // The caller-visible wait: one script deciding bucket + global; the completion that
    // follows each request is outside the measurement.
    group.bench_function("acquire/granted", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = std::time::Instant::now();
                let ticket = runtime.block_on(limiter.acquire(&route)).expect("granted");
                total += start.elapsed();
                let outcome = Outcome::new(200, learned.clone());
                runtime
                    .block_on(ticket.complete(&outcome))
                    .expect("complete");
            }
            total
        });
    });
    // A whole request's limiter overhead: acquire, then report the response's headers.
    group.bench_function("acquire+complete", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let ticket = limiter.acquire(&route).await.expect("granted");
                black_box(ticket.complete(&Outcome::new(200, learned.clone())).await)
                    .expect("complete");
            });
        });
    });
    group.finish();
    drop(server);
}

criterion_group!(benches, shared_window, shared_buckets);
criterion_main!(benches);
