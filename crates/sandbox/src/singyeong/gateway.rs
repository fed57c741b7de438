//! One gateway connection: HELLO, IDENTIFY (password check, restricted mode), heartbeats,
//! dispatches, and cleanup when the socket ends.

use std::net::SocketAddr;
use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Map, Value, json};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use super::Shared;
use super::metadata;
use super::query::{ClientRecord, Query};
use super::state::{Connected, Outgoing, now_ms, op, packet};
use super::{BadAuth, SocketCommand};
use crate::chaos::Chaos;
use crate::ws::ServerSocket;

type Who = (String, String);

/// The name singyeong gives its own node in clustered answers (`Cluster.fake_local_node`).
const LOCAL_NODE: &str = "singyeong_local_node";

/// What handling a packet asks of the socket loop.
enum Step {
    Continue,
    Close,
    /// Gone without a word (no close frame), as a failing network leaves it.
    Drop,
}

pub(crate) async fn run(
    shared: Arc<Shared>,
    mut socket: ServerSocket,
    remote: SocketAddr,
    encoding: String,
) {
    shared
        .accepted
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    if encoding != "json" {
        let error = packet(
            op::ERROR,
            None,
            &json!({ "error": format!("sandbox speaks only encoding=json, not {encoding}") }),
        );
        let _ = socket.send(Message::text(error)).await;
        let _ = socket.close(None).await;
        return;
    }
    let interval = shared.config.heartbeat_interval;
    let announced = crate::chaos::heartbeat_interval(
        &shared.chaos,
        u64::try_from(interval.as_millis()).unwrap_or(u64::MAX),
    );
    let hello = packet(op::HELLO, None, &json!({ "heartbeat_interval": announced }));
    if socket.send(Message::text(hello)).await.is_err() {
        return;
    }
    let (outbox, mut inbox) = mpsc::unbounded_channel();
    let mut commands = shared.commands.subscribe();
    let mut who: Option<Who> = None;
    // Clients that stop heartbeating for 1.5 intervals are dropped, as the server does.
    let mut deadline = Instant::now() + interval.mul_f64(1.5);
    loop {
        let step = tokio::select! {
            incoming = socket.next() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    handle(&shared, &mut who, &outbox, remote, &mut deadline, text.as_str())
                }
                Some(Ok(Message::Binary(_))) => Err("decode: payload: invalid websocket opcode/encoding combo".to_owned()),
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => Ok(Step::Continue),
            },
            Some(outgoing) = inbox.recv() => match outgoing {
                Outgoing::Text(text) => match socket.send(Message::text(text)).await {
                    Ok(()) => Ok(Step::Continue),
                    Err(_) => break,
                },
                Outgoing::Close(text) => {
                    let _ = socket.send(Message::text(text)).await;
                    Ok(Step::Close)
                }
            },
            command = commands.recv() => match command {
                Ok(SocketCommand::Goodbye { target, reason }) if target.is_none() || target == who => {
                    let _ = socket.send(Message::text(packet(op::GOODBYE, None, &json!({ "reason": reason })))).await;
                    Ok(Step::Close)
                }
                Ok(SocketCommand::Drop) => break,
                _ => Ok(Step::Continue),
            },
            () = tokio::time::sleep_until(deadline) => Err("heartbeat took too long".to_owned()),
        };
        match step {
            Ok(Step::Continue) => {}
            Ok(Step::Drop) => break,
            Ok(Step::Close) => {
                let _ = socket.close(None).await;
                break;
            }
            Err(error) => {
                tracing::debug!(%error, "singyeong sandbox closing a socket");
                let _ = socket
                    .send(Message::text(packet(
                        op::ERROR,
                        None,
                        &json!({ "error": error, "extra_info": null }),
                    )))
                    .await;
                let _ = socket.close(None).await;
                break;
            }
        }
    }
    if let Some(who) = who {
        let mut state = shared.lock();
        if let Some(gone) = state.remove(&who) {
            state.notify(&gone.record.app_id, "CLIENT_DISCONNECTED");
        }
    }
}

