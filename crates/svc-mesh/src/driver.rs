//! The connection task: HELLO → IDENTIFY (with all cached metadata) → READY, heartbeats and
//! their watchdog, GOODBYE → reconnect, and inbound dispatches turned into events.

use std::sync::Weak;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{Map, Value, json};
use tokio::sync::oneshot;
use tokio::time::Instant;
use transport_ws::{Beat, Events, Heartbeat, Priority, WsEvent, WsMessage};

use crate::client::Inner;
use crate::error::{Error, ErrorKind};
use crate::event::{Delivery, MeshEvent, Message, QueuedMessage};
use crate::packet::{self, Inbound, OpCode};

/// Close code for a connection this client abandons (zombie, GOODBYE): not 1000, so the
/// server sees an abnormal end.
const RECONNECT_CLOSE_CODE: u16 = 4000;

/// How long to wait for the server to close after GOODBYE before closing ourselves.
const GOODBYE_GRACE: Duration = Duration::from_secs(5);

pub(crate) struct Driver {
    inner: Weak<Inner>,
    ws: transport_ws::Sender,
    events: Events,
    ready: Option<oneshot::Sender<Result<(), Error>>>,
    heartbeat: Heartbeat,
    goodbye_deadline: Option<Instant>,
}

impl Driver {
    pub(crate) fn new(
        inner: Weak<Inner>,
        ws: transport_ws::Sender,
        events: Events,
        ready: oneshot::Sender<Result<(), Error>>,
    ) -> Self {
        Self {
            inner,
            ws,
            events,
            ready: Some(ready),
            heartbeat: Heartbeat::default(),
            goodbye_deadline: None,
        }
    }

    pub(crate) async fn run(mut self) {
        loop {
            let due = self.heartbeat.due();
            let event = tokio::select! {
                event = self.events.recv() => event,
                () = sleep_until(due) => {
                    self.beat().await;
                    continue;
                }
                () = sleep_until(self.goodbye_deadline) => {
                    self.goodbye_deadline = None;
                    let _ = self.ws.reconnect(RECONNECT_CLOSE_CODE);
                    continue;
                }
            };
            let Some(event) = event else { break };
            let Some(inner) = self.inner.upgrade() else {
                let _ = self.ws.close(1000, "client dropped");
                break;
            };
            self.handle(&inner, event).await;
        }
        if let Some(ready) = self.ready.take() {
            let _ = ready.send(Err(Error::new(ErrorKind::Closed)));
        }
        if let Some(inner) = self.inner.upgrade() {
            inner.session.lock().ready = false;
        }
        tracing::debug!("singyeong connection task ended");
    }

    async fn beat(&mut self) {
        let Some(inner) = self.inner.upgrade() else {
            let _ = self.ws.close(1000, "client dropped");
            self.heartbeat.stop();
            return;
        };
        match self.heartbeat.on_due(Instant::now()) {
            Beat::Send => {
                let d = json!({ "client_id": inner.config.client_id });
                let text = packet::encode(OpCode::Heartbeat, None, &d);
                if let Err(error) = self.ws.send_text(text, Priority::High).await {
                    tracing::debug!(%error, "heartbeat not sent");
                }
            }
            Beat::Zombie => {
                tracing::warn!("singyeong heartbeat not acknowledged; reconnecting");
                inner.session.lock().ready = false;
                let _ = self.ws.reconnect(RECONNECT_CLOSE_CODE);
            }
        }
    }

    async fn handle(&mut self, inner: &Inner, event: WsEvent) {
        match event {
            WsEvent::Connected { .. } => {
                tracing::debug!("singyeong socket connected; waiting for HELLO");
            }
            WsEvent::Message(WsMessage::Text(text)) => match Inbound::decode(text) {
                Ok(packet) => self.packet(inner, packet).await,
                Err(error) => tracing::warn!(%error, "ignoring undecodable singyeong packet"),
            },
            WsEvent::Message(WsMessage::Binary(_)) => {
                tracing::warn!("ignoring binary frame: only json encoding is used");
            }
            WsEvent::Closed { code, .. } => {
                self.heartbeat.stop();
                self.goodbye_deadline = None;
                inner.session.lock().ready = false;
                inner.pending.connection_lost();
                inner.hub.publish(MeshEvent::Disconnected { code });
            }
            WsEvent::Reconnecting { attempt, delay } => {
                inner
                    .hub
                    .publish(MeshEvent::Reconnecting { attempt, delay });
            }
            WsEvent::Error(error) => tracing::debug!(%error, "singyeong transport error"),
            _ => {}
        }
    }

