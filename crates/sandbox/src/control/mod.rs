//! The control API: one small JSON-over-HTTP server that steers every platform the way
//! the Rust control handles do, for the `sandbox` CLI, a web console, or any tool.
//!
//! Paths are stable: `GET /_sandbox` lists them, `GET /_sandbox/credentials` gives what
//! `sandbox --json` prints, `GET /_sandbox/state` the connected clients per platform,
//! `GET /_sandbox/world` the names in the world (no credentials),
//! `GET /_sandbox/feed` the live traffic, requests and WebSocket frames (a WebSocket of JSON
//! records when upgraded, the recent records otherwise), and `POST /_sandbox/{platform}/{action}` with a JSON body
//! triggers things (see [`ROUTES`]). Triggers answer once delivered with how many
//! connections got it (`{"ok": true, "delivered": n}`), or 404 with a message when nothing
//! matched; a bad body is 400. Every answer is JSON with an `ok` field.
//!
//! The web console (`GET /` or `GET /_sandbox/console`, see [`crate::console`]) is a page
//! over these routes. Since a browser may be pointed at it, a request a browser sends from
//! another site (an `Origin` that is not this server) is refused with 403: a web page the
//! developer visits cannot trigger events or read the feed.

mod answer;
mod chaos;
mod clash;
mod discord;
mod feed;
mod singyeong;
mod state;
mod twitch;
mod world;

use std::sync::{Arc, OnceLock};

use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::platform::{Platform, ResponseFuture, SandboxRequest};
use crate::response::{self, HttpResponse};
use crate::standalone::Handles;
use answer::{Answer, Body, not_found, respond};

