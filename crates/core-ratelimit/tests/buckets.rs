//! BucketLimiter against an in-process server model that enforces its quota, with paused
//! time: zero 429s under 10x overload, bucket sharing, global limits, 429s, dropped tickets.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use common::{Rng, max_in_any_window};
use core_ratelimit::{
    BucketConfig, BucketId, BucketLimiter, Outcome, RateLimitHeaders, RouteKey, Ticket,
};
use tokio::time::{Instant, sleep};

const EPOCH_BASE: f64 = 1_700_000_000.0;

/// Header style of the model server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `X-RateLimit-*` with `Reset-After`, a millisecond reset epoch and a bucket hash.
    Discord,
    /// `Ratelimit-*` with an integer reset epoch only.
    Helix,
}

/// A server bucket enforcing `limit` requests per fixed window that starts with the first
/// request after the previous window ended, answering like the platform does (429 when over).
struct ServerModel {
    limit: u32,
    window: Duration,
    style: Style,
    start: Instant,
    state: Mutex<(Option<Instant>, u32)>,
    served: Mutex<Vec<Instant>>,
    rejected: AtomicU32,
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    /// Wall-clock time of the response, for parsing epoch-based headers.
    wall: std::time::SystemTime,
}

impl ServerModel {
    fn new(limit: u32, window: Duration, style: Style) -> Arc<Self> {
        Arc::new(Self {
            limit,
            window,
            style,
            start: Instant::now(),
            state: Mutex::new((None, 0)),
            served: Mutex::default(),
            rejected: AtomicU32::new(0),
        })
    }

    fn epoch(&self, at: Instant) -> f64 {
        EPOCH_BASE + (at - self.start).as_secs_f64()
    }

    fn handle(&self, bucket_hash: &str) -> Response {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap();
        if state.0.is_none_or(|end| now >= end) {
            *state = (Some(now + self.window), 0);
        }
        let end = state.0.unwrap();
        let over = state.1 >= self.limit;
        if over {
            self.rejected.fetch_add(1, Ordering::SeqCst);
        } else {
            state.1 += 1;
            self.served.lock().unwrap().push(now);
        }
        let remaining = self.limit - state.1;
        // Millisecond precision, rounded up like a server that never under-states the wait.
        let after_ms = (end - now).as_nanos().div_ceil(1_000_000);
        let mut headers = match self.style {
            Style::Discord => vec![
                ("X-RateLimit-Limit".to_owned(), self.limit.to_string()),
                ("X-RateLimit-Remaining".to_owned(), remaining.to_string()),
                (
                    "X-RateLimit-Reset".to_owned(),
                    format!("{:.3}", self.epoch(end)),
                ),
                (
                    "X-RateLimit-Reset-After".to_owned(),
                    format!("{}.{:03}", after_ms / 1000, after_ms % 1000),
                ),
                ("X-RateLimit-Bucket".to_owned(), bucket_hash.to_owned()),
            ],
            Style::Helix => vec![
                ("Ratelimit-Limit".to_owned(), self.limit.to_string()),
                ("Ratelimit-Remaining".to_owned(), remaining.to_string()),
                (
                    "Ratelimit-Reset".to_owned(),
                    format!("{}", self.epoch(end).ceil()),
                ),
            ],
        };
        if over {
            headers.push((
                "Retry-After".to_owned(),
                format!("{}", after_ms.div_ceil(1000)),
            ));
        }
        Response {
            status: if over { 429 } else { 200 },
            headers,
            wall: UNIX_EPOCH + Duration::from_secs_f64(self.epoch(now)),
        }
    }
}

/// One client request: acquire, travel to the server, travel back, report.
async fn call(
    limiter: &BucketLimiter,
    server: &ServerModel,
    route: &RouteKey,
    up: Duration,
    down: Duration,
) -> u16 {
    let ticket = limiter.acquire(route).await;
    sleep(up).await;
    let response = server.handle("abcd1234");
    sleep(down).await;
    let headers = RateLimitHeaders::parse_at(
        response
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_bytes())),
        response.wall,
    )
    .unwrap();
    let retry_after = (response.status == 429).then(|| headers.retry_after.unwrap());
    ticket.complete(Outcome {
        status: response.status,
        headers,
        retry_after,
        global: false,
    });
    response.status
}

