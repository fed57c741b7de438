//! OAuth and Helix servers that send nonsense: absurd token lifetimes, token answers that
//! fail to decode, rate-limit resets years away, cursors that loop. Each is a scripted
//! sandbox platform on 127.0.0.1 (real sockets), on a paused clock.

use std::error::Error as _;
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use http::StatusCode;
use sandbox::response::{self, HttpResponse};
use sandbox::{Platform, SandboxRequest, Server};
use serde_json::{Value, json};
use svc_helix::{AccessToken, ErrorKind, HelixClient, TokenManager};
use tokio::time::Instant;

/// A platform answering every request with `answer`.
struct Scripted<F>(F);

impl<F> Platform for Scripted<F>
where
    F: Fn(&SandboxRequest) -> HttpResponse + Send + Sync + 'static,
{
    fn name(&self) -> &'static str {
        "scripted"
    }

    fn handle(&self, request: SandboxRequest) -> sandbox::platform::ResponseFuture<'_> {
        let answer = (self.0)(&request);
        Box::pin(async move { answer })
    }
}

async fn serve(answer: impl Fn(&SandboxRequest) -> HttpResponse + Send + Sync + 'static) -> Server {
    Server::builder()
        .serve(Scripted(answer))
        .await
        .expect("sandbox starts")
}

/// An OAuth server whose token endpoint answers `body` (counting the calls), and whose
/// validate endpoint answers `validate`.
async fn oauth(body: Value, validate: Value) -> (Server, Arc<AtomicUsize>) {
    let grants = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&grants);
    let server = serve(move |request| match request.path() {
        "/oauth2/token" => {
            counted.fetch_add(1, Ordering::SeqCst);
            response::json(StatusCode::OK, &body)
        }
        _ => response::json(StatusCode::OK, &validate),
    })
    .await;
    (server, grants)
}

/// Everything an error shows: `Display`, `Debug` and the whole source chain.
fn shown(error: &svc_helix::Error) -> String {
    let mut shown = format!("{error} {error:?}");
    let mut source = error.source();
    while let Some(cause) = source {
        let _ = write!(shown, " {cause} {cause:?}");
        source = cause.source();
    }
    shown
}

#[tokio::test(start_paused = true)]
async fn a_token_answer_that_fails_to_decode_never_quotes_the_fresh_token() {
    let fresh = "fresh-access-token-value-0123456789";
    let (server, _) = oauth(
        json!({"access_token": fresh, "refresh_token": 5, "expires_in": 3600}),
        json!({}),
    )
    .await;
    let error = TokenManager::app(&server.base_url(), "client", "secret")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::Decode);
    let shown = shown(&error);
    assert!(!shown.contains(fresh), "{shown}");
}

/// `expires_in` is the server's number: huge ones must not overflow the deadline, and 0,
/// negative or non-numeric ones must neither lose the token nor renew it on every request.
#[tokio::test(start_paused = true)]
async fn absurd_token_lifetimes_neither_panic_nor_renew_on_every_request() {
    for (expires_in, read_as) in [
        (json!(u64::MAX), u64::MAX),
        (json!(1e300), u64::MAX),
        (json!(0), 0),
        (json!(-1), 0),
        (json!("soon"), 0),
        (Value::Null, 0),
    ] {
        let (server, grants) = oauth(
            json!({"access_token": "app-token", "expires_in": expires_in}),
            json!({"client_id": "client", "scopes": [], "expires_in": expires_in}),
        )
        .await;
        let tokens = TokenManager::app(&server.base_url(), "client", "secret")
            .await
            .unwrap_or_else(|e| panic!("expires_in {expires_in}: {e:?}"));
        let info = tokens.validate().await.unwrap();
        assert_eq!(info.expires_in, read_as, "{expires_in}");
        for _ in 0..3 {
            assert_eq!(tokens.fresh_token().await.unwrap().expose(), "app-token");
        }
        tokio::time::advance(Duration::from_hours(2)).await;
        tokens.fresh_token().await.unwrap();
        assert_eq!(
            grants.load(Ordering::SeqCst),
            1,
            "expires_in {expires_in}: renewed again"
        );
    }
}

/// The clamp keeps ordinary lifetimes working: a one-hour token is renewed shortly
/// before it runs out.
#[tokio::test(start_paused = true)]
async fn an_ordinary_lifetime_is_still_renewed_in_time() {
    let (server, grants) = oauth(
        json!({"access_token": "app-token", "expires_in": 3600}),
        json!({}),
    )
    .await;
    let tokens = TokenManager::app(&server.base_url(), "client", "secret")
        .await
        .unwrap();
    tokio::time::advance(Duration::from_mins(50)).await;
    tokens.fresh_token().await.unwrap();
    assert_eq!(grants.load(Ordering::SeqCst), 1);
    tokio::time::advance(Duration::from_mins(6)).await;
    tokens.fresh_token().await.unwrap();
    assert_eq!(grants.load(Ordering::SeqCst), 2);
}

fn helix_client(server: &Server) -> HelixClient {
    let tokens = TokenManager::user(
        &server.base_url(),
        "client",
        AccessToken::new("user-token"),
        None,
        None,
    )
    .unwrap();
    HelixClient::new(&format!("{}/helix", server.base_url()), tokens).unwrap()
}

/// Helix's budget refills every minute; a `Ratelimit-Reset` ten years away holds the next
/// request back about a minute, not for core-ratelimit's generic hour.
#[tokio::test(start_paused = true)]
async fn a_ratelimit_reset_years_away_holds_requests_about_a_minute() {
    let server = serve(|_| {
        let far = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 10 * 365 * 24 * 3600;
        let mut answer = response::json(StatusCode::OK, &json!({"data": []}));
        let headers = answer.headers_mut();
        headers.insert("ratelimit-limit", "800".parse().unwrap());
        headers.insert("ratelimit-remaining", "0".parse().unwrap());
        headers.insert("ratelimit-reset", far.to_string().parse().unwrap());
        answer
    })
    .await;
    let helix = helix_client(&server);
    helix.get_users(&[], &["dallas"]).await.unwrap();
    let started = Instant::now();
    helix.get_users(&[], &["dallas"]).await.unwrap();
    let held = started.elapsed();
    assert!(held <= svc_helix::HELIX_MAX_WAIT, "held {held:?}");
}

/// A server that hands back the same cursor forever: the listing ends with an error instead
/// of never ending.
#[tokio::test(start_paused = true)]
async fn a_repeating_cursor_ends_the_listing_with_an_error() {
    let server = serve(|_| {
        response::json(
            StatusCode::OK,
            &json!({"data": [{"id": "1"}, {"id": "2"}], "pagination": {"cursor": "same"}}),
        )
    })
    .await;
    let helix = helix_client(&server);
    let items: Vec<_> = helix
        .paginate::<Value>("/streams", Vec::new())
        .take(100)
        .collect()
        .await;
    assert_eq!(items.len(), 5, "two pages, then the error: {items:?}");
    assert!(items[..4].iter().all(Result::is_ok));
    let error = items[4].as_ref().unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::Decode);
}
