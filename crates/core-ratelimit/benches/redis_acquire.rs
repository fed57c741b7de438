//! Shared-limiter acquire latency against a local `redis-server` on loopback: one Lua
//! script round trip per decision.

#![allow(missing_docs)]

use std::hint::black_box;
use std::num::NonZeroU32;
use std::time::Duration;

use core_ratelimit::{ColdStart, RedisWindowLimiter, connect_redis};
use criterion::{Criterion, criterion_group, criterion_main};
use redis_test_server::RedisServer;

fn shared_window(c: &mut Criterion) {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let conn = runtime
        .block_on(connect_redis(&server.url()))
        .expect("redis reachable");
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

criterion_group!(benches, shared_window);
criterion_main!(benches);