/// Every control route: method, path, and what its JSON body takes.
pub const ROUTES: &[(&str, &str, &str)] = &[
    ("GET", "/_sandbox", "this list"),
    (
        "GET",
        "/_sandbox/credentials",
        "base URLs and credentials (what `sandbox --json` prints)",
    ),
    (
        "GET",
        "/_sandbox/state",
        "connected clients per platform, rate-limit buckets",
    ),
    (
        "GET",
        "/_sandbox/world",
        "names in the world: Discord guilds, channels, users; Twitch users; clans; EventSub types",
    ),
    ("GET", "/_sandbox/console", "the web console (also at /)"),
    (
        "GET",
        "/_sandbox/feed",
        "live traffic: a WebSocket of JSON records, or the recent ones",
    ),
    (
        "POST",
        "/_sandbox/twitch/eventsub/trigger",
        "{type, version?, broadcaster?, user?, event?}",
    ),
    ("POST", "/_sandbox/twitch/chat/say", "{channel, user, text}"),
    ("POST", "/_sandbox/twitch/chat/reconnect", "{}"),
    ("POST", "/_sandbox/twitch/follow", "{broadcaster?, user?}"),
    (
        "POST",
        "/_sandbox/twitch/subscribe",
        "{broadcaster?, user?, tier?}",
    ),
    (
        "POST",
        "/_sandbox/twitch/cheer",
        "{broadcaster?, user?, bits?, text?}",
    ),
    (
        "POST",
        "/_sandbox/twitch/raid",
        "{broadcaster?, user?, viewers?}",
    ),
    ("POST", "/_sandbox/twitch/stream/online", "{broadcaster?}"),
    ("POST", "/_sandbox/twitch/stream/offline", "{broadcaster?}"),
    ("POST", "/_sandbox/discord/message", "{channel, text, as?}"),
    (
        "POST",
        "/_sandbox/discord/command",
        "{name, options?: {k: v}, guild?, channel?, as?}",
    ),
    (
        "POST",
        "/_sandbox/discord/button",
        "{custom_id, channel?, as?}",
    ),
    (
        "POST",
        "/_sandbox/discord/modal",
        "{custom_id, fields?: {k: v}, channel?, as?}",
    ),
    (
        "POST",
        "/_sandbox/discord/dispatch",
        "{event, data, shard?}",
    ),
    ("POST", "/_sandbox/discord/reconnect", "{shard?}"),
    (
        "POST",
        "/_sandbox/discord/invalidate",
        "{shard?, resumable?}",
    ),
    (
        "POST",
        "/_sandbox/discord/disconnect",
        "{shard?, resumable?}",
    ),
    ("POST", "/_sandbox/clash/maintenance/start", "{}"),
    ("POST", "/_sandbox/clash/maintenance/end", "{}"),
    ("POST", "/_sandbox/clash/war/start", "{clan?}"),
    ("POST", "/_sandbox/clash/war/state", "{clan?, state}"),
    ("POST", "/_sandbox/clash/war/attack", "{clan?, stars?}"),
    ("POST", "/_sandbox/clash/war/defense", "{clan?, stars?}"),
    ("POST", "/_sandbox/clash/league/round", "{clan?}"),
    ("POST", "/_sandbox/clash/member/join", "{clan?, name}"),
    ("POST", "/_sandbox/clash/member/leave", "{clan?, member}"),
    (
        "POST",
        "/_sandbox/clash/donate",
        "{clan?, from, to, troops?}",
    ),
    ("POST", "/_sandbox/clash/trophies", "{player, trophies}"),
    ("POST", "/_sandbox/clash/upgrade", "{player, unit}"),
    (
        "GET",
        "/_sandbox/singyeong/clients",
        "identified clients and their metadata",
    ),
    (
        "POST",
        "/_sandbox/singyeong/send",
        "{application, client?, payload, broadcast?} or {target, payload}",
    ),
    (
        "POST",
        "/_sandbox/singyeong/goodbye",
        "{application?, client?, reason?}",
    ),
    (
        "POST",
        "/_sandbox/chaos/{platform}",
        "{chaos?, off?, clear?}: hostile behaviours (discord: huge-numbers, negative-numbers, tiny-heartbeat, never-ack, drop-mid-handshake, foreign-reconnect-url, duplicate-sequence, out-of-order-sequence, invalid-utf8, truncated-frames, wrong-types, decompression-bomb, oversized-frames, slow-loris; eventsub: huge-numbers, negative-numbers, tiny-heartbeat, drop-mid-handshake, foreign-reconnect-url, duplicate-sequence, out-of-order-sequence, invalid-utf8, endless-line, wrong-types, quick-close; twitch: drop-mid-handshake, invalid-utf8, endless-line, wrong-types, slow-loris; clash, helix: huge-numbers, negative-numbers, wrong-type-fields, truncated-body, oversized-body, invalid-utf8-body, slow-body; singyeong: those and tiny-heartbeat, never-ack, drop-mid-handshake)",
    ),
    (
        "POST",
        "/_sandbox/disconnect/{platform}",
        "discord {shard?, resumable?}; twitch, eventsub {session?}, singyeong {}",
    ),
];

/// The control server. Serve it like any platform; it answers under `/_sandbox`.
#[derive(Clone)]
pub struct Control {
    handles: Handles,
    credentials: Arc<OnceLock<Value>>,
}

impl std::fmt::Debug for Control {
    /// The credentials hold tokens: they stay out.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control").finish_non_exhaustive()
    }
}

impl Control {
    /// A control server over `handles`; `credentials` is filled once every port is bound.
    pub fn new(handles: Handles, credentials: Arc<OnceLock<Value>>) -> Self {
        Self {
            handles,
            credentials,
        }
    }

