//! One EventSub WebSocket: welcome, keepalives, the subscribe window, reconnects, and the
//! commands the control handle queues for it.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::state::{Out, Session, State, message, new_id, now, shard_status_for_close};

/// How long a client has to answer a ping before the socket is closed with 4002.
pub(crate) const PONG_TIMEOUT: Duration = Duration::from_secs(10);
use crate::chaos::{self, Chaos};
use crate::platform::SandboxRequest;
use crate::ws::ServerSocket;

/// How a socket starts: a fresh session, or taking over an existing one.
#[derive(Debug)]
pub(crate) struct Opening {
    reconnect: Option<String>,
    keepalive: u64,
    host: String,
}

impl Opening {
    pub(crate) fn from_request(request: &SandboxRequest) -> Result<Self, String> {
        let host = request.header("host").unwrap_or("127.0.0.1").to_owned();
        if let Some(session) = request.query_param("reconnect") {
            return Ok(Self {
                reconnect: Some(session.to_owned()),
                keepalive: 10,
                host,
            });
        }
        let keepalive = match request.query_param("keepalive_timeout_seconds") {
            None => 10,
            Some(value) => match value.parse::<u64>() {
                Ok(seconds @ 10..=600) => seconds,
                _ => {
                    return Err(format!(
                        "keepalive_timeout_seconds must be 10..600, got {value:?}"
                    ));
                }
            },
        };
        Ok(Self {
            reconnect: None,
            keepalive,
            host,
        })
    }
}

async fn close(socket: &mut ServerSocket, code: u16, reason: &'static str) {
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: reason.into(),
    };
    let _ = socket.close(Some(frame)).await;
}

fn welcome(state: &State, session_id: &str, keepalive: u64, connected_at: &str) -> String {
    let numbers = [
        Chaos::HugeNumbers,
        Chaos::NegativeNumbers,
        Chaos::TinyHeartbeat,
    ];
    let announced = if numbers.iter().any(|c| state.chaos.is_on(*c)) {
        chaos::heartbeat_interval(&state.chaos, keepalive)
    } else {
        state
            .config
            .welcome_keepalive
            .clone()
            .unwrap_or_else(|| json!(keepalive))
    };
    message(
        "session_welcome",
        None,
        &json!({ "session": { "id": session_id, "status": "connected", "connected_at": connected_at,
            "keepalive_timeout_seconds": announced, "reconnect_url": Value::Null, "recovery_url": Value::Null } }),
    )
    .1
}

pub(crate) async fn run(state: Arc<State>, mut socket: ServerSocket, opening: Opening) {
    state.accepted.fetch_add(1, Ordering::SeqCst);
    let generation = state.next_generation();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (session_id, keepalive, fresh) = if let Some(session_id) = opening.reconnect {
        {
            // This socket takes over delivery before its welcome goes out: once the client
            // has the welcome it closes the old socket, which must by then be a bystander.
            let found = {
                let mut inner = state.lock();
                inner.sessions.get_mut(&session_id).map(|session| {
                    if let Some((_, old)) = session.sink.replace((generation, tx)) {
                        let _ = old.send(Out::Wake);
                    }
                    session.silent = false;
                    session.reconnect_by = None;
                    (session.keepalive, session.connected_at.clone())
                })
            };
            let Some((keepalive, connected_at)) = found else {
                close(&mut socket, 4007, "invalid reconnect").await;
                return;
            };
            if socket
                .send(Message::text(welcome(
                    &state,
                    &session_id,
                    keepalive,
                    &connected_at,
                )))
                .await
                .is_err()
            {
                end(&state, &session_id, generation);
                return;
            }
            (session_id, keepalive, false)
        }
    } else {
        {
            if state.chaos.is_on(Chaos::DropMidHandshake) {
                // Dropped before the welcome: the client never learns a session.
                return;
            }
            let session_id = format!("AQoQ{}", new_id().replace('-', ""));
            let connected_at = now();
            state.lock().sessions.insert(
                session_id.clone(),
                Session {
                    sink: Some((generation, tx)),
                    silent: false,
                    used: false,
                    keepalive: opening.keepalive,
                    host: opening.host,
                    connected_at: connected_at.clone(),
                    reconnect_by: None,
                    ending: None,
                    last_notification: None,
                },
            );
            if socket
                .send(Message::text(welcome(
                    &state,
                    &session_id,
                    opening.keepalive,
                    &connected_at,
                )))
                .await
                .is_err()
            {
                end(&state, &session_id, generation);
                return;
            }
            (session_id, opening.keepalive, true)
        }
    };
    if state.chaos.is_on(Chaos::QuickClose) {
        close(&mut socket, 4000, "internal server error").await;
        end(&state, &session_id, generation);
        return;
    }
    serve(
        &state,
        &mut socket,
        &mut rx,
        &session_id,
        generation,
        keepalive,
        fresh,
    )
    .await;
    end(&state, &session_id, generation);
}

