//! A hostile or broken EventSub server: welcomes announcing absurd keepalive windows, a
//! `session_reconnect` to an insecure URL, a conduit sized otherwise than asked, a listing
//! whose cursor loops. The client must neither panic, nor follow, nor loop, and keep
//! delivering. Real sockets against the sandbox (paused clock where time matters).

mod common;

use std::time::Duration;

use common::{
    builder, closed_with, is_connected, next_matching, next_matching_within, online, sandbox,
    sandbox_with, subscribed,
};
use http::{Method, StatusCode};
use sandbox::platform::ResponseFuture;
use sandbox::response;
use sandbox::twitch::eventsub::{EventSub, EventSubConfig};
use sandbox::{Platform, SandboxRequest};
use serde_json::{Value, json};
use svc_eventsub::{
    AccessToken, ConduitApp, ConduitBuilder, ErrorKind, EventSubClient, EventSubEvent,
};

fn is_notification(event: &EventSubEvent) -> bool {
    matches!(event, EventSubEvent::Notification { .. })
}

/// A client asking for 10 s keepalives (grace 2 s) from a server whose welcomes announce
/// `announced`.
async fn connect_announcing(announced: Value, token: &str) -> (common::Env, EventSubClient) {
    let env = sandbox_with(EventSubConfig::default().welcome_keepalive(announced.clone())).await;
    let client = builder(&env, token)
        .grace(Duration::from_secs(2))
        .subscribe(online())
        .connect()
        .await
        .unwrap_or_else(|e| panic!("connects despite keepalive {announced}: {e:?}"));
    (env, client)
}

/// A keepalive too large for an `Instant` (which used to panic the driver task) is clamped
/// to 600 s: the session works, and a silent server is still detected within 600 s + grace.
#[tokio::test(start_paused = true)]
async fn huge_announced_keepalive_is_clamped_to_ten_minutes() {
    for (announced, token) in [
        (json!(u64::MAX), "token-huge-keepalive"),
        (json!(1e300), "token-float-keepalive"),
    ] {
        let (env, client) = connect_announcing(announced, token).await;
        let mut events = client.events();
        env.control.notify("stream.online");
        next_matching(&mut events, is_notification).await;

        let session = client.session_id().unwrap();
        let silenced = tokio::time::Instant::now();
        assert!(env.control.silence(&session));
        next_matching_within(&mut events, Duration::from_mins(15), |e| {
            matches!(e, EventSubEvent::Disconnected { code: None, .. })
        })
        .await;
        let waited = silenced.elapsed();
        assert!(
            waited <= Duration::from_secs(602),
            "detected after {waited:?}"
        );
        assert_eq!(client.stats().keepalive_timeouts, 1);
        client.close().await;
    }
}

/// A negative, zero, tiny or non-numeric keepalive neither loses the welcome nor kills a
/// healthy session: it is read as at least 10 s, and the server's 10 s keepalives keep the
/// session up.
#[tokio::test(start_paused = true)]
async fn tiny_negative_or_garbage_keepalives_keep_a_healthy_session() {
    for (announced, token) in [
        (json!(-5), "token-negative-keepalive"),
        (json!(0), "token-zero-keepalive"),
        (json!(1), "token-tiny-keepalive"),
        (json!("ten"), "token-text-keepalive"),
    ] {
        let (env, client) = connect_announcing(announced.clone(), token).await;
        let session = client.session_id().unwrap();
        tokio::time::sleep(Duration::from_mins(1)).await;
        assert_eq!(client.stats().keepalive_timeouts, 0, "{announced}");
        assert_eq!(client.stats().fresh_sessions, 0, "{announced}");
        assert_eq!(
            client.session_id().as_deref(),
            Some(session.as_str()),
            "{announced}"
        );
        let mut events = client.events();
        env.control.notify("stream.online");
        next_matching(&mut events, is_notification).await;
        client.close().await;
    }
}

