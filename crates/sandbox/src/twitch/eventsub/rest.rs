//! The REST side: `/eventsub/subscriptions`, `/eventsub/conduits`,
//! `/eventsub/conduits/shards`, with Twitch's error shape `{error, status, message}`.

use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::state::{ConduitEntry, ShardEntry, State, new_id, now};
use crate::platform::SandboxRequest;
use crate::response::{self, HttpResponse};

/// WebSocket subscriptions one session may hold.
const MAX_PER_SESSION: usize = 300;
/// Conduits one client may own.
const MAX_CONDUITS: usize = 5;
/// Shards one conduit may have.
const MAX_SHARDS: u64 = 20_000;

fn error(status: StatusCode, message: &str) -> HttpResponse {
    response::json(
        status,
        &json!({ "error": status.canonical_reason().unwrap_or("Error"), "status": status.as_u16(), "message": message }),
    )
}

/// `None` when the caller may go on, else the 401 to answer.
fn unauthorized(state: &State, request: &SandboxRequest) -> Option<HttpResponse> {
    let token = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .filter(|t| !t.is_empty());
    let client_id = request.header("client-id").filter(|v| !v.is_empty());
    let (Some(token), Some(_)) = (token, client_id) else {
        return Some(error(
            StatusCode::UNAUTHORIZED,
            "OAuth token and Client-Id are required",
        ));
    };
    match &state.config.tokens {
        Some(helix) if !helix.is_valid(token) => {
            Some(error(StatusCode::UNAUTHORIZED, "Invalid OAuth token"))
        }
        _ => None,
    }
}

/// Answers a REST request; `segments` is its path split, starting at `eventsub`.
pub(crate) fn handle(state: &State, request: &SandboxRequest, segments: &[&str]) -> HttpResponse {
    if let Some(refused) = unauthorized(state, request) {
        return refused;
    }
    let body: Value = if request.body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&request.body) {
            Ok(body) => body,
            Err(_) => return error(StatusCode::BAD_REQUEST, "malformed JSON body"),
        }
    };
    match (request.method.clone(), segments) {
        (Method::POST, ["eventsub", "subscriptions"]) => create_subscription(state, &body),
        (Method::GET, ["eventsub", "subscriptions"]) => list_subscriptions(state, request),
        (Method::DELETE, ["eventsub", "subscriptions"]) => {
            let id = request.query_param("id").unwrap_or_default();
            if state.lock().subscriptions.remove(id).is_some() {
                response::empty(StatusCode::NO_CONTENT)
            } else {
                error(StatusCode::NOT_FOUND, "subscription not found")
            }
        }
        (Method::POST, ["eventsub", "conduits"]) => create_conduit(state, &body),
        (Method::GET, ["eventsub", "conduits"]) => {
            let data: Vec<Value> = state
                .lock()
                .conduits
                .iter()
                .map(|(id, c)| json!({ "id": id, "shard_count": c.shard_count }))
                .collect();
            response::json(StatusCode::OK, &json!({ "data": data }))
        }
        (Method::PATCH, ["eventsub", "conduits"]) => update_conduit(state, &body),
        (Method::DELETE, ["eventsub", "conduits"]) => {
            let id = request.query_param("id").unwrap_or_default();
            let mut inner = state.lock();
            if inner.conduits.remove(id).is_some() {
                inner
                    .subscriptions
                    .retain(|_, s| s["transport"]["conduit_id"] != id);
                response::empty(StatusCode::NO_CONTENT)
            } else {
                error(StatusCode::NOT_FOUND, "conduit not found")
            }
        }
        (Method::PATCH, ["eventsub", "conduits", "shards"]) => assign_shards(state, &body),
        (Method::GET, ["eventsub", "conduits", "shards"]) => {
            let id = request.query_param("conduit_id").unwrap_or_default();
            let inner = state.lock();
            let Some(conduit) = inner.conduits.get(id) else {
                return error(StatusCode::NOT_FOUND, "conduit not found");
            };
            let status = request.query_param("status");
            let data: Vec<Value> = (0..conduit.shard_count)
                .map(|shard| match conduit.shards.get(&shard) {
                    Some(entry) => {
                        let mut transport = json!({ "method": "websocket", "session_id": entry.session_id,
                            "connected_at": entry.connected_at });
                        if let Some(at) = &entry.disconnected_at {
                            transport["disconnected_at"] = json!(at);
                        }
                        json!({ "id": shard.to_string(), "status": entry.status(), "transport": transport })
                    }
                    None => json!({ "id": shard.to_string(), "status": "websocket_disconnected",
                        "transport": { "method": "websocket", "session_id": "" } }),
                })
                .filter(|shard| status.is_none_or(|wanted| shard["status"] == wanted))
                .collect();
            response::json(StatusCode::OK, &json!({ "data": data, "pagination": {} }))
        }
        _ => response::not_found(),
    }
}