/// Handles one inbound text frame. `Err` closes the socket with op 8 ERROR.
fn handle(
    shared: &Arc<Shared>,
    who: &mut Option<Who>,
    outbox: &mpsc::UnboundedSender<Outgoing>,
    remote: SocketAddr,
    deadline: &mut Instant,
    text: &str,
) -> Result<Step, String> {
    let payload: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let opcode = payload.get("op").and_then(Value::as_u64);
    let d = payload.get("d").cloned().unwrap_or(Value::Null);
    let send = |text: String| {
        let _ = outbox.send(Outgoing::Text(text));
    };
    match (opcode, who.as_ref()) {
        (Some(1), None) if shared.chaos.is_on(Chaos::DropMidHandshake) => Ok(Step::Drop),
        (Some(1), None) => identify(shared, who, outbox, remote, &d),
        (Some(1), Some(_)) => Err("already identified".into()),
        (_, None) => Err("sent payload with non-identify opcode without identifying first".into()),
        (Some(5), Some(me)) => {
            *deadline = Instant::now() + shared.config.heartbeat_interval.mul_f64(1.5);
            if let Some(client) = shared.lock().clients.get_mut(me) {
                client
                    .record
                    .metadata
                    .insert("last_heartbeat_time".into(), Value::from(now_ms()));
            }
            if !shared
                .ack_heartbeats
                .load(std::sync::atomic::Ordering::SeqCst)
                || shared.chaos.is_on(Chaos::NeverAck)
            {
                return Ok(Step::Continue);
            }
            send(packet(
                op::HEARTBEAT_ACK,
                None,
                &json!({ "client_id": me.1 }),
            ));
            Ok(Step::Continue)
        }
        (Some(4), Some(me)) => {
            let t = payload.get("t").and_then(Value::as_str).unwrap_or_default();
            dispatch(shared, me, t, &d, &payload, &send);
            Ok(Step::Continue)
        }
        (other, Some(_)) => Err(format!("invalid client op {other:?}")),
    }
}

fn identify(
    shared: &Arc<Shared>,
    who: &mut Option<Who>,
    outbox: &mpsc::UnboundedSender<Outgoing>,
    remote: SocketAddr,
    d: &Value,
) -> Result<Step, String> {
    let text = |key: &str| d.get(key).and_then(Value::as_str).map(str::to_owned);
    let (Some(client_id), Some(app_id)) = (text("client_id"), text("application_id")) else {
        return Err("payload has no data".into());
    };
    if client_id.is_empty() || app_id.is_empty() || client_id.contains(' ') || app_id.contains(' ')
    {
        return Err("client_id and application_id must be non-empty without spaces".into());
    }
    let auth = text("auth");
    let restricted = match (&shared.config.password, auth) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(password), Some(auth)) if *password == auth => false,
        (Some(_), Some(_)) => match shared.config.bad_auth {
            BadAuth::Restrict => true,
            BadAuth::Reject => {
                let invalid = packet(
                    op::INVALID,
                    None,
                    &json!({ "error": "auth: failed: bad password", "extra_info": null }),
                );
                let _ = outbox.send(Outgoing::Close(invalid));
                return Ok(Step::Continue);
            }
        },
    };
    let (initial, errors) =
        metadata::validate(d.get("metadata").unwrap_or(&Value::Object(Map::new())));
    if !errors.is_empty() {
        return Err(format!(
            "initial metadata: invalid: {}",
            Value::Object(errors)
        ));
    }
    let receive_updates = !restricted
        && d.get("receive_client_updates")
            .and_then(Value::as_bool)
            .unwrap_or(false);
    let proxy_ip = text("ip")
        .filter(|_| !restricted)
        .unwrap_or_else(|| remote.ip().to_string());
    let record = client_record(
        &app_id,
        &client_id,
        restricted,
        receive_updates,
        &proxy_ip,
        d,
        initial,
    );
    let key = (app_id.clone(), client_id.clone());
    let mut state = shared.lock();
    if state.clients.contains_key(&key) {
        return Err(format!("{client_id}: already registered for app {app_id}"));
    }
    state.identifies += 1;
    state.clients.insert(
        key.clone(),
        Connected {
            record,
            receive_updates,
            proxy_ip,
            outbox: outbox.clone(),
            queues: Vec::new(),
        },
    );
    let _ = outbox.send(Outgoing::Text(packet(
        op::READY,
        None,
        &json!({ "client_id": client_id, "restricted": restricted }),
    )));
    state.notify(&app_id, "CLIENT_CONNECTED");
    *who = Some(key);
    Ok(Step::Continue)
}

