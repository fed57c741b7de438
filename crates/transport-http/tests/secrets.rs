//! Secrets stay out of `Debug` output and errors, whatever path a request takes (success,
//! error status, decode failure, bad URL). Tracing output is checked in `tracing.rs`.

mod support;

use std::fmt::Write as _;
use std::time::Duration;

use support::{TestServer, reply};
use transport_http::{Client, ErrorKind, RetryPolicy, Secret};

const TOKEN: &str = "MTk4NjIyNDgzNDcxOTI1MjQ4.Gx7yQe.bot-token-value";
const CLIENT_SECRET: &str = "client-secret-value-9f8e7d";
const QUERY_KEY: &str = "query-key-value-1234";
const COOKIE: &str = "session-cookie-value-5678";
const PATH_TOKEN: &str = "webhook-path-token-abcdef";

fn all_secrets() -> [&'static str; 5] {
    [TOKEN, CLIENT_SECRET, QUERY_KEY, COOKIE, PATH_TOKEN]
}

fn assert_clean(label: &str, text: &str) {
    for secret in all_secrets() {
        assert!(!text.contains(secret), "{label} leaks {secret}:\n{text}");
    }
}

/// A server that echoes every request header (values included) in its body: the worst
/// case for error snippets.
async fn echo_server(status: u16) -> TestServer {
    TestServer::start(move |seen| async move {
        let echoed: Vec<String> = seen
            .headers
            .iter()
            .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap_or("?")))
            .collect();
        reply(status, format!("{} {}", seen.uri, echoed.join("; ")))
    })
    .await
}

fn client(server: &TestServer) -> Client {
    Client::builder()
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
        .unwrap()
}

#[tokio::test]
async fn request_builder_debug_hides_secrets() {
    let server = echo_server(200).await;
    let request = client(&server)
        .post(format!("/webhooks/1/{PATH_TOKEN}"))
        .redact(&Secret::new(PATH_TOKEN))
        .secret_header("client-secret", &Secret::new(CLIENT_SECRET))
        .header("cookie", COOKIE)
        .query("api_key", QUERY_KEY)
        .secret_query("anything", &Secret::new(CLIENT_SECRET))
        .query("limit", 5);
    let shown = format!("{request:?}");
    assert_clean("RequestBuilder Debug", &shown);
    assert!(
        shown.contains("limit"),
        "non-secret parts still show: {shown}"
    );
    assert_eq!(format!("{:?}", Secret::new(TOKEN)), "[redacted]");
    // And the secrets do reach the server.
    let response = request.send().await.unwrap();
    let body = response.text().unwrap();
    assert!(body.contains(TOKEN) && body.contains(CLIENT_SECRET) && body.contains(COOKIE));
    assert_clean("Response Debug", &format!("{response:?}"));
}

#[tokio::test]
async fn error_snippets_are_scrubbed() {
    let server = echo_server(400).await;
    let error = client(&server)
        .get(format!("/webhooks/1/{PATH_TOKEN}"))
        .redact(&Secret::new(PATH_TOKEN))
        .header("cookie", COOKIE)
        .secret_query("token", &Secret::new(QUERY_KEY))
        .send()
        .await
        .unwrap_err();
    let ErrorKind::Status { body, .. } = error.kind() else {
        panic!("unexpected {error:?}");
    };
    assert!(body.contains("[redacted]"), "{body}");
    assert_clean("Status error", &format!("{error:?} {error}"));

    let server = echo_server(200).await;
    let response = client(&server)
        .get("/x")
        .secret_query("client_secret", &Secret::new(CLIENT_SECRET))
        .send()
        .await
        .unwrap();
    let error = response.json::<Vec<u8>>().unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Decode { .. }));
    assert_clean("Decode error", &format!("{error:?} {error}"));
}

#[tokio::test]
async fn invalid_url_errors_are_scrubbed() {
    let client = Client::builder().build().unwrap();
    let error = client
        .get(format!("http://[::1/{PATH_TOKEN}?token={QUERY_KEY}"))
        .redact(&Secret::new(PATH_TOKEN))
        .redact(&Secret::new(QUERY_KEY))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::InvalidUrl { .. }));
    assert_clean("InvalidUrl error", &format!("{error:?} {error}"));
}

/// A credential endpoint's answer carries a fresh token nobody could name in advance. With
/// `secret_response`, neither a status error nor a decode error shows any of the body, in
/// `Display`, `Debug` or the source chain.
#[tokio::test]
async fn secret_responses_keep_their_body_out_of_errors() {
    const FRESH: &str = "fresh-access-token-from-the-server";
    fn shown(error: &transport_http::Error) -> String {
        let mut shown = format!("{error:?} {error}");
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            let _ = write!(shown, " {cause} {cause:?}");
            source = cause.source();
        }
        shown
    }
    for status in [200, 400] {
        let server = TestServer::start(move |_| async move {
            reply(
                status,
                format!(r#"{{"access_token":"{FRESH}","expires_in":"soon"}}"#),
            )
        })
        .await;
        let outcome = client(&server)
            .post("/oauth2/token")
            .secret_response()
            .send()
            .await;
        let error = match outcome {
            Ok(response) => response
                .json::<std::collections::HashMap<String, u64>>()
                .unwrap_err(),
            Err(error) => error,
        };
        let text = shown(&error);
        assert!(!text.contains(FRESH), "status {status}: {text}");
        assert!(text.contains("withheld"), "status {status}: {text}");

        // Without the opt-out the same body is shown (so the test above can fail).
        let outcome = client(&server).post("/oauth2/token").send().await;
        let error = match outcome {
            Ok(response) => response
                .json::<std::collections::HashMap<String, u64>>()
                .unwrap_err(),
            Err(error) => error,
        };
        assert!(shown(&error).contains(FRESH), "status {status}");
    }
}