fn create_subscription(state: &State, body: &Value) -> HttpResponse {
    let (Some(kind), Some(version), Some(condition), Some(method)) = (
        body["type"].as_str(),
        body["version"].as_str(),
        body["condition"].as_object(),
        body["transport"]["method"].as_str(),
    ) else {
        return error(
            StatusCode::BAD_REQUEST,
            "type, version, condition and transport are required",
        );
    };
    let mut inner = state.lock();
    let transport = match method {
        "websocket" => {
            let session_id = body["transport"]["session_id"].as_str().unwrap_or_default();
            let Some(session) = inner.sessions.get(session_id).filter(|s| s.sink.is_some()) else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "websocket transport session does not exist or has already disconnected",
                );
            };
            let connected_at = session.connected_at.clone();
            let on_session = inner
                .subscriptions
                .values()
                .filter(|s| s["transport"]["session_id"] == session_id)
                .count();
            if on_session >= MAX_PER_SESSION {
                return error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "number of websocket transports limit exceeded",
                );
            }
            json!({ "method": "websocket", "session_id": session_id, "connected_at": connected_at })
        }
        "conduit" => {
            let conduit_id = body["transport"]["conduit_id"].as_str().unwrap_or_default();
            if !inner.conduits.contains_key(conduit_id) {
                return error(StatusCode::BAD_REQUEST, "conduit not found");
            }
            json!({ "method": "conduit", "conduit_id": conduit_id })
        }
        _ => return error(StatusCode::BAD_REQUEST, "unsupported transport method"),
    };
    let duplicate = inner.subscriptions.values().any(|s| {
        s["type"] == kind
            && s["version"] == version
            && s["condition"] == Value::Object(condition.clone())
            && s["transport"] == transport
    });
    if duplicate {
        return error(StatusCode::CONFLICT, "subscription already exists");
    }
    let subscription = json!({
        "id": new_id(), "status": "enabled", "type": kind, "version": version, "condition": condition,
        "transport": transport, "created_at": now(), "cost": 0,
    });
    if let Some(session_id) = transport["session_id"].as_str()
        && let Some(session) = inner.sessions.get_mut(session_id)
    {
        session.used = true;
    }
    inner.subscriptions.insert(
        subscription["id"].as_str().unwrap_or_default().to_owned(),
        subscription.clone(),
    );
    state.release_held(&mut inner, &subscription);
    let total = inner.subscriptions.len();
    response::json(
        StatusCode::ACCEPTED,
        &json!({ "data": [subscription], "total": total, "total_cost": 0, "max_total_cost": state.config.max_total_cost }),
    )
}

fn list_subscriptions(state: &State, request: &SandboxRequest) -> HttpResponse {
    let inner = state.lock();
    let status = request.query_param("status");
    let kind = request.query_param("type");
    let data: Vec<&Value> = inner
        .subscriptions
        .values()
        .filter(|s| status.is_none_or(|w| s["status"] == w) && kind.is_none_or(|w| s["type"] == w))
        .collect();
    response::json(
        StatusCode::OK,
        &json!({ "data": data, "total": data.len(), "total_cost": 0,
            "max_total_cost": state.config.max_total_cost, "pagination": {} }),
    )
}