    async fn packet(&mut self, inner: &Inner, packet: Inbound) {
        let Some(op) = OpCode::from_code(packet.op) else {
            tracing::warn!(op = packet.op, "unknown singyeong opcode");
            return;
        };
        match op {
            OpCode::Hello => {
                let interval = packet
                    .d
                    .get("heartbeat_interval")
                    .and_then(Value::as_u64)
                    .unwrap_or(45_000);
                // The first beat one whole interval after HELLO (no jitter), as before.
                self.heartbeat
                    .start(Duration::from_millis(interval), 1.0, Instant::now());
                let identify = identify_payload(inner);
                let text = packet::encode(OpCode::Identify, None, &identify);
                if let Err(error) = self.ws.send_text(text, Priority::High).await {
                    tracing::warn!(%error, "identify not sent");
                }
            }
            OpCode::Ready => {
                let restricted = packet
                    .d
                    .get("restricted")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                {
                    let mut session = inner.session.lock();
                    session.ready = true;
                    session.restricted = restricted;
                }
                tracing::info!(client_id = %inner.config.client_id, restricted, "singyeong ready");
                inner.hub.publish(MeshEvent::Ready {
                    client_id: inner.config.client_id.clone(),
                    restricted,
                });
                if let Some(ready) = self.ready.take() {
                    let _ = ready.send(Ok(()));
                }
            }
            OpCode::Invalid => self.invalid(inner, &packet.d),
            OpCode::Error => {
                let error = error_text(&packet.d);
                tracing::warn!(%error, "singyeong server error");
                inner.hub.publish(MeshEvent::ServerError {
                    error: error.clone(),
                });
                if let Some(ready) = self.ready.take() {
                    // Refused at identify: retrying cannot help.
                    let _ = ready.send(Err(Error::new(ErrorKind::Server { error })));
                    inner.closed.store(true, Ordering::Release);
                    let _ = self.ws.close(1000, "identify refused");
                }
            }
            OpCode::HeartbeatAck => {
                if let Some(latency) = self.heartbeat.on_ack(Instant::now()) {
                    inner.session.lock().latency = Some(latency);
                    inner.hub.publish(MeshEvent::HeartbeatAck { latency });
                }
            }
            OpCode::Goodbye => {
                let reason = packet
                    .d
                    .get("reason")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                tracing::info!(?reason, "singyeong GOODBYE; reconnecting");
                self.heartbeat.stop();
                inner.session.lock().ready = false;
                inner.hub.publish(MeshEvent::Goodbye { reason });
                // The server closes right after GOODBYE; the transport then reconnects with
                // the policy's backoff and jitter, so clients sent away together do not all
                // come back at once. Should the close not come, leave on our own.
                self.goodbye_deadline = Some(Instant::now() + GOODBYE_GRACE);
            }
            OpCode::Dispatch => dispatch(inner, packet.t.as_deref().unwrap_or_default(), packet.d),
            OpCode::Identify | OpCode::Heartbeat => {
                tracing::warn!(?op, "server sent a client-only opcode");
            }
        }
    }

    fn invalid(&mut self, inner: &Inner, d: &Value) {
        let error = error_text(d);
        let extra = d.get("extra_info").cloned().unwrap_or(Value::Null);
        tracing::warn!(%error, "singyeong INVALID");
        if let Some(ready) = self.ready.take() {
            let _ = ready.send(Err(Error::new(ErrorKind::Invalid {
                error: error.clone(),
            })));
            inner.closed.store(true, Ordering::Release);
            let _ = self.ws.close(1000, "identify refused");
        } else if extra.get("t").and_then(Value::as_str) == Some("QUERY_NODES") {
            // A refused node query fails at once instead of timing out.
            let _ = inner
                .pending
                .answer_nodes(Err(Error::new(ErrorKind::Invalid {
                    error: error.clone(),
                })));
        } else if let Some(nonce) = extra.pointer("/d/nonce").and_then(Value::as_str) {
            // An unroutable request fails at once instead of timing out.
            let _ = inner.pending.complete_reply(
                nonce,
                Err(Error::new(ErrorKind::Invalid {
                    error: error.clone(),
                })),
            );
        }
        inner.hub.publish(MeshEvent::Invalid { error, extra });
    }
}

