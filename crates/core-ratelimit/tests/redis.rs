//! Shared limits on a real Redis server: several "processes" (limiters on separate
//! connections) together never exceed the limit, across script flushes and server restarts.
//!
//! These run in real time (Redis keeps its own clock), so each is kept to a few seconds.
#![cfg(feature = "redis")]

use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use core_ratelimit::redis;
use core_ratelimit::redis::aio::ConnectionManager;
use core_ratelimit::{ColdStart, ErrorKind, RedisIdentifyQueue, RedisWindowLimiter, connect_redis};
use redis_test_server::{RedisServer, max_in_any_window};

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).expect("non-zero")
}

/// A separate connection: what a second process would have.
async fn process(server: &RedisServer) -> ConnectionManager {
    connect_redis(&server.url()).await.expect("redis reachable")
}

/// Runs `tasks` concurrent callers per limiter, each taking `each` slots.
async fn drive(limiters: &[RedisWindowLimiter], tasks: usize, each: usize) -> Vec<SystemTime> {
    let mut handles = Vec::new();
    for limiter in limiters {
        for _ in 0..tasks {
            let limiter = limiter.clone();
            handles.push(tokio::spawn(async move {
                let mut times = Vec::new();
                for _ in 0..each {
                    times.push(limiter.acquire().await.expect("acquire"));
                }
                times
            }));
        }
    }
    let mut times = Vec::new();
    for handle in handles {
        times.extend(handle.await.expect("task"));
    }
    times
}

fn global(conn: ConnectionManager, key: &str, cold_start: ColdStart) -> RedisWindowLimiter {
    RedisWindowLimiter::builder(conn, key, nz(50), Duration::from_secs(1))
        .cold_start(cold_start)
        .build()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_a_50_per_second_limit() {
    let server = RedisServer::start();
    let a = global(process(&server).await, "t:global", ColdStart::Trust);
    let b = global(process(&server).await, "t:global", ColdStart::Trust);

    let times = tokio::time::timeout(Duration::from_secs(10), drive(&[a, b], 3, 15))
        .await
        .expect("90 acquisitions at 50/s finish in about a second");

    assert_eq!(times.len(), 90);
    assert_eq!(max_in_any_window(&times, Duration::from_secs(1)), 50);
    let first = times.iter().min().expect("times");
    let last = times.iter().max().expect("times");
    assert!(last.duration_since(*first).expect("ordered") > Duration::from_secs(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identify_buckets_hold_across_processes() {
    let server = RedisServer::start();
    let period = Duration::from_millis(400);
    let queue = |conn| {
        RedisIdentifyQueue::with_cold_start(&conn, "t:identify", nz(2), period, ColdStart::Trust)
    };
    let a = queue(process(&server).await);
    let b = queue(process(&server).await);
    assert_eq!(a.bucket_of(5), 1);

    // Process A runs shards 0..4, process B shards 4..8: each bucket gets 4 starts.
    let mut handles = Vec::new();
    for shard in 0..8_u64 {
        let queue = if shard < 4 { a.clone() } else { b.clone() };
        handles.push(tokio::spawn(async move {
            (shard % 2, queue.acquire(shard).await.expect("acquire"))
        }));
    }
    let mut starts = [Vec::new(), Vec::new()];
    for handle in handles {
        let (bucket, at) = tokio::time::timeout(Duration::from_secs(10), handle)
            .await
            .expect("bounded")
            .expect("task");
        starts[bucket as usize].push(at);
    }
    for bucket in &mut starts {
        assert_eq!(bucket.len(), 4);
        bucket.sort_unstable();
        for pair in bucket.windows(2) {
            let gap = pair[1].duration_since(pair[0]).expect("sorted");
            assert!(gap > period, "two starts of one bucket {gap:?} apart");
        }
    }
    // The two buckets start in parallel.
    let first_gap = starts[0][0]
        .duration_since(starts[1][0])
        .or_else(|e| Ok::<_, ()>(e.duration()))
        .expect("gap");
    assert!(first_gap < period, "buckets were serialized: {first_gap:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_flush_reloads_the_script_and_keeps_the_state() {
    let server = RedisServer::start();
    let mut admin = process(&server).await;
    let limiter = RedisWindowLimiter::builder(
        process(&server).await,
        "t:flush",
        nz(5),
        Duration::from_secs(30),
    )
    .cold_start(ColdStart::Trust)
    .build();
    for _ in 0..3 {
        limiter
            .try_acquire()
            .await
            .expect("reachable")
            .expect("granted");
    }

    let () = redis::cmd("SCRIPT")
        .arg("FLUSH")
        .query_async(&mut admin)
        .await
        .expect("script flush");
    // NOSCRIPT → the script is loaded again; the three earlier grants still count.
    for _ in 0..2 {
        limiter
            .try_acquire()
            .await
            .expect("reachable")
            .expect("granted");
    }
    let refused = limiter.try_acquire().await.expect("reachable");
    let wait = refused.expect_err("the sixth in the window is refused").0;
    assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(30));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_restart_makes_callers_wait_and_recover_without_over_sending() {
    let mut server = RedisServer::start();
    // The default cold start: a restart that loses the log must not reopen the window.
    let a = global(process(&server).await, "t:restart", ColdStart::Wait);
    let b = global(process(&server).await, "t:restart", ColdStart::Wait);
    let probe = a.clone();

    let granted = Arc::new(AtomicUsize::new(0));
    let mut handles = Vec::new();
    for limiter in [a, b] {
        for _ in 0..2 {
            let (limiter, granted) = (limiter.clone(), Arc::clone(&granted));
            handles.push(tokio::spawn(async move {
                let mut times = Vec::new();
                for _ in 0..20 {
                    times.push(limiter.acquire().await.expect("acquire"));
                    granted.fetch_add(1, Ordering::SeqCst);
                }
                times
            }));
        }
    }
    // Restart as soon as the first window's 50 are out, while 30 callers still wait.
    tokio::time::timeout(Duration::from_secs(5), async {
        while granted.load(Ordering::SeqCst) < 50 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the first 50 are granted");
    server.stop();
    let down = probe.try_acquire().await.expect_err("server is down");
    assert_eq!(*down.kind(), ErrorKind::StoreUnavailable);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let restarted_at = SystemTime::now();
    server.restart();
    // A process that starts right after the restart must not find the window open either.
    let c = global(process(&server).await, "t:restart", ColdStart::Wait);

    let times = tokio::time::timeout(Duration::from_secs(10), async {
        let mut times = drive(&[c], 1, 10).await;
        for handle in handles {
            times.extend(handle.await.expect("task"));
        }
        times
    })
    .await
    .expect("callers recover after the restart");
    assert_eq!(times.len(), 90);
    assert_eq!(max_in_any_window(&times, Duration::from_secs(1)), 50);
    let after = times.iter().filter(|&&at| at > restarted_at).count();
    assert_eq!(after, 40, "the rest were granted by the restarted server");
}

#[tokio::test]
async fn unreachable_redis_is_a_typed_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port();
    let Err(error) = connect_redis(&format!("redis://127.0.0.1:{port}/")).await else {
        panic!("nothing listens");
    };
    assert_eq!(*error.kind(), ErrorKind::StoreUnavailable);
    let Err(error) = connect_redis("not a url").await else {
        panic!("invalid");
    };
    assert_eq!(*error.kind(), ErrorKind::StoreReply);
}