/// The client's metadata: what it sent at identify, overridden by the server's base keys.
fn client_record(
    app_id: &str,
    client_id: &str,
    restricted: bool,
    receive_updates: bool,
    proxy_ip: &str,
    d: &Value,
    initial: Vec<(String, String, Value)>,
) -> ClientRecord {
    let mut record = ClientRecord {
        app_id: app_id.to_owned(),
        client_id: client_id.to_owned(),
        restricted,
        metadata: Map::new(),
        types: std::collections::HashMap::new(),
    };
    for (key, kind, value) in initial {
        record.types.insert(key.clone(), kind);
        record.metadata.insert(key, value);
    }
    let ip = if restricted {
        Value::Null
    } else {
        Value::from(proxy_ip)
    };
    let namespace = d.get("namespace").cloned().unwrap_or(Value::Null);
    for (key, kind, value) in [
        ("last_heartbeat_time", "integer", Value::from(now_ms())),
        ("restricted", "boolean", Value::Bool(restricted)),
        ("encoding", "string", Value::from("json")),
        ("ip", "string", ip),
        ("namespace", "string", namespace),
        (
            "receive_client_updates",
            "boolean",
            Value::Bool(receive_updates),
        ),
    ] {
        record.types.insert(key.into(), kind.into());
        record.metadata.insert(key.into(), value);
    }
    record
}

fn dispatch(
    shared: &Arc<Shared>,
    me: &Who,
    t: &str,
    d: &Value,
    whole: &Value,
    send: &dyn Fn(String),
) {
    let invalid = |error: &str, extra: Value| {
        send(packet(
            op::INVALID,
            None,
            &json!({ "error": error, "extra_info": extra }),
        ));
    };
    let mut state = shared.lock();
    let restricted = state.clients.get(me).is_some_and(|c| c.record.restricted);
    if restricted && t != "UPDATE_METADATA" {
        invalid(
            &format!("invalid dispatch type {t} (are you restricted?)"),
            Value::Null,
        );
        return;
    }
    let queue_name = d.get("queue").and_then(Value::as_str).map(str::to_owned);
    let target = || d.get("target").map(Query::parse);
    match t {
        "UPDATE_METADATA" => {
            let (values, errors) = metadata::validate(d);
            if !errors.is_empty() {
                invalid("invalid metadata", Value::Object(errors));
                return;
            }
            if let Some(client) = state.clients.get_mut(me) {
                for (key, kind, value) in values {
                    client.record.types.insert(key.clone(), kind);
                    client.record.metadata.insert(key, value);
                }
            }
        }
        "SEND" | "BROADCAST" => match target() {
            Some(Ok(query)) => {
                let nonce = d.get("nonce").cloned().unwrap_or(Value::Null);
                let payload = d.get("payload").cloned().unwrap_or(Value::Null);
                if let Err(error) = state.route(&query, &nonce, &payload, t == "BROADCAST", t) {
                    invalid(error, whole.clone());
                }
            }
            Some(Err(error)) => invalid(&error.to_string(), whole.clone()),
            None => invalid("invalid dispatch payload", whole.clone()),
        },
        "QUERY_NODES" => match Query::parse(d) {
            Ok(query) => {
                let nodes: Vec<Value> = state
                    .select(&query)
                    .iter()
                    .filter_map(|key| state.clients.get(key))
                    .map(super::rest::describe)
                    .collect();
                // singyeong runs the query on every cluster node and answers a map of node
                // name to its clients; the sandbox is the one local node.
                send(packet(
                    op::DISPATCH,
                    Some("QUERY_NODES"),
                    &json!({ "nodes": { LOCAL_NODE: nodes } }),
                ));
            }
            Err(error) => invalid(&error.to_string(), whole.clone()),
        },
        "QUEUE" => match (queue_name, target()) {
            (Some(queue), Some(Ok(query))) => {
                let nonce = d.get("nonce").cloned().unwrap_or(Value::Null);
                let payload = d.get("payload").cloned().unwrap_or(Value::Null);
                send(packet(
                    op::DISPATCH,
                    Some("QUEUE_CONFIRM"),
                    &json!({ "queue": queue }),
                ));
                state.push(&queue, query, nonce, payload);
            }
            (_, Some(Err(error))) => invalid(&error.to_string(), whole.clone()),
            _ => invalid("invalid dispatch payload", whole.clone()),
        },
        "QUEUE_REQUEST" | "QUEUE_REQUEST_CANCEL" | "QUEUE_ACK" => {
            let Some(queue) = queue_name else {
                invalid("invalid dispatch payload", whole.clone());
                return;
            };
            match t {
                "QUEUE_REQUEST" => state.request(&queue, me),
                "QUEUE_REQUEST_CANCEL" => state.cancel(&queue, me),
                _ => match d.get("id").and_then(Value::as_str) {
                    Some(id) => state.ack(&queue, id),
                    None => invalid("invalid dispatch payload", whole.clone()),
                },
            }
        }
        _ => invalid("invalid dispatch payload", whole.clone()),
    }
}