async fn sleep_until(due: Option<Instant>) {
    match due {
        Some(due) => tokio::time::sleep_until(due).await,
        None => std::future::pending().await,
    }
}

fn error_text(d: &Value) -> String {
    match d.get("error") {
        Some(Value::String(error)) => error.clone(),
        Some(other) => other.to_string(),
        None => d.to_string(),
    }
}

fn identify_payload(inner: &Inner) -> Value {
    let config = &inner.config;
    let mut metadata = inner.session.lock().metadata.to_wire();
    if let Value::Object(map) = &mut metadata {
        // Published so replies can be routed to exactly this client.
        map.insert(
            "client_id".into(),
            json!({ "type": "string", "value": config.client_id }),
        );
    }
    let mut d = Map::new();
    d.insert("client_id".into(), Value::from(config.client_id.as_str()));
    d.insert(
        "application_id".into(),
        Value::from(config.dsn.application_id()),
    );
    if let Some(password) = config.dsn.password() {
        d.insert("auth".into(), Value::from(password.expose()));
    }
    if let Some(ip) = &config.ip {
        d.insert("ip".into(), Value::from(ip.as_str()));
    }
    if let Some(namespace) = &config.namespace {
        d.insert("namespace".into(), Value::from(namespace.as_str()));
    }
    d.insert(
        "receive_client_updates".into(),
        Value::Bool(config.receive_client_updates),
    );
    d.insert("metadata".into(), metadata);
    Value::Object(d)
}

fn dispatch(inner: &Inner, t: &str, d: Value) {
    let nonce = d.get("nonce").and_then(Value::as_str).map(str::to_owned);
    let payload = d.get("payload").cloned().unwrap_or(Value::Null);
    let event = match t {
        "SEND" | "BROADCAST" => {
            if let Some(nonce) = &nonce
                && inner
                    .pending
                    .complete_reply(nonce, Ok(payload.clone()))
                    .is_none()
            {
                return;
            }
            let delivery = if t == "SEND" {
                Delivery::Send
            } else {
                Delivery::Broadcast
            };
            MeshEvent::Message(Message {
                delivery,
                nonce,
                payload,
            })
        }
        "QUEUE" => MeshEvent::Queued(QueuedMessage {
            queue: str_field(&payload, "queue"),
            id: str_field(&payload, "id"),
            nonce,
            payload: payload.get("payload").cloned().unwrap_or(Value::Null),
        }),
        "QUEUE_CONFIRM" => {
            let queue = str_field(&d, "queue");
            inner.pending.confirm(&queue);
            MeshEvent::QueueConfirmed { queue }
        }
        // The server wraps these like routed messages ({nonce, payload: {app}}); the protocol
        // document shows a bare {app}. Accept both.
        "CLIENT_CONNECTED" => MeshEvent::ClientConnected { app: app_field(&d) },
        "CLIENT_DISCONNECTED" => MeshEvent::ClientDisconnected { app: app_field(&d) },
        // Answers to `query_nodes` go to their caller; only unasked ones are published.
        "QUERY_NODES" => match inner.pending.answer_nodes(Ok(d)) {
            Some(Ok(d)) => MeshEvent::Nodes(d.get("nodes").cloned().unwrap_or(d)),
            None | Some(Err(_)) => return,
        },
        other => {
            tracing::debug!(t = other, "ignoring unknown singyeong dispatch");
            return;
        }
    };
    inner.hub.publish(event);
}

fn str_field(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn app_field(d: &Value) -> String {
    d.pointer("/payload/app")
        .or_else(|| d.get("app"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}
