//! The client with core-ratelimit's `BucketLimiter` against a server that enforces its
//! limit and says so in Discord's `X-RateLimit-*` headers. Paused time: the waits for
//! window resets cost nothing, and server and client share the virtual clock.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use core_ratelimit::{BucketConfig, BucketLimiter, RouteKey};
use support::{Reply, TestServer, json_retry_after, reply};
use tokio::task::JoinSet;
use tokio::time::Instant;
use transport_http::{Client, ErrorKind, RetryPolicy};

const LIMIT: u32 = 5;
const WINDOW: Duration = Duration::from_secs(1);

/// A fixed-window limit of `LIMIT` per `WINDOW`, as a Discord bucket reports it.
struct Enforcer {
    window: Mutex<Option<(Instant, u32)>>,
    violations: AtomicUsize,
    /// The wall clock as the server sees it: real at start, then moving with tokio's
    /// (paused) clock, so reset epochs advance from window to window as they really do.
    clock_origin: (Instant, SystemTime),
}

impl Enforcer {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            window: Mutex::new(None),
            violations: AtomicUsize::new(0),
            clock_origin: (Instant::now(), SystemTime::now()),
        })
    }

    fn answer(&self) -> Reply {
        let now = Instant::now();
        let mut window = self.window.lock().unwrap();
        let (start, count) = match *window {
            Some((start, count)) if now < start + WINDOW => (start, count + 1),
            _ => (now, 1),
        };
        *window = Some((start, count));
        // Rounded up to the millisecond, as a client waiting exactly this long must land
        // in the next window.
        let left = (start + WINDOW - now).as_micros().div_ceil(1000) as u64;
        let reset_after = format!("{}.{:03}", left / 1000, left % 1000);
        let wall_now = self.clock_origin.1 + (now - self.clock_origin.0);
        let reset_epoch = wall_now.duration_since(UNIX_EPOCH).unwrap().as_millis() as u64 + left;
        let reset = format!("{}.{:03}", reset_epoch / 1000, reset_epoch % 1000);
        let mut response = if count > LIMIT {
            self.violations.fetch_add(1, Ordering::SeqCst);
            reply(
                429,
                format!(
                    r#"{{"message":"You are being rate limited.","retry_after":{reset_after},"global":false}}"#
                ),
            )
        } else {
            reply(200, r#"{"id":"1"}"#)
        };
        let headers = response.headers_mut();
        headers.insert("x-ratelimit-limit", LIMIT.into());
        headers.insert("x-ratelimit-remaining", LIMIT.saturating_sub(count).into());
        headers.insert("x-ratelimit-reset", reset.parse().unwrap());
        headers.insert("x-ratelimit-reset-after", reset_after.parse().unwrap());
        headers.insert("x-ratelimit-bucket", "abcd1234".parse().unwrap());
        response
    }
}

/// Per-route buckets under a global 50 requests per second (Discord's REST shape).
fn limiter() -> BucketLimiter {
    BucketLimiter::new(BucketConfig {
        global: Some((50, Duration::from_secs(1))),
        ..BucketConfig::default()
    })
}

fn limited_client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .no_timeout()
        .ratelimiter(limiter())
        .rate_limit_body(json_retry_after)
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn fifty_concurrent_callers_never_see_a_429() {
    let enforcer = Enforcer::new();
    let server_enforcer = enforcer.clone();
    let server = TestServer::start(move |_| {
        let enforcer = server_enforcer.clone();
        async move { enforcer.answer() }
    })
    .await;
    // No 429 retries: a single 429 would fail its caller.
    let client = Client::builder()
        .base_url(server.url())
        .no_timeout()
        .retry(RetryPolicy::new().rate_limit_retries(0))
        .ratelimiter(limiter())
        .rate_limit_body(json_retry_after)
        .build()
        .unwrap();
    let route = RouteKey::new("POST /channels/{channel_id}/messages", Some("42"));
    let started = Instant::now();
    let mut callers = JoinSet::new();
    for n in 0..50 {
        let (client, route) = (client.clone(), route.clone());
        callers.spawn(async move {
            client
                .post("/channels/42/messages")
                .json(&message_body(n))
                .route(route)
                .send()
                .await
        });
    }
    let mut ok = 0;
    while let Some(result) = callers.join_next().await {
        result.unwrap().unwrap();
        ok += 1;
    }
    assert_eq!(ok, 50);
    assert_eq!(server.hits(), 50, "no request was sent twice");
    assert_eq!(enforcer.violations.load(Ordering::SeqCst), 0);
    // 50 requests at 5 per second need at least 9 full windows after the first.
    assert!(
        started.elapsed() >= Duration::from_secs(9),
        "{:?}",
        started.elapsed()
    );
}

fn message_body(n: u32) -> std::collections::BTreeMap<&'static str, String> {
    std::collections::BTreeMap::from([("content", format!("message {n}"))])
}

#[tokio::test(start_paused = true)]
async fn a_429_is_fed_to_the_limiter_and_retried() {
    // The first answer is a surprise 429 (the limiter knew nothing yet); the retry waits
    // the limiter's lockout, then succeeds.
    let count = Arc::new(AtomicUsize::new(0));
    let server = TestServer::start(move |_| {
        let count = count.clone();
        async move {
            if count.fetch_add(1, Ordering::SeqCst) == 0 {
                reply(
                    429,
                    r#"{"message":"slow down","retry_after":1.5,"global":false}"#,
                )
            } else {
                reply(200, "{}")
            }
        }
    })
    .await;
    let client = limited_client(&server);
    let route = RouteKey::new("GET /guilds/{guild_id}", Some("7"));
    let started = Instant::now();
    let response = client.get("/guilds/7").route(route).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.hits(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn exhausted_429_retries_surface_rate_limited() {
    let server = TestServer::start(|_| async {
        reply(
            429,
            r#"{"message":"slow down","retry_after":0.5,"global":true}"#,
        )
    })
    .await;
    let client = Client::builder()
        .base_url(server.url())
        .no_timeout()
        .retry(RetryPolicy::new().rate_limit_retries(1))
        .ratelimiter(limiter())
        .rate_limit_body(json_retry_after)
        .build()
        .unwrap();
    let error = client
        .get("/gateway/bot")
        .route(RouteKey::new("GET /gateway/bot", None))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        *error.kind(),
        ErrorKind::RateLimited {
            retry_after: Some(Duration::from_millis(500)),
            global: true
        }
    );
    assert_eq!(server.hits(), 2);
}
