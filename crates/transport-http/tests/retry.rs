//! Retries against a real server, in paused time: backoff sleeps and `retry_after`
//! waits cost nothing, and the virtual clock shows they happened.
//!
//! Clients here run without a timeout: with the clock paused, tokio jumps to the next
//! timer whenever the runtime is idle, even while a socket read is pending, so a pending
//! timeout could fire spuriously mid-exchange.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use support::{TestServer, closed_port, json_retry_after, reply};
use tokio::time::Instant;
use transport_http::{Client, ErrorKind, Method, RetryPolicy, StatusCode};

fn policy() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(4)
        .base_delay(Duration::from_millis(100))
        .max_delay(Duration::from_secs(1))
        .jitter(false)
}

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .no_timeout()
        .retry(policy())
        .rate_limit_body(json_retry_after)
        .build()
        .unwrap()
}

/// A server that answers `failures` times with `status`, then 200.
async fn flaky(failures: usize, status: u16, body: &'static str) -> TestServer {
    let count = Arc::new(AtomicUsize::new(0));
    TestServer::start(move |_| {
        let count = count.clone();
        async move {
            if count.fetch_add(1, Ordering::SeqCst) < failures {
                reply(status, body)
            } else {
                reply(200, r#"{"ok":true}"#)
            }
        }
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn retries_5xx_then_succeeds() {
    let server = flaky(2, 500, "{}").await;
    let started = Instant::now();
    let response = client(&server.url()).get("/x").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(server.hits(), 3, "two failures, then success");
    // Backoff 100 ms then 200 ms, no jitter.
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn gives_up_after_max_attempts_with_status_error() {
    let server = flaky(usize::MAX, 503, r#"{"reason":"inMaintenance"}"#).await;
    let error = client(&server.url()).put("/x").send().await.unwrap_err();
    assert_eq!(server.hits(), 4);
    match error.kind() {
        ErrorKind::Status { status, body } => {
            assert_eq!(*status, StatusCode::SERVICE_UNAVAILABLE);
            assert!(body.contains("inMaintenance"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn post_and_patch_are_not_retried_on_5xx() {
    // Two failures, then success: a retried request would end in a 200.
    let server = flaky(2, 500, "{}").await;
    let client = client(&server.url());
    let error = client.post("/x").json(&[1, 2]).send().await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Status { status, .. } if *status == 500));
    assert_eq!(server.hits(), 1);
    let error = client
        .request(Method::PATCH, "/x")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Status { status, .. } if *status == 500));
    assert_eq!(server.hits(), 2);
}

#[tokio::test(start_paused = true)]
async fn connect_errors_are_retried_then_reported() {
    let addr = closed_port();
    let client = client(&format!("http://{addr}"));
    let started = Instant::now();
    let error = client.get("/x").send().await.unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::Connect);
    // Four attempts: backoff 100 + 200 + 400 ms between them.
    assert!(
        started.elapsed() >= Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );

    let started = Instant::now();
    let error = client.post("/x").send().await.unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::Connect);
    assert!(
        started.elapsed() < Duration::from_millis(100),
        "POST is not retried: {:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn waits_out_a_429_then_succeeds() {
    let server = flaky(
        1,
        429,
        r#"{"message":"You are being rate limited.","retry_after":2.5,"global":false}"#,
    )
    .await;
    let started = Instant::now();
    // Even a POST: a 429 means the server did not act on it.
    let response = client(&server.url()).post("/x").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(server.hits(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_header_is_honoured_without_a_body() {
    let count = Arc::new(AtomicUsize::new(0));
    let server = TestServer::start(move |_| {
        let count = count.clone();
        async move {
            if count.fetch_add(1, Ordering::SeqCst) == 0 {
                let mut response = reply(429, "");
                response
                    .headers_mut()
                    .insert("retry-after", "3".parse().unwrap());
                response
            } else {
                reply(200, "{}")
            }
        }
    })
    .await;
    let started = Instant::now();
    client(&server.url()).get("/x").send().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn without_a_body_parser_a_429_is_read_from_its_headers_only() {
    // The body asks for 5 s, the header for 1 s: a client that knows no body format (the
    // transport knows no platform) waits what the header says.
    let count = Arc::new(AtomicUsize::new(0));
    let server = TestServer::start(move |_| {
        let count = count.clone();
        async move {
            if count.fetch_add(1, Ordering::SeqCst) == 0 {
                let mut response = reply(429, r#"{"retry_after":5.0,"global":true}"#);
                response
                    .headers_mut()
                    .insert("retry-after", "1".parse().unwrap());
                response
            } else {
                reply(200, "{}")
            }
        }
    })
    .await;
    let client = Client::builder()
        .base_url(server.url())
        .no_timeout()
        .retry(policy())
        .build()
        .unwrap();
    let started = Instant::now();
    client.get("/x").send().await.unwrap();
    assert_eq!(server.hits(), 2);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn persistent_429_surfaces_rate_limited() {
    let server = flaky(usize::MAX, 429, r#"{"retry_after":1.0,"global":true}"#).await;
    let client = Client::builder()
        .base_url(server.url())
        .no_timeout()
        .retry(policy().rate_limit_retries(2))
        .rate_limit_body(json_retry_after)
        .build()
        .unwrap();
    let error = client.get("/x").send().await.unwrap_err();
    assert_eq!(
        *error.kind(),
        ErrorKind::RateLimited {
            retry_after: Some(Duration::from_secs(1)),
            global: true
        }
    );
    assert_eq!(server.hits(), 3, "first try plus two retries");
}

#[tokio::test(start_paused = true)]
async fn overlong_retry_after_is_not_waited_out() {
    let server = flaky(usize::MAX, 429, r#"{"retry_after":3600,"global":false}"#).await;
    let started = Instant::now();
    let error = client(&server.url()).get("/x").send().await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::RateLimited { .. }));
    assert_eq!(server.hits(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
}
