//! The REST API over the in-memory guild state: authentication, rate-limit buckets and
//! JSON bodies here, one module per resource below (the way Discord's API reference is
//! organised).

mod answer;
mod applications;
mod bucket;
mod channels;
mod command_rules;
mod gateway;
mod guilds;
mod interactions;
mod members;
pub(super) mod messages;
mod reactions;
mod roles;
mod stage;
mod users;
mod webhooks;

use http::{HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{Value, json};

use super::ratelimit::Verdict;
use super::state::State;
use crate::platform::SandboxRequest;
use crate::response::{self, HttpResponse};
use answer::{Answer, error, not_found, parse_id};
use bucket::bucket;

pub(crate) fn handle(state: &State, request: &SandboxRequest) -> HttpResponse {
    let all = request.segments();
    let mut segments: &[&str] = &all;
    if segments.first() == Some(&"api") {
        segments = &segments[1..];
        if segments
            .first()
            .is_some_and(|v| v.starts_with('v') && v[1..].bytes().all(|b| b.is_ascii_digit()))
        {
            segments = &segments[1..];
        }
    }
    let public = matches!(segments.first(), Some(&"webhooks" | &"interactions"));
    if !public {
        let authorization = request.header("authorization").unwrap_or_default();
        if !authorization.starts_with("Bot ") || !state.token_accepted(authorization) {
            return finish(
                error(StatusCode::UNAUTHORIZED, 0, "401: Unauthorized"),
                Vec::new(),
            );
        }
    }
    let (key, hash) = bucket(&request.method, segments);
    let headers = match state.limits.check(&key, &hash) {
        Verdict::Allowed(headers) => headers,
        Verdict::Limited {
            mut headers,
            retry_after,
            global,
        } => {
            state.counters.rate_limit();
            headers.push((
                "retry-after",
                format!("{}", retry_after.ceil().max(1.0) as u64),
            ));
            let body = json!({"message": "You are being rate limited.", "retry_after": (retry_after * 1000.0).round() / 1000.0, "global": global});
            return finish((StatusCode::TOO_MANY_REQUESTS, Some(body)), headers);
        }
    };
    let body: Value = if request.body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&request.body) {
            Ok(body) => body,
            Err(_) => {
                return finish(
                    error(
                        StatusCode::BAD_REQUEST,
                        50109,
                        "The request body contains invalid JSON.",
                    ),
                    headers,
                );
            }
        }
    };
    let answer = route(state, request, segments, &body);
    finish(answer, headers)
}

fn finish((status, body): Answer, headers: Vec<(&'static str, String)>) -> HttpResponse {
    let mut response = match body {
        Some(body) => response::json(status, &body),
        None => response::empty(status),
    };
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(name), value);
        }
    }
    response
}

/// Which resource answers: one arm per resource (or per endpoint where a resource has
/// only one or two).
fn route(state: &State, request: &SandboxRequest, segments: &[&str], body: &Value) -> Answer {
    let method = &request.method;
    let host = request.header("host").unwrap_or("127.0.0.1");
    match (method.clone(), segments) {
        (Method::GET, ["gateway"]) => gateway::url(host),
        (Method::GET, ["gateway", "bot"]) => gateway::bot(state, host),
        (Method::GET, ["users", "@me"]) => users::me(state),
        (Method::GET, ["users", id]) => users::by_id(state, id),
        (Method::GET, ["oauth2", "applications", "@me"] | ["applications", "@me"]) => {
            applications::current(state)
        }
        (Method::POST, ["users", "@me", "channels"]) => users::create_dm(state, body),
        (_, ["channels", channel, rest @ ..]) => {
            let channel = parse_id(channel).unwrap_or_default();
            channels::route(state, request, channel, rest, body)
        }
        (_, ["guilds", guild, rest @ ..]) => {
            let guild = parse_id(guild).unwrap_or_default();
            guilds::route(state, request, guild, rest, body)
        }
        (Method::POST, ["interactions", id, token, "callback"]) => {
            interactions::callback(state, id, token, body)
        }
        (Method::POST, ["webhooks", webhook, token]) => {
            webhooks::execute(state, request, webhook, token, body)
        }
        (
            Method::GET | Method::PATCH | Method::DELETE,
            ["webhooks", _app, token, "messages", id],
        ) => webhooks::message(state, method, token, id, body),
        (_, ["applications", app, rest @ ..]) => {
            applications::commands(state, method, app, rest, body)
        }
        (_, ["stage-instances", rest @ ..]) => stage::route(state, method, rest, body),
        _ => not_found(),
    }
}
