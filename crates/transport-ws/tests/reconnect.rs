//! Reconnecting: backoff under paused time, reset after a healthy connection, attempt limits,
//! and the close-code hook.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Server, assert_ends, config, next, refused_url};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::protocol::CloseFrame as WireCloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use transport_ws::{
    Backoff, CloseAction, CloseClassifier, CloseFrame, CloseInitiator, ErrorKind, WsClient, WsEvent,
};
use url::Url;

fn policy() -> Backoff {
    Backoff::new()
        .initial_delay(Duration::from_secs(1))
        .multiplier(2.0)
        .max_delay(Duration::from_secs(4))
        .jitter(0.0)
        .healthy_after(Duration::from_secs(30))
}

/// Waits for `Closed`, then checks the `Reconnecting` that follows.
async fn expect_drop_then_reconnecting(client: &mut WsClient, attempt: u32, delay: Duration) {
    loop {
        match next(client).await {
            WsEvent::Error(error) => assert_eq!(error.kind(), &ErrorKind::ConnectionLost),
            WsEvent::Closed {
                code, initiator, ..
            } => {
                assert_eq!(code, None);
                assert_eq!(initiator, CloseInitiator::Server);
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    match next(client).await {
        WsEvent::Reconnecting {
            attempt: got_attempt,
            delay: got_delay,
        } => assert_eq!((got_attempt, got_delay), (attempt, delay)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn server_drop_reconnects_with_backoff_and_resets_when_healthy() {
    let server = Server::bind().await;
    let config = config(&server.url).backoff(policy()).build().unwrap();
    let mut client = WsClient::start(config);

    // Short-lived connections and failed attempts: the delay doubles up to the cap.
    for (attempt, delay) in [(1, 1), (3, 4)] {
        let ws = server.accept().await;
        assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
        drop(ws);
        expect_drop_then_reconnecting(&mut client, attempt, Duration::from_secs(delay)).await;
        let waiting = Instant::now();
        let _ = server.accept_tcp().await; // the attempt arrives after the delay ...
        assert!(waiting.elapsed() >= Duration::from_secs(delay));
        // ... and that one is dropped before the handshake: a failed attempt.
        match next(&mut client).await {
            WsEvent::Error(error) => assert!(
                matches!(
                    error.kind(),
                    ErrorKind::Connect | ErrorKind::Handshake { .. }
                ),
                "{error:?}"
            ),
            other => panic!("{other:?}"),
        }
        let WsEvent::Reconnecting {
            attempt: next_attempt,
            ..
        } = next(&mut client).await
        else {
            panic!("expected Reconnecting")
        };
        assert_eq!(next_attempt, attempt + 1);
    }
    // This connection stays up past `healthy_after` ...
    let ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    tokio::time::sleep(Duration::from_secs(31)).await;
    drop(ws);
    // ... so the sequence starts over.
    expect_drop_then_reconnecting(&mut client, 1, Duration::from_secs(1)).await;
    let _ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
}

#[tokio::test(start_paused = true)]
async fn connect_failures_back_off_until_the_attempt_limit() {
    let url = refused_url().await;
    let config = config(&url)
        .backoff(policy().max_attempts(3))
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let started = Instant::now();
    for (attempt, delay) in [(1, 1), (2, 2), (3, 4)] {
        match next(&mut client).await {
            WsEvent::Error(error) => assert_eq!(error.kind(), &ErrorKind::Connect),
            other => panic!("{other:?}"),
        }
        match next(&mut client).await {
            WsEvent::Reconnecting {
                attempt: got_attempt,
                delay: got_delay,
            } => assert_eq!(
                (got_attempt, got_delay),
                (attempt, Duration::from_secs(delay))
            ),
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(next(&mut client).await, WsEvent::Error(_)));
    assert_ends(&mut client).await;
    assert!(started.elapsed() >= Duration::from_secs(7));
}

/// `Closed` with the server's `code`, then `Reconnecting` as attempt `attempt`.
async fn expect_server_close(client: &mut WsClient, code: u16, attempt: u32) {
    match next(client).await {
        WsEvent::Closed { code: closed, .. } => assert_eq!(closed, Some(code)),
        other => panic!("{other:?}"),
    }
    match next(client).await {
        WsEvent::Reconnecting { attempt: got, .. } => assert_eq!(got, attempt),
        other => panic!("{other:?}"),
    }
}

async fn server_closes_with(server: &Server, code: u16, reason: &str) {
    let mut ws = server.accept().await;
    ws.close(Some(WireCloseFrame {
        code: CloseCode::from(code),
        reason: reason.into(),
    }))
    .await
    .unwrap();
    // The client answers the close frame: the handshake completes.
    assert!(matches!(
        common::server_next(&mut ws).await,
        Some(tokio_tungstenite::tungstenite::Message::Close(_)) | None
    ));
}

/// The close codes a hook was asked about.
type Seen = Arc<Mutex<Vec<Option<u16>>>>;

/// A Discord-like hook: 4004 is fatal, 4900 moves to another URL, the rest reconnects. Every
/// call is recorded.
fn hook(other_url: &str) -> (impl CloseClassifier, Seen) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let other = Url::parse(other_url).unwrap();
    let classify = move |close: Option<&CloseFrame>| {
        record.lock().unwrap().push(close.map(|c| c.code));
        match close.map(|c| c.code) {
            Some(4004) => CloseAction::Stop,
            Some(4900) => CloseAction::ReconnectTo(other.clone()),
            _ => CloseAction::Reconnect,
        }
    };
    (classify, seen)
}

#[tokio::test(start_paused = true)]
async fn close_hook_stop() {
    let server = Server::bind().await;
    let (classify, seen) = hook(&server.url);
    let config = config(&server.url)
        .close_classifier(classify)
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let closing = tokio::spawn(async move {
        server_closes_with(&server, 4004, "Authentication failed.").await;
        server
    });
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    match next(&mut client).await {
        WsEvent::Closed {
            code,
            reason,
            initiator,
        } => {
            assert_eq!(
                (code, reason.as_str()),
                (Some(4004), "Authentication failed.")
            );
            assert_eq!(initiator, CloseInitiator::Server);
        }
        other => panic!("{other:?}"),
    }
    assert_ends(&mut client).await;
    closing.await.unwrap();
    assert_eq!(*seen.lock().unwrap(), [Some(4004)]);
}

#[tokio::test(start_paused = true)]
async fn close_hook_reconnect_and_reconnect_to() {
    let server = Server::bind().await;
    let resume_server = Server::bind().await;
    let (classify, seen) = hook(&resume_server.url);
    let config = config(&server.url)
        .close_classifier(classify)
        .build()
        .unwrap();
    let mut client = WsClient::start(config);

    // 4000: reconnect to the same URL.
    let server_task = tokio::spawn(async move {
        server_closes_with(&server, 4000, "").await;
        server_closes_with(&server, 4900, "go elsewhere").await;
        server
    });
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    expect_server_close(&mut client, 4000, 1).await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    // 4900: reconnect to the other URL.
    expect_server_close(&mut client, 4900, 2).await;
    let _resumed = resume_server.accept().await;
    match next(&mut client).await {
        WsEvent::Connected { url } => assert_eq!(url.as_str(), resume_server.url),
        other => panic!("{other:?}"),
    }
    server_task.await.unwrap();
    assert_eq!(*seen.lock().unwrap(), [Some(4000), Some(4900)]);
}

#[tokio::test(start_paused = true)]
async fn close_hook_sees_drops_without_close_frame() {
    let server = Server::bind().await;
    let (classify, seen) = hook(&server.url);
    let config = config(&server.url)
        .close_classifier(classify)
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    drop(server.accept().await);
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    loop {
        if let WsEvent::Reconnecting { .. } = next(&mut client).await {
            break;
        }
    }
    assert_eq!(*seen.lock().unwrap(), [None]);
    // Closes this client initiated (bad data, service requests) are not classified.
    let mut ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    client.sender().reconnect(4000).unwrap();
    common::server_expects_close(&mut ws, 4000).await;
    assert!(matches!(
        next(&mut client).await,
        WsEvent::Closed {
            code: Some(4000),
            ..
        }
    ));
    assert_eq!(seen.lock().unwrap().len(), 1);
}

/// A hook passing on a clear-text URL from a server (a forged `resume_gateway_url`): the URL
/// is refused with a typed error, and the client comes back to the URL it had.
#[tokio::test(start_paused = true)]
async fn close_hook_cannot_move_the_client_to_clear_text() {
    let server = Server::bind().await;
    let (classify, seen) = hook("ws://attacker.example/gateway");
    let config = config(&server.url)
        .close_classifier(classify)
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let server_task = tokio::spawn(async move {
        server_closes_with(&server, 4900, "go elsewhere").await;
        let ws = server.accept().await;
        (server, ws)
    });
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    match next(&mut client).await {
        WsEvent::Error(error) => assert_eq!(error.kind(), &ErrorKind::InsecureUrl),
        other => panic!("{other:?}"),
    }
    expect_server_close(&mut client, 4900, 1).await;
    let (server, _ws) = server_task.await.unwrap();
    match next(&mut client).await {
        WsEvent::Connected { url } => assert_eq!(url.as_str(), server.url),
        other => panic!("{other:?}"),
    }
    assert_eq!(*seen.lock().unwrap(), [Some(4900)]);
}

/// `set_url` and `reconnect_to` take only URLs `check_offered_url` accepts, on the same
/// carrier; a refused URL changes nothing.
#[tokio::test(start_paused = true)]
async fn offered_urls_must_be_encrypted_unless_local() {
    let server = Server::bind().await;
    let mut client = WsClient::start(config(&server.url).build().unwrap());
    let _ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    let sender = client.sender();
    let kind = |result: Result<(), transport_ws::Error>| result.unwrap_err().kind().clone();
    assert_eq!(
        kind(sender.set_url("ws://attacker.example/gateway")),
        ErrorKind::InsecureUrl
    );
    assert_eq!(
        kind(sender.reconnect_to("ws://attacker.example/gateway", 4000)),
        ErrorKind::InsecureUrl
    );
    assert_eq!(
        kind(sender.set_url("tcp://127.0.0.1:6667")),
        ErrorKind::InvalidUrl,
        "a WebSocket client cannot turn into a line connection"
    );
    assert!(sender.set_url("wss://gateway.example/?v=10").is_ok());
    assert!(sender.set_url("ws://127.0.0.1:1/local").is_ok());
    assert!(sender.is_connected(), "refusals leave the connection alone");
}
