//! The shared bucket limiter on a real Redis server, in front of a rate-limited HTTP
//! server (`common::bucket_server`, real sockets on 127.0.0.1) with Discord's REST numbers
//! (5 per second per channel bucket, 50 per second globally): two "processes" (limiters on separate connections)
//! oversubscribing the global limit and the per-route buckets get 0 × 429; Redis restarting
//! mid-run makes callers wait and recover; a script flush reloads the scripts; a process
//! that dies mid-request frees its slot when the lease expires.
//!
//! These run in real time (Redis and the server keep their own clocks), each bounded to a
//! few seconds.
#![cfg(feature = "redis")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use core_ratelimit::redis::aio::ConnectionManager;
use core_ratelimit::{
    BucketConfig, BucketId, BucketLimiter, ColdStart, IdentifyQueue, Outcome, RateLimitHeaders,
    RedisBucketLimiter, RedisIdentifyQueue, RouteKey, Ticket, connect_redis, redis,
};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use redis_test_server::{RedisServer, max_in_any_window};

mod common;

use common::bucket_server::{BucketServer, Limits};

type Http = Client<HttpConnector, Empty<Bytes>>;

/// The limiter's global window: Discord's 50 per second, plus 50 ms for the time between a
/// grant in Redis and the request's arrival at the server, which varies from request to
/// request (the server counts arrivals, the limiter grants).
const GLOBAL: (u32, Duration) = (50, Duration::from_millis(1_050));

/// A separate connection: what a second process would have.
async fn process(server: &RedisServer) -> ConnectionManager {
    connect_redis(&server.url()).await.expect("redis reachable")
}

fn shared(conn: ConnectionManager, cold_start: ColdStart) -> RedisBucketLimiter {
    let config = BucketConfig {
        global: Some(GLOBAL),
        ..BucketConfig::default()
    };
    RedisBucketLimiter::builder(conn, "t:buckets", config)
        .cold_start(cold_start)
        .build()
}

struct Upstream {
    server: BucketServer,
    http: Http,
}

impl Upstream {
    async fn start() -> Self {
        let server = BucketServer::start(Limits {
            bucket_limit: 5,
            bucket_window: Duration::from_secs(1),
            global_per_second: 50,
        })
        .await;
        let http = Client::builder(TokioExecutor::new()).build_http();
        Self { server, http }
    }

    /// `GET /channels/{channel}`: what the server answered, as the limiter reads it.
    async fn get_channel(&self, channel: u64) -> Outcome {
        let request = hyper::Request::get(format!("{}/channels/{channel}", self.server.base_url()))
            .body(Empty::new())
            .expect("request");
        let response = self.http.request(request).await.expect("server answers");
        let status = response.status().as_u16();
        let headers = RateLimitHeaders::parse(
            response
                .headers()
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_bytes())),
        )
        .expect("valid headers");
        let _ = response.into_body().collect().await;
        Outcome::new(status, headers)
    }

    /// The most requests that arrived within any one second.
    fn max_arrivals_per_second(&self) -> usize {
        max_in_any_window(&self.server.arrivals(), Duration::from_secs(1))
    }

    /// Requests that arrived so far.
    fn arrived(&self) -> usize {
        self.server.arrivals().len()
    }
}

/// One of the two ways a process holds the shared limiter.
#[derive(Clone)]
enum Caller {
    /// `RedisBucketLimiter` itself: fallible, async completion.
    Direct(RedisBucketLimiter),
    /// Behind the `BucketLimiter` API an HTTP client takes.
    Wrapped(BucketLimiter),
}

impl Caller {
    async fn request(&self, upstream: &Upstream, channel: u64) -> u16 {
        let route = RouteKey::new("GET /channels/{channel_id}", Some(&channel.to_string()));
        match self {
            Self::Direct(limiter) => {
                let ticket = limiter.acquire(&route).await.expect("acquire");
                let outcome = upstream.get_channel(channel).await;
                let status = outcome.status;
                // Redis may be restarting: a lost report is fine, the lease expires.
                let _ = ticket.complete(&outcome).await;
                status
            }
            Self::Wrapped(limiter) => {
                let ticket: Ticket = limiter.acquire(&route).await;
                let outcome = upstream.get_channel(channel).await;
                let status = outcome.status;
                ticket.complete(outcome);
                status
            }
        }
    }
}

