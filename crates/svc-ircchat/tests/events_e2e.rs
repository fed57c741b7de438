//! The events twitchio users expect (`event_reconnect`, `event_raw_data`, `event_error` for
//! bad lines) and the client's identity (`nick`, `user_id`), against the sandbox's Twitch
//! chat over real sockets on 127.0.0.1, on a paused clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

mod common;

use common::eventually;
use sandbox::Server;
use sandbox::twitch::{ChatControl, Twitch};
use svc_ircchat::{AccessToken, ChatClient, ChatConfig, ChatEvent, ErrorKind, JoinFailure};
use tokio::sync::mpsc;

const TOKEN: &str = "token-of-bot";

async fn sandbox() -> (Server, ChatControl, Twitch) {
    let twitch = Twitch::new();
    let control = twitch.chat();
    control.add_user(TOKEN, "bot", "4242");
    let server = Server::builder().serve(twitch.clone()).await.unwrap();
    (server, control, twitch)
}

/// Every event the client publishes from now on.
fn collect(client: &ChatClient) -> mpsc::UnboundedReceiver<ChatEvent> {
    let (tx, rx) = mpsc::unbounded_channel();
    client
        .events()
        .on(move |event: ChatEvent| {
            let _ = tx.send(event);
        })
        .detach();
    rx
}

/// The events up to and including the first one `last` accepts.
async fn until(
    rx: &mut mpsc::UnboundedReceiver<ChatEvent>,
    last: impl Fn(&ChatEvent) -> bool,
) -> Vec<ChatEvent> {
    let mut seen = Vec::new();
    loop {
        let event = tokio::time::timeout(Duration::from_mins(1), rx.recv())
            .await
            .expect("the event arrives within a minute")
            .expect("the client is still running");
        let done = last(&event);
        seen.push(event);
        if done {
            return seen;
        }
    }
}

