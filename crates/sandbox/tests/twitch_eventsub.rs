//! The EventSub sandbox's close codes, spoken to with a bare WebSocket client (one that does
//! only what each test says: never reconnects, never answers a ping, sends what it likes),
//! on a paused clock.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use sandbox::Server;
use sandbox::twitch::eventsub::{EventSub, EventSubConfig, EventSubControl};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

struct Env {
    server: Server,
    control: EventSubControl,
}

/// A sandbox whose subscribe window is long enough to stay out of these tests' way.
async fn env() -> Env {
    let eventsub =
        EventSub::with_config(EventSubConfig::default().subscribe_window(Duration::from_hours(24)));
    let control = eventsub.control();
    let server = Server::builder().serve(eventsub).await.unwrap();
    Env { server, control }
}

async fn connect(url: &str) -> Socket {
    tokio_tungstenite::connect_async(url).await.unwrap().0
}

/// Reads until a text message, returning it decoded.
async fn next_json(socket: &mut Socket) -> Value {
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => return serde_json::from_str(&text).unwrap(),
            Some(Ok(_)) => {}
            other => panic!("socket ended: {other:?}"),
        }
    }
}

/// Connects and returns the socket with its welcomed session id.
async fn welcomed(env: &Env) -> (Socket, String) {
    let mut socket = connect(&env.server.ws_url("/ws")).await;
    let welcome = next_json(&mut socket).await;
    assert_eq!(welcome["metadata"]["message_type"], "session_welcome");
    let id = welcome["payload"]["session"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (socket, id)
}

/// Reads (keepalives and all) until the close frame; its code and when it came. Fails
/// when none comes within a minute (of paused time).
async fn close_code(socket: &mut Socket) -> (u16, Instant) {
    let read = async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(frame))) => {
                    return (frame.map_or(1005, |f| u16::from(f.code)), Instant::now());
                }
                Some(Ok(_)) => {}
                other => panic!("no close frame: {other:?}"),
            }
        }
    };
    tokio::time::timeout(Duration::from_mins(1), read)
        .await
        .expect("a close frame within 60 s")
}

#[tokio::test(start_paused = true)]
async fn a_client_that_never_follows_session_reconnect_is_closed_4004_after_30_s() {
    let env = env().await;
    let (mut socket, session) = welcomed(&env).await;
    assert!(env.control.reconnect(&session));
    let asked = Instant::now();
    let reconnect = next_json(&mut socket).await;
    assert_eq!(reconnect["metadata"]["message_type"], "session_reconnect");
    let (code, at) = close_code(&mut socket).await;
    assert_eq!(code, 4004);
    assert!(
        at - asked >= Duration::from_secs(30),
        "closed after {:?}",
        at - asked
    );
    assert!(!env.control.sessions().contains(&session));
}

#[tokio::test(start_paused = true)]
async fn a_client_that_follows_session_reconnect_is_not_closed_4004() {
    let env = env().await;
    let (mut old, session) = welcomed(&env).await;
    assert!(env.control.reconnect(&session));
    let reconnect = next_json(&mut old).await;
    let url = reconnect["payload"]["session"]["reconnect_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut new = connect(&url).await;
    let welcome = next_json(&mut new).await;
    assert_eq!(welcome["payload"]["session"]["id"], session.as_str());
    old.close(None).await.unwrap();
    // Well past the grace time the new socket only carries keepalives.
    let until = Instant::now() + Duration::from_secs(45);
    while Instant::now() < until {
        let message = next_json(&mut new).await;
        assert_eq!(message["metadata"]["message_type"], "session_keepalive");
    }
    assert_eq!(env.control.sessions(), vec![session]);
}

#[tokio::test(start_paused = true)]
async fn inbound_traffic_is_closed_4001() {
    let env = env().await;
    let (mut socket, session) = welcomed(&env).await;
    socket.send(Message::text("hello")).await.unwrap();
    assert_eq!(close_code(&mut socket).await.0, 4001);
    assert!(!env.control.sessions().contains(&session));
}

#[tokio::test(start_paused = true)]
async fn an_unanswered_ping_is_closed_4002() {
    let env = env().await;
    let (mut socket, session) = welcomed(&env).await;
    assert!(env.control.ping(&session));
    // Not reading means not answering: the pong would go out on the next read.
    tokio::time::sleep(Duration::from_secs(11)).await;
    assert_eq!(close_code(&mut socket).await.0, 4002);
}

#[tokio::test(start_paused = true)]
async fn an_answered_ping_keeps_the_session() {
    let env = env().await;
    let (mut socket, session) = welcomed(&env).await;
    assert!(env.control.ping(&session));
    // Reading answers the ping (tungstenite queues the pong and flushes it on the next read).
    let until = Instant::now() + Duration::from_secs(25);
    while Instant::now() < until {
        let message = next_json(&mut socket).await;
        assert_eq!(message["metadata"]["message_type"], "session_keepalive");
    }
    assert!(env.control.sessions().contains(&session));
}

#[tokio::test(start_paused = true)]
async fn an_unused_session_is_closed_4003_after_the_subscribe_window() {
    let eventsub = EventSub::new();
    let server = Server::builder().serve(eventsub).await.unwrap();
    let mut socket = connect(&server.ws_url("/ws")).await;
    let opened = Instant::now();
    let (code, at) = close_code(&mut socket).await;
    assert_eq!(code, 4003);
    assert!(at - opened >= Duration::from_secs(10));
}

#[tokio::test(start_paused = true)]
async fn reconnecting_to_an_unknown_session_is_closed_4007() {
    let env = env().await;
    let mut socket = connect(&env.server.ws_url("/ws?reconnect=no-such-session")).await;
    assert_eq!(close_code(&mut socket).await.0, 4007);
}

#[tokio::test(start_paused = true)]
async fn close_codes_from_the_control_handle_reach_the_client() {
    let env = env().await;
    for code in [4000, 4005, 4006] {
        let (mut socket, session) = welcomed(&env).await;
        assert!(env.control.close_session(&session, code));
        assert_eq!(close_code(&mut socket).await.0, code);
    }
}
