//! Tracing output never contains a secret, on the success, retry, 429 and error paths.
//!
//! The only test in its binary: it installs a global subscriber (a scoped one races with
//! tests on other threads over tracing's cached callsite interest).

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use support::{Captured, TestServer, reply};
use tracing_subscriber::fmt::format::FmtSpan;
use transport_http::{Client, ErrorKind, RetryPolicy, Secret};

const TOKEN: &str = "MTk4NjIyNDgzNDcxOTI1MjQ4.Gx7yQe.bot-token-value";
const CLIENT_SECRET: &str = "client-secret-value-9f8e7d";
const QUERY_KEY: &str = "query-key-value-1234";
const COOKIE: &str = "session-cookie-value-5678";
const PATH_TOKEN: &str = "webhook-path-token-abcdef";

fn assert_clean(text: &str) {
    for secret in [TOKEN, CLIENT_SECRET, QUERY_KEY, COOKIE, PATH_TOKEN] {
        assert!(
            !text.contains(secret),
            "tracing output leaks {secret}:\n{text}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn tracing_output_never_contains_secrets() {
    // 500, then 429, then 200: the retry and rate-limit paths log too.
    let count = Arc::new(AtomicUsize::new(0));
    let server = TestServer::start(move |_| {
        let count = count.clone();
        async move {
            match count.fetch_add(1, Ordering::SeqCst) {
                0 => reply(500, "{}"),
                1 => reply(429, r#"{"retry_after":1.0,"global":false}"#),
                _ => reply(200, "{}"),
            }
        }
    })
    .await;
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let client = Client::builder()
        .base_url(server.url())
        .no_timeout()
        .default_secret_header("authorization", &Secret::new(format!("Bot {TOKEN}")))
        .retry(
            RetryPolicy::new()
                .max_attempts(2)
                .base_delay(Duration::from_millis(1))
                .jitter(false),
        )
        .build()
        .unwrap();
    client
        .get(format!("/webhooks/1/{PATH_TOKEN}"))
        .redact(&Secret::new(PATH_TOKEN))
        .secret_header("client-secret", &Secret::new(CLIENT_SECRET))
        .header("cookie", COOKIE)
        .query("key", QUERY_KEY)
        .query("password", QUERY_KEY)
        .send()
        .await
        .unwrap();
    // A failing request logs its error too.
    let error = client
        .get(format!("http://{}/x", support::closed_port()))
        .query("client_secret", CLIENT_SECRET)
        .send()
        .await
        .unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::Connect);

    let text = captured.text();
    assert!(
        text.contains("http_request"),
        "the span was captured:\n{text}"
    );
    assert!(text.contains("server error; retrying"), "{text}");
    assert!(text.contains("rate limited; retrying"), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert!(text.contains("connect failed; retrying"), "{text}");
    assert!(text.contains("key=[redacted]"), "{text}");
    assert_clean(&text);
}