    async fn answer(&self, request: &SandboxRequest, path: &[&str]) -> Answer {
        let body = Body::parse(&request.body)?;
        let h = &self.handles;
        match (request.method.clone(), path) {
            (Method::GET, []) => Ok(json!({
                "routes": ROUTES.iter().map(|(method, path, body)| json!({ "method": method, "path": path, "body": body })).collect::<Vec<_>>(),
            })),
            (Method::GET, ["credentials"]) => self
                .credentials
                .get()
                .cloned()
                .ok_or_else(|| not_found("the sandbox is still starting")),
            (Method::GET, ["state"]) => Ok(state::snapshot(h)),
            (Method::GET, ["world"]) => Ok(world::summary(h)),
            (Method::POST, ["twitch", rest @ ..]) => twitch::route(h, rest, &body).await,
            (Method::POST, ["discord", rest @ ..]) => discord::route(h, rest, &body),
            (Method::POST, ["clash", rest @ ..]) => clash::route(h, rest, &body),
            (_, ["singyeong", rest @ ..]) => singyeong::route(h, &request.method, rest, &body),
            (Method::POST, ["chaos", platform]) => chaos::route(h, platform, &body),
            (Method::POST, ["disconnect", platform]) => disconnect(h, platform, &body),
            _ => Err(not_found(format!(
                "no control route {} /_sandbox/{} (GET /_sandbox lists them)",
                request.method,
                path.join("/")
            ))),
        }
    }
}

/// `POST /_sandbox/disconnect/{platform}`: the same drop a network failure would cause.
fn disconnect(h: &Handles, platform: &str, body: &Body) -> Answer {
    match platform {
        "discord" => discord::disconnect(h, body),
        "twitch" => {
            let chat = h.twitch.chat();
            let open = chat.connected();
            chat.disconnect_all();
            answer::delivered(open, || "no chat connection is open".to_owned(), json!({}))
        }
        "eventsub" => {
            let sessions = match body.text("session") {
                Some(session) => vec![session],
                None => h.eventsub.sessions(),
            };
            let dropped = sessions
                .iter()
                .filter(|s| h.eventsub.drop_session(s))
                .count();
            answer::delivered(
                dropped,
                || "no EventSub session matched".to_owned(),
                json!({}),
            )
        }
        "singyeong" => {
            let clients = h.singyeong.clients().len();
            h.singyeong.drop_all();
            answer::delivered(
                clients,
                || "no singyeong client is connected".to_owned(),
                json!({}),
            )
        }
        other => Err(not_found(format!(
            "no platform {other:?} (discord, twitch, eventsub, singyeong)"
        ))),
    }
}

/// No `Origin` (the CLI, scripts, any non-browser client), or this server's own: the
/// console. A browser sends its page's origin on a POST and a WebSocket upgrade.
fn same_origin(request: &SandboxRequest) -> bool {
    let Some(origin) = request.header("origin") else {
        return true;
    };
    let host = request.header("host").unwrap_or_default();
    !host.is_empty()
        && origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .is_some_and(|rest| rest.eq_ignore_ascii_case(host))
}

fn cross_origin() -> HttpResponse {
    response::json(
        StatusCode::FORBIDDEN,
        &json!({ "ok": false, "error": "the control API refuses calls from other web pages (their Origin is not this server)" }),
    )
}

impl Platform for Control {
    fn name(&self) -> &'static str {
        "control"
    }

    fn handle(&self, mut request: SandboxRequest) -> ResponseFuture<'_> {
        Box::pin(async move {
            let segments: Vec<String> = request.segments().into_iter().map(str::to_owned).collect();
            let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
            let get = request.method == Method::GET;
            match segments.as_slice() {
                [] if get => crate::console::asset(&[]).unwrap_or_else(response::not_found),
                ["_sandbox", "console", rest @ ..] if get => crate::console::asset(rest)
                    .unwrap_or_else(|| respond(Err(not_found("no such console file")))),
                _ if !same_origin(&request) => cross_origin(),
                ["_sandbox", "feed"] if get => feed::serve(&self.handles.feed, &mut request),
                ["_sandbox", rest @ ..] => respond(self.answer(&request, rest).await),
                _ => respond(Err(not_found("the control API lives under /_sandbox"))),
            }
        })
    }
}