/// A `session_reconnect` to a plain `ws://` URL off loopback is refused (reported as
/// malformed, nothing opened): the session stays on its socket until Twitch gives up on
/// the reconnect (4004), then a fresh session follows.
#[tokio::test(start_paused = true)]
async fn insecure_reconnect_url_is_not_followed() {
    let env = sandbox().await;
    let client = subscribed(&env, "token-insecure-reconnect").await;
    let mut events = client.events();
    let first = client.session_id().unwrap();
    let accepted = env.control.accepted();
    // `.invalid` never resolves (RFC 6761): nothing could be reached even if it were tried.
    assert!(
        env.control
            .reconnect_to(&first, "ws://reconnect.invalid/ws")
    );
    let EventSubEvent::Malformed { reason, .. } = next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::Malformed { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert!(reason.contains("refused"), "{reason}");
    env.control.notify("stream.online");
    next_matching(&mut events, is_notification).await;
    assert_eq!(client.session_id().as_deref(), Some(first.as_str()));
    assert_eq!(env.control.accepted(), accepted, "no socket was opened");
    assert_eq!(client.stats().malformed, 1);

    next_matching_within(&mut events, Duration::from_mins(1), closed_with(4004)).await;
    next_matching(&mut events, is_connected).await;
    assert_eq!(client.stats().reconnects, 0);
    client.close().await;
}

/// The EventSub sandbox with some answers replaced: `script` answers a request it wants to
/// (by method and path), the sandbox the rest.
struct Rigged<F> {
    inner: EventSub,
    script: F,
}

impl<F> Platform for Rigged<F>
where
    F: Fn(&Method, &str) -> Option<Value> + Send + Sync + 'static,
{
    fn name(&self) -> &'static str {
        "rigged-eventsub"
    }

    fn handle(&self, request: SandboxRequest) -> ResponseFuture<'_> {
        match (self.script)(&request.method, request.path()) {
            Some(answer) => {
                let status = answer["status"]
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .and_then(|s| StatusCode::from_u16(s).ok())
                    .unwrap_or(StatusCode::OK);
                Box::pin(async move { response::json(status, &answer) })
            }
            None => self.inner.handle(request),
        }
    }
}

async fn rigged(
    script: impl Fn(&Method, &str) -> Option<Value> + Send + Sync + 'static,
) -> sandbox::Server {
    sandbox::Server::builder()
        .serve(Rigged {
            inner: EventSub::new(),
            script,
        })
        .await
        .expect("sandbox starts")
}

fn conduit_app(server: &sandbox::Server, token: &str) -> ConduitBuilder {
    ConduitApp::builder("client-id", AccessToken::new(token))
        .mock_url(&server.base_url())
        .expect("mock url")
}

/// A conduit answered with another shard count than asked is refused before any shard
/// starts: one task runs per shard, so a count of billions would start billions.
#[tokio::test]
async fn a_conduit_sized_otherwise_than_asked_is_refused() {
    for answered in [3_u32, u32::MAX] {
        let server = rigged(move |method, path| {
            (method == Method::POST && path == "/eventsub/conduits")
                .then(|| json!({"data": [{"id": "conduit-1", "shard_count": answered}]}))
        })
        .await;
        let error = conduit_app(&server, "token-conduit-size")
            .shard_count(1)
            .start()
            .await
            .expect_err("refused");
        assert_eq!(
            error.kind(),
            &ErrorKind::OutOfRange {
                field: "conduit shard_count"
            },
            "answered {answered}"
        );
    }
}

/// Looking up the existing subscription after a 409 follows the listing's cursors; one
/// that repeats ends the lookup with an error instead of looping forever.
#[tokio::test]
async fn a_repeating_cursor_ends_the_conflict_lookup() {
    let server = rigged(|method, path| {
        if path != "/eventsub/subscriptions" {
            return None;
        }
        Some(if method == Method::POST {
            json!({"error": "Conflict", "status": 409, "message": "subscription already exists"})
        } else {
            json!({
                "data": [{"id": "other", "status": "enabled", "type": "channel.raid", "version": "1",
                    "condition": {"to_broadcaster_user_id": "9"}, "transport": {"method": "conduit", "conduit_id": "x"},
                    "created_at": "2024-01-01T00:00:00Z", "cost": 0}],
                "total": 1, "total_cost": 0, "max_total_cost": 10000,
                "pagination": {"cursor": "the-same-cursor"},
            })
        })
    })
    .await;
    let app = conduit_app(&server, "token-conduit-cursor")
        .start()
        .await
        .expect("starts");
    let lookup = tokio::time::timeout(Duration::from_secs(10), app.subscribe(&online()))
        .await
        .expect("the lookup ends");
    let error = lookup.expect_err("no such subscription, and a looping listing");
    assert_eq!(
        error.kind(),
        &ErrorKind::OutOfRange {
            field: "pagination cursor"
        }
    );
    app.close().await;
}
