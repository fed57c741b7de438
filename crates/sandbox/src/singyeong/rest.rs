//! The REST API: `GET /api/version`, `POST /api/v1/query`, `POST /api/v1/proxy` (forwarded
//! over HTTP to the chosen client's address, its answer relayed).

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use serde_json::{Value, json};

use super::Shared;
use super::query::Query;
use super::state::Connected;
use crate::platform::SandboxRequest;
use crate::response::{self, HttpResponse};

const METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

/// How `/api/v1/query` shows a client.
pub(crate) fn describe(client: &Connected) -> Value {
    json!({
        "app_id": client.record.app_id,
        "client_id": client.record.client_id,
        "metadata": client.record.metadata,
        "metadata_types": client.record.types,
        "socket_ip": client.proxy_ip,
        "queues": client.queues,
    })
}

/// Whether the request carries the password (when one is configured).
pub(crate) fn authorized(shared: &Shared, request: &SandboxRequest) -> bool {
    shared
        .config
        .password
        .as_deref()
        .is_none_or(|password| request.header("authorization") == Some(password))
}

pub(crate) fn unauthorized() -> HttpResponse {
    response::json(
        StatusCode::UNAUTHORIZED,
        &json!({ "status": "error", "error": "not authorized" }),
    )
}

pub(crate) fn version() -> HttpResponse {
    response::json(
        StatusCode::OK,
        &json!({ "api": "v1", "singyeong": "sandbox" }),
    )
}

pub(crate) fn query(shared: &Shared, request: &SandboxRequest) -> HttpResponse {
    let parsed = serde_json::from_slice::<Value>(&request.body)
        .map_err(|e| e.to_string())
        .and_then(|v| Query::parse(&v).map_err(|e| e.to_string()));
    match parsed {
        Ok(query) => {
            let state = shared.lock();
            let clients: Vec<Value> = state
                .select(&query)
                .iter()
                .filter_map(|k| state.clients.get(k))
                .map(describe)
                .collect();
            response::json(StatusCode::OK, &Value::Array(clients))
        }
        Err(error) => bad_request(&error),
    }
}

fn bad_request(error: &str) -> HttpResponse {
    response::json(StatusCode::BAD_REQUEST, &json!({ "errors": [error] }))
}

/// The proxy request's method, route, body and query, checked as the server does.
fn validate(body: &Value) -> Result<(String, String, Value, Query), Box<HttpResponse>> {
    for field in ["method", "route", "query"] {
        if body.get(field).is_none_or(Value::is_null) {
            return Err(Box::new(response::json(
                StatusCode::BAD_REQUEST,
                &json!({ field: [format!("no {field} provided")] }),
            )));
        }
    }
    let refuse = |message: &str| Box::new(bad_request(message));
    let method = body["method"].as_str().unwrap_or_default().to_owned();
    let route = body["route"].as_str().unwrap_or_default().to_owned();
    let payload = body
        .get("body")
        .filter(|b| !b.is_null())
        .cloned()
        .unwrap_or(Value::from(""));
    if !METHODS.contains(&method.as_str()) && method != "MOVE" {
        return Err(refuse(&format!("{method} is not a valid method!")));
    }
    if matches!(method.as_str(), "CONNECT" | "OPTIONS" | "TRACE") {
        return Err(refuse(&format!("{method} is not a supported method!")));
    }
    let needs_body = matches!(
        method.as_str(),
        "POST" | "PATCH" | "PUT" | "DELETE" | "MOVE"
    );
    if !needs_body && payload != "" {
        return Err(refuse(
            "no body required but one given (you probably wanted to send nil)",
        ));
    }
    let query = Query::parse(&body["query"]).map_err(|error| refuse(&error.to_string()))?;
    Ok((method, route, payload, query))
}

pub(crate) async fn proxy(shared: Arc<Shared>, request: SandboxRequest) -> HttpResponse {
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return bad_request("body must be JSON");
    };
    let (method, route, payload, query) = match validate(&body) {
        Ok(valid) => valid,
        Err(refused) => return *refused,
    };
    let destination = {
        let state = shared.lock();
        let matched = state.select(&query);
        if matched.is_empty() {
            return bad_request("no matches");
        }
        let chosen = &matched[rand::random_range(0..matched.len())];
        state.clients.get(chosen).map(|c| c.proxy_ip.clone())
    };
    let Some(destination) = destination else {
        return bad_request("no matches");
    };
    let base = if destination.starts_with("http://") || destination.starts_with("https://") {
        destination
    } else {
        format!("http://{destination}")
    };
    let url = format!(
        "{}/{}",
        base.trim_end_matches('/'),
        route.trim_start_matches('/')
    );
    let encoded = match payload {
        Value::String(text) => Bytes::from(text),
        other => Bytes::from(other.to_string()),
    };
    let Ok(method) = Method::from_bytes(method.as_bytes()) else {
        return bad_request("bad method");
    };
    let mut forward = Request::builder().method(method).uri(url.as_str());
    if let Some(headers) = body.get("headers").and_then(Value::as_object) {
        for (name, value) in headers {
            if let (Ok(name), Some(Ok(value))) = (
                HeaderName::try_from(name.as_str()),
                value.as_str().map(HeaderValue::from_str),
            ) {
                forward = forward.header(name, value);
            }
        }
    }
    forward = forward.header("x-forwarded-for", request.remote.ip().to_string());
    let Ok(forward) = forward.body(Full::new(encoded)) else {
        return bad_request("cannot build the proxied request");
    };
    let answer = match shared.proxy_client.request(forward).await {
        Ok(answer) => answer,
        Err(error) => return bad_request(&error.to_string()),
    };
    let (parts, incoming) = answer.into_parts();
    let Ok(collected) = incoming.collect().await else {
        return bad_request("proxied response body failed");
    };
    let mut relayed = response::bytes(
        parts.status,
        "text/plain; charset=utf-8",
        collected.to_bytes(),
    );
    for (name, value) in &parts.headers {
        if !matches!(
            name.as_str(),
            "transfer-encoding" | "connection" | "content-length" | "keep-alive"
        ) {
            relayed.headers_mut().insert(name.clone(), value.clone());
        }
    }
    relayed
}

pub(crate) fn not_found() -> HttpResponse {
    response::json(
        StatusCode::NOT_FOUND,
        &json!({ "code": 404, "error": "not found" }),
    )
}