async fn serve(
    state: &State,
    socket: &mut ServerSocket,
    rx: &mut mpsc::UnboundedReceiver<Out>,
    session_id: &str,
    generation: u64,
    keepalive: u64,
    fresh: bool,
) {
    let keepalive = Duration::from_secs(keepalive);
    let mut last_sent = Instant::now();
    let window = Instant::now() + state.config.subscribe_window;
    let mut window_open = fresh;
    let mut queue_open = true;
    let mut pong_by: Option<Instant> = None;
    loop {
        let (active, silent, reconnect_by) = {
            let inner = state.lock();
            inner
                .sessions
                .get(session_id)
                .map_or((false, false, None), |s| {
                    (
                        s.sink.as_ref().is_some_and(|(g, _)| *g == generation),
                        s.silent,
                        s.reconnect_by,
                    )
                })
        };
        tokio::select! {
            // Queued notifications go out before anything the client sends is looked at.
            biased;
            out = rx.recv(), if queue_open => match out {
                Some(Out::Text(text)) => {
                    if !send_hostile(state, socket, &text).await
                        || socket.send(Message::text(text)).await.is_err()
                    {
                        return;
                    }
                    last_sent = Instant::now();
                }
                Some(Out::Close(code, reason)) => {
                    close(socket, code, reason).await;
                    return;
                }
                Some(Out::Drop) => return,
                Some(Out::Ping) => {
                    if socket.send(Message::Ping(b"sandbox".to_vec().into())).await.is_err() {
                        return;
                    }
                    pong_by.get_or_insert_with(|| Instant::now() + PONG_TIMEOUT);
                }
                // Replaced by a reconnect socket: a bystander until the client closes it.
                None => queue_open = false,
                Some(Out::Wake) => {}
                Some(Out::Flush(done)) => {
                    let _ = done.send(());
                }
            },
            () = tokio::time::sleep_until(last_sent + keepalive), if active && !silent => {
                let (_, text) = message("session_keepalive", None, &json!({}));
                if socket.send(Message::text(text)).await.is_err() {
                    return;
                }
                last_sent = Instant::now();
            }
            () = async { tokio::time::sleep_until(reconnect_by.expect("guarded")).await }, if active && reconnect_by.is_some() => {
                tracing::info!(session_id, "EventSub client did not reconnect in time");
                state.mark_ending(session_id, shard_status_for_close(4004));
                close(socket, 4004, "reconnect grace time expired").await;
                return;
            }
            () = async { tokio::time::sleep_until(pong_by.expect("guarded")).await }, if pong_by.is_some() => {
                tracing::info!(session_id, "EventSub client did not answer a ping");
                state.mark_ending(session_id, shard_status_for_close(4002));
                close(socket, 4002, "client failed ping-pong").await;
                return;
            }
            () = tokio::time::sleep_until(window), if window_open => {
                window_open = false;
                let used = state.lock().sessions.get(session_id).is_some_and(|s| s.used);
                if !used {
                    tracing::info!(session_id, "EventSub session unused within the subscribe window");
                    close(socket, 4003, "connection unused").await;
                    return;
                }
            }
            incoming = socket.next() => match incoming {
                Some(Ok(Message::Text(_) | Message::Binary(_))) => {
                    state.mark_ending(session_id, shard_status_for_close(4001));
                    close(socket, 4001, "client sent inbound traffic").await;
                    return;
                }
                Some(Ok(Message::Pong(_))) => pong_by = None,
                Some(Ok(Message::Ping(_) | Message::Frame(_))) => {
                    let _ = socket.flush().await;
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => return,
            },
        }
    }
}

/// A notification whose every field has the wrong JSON type.
const WRONG_TYPES: &str = r#"{"metadata":{"message_id":7,"message_type":"notification","message_timestamp":false,"subscription_type":["stream.online"],"subscription_version":1},"payload":{"subscription":"stream.online","event":"live"}}"#;

/// What chaos sends before `text`: a frame that is not UTF-8, a frame past the client's
/// cap, a notification of the wrong types. `false` when the socket failed.
async fn send_hostile(state: &State, socket: &mut ServerSocket, text: &str) -> bool {
    let mut frames = Vec::new();
    if state.chaos.is_on(Chaos::InvalidUtf8) {
        frames.push(Message::binary(chaos::INVALID_UTF8.to_vec()));
    }
    if state.chaos.is_on(Chaos::EndlessLine) {
        frames.push(Message::text("a".repeat(chaos::ENDLESS_LEN)));
    }
    if state.chaos.is_on(Chaos::WrongTypes) && text.contains(r#""message_type":"notification""#) {
        frames.push(Message::text(WRONG_TYPES));
    }
    for frame in frames {
        if socket.send(frame).await.is_err() {
            return false;
        }
    }
    true
}

/// A socket ended: if it was the session's delivering socket, the session is gone.
fn end(state: &State, session_id: &str, generation: u64) {
    let mut inner = state.lock();
    let current = inner
        .sessions
        .get(session_id)
        .is_some_and(|s| s.sink.as_ref().is_some_and(|(g, _)| *g == generation));
    if current {
        tracing::debug!(session_id, "EventSub session ended");
        state.session_gone(&mut inner, session_id);
    }
}