/// `tasks` callers per process, each sending `each` requests round-robin over `channels`
/// channels; counts the answers.
async fn drive(
    upstream: &Arc<Upstream>,
    callers: &[Caller],
    tasks: usize,
    each: usize,
    channels: u64,
    answered: &Arc<AtomicUsize>,
) -> Vec<u16> {
    let mut handles = Vec::new();
    for (p, caller) in callers.iter().enumerate() {
        for task in 0..tasks {
            let (caller, upstream, answered) =
                (caller.clone(), Arc::clone(upstream), Arc::clone(answered));
            handles.push(tokio::spawn(async move {
                let mut statuses = Vec::new();
                for n in 0..each {
                    let channel = 1 + ((p * tasks + task) * each + n) as u64 % channels;
                    statuses.push(caller.request(&upstream, channel).await);
                    answered.fetch_add(1, Ordering::SeqCst);
                }
                statuses
            }));
        }
    }
    let mut statuses = Vec::new();
    for handle in handles {
        statuses.extend(handle.await.expect("task"));
    }
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_oversubscribing_the_server_get_zero_429s() {
    let server = RedisServer::start();
    let upstream = Arc::new(Upstream::start().await);
    let a = Caller::Direct(shared(process(&server).await, ColdStart::Trust));
    let b = Caller::Wrapped(BucketLimiter::from(shared(
        process(&server).await,
        ColdStart::Trust,
    )));

    // 160 requests from 16 concurrent callers over 20 channels: the buckets (5 per second
    // each, 100 per second together) and the global 50 per second are both oversubscribed.
    let answered = Arc::new(AtomicUsize::new(0));
    let statuses = tokio::time::timeout(
        Duration::from_secs(20),
        drive(&upstream, &[a, b], 8, 10, 20, &answered),
    )
    .await
    .expect("160 requests at 50/s finish in a few seconds");

    assert_eq!(statuses.len(), 160);
    assert_eq!(
        upstream.server.rate_limited(),
        0,
        "the server served 0 × 429"
    );
    assert!(statuses.iter().all(|&status| status != 429));
    assert!(
        upstream.max_arrivals_per_second() <= 50,
        "{} requests arrived within one second",
        upstream.max_arrivals_per_second()
    );
    assert_eq!(upstream.arrived(), 160, "no request was sent twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routes_learn_their_bucket_hash_across_processes() {
    let server = RedisServer::start();
    let upstream = Upstream::start().await;
    let a = shared(process(&server).await, ColdStart::Trust);
    let b = shared(process(&server).await, ColdStart::Trust);
    let route = RouteKey::new("GET /channels/{channel_id}", Some("7"));
    assert!(matches!(a.bucket_of(&route), BucketId::Route(_)));

    let ticket = a.acquire(&route).await.expect("acquire");
    ticket
        .complete(&upstream.get_channel(7).await)
        .await
        .expect("complete");
    assert!(matches!(a.bucket_of(&route), BucketId::Hash { .. }));
    // Process B never sent on this route, and is admitted by the learned bucket at once.
    let ticket = b.acquire(&route).await.expect("acquire");
    assert_eq!(ticket.bucket(), &a.bucket_of(&route));
    assert_eq!(b.bucket_of(&route), a.bucket_of(&route));
    ticket
        .complete(&upstream.get_channel(7).await)
        .await
        .expect("complete");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_restarting_mid_run_makes_callers_wait_and_recover() {
    let mut server = RedisServer::start();
    let upstream = Arc::new(Upstream::start().await);
    // The default cold start: after the restart the global limit waits one window.
    let a = Caller::Direct(shared(process(&server).await, ColdStart::Wait));
    let b = Caller::Wrapped(BucketLimiter::from(shared(
        process(&server).await,
        ColdStart::Wait,
    )));

    let answered = Arc::new(AtomicUsize::new(0));
    let run = {
        let (upstream, answered) = (Arc::clone(&upstream), Arc::clone(&answered));
        tokio::spawn(async move { drive(&upstream, &[a, b], 4, 30, 20, &answered).await })
    };
    tokio::time::timeout(Duration::from_secs(10), async {
        while answered.load(Ordering::SeqCst) < 60 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the first 60 are answered");
    server.stop();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let during_outage = upstream.arrived();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        upstream.arrived() <= during_outage + 16,
        "at most the requests already granted went out while Redis was down"
    );
    server.restart();

    let statuses = tokio::time::timeout(Duration::from_secs(20), run)
        .await
        .expect("callers recover after the restart")
        .expect("no caller panicked");
    assert_eq!(statuses.len(), 240);
    assert_eq!(
        upstream.server.rate_limited(),
        0,
        "the server served 0 × 429"
    );
    assert!(
        upstream.max_arrivals_per_second() <= 50,
        "{} requests arrived within one second",
        upstream.max_arrivals_per_second()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_flush_reloads_the_scripts_and_keeps_the_state() {
    let server = RedisServer::start();
    let mut admin = process(&server).await;
    let limiter = shared(process(&server).await, ColdStart::Trust);
    let route = RouteKey::new("POST /channels/{channel_id}/messages", Some("9"));
    // The server says: 3 per window, 2 left, the window resets in 30 s.
    let headers = RateLimitHeaders::parse([
        ("x-ratelimit-limit", &b"3"[..]),
        ("x-ratelimit-remaining", b"2"),
        ("x-ratelimit-reset-after", b"30"),
    ])
    .expect("headers");
    let ticket = limiter.acquire(&route).await.expect("probe");
    ticket
        .complete(&Outcome::new(200, headers))
        .await
        .expect("complete");

    let () = redis::cmd("SCRIPT")
        .arg("FLUSH")
        .query_async(&mut admin)
        .await
        .expect("script flush");
    // NOSCRIPT → the scripts are loaded again; the learned window still counts.
    let first = limiter.acquire(&route).await.expect("granted after flush");
    let second = limiter.acquire(&route).await.expect("granted after flush");
    let third = tokio::time::timeout(Duration::from_millis(300), limiter.acquire(&route)).await;
    assert!(
        third.is_err(),
        "the window is spent until its reset in 30 s"
    );
    drop((first, second));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_dying_mid_request_frees_its_slot_when_the_lease_expires() {
    let server = RedisServer::start();
    // Discord's numbers: per-route buckets and 50 per second globally.
    let config = BucketConfig {
        global: Some((50, Duration::from_secs(1))),
        ..BucketConfig::default()
    };
    let dying = RedisBucketLimiter::builder(process(&server).await, "t:lease", config.clone())
        .cold_start(ColdStart::Trust)
        .lease(Duration::from_millis(400))
        .build();
    let other = RedisBucketLimiter::builder(process(&server).await, "t:lease", config)
        .cold_start(ColdStart::Trust)
        .build();
    let route = RouteKey::new("GET /guilds/{guild_id}", Some("1"));

    // The first request of an unknown bucket is its only probe; the process dies holding it.
    let probe = dying.acquire(&route).await.expect("probe");
    std::mem::forget(probe);
    let waited = tokio::time::timeout(Duration::from_millis(150), other.acquire(&route)).await;
    assert!(waited.is_err(), "one probe at a time across processes");
    let ticket = tokio::time::timeout(Duration::from_secs(5), other.acquire(&route))
        .await
        .expect("the lease expired")
        .expect("acquire");
    drop(ticket);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_identify_queue_from_redis_paces_two_processes() {
    let server = RedisServer::start();
    let period = Duration::from_millis(300);
    let queue = |conn: ConnectionManager| {
        IdentifyQueue::from(RedisIdentifyQueue::with_cold_start(
            &conn,
            "t:identify",
            std::num::NonZeroU32::MIN,
            period,
            ColdStart::Trust,
        ))
    };
    let a = queue(process(&server).await);
    let b = queue(process(&server).await);
    assert_eq!(a.max_concurrency(), 1);
    let mut handles = Vec::new();
    for shard in 0..4_u64 {
        let queue = if shard % 2 == 0 { a.clone() } else { b.clone() };
        handles.push(tokio::spawn(async move {
            queue.acquire(shard).await;
            SystemTime::now()
        }));
    }
    let mut starts = Vec::new();
    for handle in handles {
        starts.push(
            tokio::time::timeout(Duration::from_secs(10), handle)
                .await
                .expect("bounded")
                .expect("task"),
        );
    }
    // One bucket for both processes: never two starts within one period.
    assert_eq!(max_in_any_window(&starts, period / 2), 1);
}