async fn overload(
    limiter: BucketLimiter,
    server: Arc<ServerModel>,
    routes: Vec<RouteKey>,
    callers: usize,
    seed: u64,
) -> Duration {
    let start = Instant::now();
    let mut rng = Rng::new(seed);
    let tasks: Vec<_> = (0..callers)
        .map(|i| {
            let limiter = limiter.clone();
            let server = Arc::clone(&server);
            let route = routes[i % routes.len()].clone();
            // 5–80 ms each way, so answers overtake each other.
            let up = Duration::from_millis(rng.range(5, 80));
            let down = Duration::from_millis(rng.range(5, 80));
            tokio::spawn(async move { call(&limiter, &server, &route, up, down).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    start.elapsed()
}

fn check_overload(server: &ServerModel, elapsed: Duration, windows: u32, seed: u64) {
    assert_eq!(server.rejected.load(Ordering::SeqCst), 0, "seed {seed}");
    // 50 requests at 5 per window need at least 9 more windows after the first, and the
    // limiter should not waste many more than that.
    let window = server.window;
    assert!(
        elapsed >= window * (windows - 1),
        "seed {seed}: {elapsed:?}"
    );
    assert!(elapsed < window * (windows + 4), "seed {seed}: {elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn ten_times_the_quota_in_concurrent_callers_gets_zero_429s() {
    for seed in 0..16 {
        let server = ServerModel::new(5, Duration::from_secs(1), Style::Discord);
        let limiter = BucketLimiter::new(common::per_route_50_per_second());
        let route = RouteKey::new("POST /channels/{channel_id}/messages", Some("1"));
        // Cold start: nothing known, 50 callers at once.
        let elapsed = overload(
            limiter.clone(),
            Arc::clone(&server),
            vec![route.clone()],
            50,
            seed,
        )
        .await;
        assert_eq!(server.served.lock().unwrap().len(), 50);
        check_overload(&server, elapsed, 10, seed);
        let learned = BucketId::Hash {
            hash: "abcd1234".into(),
            major: Some("1".into()),
        };
        assert_eq!(limiter.bucket_of(&route), Some(learned));
    }
}

#[tokio::test(start_paused = true)]
async fn routes_sharing_a_bucket_stay_within_its_quota_together() {
    for seed in 0..16 {
        let server = ServerModel::new(5, Duration::from_secs(1), Style::Discord);
        let limiter = BucketLimiter::new(common::per_route_50_per_second());
        // Two route templates that share one bucket (same hash, same major parameter). Which
        // templates share is only known once each has answered once, so each is used once
        // first; from then on they draw from one budget.
        let routes = vec![
            RouteKey::new("POST /channels/{channel_id}/messages", Some("1")),
            RouteKey::new(
                "PATCH /channels/{channel_id}/messages/{message_id}",
                Some("1"),
            ),
        ];
        for route in &routes {
            let status = call(
                &limiter,
                &server,
                route,
                Duration::from_millis(20),
                Duration::from_millis(20),
            )
            .await;
            assert_eq!(status, 200);
        }
        let elapsed = overload(
            limiter.clone(),
            Arc::clone(&server),
            routes.clone(),
            48,
            seed,
        )
        .await;
        assert_eq!(server.served.lock().unwrap().len(), 50);
        check_overload(&server, elapsed, 10, seed);
        let shared = BucketId::Hash {
            hash: "abcd1234".into(),
            major: Some("1".into()),
        };
        assert_eq!(limiter.bucket_of(&routes[0]), Some(shared.clone()));
        assert_eq!(limiter.bucket_of(&routes[1]), Some(shared));
    }
}

#[tokio::test(start_paused = true)]
async fn helix_points_are_one_budget_for_every_route() {
    let server = ServerModel::new(20, Duration::from_secs(10), Style::Helix);
    let limiter = BucketLimiter::new(common::single_budget());
    let routes = vec![
        RouteKey::new("GET /users", None),
        RouteKey::new("GET /streams", None),
        RouteKey::new("POST /eventsub/subscriptions", None),
    ];
    let elapsed = overload(
        limiter.clone(),
        Arc::clone(&server),
        routes.clone(),
        200,
        42,
    )
    .await;
    assert_eq!(server.rejected.load(Ordering::SeqCst), 0);
    assert_eq!(server.served.lock().unwrap().len(), 200);
    assert!(elapsed >= Duration::from_secs(90), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(125), "{elapsed:?}");
    for route in &routes {
        assert_eq!(limiter.bucket_of(route), Some(BucketId::Shared));
    }
}

fn window_headers(
    limit: u32,
    remaining: u32,
    reset_after: Duration,
    epoch: f64,
    bucket: &str,
) -> RateLimitHeaders {
    RateLimitHeaders {
        limit: Some(limit),
        remaining: Some(remaining),
        reset_after: Some(reset_after),
        reset_at_epoch: Some(epoch),
        bucket: Some(bucket.to_owned()),
        ..RateLimitHeaders::default()
    }
}

/// Acquires on `route` and reports how long it waited.
async fn timed(limiter: &BucketLimiter, route: &RouteKey) -> (Ticket, Duration) {
    let start = Instant::now();
    let ticket = limiter.acquire(route).await;
    (ticket, start.elapsed())
}

#[tokio::test(start_paused = true)]
async fn the_global_limit_caps_every_bucket_together() {
    let limiter = BucketLimiter::new(BucketConfig {
        global: Some((3, Duration::from_secs(1))),
        ..BucketConfig::default()
    });
    let stamps = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = (0..30)
        .map(|i| {
            let limiter = limiter.clone();
            let stamps = Arc::clone(&stamps);
            tokio::spawn(async move {
                let route = RouteKey::new("GET /guilds/{guild_id}", Some(&(i % 10).to_string()));
                let ticket = limiter.acquire(&route).await;
                stamps.lock().unwrap().push(Instant::now());
                // Routes without a bucket limit answer without rate-limit headers.
                ticket.complete(Outcome::new(200, RateLimitHeaders::default()));
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let stamps = stamps.lock().unwrap();
    assert_eq!(stamps.len(), 30);
    assert_eq!(max_in_any_window(&stamps, Duration::from_secs(1)), 3);
}

#[tokio::test(start_paused = true)]
async fn discord_global_limit_is_50_per_second() {
    let limiter = BucketLimiter::new(common::per_route_50_per_second());
    let route = RouteKey::new("GET /users/@me", None);
    limiter
        .acquire(&route)
        .await
        .complete(Outcome::new(200, RateLimitHeaders::default()));
    let mut stamps = Vec::new();
    for _ in 0..120 {
        let ticket = limiter.acquire(&route).await;
        stamps.push(Instant::now());
        ticket.complete(Outcome::new(200, RateLimitHeaders::default()));
    }
    assert_eq!(max_in_any_window(&stamps, Duration::from_secs(1)), 49 + 1);
}

#[tokio::test(start_paused = true)]
async fn a_bucket_429_blocks_that_bucket_for_retry_after() {
    let limiter = BucketLimiter::new(BucketConfig::default());
    let limited = RouteKey::new("POST /channels/{channel_id}/messages", Some("1"));
    let other = RouteKey::new("POST /channels/{channel_id}/messages", Some("2"));
    let ticket = limiter.acquire(&limited).await;
    ticket.complete(Outcome {
        status: 429,
        headers: RateLimitHeaders {
            scope: Some("user".into()),
            ..RateLimitHeaders::default()
        },
        retry_after: Some(Duration::from_millis(2500)),
        global: false,
    });
    let (ticket, waited) = timed(&limiter, &other).await;
    assert_eq!(waited, Duration::ZERO, "other buckets are not affected");
    drop(ticket);
    let (_ticket, waited) = timed(&limiter, &limited).await;
    assert!(
        waited >= Duration::from_millis(2500) && waited < Duration::from_millis(2510),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_429_without_a_body_uses_the_retry_after_header() {
    let limiter = BucketLimiter::new(BucketConfig::default());
    let route = RouteKey::new("PUT /guilds/{guild_id}/bans/{user_id}", Some("9"));
    limiter.acquire(&route).await.complete(Outcome::new(
        429,
        RateLimitHeaders {
            retry_after: Some(Duration::from_secs(3)),
            ..RateLimitHeaders::default()
        },
    ));
    let (_ticket, waited) = timed(&limiter, &route).await;
    assert!(
        waited >= Duration::from_secs(3) && waited < Duration::from_millis(3010),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_global_429_blocks_every_bucket() {
    let limiter = BucketLimiter::new(common::per_route_50_per_second());
    let first = RouteKey::new("GET /channels/{channel_id}", Some("1"));
    let second = RouteKey::new("GET /guilds/{guild_id}", Some("2"));
    limiter.acquire(&first).await.complete(Outcome {
        status: 429,
        headers: RateLimitHeaders {
            global: true,
            ..RateLimitHeaders::default()
        },
        retry_after: Some(Duration::from_secs(3)),
        global: true,
    });
    let (_ticket, waited) = timed(&limiter, &second).await;
    assert!(
        waited >= Duration::from_secs(3) && waited < Duration::from_millis(3010),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn routes_sharing_a_bucket_hash_and_major_share_one_limit() {
    let limiter = BucketLimiter::new(BucketConfig::default());
    let create = RouteKey::new("POST /channels/{channel_id}/messages", Some("1"));
    let edit = RouteKey::new(
        "PATCH /channels/{channel_id}/messages/{message_id}",
        Some("1"),
    );
    let other_channel = RouteKey::new("POST /channels/{channel_id}/messages", Some("2"));
    let reset = Duration::from_secs(5);

    limiter
        .acquire(&create)
        .await
        .complete(Outcome::new(200, window_headers(2, 1, reset, 5.0, "h")));
    // `edit` has not answered yet, so its bucket is unknown: one probe goes out.
    let (ticket, waited) = timed(&limiter, &edit).await;
    assert_eq!(waited, Duration::ZERO);
    assert!(matches!(ticket.bucket(), BucketId::Route(_)));
    ticket.complete(Outcome::new(200, window_headers(2, 0, reset, 5.0, "h")));

    let shared = BucketId::Hash {
        hash: "h".into(),
        major: Some("1".into()),
    };
    assert_eq!(limiter.bucket_of(&create), Some(shared.clone()));
    assert_eq!(limiter.bucket_of(&edit), Some(shared.clone()));
    // The shared bucket is spent: both routes wait for its reset.
    let (ticket, waited) = timed(&limiter, &create).await;
    assert!(waited >= reset, "{waited:?}");
    assert_eq!(ticket.bucket(), &shared);
    ticket.complete(Outcome::new(200, window_headers(2, 1, reset, 10.0, "h")));
    let (ticket, waited) = timed(&limiter, &edit).await;
    assert_eq!(waited, Duration::ZERO);
    ticket.complete(Outcome::new(200, window_headers(2, 0, reset, 10.0, "h")));
    let (_ticket, waited) = timed(&limiter, &edit).await;
    assert!(waited >= reset, "{waited:?}");

    // Another major parameter is another bucket, known by hash from the start.
    let (ticket, waited) = timed(&limiter, &other_channel).await;
    assert_eq!(waited, Duration::ZERO);
    assert_eq!(
        ticket.bucket(),
        &BucketId::Hash {
            hash: "h".into(),
            major: Some("2".into())
        }
    );
}

#[tokio::test(start_paused = true)]
async fn an_unknown_bucket_sends_one_probe_then_remaining_concurrently() {
    let limiter = BucketLimiter::new(BucketConfig::default());
    let route = RouteKey::new("GET /channels/{channel_id}/messages", Some("7"));
    let probe = limiter.acquire(&route).await;
    // While the probe is out, nobody else goes.
    assert!(
        tokio::time::timeout(Duration::from_secs(10), limiter.acquire(&route))
            .await
            .is_err()
    );
    probe.complete(Outcome::new(
        200,
        window_headers(5, 3, Duration::from_secs(2), 2.0, "m"),
    ));
    // Three may go at once, the fourth waits for the reset.
    let mut tickets = Vec::new();
    for _ in 0..3 {
        let (ticket, waited) = timed(&limiter, &route).await;
        assert_eq!(waited, Duration::ZERO);
        tickets.push(ticket);
    }
    let (_ticket, waited) = timed(&limiter, &route).await;
    assert!(waited >= Duration::from_secs(2), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn a_dropped_probe_lets_the_next_caller_probe() {
    let limiter = BucketLimiter::new(BucketConfig::default());
    let route = RouteKey::new("DELETE /channels/{channel_id}", Some("3"));
    let probe = limiter.acquire(&route).await;
    let waiter = {
        let limiter = limiter.clone();
        let route = route.clone();
        tokio::spawn(async move { timed(&limiter, &route).await.1 })
    };
    sleep(Duration::from_millis(300)).await;
    drop(probe); // the request failed without a response
    assert_eq!(waiter.await.unwrap(), Duration::from_millis(300));
}

#[tokio::test(start_paused = true)]
async fn a_dropped_ticket_gives_its_slot_back() {
    let limiter = BucketLimiter::new(BucketConfig::default());
    let route = RouteKey::new("POST /interactions/{id}/{token}/callback", Some("4"));
    limiter.acquire(&route).await.complete(Outcome::new(
        200,
        window_headers(2, 1, Duration::from_secs(30), 30.0, "i"),
    ));
    // One slot left: take it and fail without a response.
    drop(limiter.acquire(&route).await);
    let (ticket, waited) = timed(&limiter, &route).await;
    assert_eq!(
        waited,
        Duration::ZERO,
        "the dropped request's slot came back"
    );
    // That was the last one; a completed request's slot does not come back.
    ticket.complete(Outcome::new(
        200,
        window_headers(2, 0, Duration::from_secs(30), 30.0, "i"),
    ));
    let (_ticket, waited) = timed(&limiter, &route).await;
    assert!(waited >= Duration::from_secs(29), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_waiter_takes_no_slot() {
    let limiter = BucketLimiter::new(BucketConfig::default());
    let route = RouteKey::new("GET /guilds/{guild_id}/members", Some("5"));
    limiter.acquire(&route).await.complete(Outcome::new(
        200,
        window_headers(1, 0, Duration::from_secs(2), 2.0, "g"),
    ));
    // Gives up before the reset.
    assert!(
        tokio::time::timeout(Duration::from_secs(1), limiter.acquire(&route))
            .await
            .is_err()
    );
    let (ticket, waited) = timed(&limiter, &route).await;
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_millis(1010),
        "{waited:?}"
    );
    drop(ticket);
}

#[tokio::test(start_paused = true)]
async fn routes_without_rate_limit_headers_are_not_serialised() {
    let limiter = BucketLimiter::new(BucketConfig::default());
    let route = RouteKey::new("GET /gateway/bot", None);
    limiter
        .acquire(&route)
        .await
        .complete(Outcome::new(200, RateLimitHeaders::default()));
    let mut tickets = Vec::new();
    for _ in 0..20 {
        let (ticket, waited) = timed(&limiter, &route).await;
        assert_eq!(waited, Duration::ZERO);
        tickets.push(ticket);
    }
}

#[tokio::test(start_paused = true)]
async fn a_server_error_without_headers_does_not_hang_the_bucket() {
    let limiter = BucketLimiter::new(BucketConfig::default());
    let route = RouteKey::new("GET /channels/{channel_id}", Some("8"));
    limiter
        .acquire(&route)
        .await
        .complete(Outcome::new(502, RateLimitHeaders::default()));
    let (ticket, waited) = timed(&limiter, &route).await;
    assert_eq!(waited, Duration::ZERO);
    // Still unknown: the next request is again a single probe.
    assert!(matches!(ticket.bucket(), BucketId::Route(_)));
}

#[tokio::test(start_paused = true)]
async fn absurd_waits_are_capped() {
    let limiter = BucketLimiter::new(BucketConfig {
        max_wait: Duration::from_mins(1),
        ..BucketConfig::default()
    });
    let route = RouteKey::new("GET /x", None);
    limiter.acquire(&route).await.complete(Outcome {
        status: 429,
        headers: RateLimitHeaders::default(),
        retry_after: Some(Duration::MAX),
        global: false,
    });
    let (_ticket, waited) = timed(&limiter, &route).await;
    assert!(
        waited >= Duration::from_mins(1) && waited < Duration::from_secs(61),
        "{waited:?}"
    );
}

#[test]
fn acquire_futures_are_send() {
    fn send<T: Send>(_: &T) {}
    let limiter = BucketLimiter::new(common::per_route_50_per_second());
    let route = RouteKey::new("GET /x", None);
    send(&limiter.acquire(&route));
    let window = core_ratelimit::WindowLimiter::new(common::nz(1), Duration::from_secs(1));
    send(&window.acquire());
    let sends = core_ratelimit::SendQueue::new(common::nz(2), Duration::from_secs(1), 1);
    send(&sends.acquire(core_ratelimit::Priority::High));
    let identify = core_ratelimit::IdentifyQueue::new(common::nz(1), Duration::from_secs(5));
    send(&identify.acquire(0));
}

#[test]
fn bucket_types_are_send_sync() {
    fn check<T: Send + Sync + std::fmt::Debug>() {}
    check::<BucketLimiter>();
    check::<Ticket>();
    check::<RouteKey>();
}

/// Random quotas, windows, latencies (some longer than the window) and requests that fail
/// before reaching the server (their tickets are dropped): never a 429, never a hang.
#[test]
fn random_quotas_latencies_and_failures_never_429() {
    for seed in 0..40_u64 {
        let mut rng = Rng::new(seed ^ 0x5eed);
        let limit = rng.range(1, 10) as u32;
        let window = Duration::from_millis(rng.range(300, 5_000));
        let callers = rng.range(5, 60) as usize;
        let max_latency = rng.range(1, 400);
        let style = if rng.range(0, 1) == 0 {
            Style::Discord
        } else {
            Style::Helix
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        runtime.block_on(async {
            let server = ServerModel::new(limit, window, style);
            let config = match style {
                Style::Discord => common::per_route_50_per_second(),
                Style::Helix => common::single_budget(),
            };
            let limiter = BucketLimiter::new(config);
            let route = RouteKey::new("POST /channels/{channel_id}/messages", Some("1"));
            let tasks: Vec<_> = (0..callers)
                .map(|_| {
                    let limiter = limiter.clone();
                    let server = Arc::clone(&server);
                    let route = route.clone();
                    let arrive = Duration::from_millis(rng.range(0, 3_000));
                    let up = Duration::from_millis(rng.range(1, max_latency));
                    let down = Duration::from_millis(rng.range(1, max_latency));
                    let fails = rng.range(0, 9) == 0;
                    tokio::spawn(async move {
                        sleep(arrive).await;
                        if fails {
                            let ticket = limiter.acquire(&route).await;
                            sleep(up).await;
                            drop(ticket); // connect error: never reached the server
                            return 0;
                        }
                        call(&limiter, &server, &route, up, down).await
                    })
                })
                .collect();
            let start = Instant::now();
            let deadline = window * (callers as u32 + 2) + Duration::from_secs(10);
            for task in tasks {
                let status = tokio::time::timeout(deadline, task).await;
                let status = status
                    .unwrap_or_else(|_| panic!("seed {seed}: hang"))
                    .unwrap();
                assert!(status == 0 || status == 200, "seed {seed}: status {status}");
            }
            assert_eq!(server.rejected.load(Ordering::SeqCst), 0, "seed {seed}");
            assert!(start.elapsed() < deadline);
        });
    }
}

#[tokio::test(start_paused = true)]
async fn eight_racing_tasks_get_exactly_each_window_s_permits() {
    const PERMITS: u32 = 40;
    const TASKS: u32 = 8;
    let limiter = BucketLimiter::new(BucketConfig::default());
    let route = RouteKey::new("POST /channels/{channel_id}/messages", Some("8"));
    let reset = Duration::from_secs(10);
    // The probe leaves PERMITS in a window that ends in 10 s.
    limiter.acquire(&route).await.complete(Outcome::new(
        200,
        window_headers(PERMITS + 1, PERMITS, reset, 10.0, "race"),
    ));
    let start = Instant::now();
    let grants = Arc::new(Mutex::new(Vec::new()));
    // What the server has processed in each window (a request counts when it answers).
    let served = Arc::new(Mutex::new([0_u32; 2]));
    // Twice the window's permits, asked for by eight tasks that interleave at every step.
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (limiter, route) = (limiter.clone(), route.clone());
            let (grants, served) = (Arc::clone(&grants), Arc::clone(&served));
            tokio::spawn(async move {
                for _ in 0..2 * PERMITS / TASKS {
                    let ticket = limiter.acquire(&route).await;
                    grants.lock().unwrap().push(Instant::now());
                    tokio::task::yield_now().await;
                    // Answer like the server: its count in the window so far. The first
                    // window also served the probe; each allows PERMITS + 1.
                    let window = usize::from(start.elapsed() >= reset);
                    let remaining = {
                        let mut served = served.lock().unwrap();
                        served[window] += 1;
                        PERMITS + u32::from(window == 1) - served[window]
                    };
                    let (epoch, after) = if window == 0 {
                        (10.0, reset.saturating_sub(start.elapsed()))
                    } else {
                        (20.0, (2 * reset).saturating_sub(start.elapsed()))
                    };
                    ticket.complete(Outcome::new(
                        200,
                        window_headers(PERMITS + 1, remaining, after, epoch, "race"),
                    ));
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let grants = grants.lock().unwrap();
    let first_window = grants.iter().filter(|&&at| at < start + reset).count();
    assert_eq!(
        first_window, PERMITS as usize,
        "the window's permits, no more, no fewer"
    );
    assert_eq!(grants.len(), 2 * PERMITS as usize);
    assert!(
        grants[PERMITS as usize..]
            .iter()
            .all(|&at| at == start + reset)
    );
}