#[tokio::test(start_paused = true)]
async fn login_and_user_id_come_from_the_server() {
    let (server, _control, _twitch) = sandbox().await;
    let client = ChatClient::connect(
        ChatConfig::builder()
            .websocket(server.ws_url("/"))
            .oauth("bot", TOKEN)
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(client.login().as_deref(), Some("bot"));
    eventually(Duration::from_secs(10), || {
        client.user_id().as_deref() == Some("4242")
    })
    .await;
    client.close().await;

    let anonymous = ChatClient::connect(
        ChatConfig::builder()
            .websocket(server.ws_url("/"))
            .anonymous()
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let login = anonymous.login().expect("logged in");
    assert!(login.starts_with("justinfan"), "{login}");
    anonymous.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_reconnect_request_is_its_own_event_before_disconnected_and_ready() {
    let (server, control, _twitch) = sandbox().await;
    let client = ChatClient::connect(
        ChatConfig::builder()
            .websocket(server.ws_url("/"))
            .oauth("bot", TOKEN)
            .channels(["dallas"])
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let mut events = collect(&client);
    control.request_reconnect();
    let seen = until(&mut events, |e| matches!(e, ChatEvent::Ready { .. })).await;
    let reconnect = seen
        .iter()
        .position(|e| matches!(e, ChatEvent::Reconnect))
        .expect("a Reconnect event");
    let disconnected = seen
        .iter()
        .position(|e| matches!(e, ChatEvent::Disconnected { .. }))
        .expect("a Disconnected event");
    assert!(reconnect < disconnected, "{seen:?}");

    // A plain drop is only `Disconnected`.
    control.disconnect_all();
    let seen = until(&mut events, |e| matches!(e, ChatEvent::Ready { .. })).await;
    assert!(
        !seen.iter().any(|e| matches!(e, ChatEvent::Reconnect)),
        "{seen:?}"
    );
    eventually(Duration::from_mins(1), || {
        control.channels_of("bot").contains("dallas")
    })
    .await;
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn raw_lines_and_parse_failures_are_events() {
    let (server, control, _twitch) = sandbox().await;
    let client = ChatClient::connect(
        ChatConfig::builder()
            .websocket(server.ws_url("/"))
            .oauth("bot", TOKEN)
            .raw_lines(true)
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let mut events = collect(&client);
    let bad = ":tmi.twitch.tv PRIVMSG";
    control.inject(bad);
    control.ping();
    let seen = until(&mut events, |e| {
        matches!(e, ChatEvent::Message(svc_ircchat::ServerMessage::Ping(_)))
    })
    .await;
    assert!(
        seen.iter()
            .any(|e| matches!(e, ChatEvent::Raw(line) if line.trim_end() == bad)),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .any(|e| matches!(e, ChatEvent::Raw(line) if line.trim_end() == "PING :tmi.twitch.tv")),
        "{seen:?}"
    );
    let failure = seen
        .iter()
        .find_map(|e| match e {
            ChatEvent::ParseFailed { line, error } => Some((line.clone(), error.clone())),
            _ => None,
        })
        .expect("a ParseFailed event");
    assert_eq!(failure.0.trim_end(), bad);
    assert!(!failure.1.to_string().is_empty());
    // The connection goes on after a bad line.
    assert_eq!(control.connected(), 1);
    client.close().await;

    // Off by default: no raw lines.
    let quiet = ChatClient::connect(
        ChatConfig::builder()
            .websocket(server.ws_url("/"))
            .oauth("bot", TOKEN)
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let mut events = collect(&quiet);
    control.ping();
    let seen = until(&mut events, |e| {
        matches!(e, ChatEvent::Message(svc_ircchat::ServerMessage::Ping(_)))
    })
    .await;
    assert!(
        !seen.iter().any(|e| matches!(e, ChatEvent::Raw(_))),
        "{seen:?}"
    );
    quiet.close().await;
}

#[tokio::test(start_paused = true)]
async fn refused_and_unanswered_joins_are_join_failures() {
    let (server, control, _twitch) = sandbox().await;
    control.suspend_channel("gone");
    control.ban("bot", "strict");
    control.ignore_joins("slow");
    let client = ChatClient::connect(
        ChatConfig::builder()
            .websocket(server.ws_url("/"))
            .oauth("bot", TOKEN)
            .join_timeout(Duration::from_secs(5))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let mut events = collect(&client);
    for channel in ["gone", "strict", "slow", "fine"] {
        client.join(channel).unwrap();
    }
    let mut failures = Vec::new();
    while failures.len() < 3 {
        let seen = until(&mut events, |e| matches!(e, ChatEvent::JoinFailed { .. })).await;
        if let Some(ChatEvent::JoinFailed { channel, reason }) = seen.last() {
            failures.push((channel.clone(), reason.clone()));
        }
    }
    failures.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        failures,
        [
            ("gone".to_owned(), JoinFailure::Suspended),
            (
                "slow".to_owned(),
                JoinFailure::NoEcho(Duration::from_secs(5))
            ),
            ("strict".to_owned(), JoinFailure::Banned),
        ]
    );
    // Failed channels are not rejoined; the good one is joined.
    assert_eq!(client.channels(), ["fine"]);
    eventually(Duration::from_secs(10), || {
        control.channels_of("bot").contains("fine")
    })
    .await;
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn the_token_hook_supplies_a_new_token_when_the_login_is_refused() {
    let (server, control, _twitch) = sandbox().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let client = ChatClient::connect(
        ChatConfig::builder()
            .websocket(server.ws_url("/"))
            .oauth("bot", "an-expired-token")
            .on_token_expired(move || {
                counted.fetch_add(1, Ordering::SeqCst);
                async { Some(AccessToken::new(TOKEN)) }
            })
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(client.login().as_deref(), Some("bot"));
    // Later logins use the new token at once.
    let mut events = collect(&client);
    control.disconnect_all();
    until(&mut events, |e| matches!(e, ChatEvent::Ready { .. })).await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_token_hook_without_a_token_leaves_the_refusal_standing() {
    let (server, _control, _twitch) = sandbox().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let error = ChatClient::connect(
        ChatConfig::builder()
            .websocket(server.ws_url("/"))
            .oauth("bot", "an-expired-token")
            .on_token_expired(move || {
                counted.fetch_add(1, Ordering::SeqCst);
                async { None }
            })
            .build()
            .unwrap(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::LoginRefused(_)),
        "{error:?}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
