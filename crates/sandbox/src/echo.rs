//! A diagnostic platform: the smallest server that exercises every foundation.
//!
//! - `GET /status/{code}` answers with that status and `{"status": code}`;
//! - any method on `/echo` answers `{"method", "path", "query", "headers", "body"}` (secret
//!   headers shown as `[redacted]`);
//! - `GET /ws` upgrades to a WebSocket that echoes text and binary messages, and that
//!   [`EchoControl`] can push messages into or drop.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::{SinkExt, StreamExt};
use http::{Method, StatusCode};
use serde_json::{Map, Value, json};
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::platform::{Platform, ResponseFuture, SandboxRequest};
use crate::response;
use crate::ws::{self, ServerSocket};

/// What the control handle asks every connected socket to do.
#[derive(Debug, Clone)]
enum Command {
    Send(Message),
    Close(u16),
    Drop,
}

#[derive(Debug)]
struct State {
    commands: broadcast::Sender<Command>,
    connected: AtomicUsize,
    accepted: AtomicUsize,
}

/// The echo platform. Keep an [`EchoControl`] from [`Echo::control`] before serving it.
#[derive(Debug, Clone)]
pub struct Echo {
    state: Arc<State>,
}

/// Steers the echo platform's WebSockets from a test or demo.
#[derive(Debug, Clone)]
pub struct EchoControl {
    state: Arc<State>,
}

impl Default for Echo {
    fn default() -> Self {
        Self::new()
    }
}

impl Echo {
    /// A new echo platform.
    pub fn new() -> Self {
        let (commands, _) = broadcast::channel(256);
        Self {
            state: Arc::new(State {
                commands,
                connected: AtomicUsize::new(0),
                accepted: AtomicUsize::new(0),
            }),
        }
    }

    /// The control handle.
    pub fn control(&self) -> EchoControl {
        EchoControl {
            state: Arc::clone(&self.state),
        }
    }
}

impl EchoControl {
    /// Sends a message to every connected socket.
    pub fn send(&self, message: Message) {
        let _ = self.state.commands.send(Command::Send(message));
    }

    /// Closes every connected socket with a close frame carrying `code`.
    pub fn close_all(&self, code: u16) {
        let _ = self.state.commands.send(Command::Close(code));
    }

    /// Drops every connected socket without a close frame, like a network failure.
    pub fn drop_all(&self) {
        let _ = self.state.commands.send(Command::Drop);
    }

    /// Sockets open right now.
    pub fn connected(&self) -> usize {
        self.state.connected.load(Ordering::SeqCst)
    }

    /// Sockets accepted since the start.
    pub fn accepted(&self) -> usize {
        self.state.accepted.load(Ordering::SeqCst)
    }
}

impl Platform for Echo {
    fn name(&self) -> &'static str {
        "echo"
    }

    fn handle(&self, mut request: SandboxRequest) -> ResponseFuture<'_> {
        Box::pin(async move {
            let segments = request.segments();
            match (request.method.clone(), segments.as_slice()) {
                (Method::GET, ["status", code]) => match code
                    .parse::<u16>()
                    .ok()
                    .and_then(|c| StatusCode::from_u16(c).ok())
                {
                    Some(status) => response::json(status, &json!({ "status": status.as_u16() })),
                    None => response::text(
                        StatusCode::BAD_REQUEST,
                        "status must be a number between 100 and 999",
                    ),
                },
                (_, ["echo"]) => response::json(StatusCode::OK, &echo_body(&request)),
                (Method::GET, ["ws"]) => {
                    let state = Arc::clone(&self.state);
                    ws::accept(&mut request, None, move |socket| run_socket(state, socket))
                }
                _ => response::not_found(),
            }
        })
    }
}

fn echo_body(request: &SandboxRequest) -> Value {
    let headers: Map<String, Value> = crate::request_log::redacted(&request.headers)
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.to_string(), Value::from(value))
        })
        .collect();
    json!({
        "method": request.method.as_str(),
        "path": request.path(),
        "query": request.uri.query(),
        "headers": headers,
        "body": String::from_utf8_lossy(&request.body),
    })
}

async fn run_socket(state: Arc<State>, mut socket: ServerSocket) {
    state.accepted.fetch_add(1, Ordering::SeqCst);
    state.connected.fetch_add(1, Ordering::SeqCst);
    let mut commands = state.commands.subscribe();
    loop {
        tokio::select! {
            incoming = socket.next() => match incoming {
                Some(Ok(message @ (Message::Text(_) | Message::Binary(_)))) => {
                    if socket.send(message).await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            command = commands.recv() => match command {
                Ok(Command::Send(message)) => {
                    if socket.send(message).await.is_err() {
                        break;
                    }
                }
                Ok(Command::Close(code)) => {
                    let frame = CloseFrame { code: CloseCode::from(code), reason: "closed by sandbox control".into() };
                    let _ = socket.close(Some(frame)).await;
                    break;
                }
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "echo socket missed control commands");
                }
                Ok(Command::Drop) | Err(broadcast::error::RecvError::Closed) => break,
            },
        }
    }
    state.connected.fetch_sub(1, Ordering::SeqCst);
}
