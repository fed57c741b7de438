//! Shared helpers for the end-to-end tests: a real tokio-tungstenite server on 127.0.0.1:0.

#![allow(dead_code, unreachable_pub)]

pub mod pki;

use std::time::Duration;

use futures_util::StreamExt as _;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use transport_ws::{Backoff, WsClient, WsConfig, WsConfigBuilder, WsEvent};

/// Upper bound for anything a test waits for (virtual time under `start_paused`).
pub const PATIENCE: Duration = Duration::from_mins(10);

/// A listening WebSocket server.
pub struct Server {
    listener: TcpListener,
    pub url: String,
}

impl Server {
    pub async fn bind() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}/gateway", listener.local_addr().unwrap());
        Self { listener, url }
    }

    /// Accepts the next TCP connection and completes the WebSocket handshake.
    pub async fn accept(&self) -> WebSocketStream<TcpStream> {
        let (tcp, _) = tokio::time::timeout(PATIENCE, self.listener.accept())
            .await
            .expect("no connection arrived")
            .unwrap();
        tokio_tungstenite::accept_async(tcp).await.unwrap()
    }

    /// Accepts the next raw TCP connection.
    pub async fn accept_tcp(&self) -> TcpStream {
        let (tcp, _) = tokio::time::timeout(PATIENCE, self.listener.accept())
            .await
            .expect("no connection arrived")
            .unwrap();
        tcp
    }
}

/// A URL nothing listens on (connection refused).
pub async fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("ws://{address}/")
}

/// A config builder with a quick, deterministic reconnect policy.
pub fn config(url: &str) -> WsConfigBuilder {
    WsConfig::builder(url).backoff(
        Backoff::new()
            .initial_delay(Duration::from_millis(100))
            .jitter(0.0),
    )
}

/// The next event, failing the test on timeout or end of stream.
pub async fn next(client: &mut WsClient) -> WsEvent {
    tokio::time::timeout(PATIENCE, client.next_event())
        .await
        .expect("timed out waiting for an event")
        .expect("event stream ended")
}

/// Asserts that the event stream ends.
pub async fn assert_ends(client: &mut WsClient) {
    let event = tokio::time::timeout(PATIENCE, client.next_event())
        .await
        .expect("timed out waiting for the end");
    assert!(event.is_none(), "expected the end, got {event:?}");
}

/// The next non-ping/pong message the server receives.
pub async fn server_next(ws: &mut WebSocketStream<TcpStream>) -> Option<Message> {
    loop {
        let message = tokio::time::timeout(PATIENCE, ws.next())
            .await
            .expect("server timed out")?;
        match message {
            Ok(Message::Ping(_) | Message::Pong(_)) => {}
            Ok(message) => return Some(message),
            Err(_) => return None,
        }
    }
}

/// Asserts the server receives a close frame with `code`.
pub async fn server_expects_close(ws: &mut WebSocketStream<TcpStream>, code: u16) {
    match server_next(ws).await {
        Some(Message::Close(Some(frame))) => assert_eq!(u16::from(frame.code), code),
        other => panic!("expected close {code}, got {other:?}"),
    }
}