fn create_conduit(state: &State, body: &Value) -> HttpResponse {
    let Some(count) = body["shard_count"]
        .as_u64()
        .filter(|c| (1..=MAX_SHARDS).contains(c))
    else {
        return error(StatusCode::BAD_REQUEST, "shard_count must be 1..20000");
    };
    let mut inner = state.lock();
    if inner.conduits.len() >= MAX_CONDUITS {
        return error(StatusCode::TOO_MANY_REQUESTS, "conduit limit reached");
    }
    let id = new_id();
    let shard_count = u32::try_from(count).unwrap_or(1);
    inner.conduits.insert(
        id.clone(),
        ConduitEntry {
            shard_count,
            shards: std::collections::BTreeMap::new(),
            next: 0,
        },
    );
    response::json(
        StatusCode::OK,
        &json!({ "data": [{ "id": id, "shard_count": shard_count }] }),
    )
}

fn update_conduit(state: &State, body: &Value) -> HttpResponse {
    let id = body["id"].as_str().unwrap_or_default();
    let Some(count) = body["shard_count"]
        .as_u64()
        .filter(|c| (1..=MAX_SHARDS).contains(c))
    else {
        return error(StatusCode::BAD_REQUEST, "shard_count must be 1..20000");
    };
    let mut inner = state.lock();
    let Some(conduit) = inner.conduits.get_mut(id) else {
        return error(StatusCode::NOT_FOUND, "conduit not found");
    };
    conduit.shard_count = u32::try_from(count).unwrap_or(1);
    let limit = conduit.shard_count;
    conduit.shards.retain(|shard, _| *shard < limit);
    response::json(
        StatusCode::OK,
        &json!({ "data": [{ "id": id, "shard_count": limit }] }),
    )
}

fn assign_shards(state: &State, body: &Value) -> HttpResponse {
    let conduit_id = body["conduit_id"].as_str().unwrap_or_default();
    let Some(shards) = body["shards"].as_array() else {
        return error(StatusCode::BAD_REQUEST, "shards is required");
    };
    let mut inner = state.lock();
    let Some(shard_count) = inner.conduits.get(conduit_id).map(|c| c.shard_count) else {
        return error(StatusCode::NOT_FOUND, "conduit not found");
    };
    let mut data = Vec::new();
    let mut errors = Vec::new();
    for shard in shards {
        let id_text = shard["id"]
            .as_str()
            .map_or_else(|| shard["id"].to_string(), str::to_owned);
        let id = id_text.parse::<u32>().ok().filter(|id| *id < shard_count);
        let session_id = shard["transport"]["session_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let live = inner
            .sessions
            .get(&session_id)
            .filter(|s| s.sink.is_some())
            .map(|s| s.connected_at.clone());
        match (id, live, shard["transport"]["method"].as_str()) {
            (Some(id), Some(connected_at), Some("websocket")) => {
                if let Some(session) = inner.sessions.get_mut(&session_id) {
                    session.used = true;
                }
                if let Some(conduit) = inner.conduits.get_mut(conduit_id) {
                    conduit.shards.insert(
                        id,
                        ShardEntry {
                            session_id: session_id.clone(),
                            connected_at,
                            disconnected_at: None,
                            ended_as: super::state::DISCONNECTED,
                        },
                    );
                }
                data.push(json!({ "id": id_text, "status": "enabled", "transport": { "method": "websocket", "session_id": session_id } }));
            }
            (None, ..) => errors.push(json!({ "id": id_text, "message": "shard id out of range", "code": "invalid_parameter" })),
            _ => errors.push(json!({ "id": id_text, "message": "websocket session not found", "code": "websocket_session_not_found" })),
        }
    }
    response::json(
        StatusCode::ACCEPTED,
        &json!({ "data": data, "errors": errors }),
    )
}
