//! Helix over in-memory state, with Twitch's point budget: every answer carries
//! `Ratelimit-Limit` / `-Remaining` / `-Reset` (epoch seconds) for the caller's client id, and
//! a request over the budget gets 429.
//!
//! Routes: `GET /helix/users`, `GET /helix/streams` (paginated), `GET` / `PATCH
//! /helix/channels`, `GET /helix/games`, `GET /helix/search/channels` (paginated). Callers
//! need `Client-Id` and `Authorization: Bearer <token>` for a token the state knows.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderValue, Method, StatusCode};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::platform::SandboxRequest;
use crate::response::{self, HttpResponse};

/// Helix's default budget: 800 points per minute per client id.
pub const DEFAULT_POINTS_PER_MINUTE: u32 = 800;
const BUDGET_WINDOW: Duration = Duration::from_mins(1);

/// A token the sandbox issued or was told about.
#[derive(Debug, Clone)]
pub(crate) struct TokenRecord {
    pub(crate) client_id: String,
    pub(crate) login: Option<String>,
    pub(crate) user_id: Option<String>,
    pub(crate) scopes: Vec<String>,
    pub(crate) expires_at: Instant,
}

#[derive(Debug)]
struct Budget {
    window_start: Instant,
    used: u32,
}

#[derive(Debug, Default)]
pub(crate) struct HelixInner {
    pub(crate) tokens: HashMap<String, TokenRecord>,
    pub(crate) refresh_tokens: HashMap<String, TokenRecord>,
    pub(crate) clients: HashMap<String, String>,
    pub(crate) issued: u64,
    users: Vec<Value>,
    streams: Vec<Value>,
    channels: HashMap<String, Value>,
    games: Vec<Value>,
    budgets: HashMap<String, Budget>,
    points_per_minute: u32,
    throttled: usize,
    served: usize,
}

/// Helix and OAuth state shared by every request.
#[derive(Debug)]
pub(crate) struct HelixState {
    inner: Mutex<HelixInner>,
    clock: Clock,
}

impl HelixState {
    pub(crate) fn new() -> Self {
        let state = Self {
            inner: Mutex::default(),
            clock: Clock::now(),
        };
        state.lock().points_per_minute = DEFAULT_POINTS_PER_MINUTE;
        state
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, HelixInner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn error(status: StatusCode, text: &str, message: &str) -> HttpResponse {
    response::json(
        status,
        &json!({ "error": text, "status": status.as_u16(), "message": message }),
    )
}

/// The server's wall clock, tied to its monotonic clock once at start. A window's `Reset`
/// must be one fixed epoch for the whole window (clients tell windows apart by it); deriving
/// it from `SystemTime::now()` on every answer would make it wander whenever the monotonic
/// clock is paused (tests) or jumps.
#[derive(Debug, Clone, Copy)]
struct Clock {
    wall: SystemTime,
    at: Instant,
}

impl Clock {
    fn now() -> Self {
        Self {
            wall: SystemTime::now(),
            at: Instant::now(),
        }
    }
}

/// `Reset` for a window ending at `end`: the epoch second at or after it, plus one second.
/// Twitch refills its bucket continuously, so just before `Reset` it is all but full; this
/// sandbox refills at once at `end`, and the extra second keeps a client whose clock runs a
/// little ahead of ours (they always differ a little) from arriving before the refill.
fn epoch_secs_at(clock: Clock, end: Instant) -> u64 {
    let wall = clock.wall + end.saturating_duration_since(clock.at);
    // Round up: a client must not think the window resets before it does.
    wall.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() + u64::from(d.subsec_nanos() > 0) + 1)
}

fn page(items: &[Value], request: &SandboxRequest) -> Value {
    let first = request
        .query_param("first")
        .and_then(|f| f.parse::<usize>().ok())
        .unwrap_or(20)
        .clamp(1, 100);
    let start = request
        .query_param("after")
        .and_then(|a| a.parse::<usize>().ok())
        .unwrap_or(0);
    let end = (start + first).min(items.len());
    let data: Vec<Value> = items.get(start..end).unwrap_or_default().to_vec();
    let pagination = if end < items.len() {
        json!({ "cursor": end.to_string() })
    } else {
        json!({})
    };
    json!({ "data": data, "pagination": pagination })
}

fn query_all<'r>(request: &'r SandboxRequest, name: &str) -> Vec<&'r str> {
    request
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter_map(|pair| {
            pair.split_once('=')
                .filter(|(k, _)| *k == name)
                .map(|(_, v)| v)
        })
        .collect()
}

pub(crate) fn handle(state: &HelixState, request: &SandboxRequest, path: &[&str]) -> HttpResponse {
    let mut inner = state.lock();
    let inner = &mut *inner;
    let token = request
        .header("authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
        .unwrap_or("");
    let client_id = request.header("client-id").unwrap_or("");
    let valid = inner
        .tokens
        .get(token)
        .is_some_and(|t| t.expires_at > Instant::now() && t.client_id == client_id);
    if !valid {
        return error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Invalid OAuth token",
        );
    }
    // The point budget, per client id: a fixed one-minute window from its first request.
    let limit = inner.points_per_minute;
    let now = Instant::now();
    let budget = inner.budgets.entry(client_id.to_owned()).or_insert(Budget {
        window_start: now,
        used: 0,
    });
    if now.duration_since(budget.window_start) >= BUDGET_WINDOW {
        *budget = Budget {
            window_start: now,
            used: 0,
        };
    }
    let reset = epoch_secs_at(state.clock, budget.window_start + BUDGET_WINDOW);
    let over = budget.used >= limit;
    if !over {
        budget.used += 1;
    }
    let remaining = limit - budget.used;
    let mut answer = if over {
        inner.throttled += 1;
        error(
            StatusCode::TOO_MANY_REQUESTS,
            "Too Many Requests",
            "Too Many Requests",
        )
    } else {
        inner.served += 1;
        route(inner, request, path)
    };
    let headers = answer.headers_mut();
    headers.insert("ratelimit-limit", HeaderValue::from(limit));
    headers.insert("ratelimit-remaining", HeaderValue::from(remaining));
    headers.insert("ratelimit-reset", HeaderValue::from(reset));
    answer
}

fn route(inner: &mut HelixInner, request: &SandboxRequest, path: &[&str]) -> HttpResponse {
    match (&request.method, path) {
        (&Method::GET, ["users"]) => {
            let ids = query_all(request, "id");
            let logins = query_all(request, "login");
            let data: Vec<Value> = inner
                .users
                .iter()
                .filter(|u| {
                    ids.iter().any(|id| u["id"] == *id)
                        || logins.iter().any(|login| u["login"] == *login)
                })
                .cloned()
                .collect();
            response::json(StatusCode::OK, &json!({ "data": data }))
        }
        (&Method::GET, ["streams"]) => {
            let logins = query_all(request, "user_login");
            let matching: Vec<Value> = inner
                .streams
                .iter()
                .filter(|s| logins.is_empty() || logins.iter().any(|l| s["user_login"] == *l))
                .cloned()
                .collect();
            response::json(StatusCode::OK, &page(&matching, request))
        }
        (&Method::GET, ["search", "channels"]) => {
            let query = request.query_param("query").unwrap_or("").to_lowercase();
            let matching: Vec<Value> = inner
                .users
                .iter()
                .filter(|u| u["login"].as_str().is_some_and(|l| l.contains(&query)))
                .map(|u| json!({ "id": u["id"], "broadcaster_login": u["login"], "display_name": u["display_name"], "is_live": false, "title": "" }))
                .collect();
            response::json(StatusCode::OK, &page(&matching, request))
        }
        (&Method::GET, ["channels"]) => {
            let data: Vec<Value> = query_all(request, "broadcaster_id")
                .iter()
                .filter_map(|id| inner.channels.get(*id).cloned())
                .collect();
            response::json(StatusCode::OK, &json!({ "data": data }))
        }
        (&Method::PATCH, ["channels"]) => {
            let id = request
                .query_param("broadcaster_id")
                .unwrap_or("")
                .to_owned();
            let Ok(Value::Object(changes)) = serde_json::from_slice::<Value>(&request.body) else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "Bad Request",
                    "body must be a JSON object",
                );
            };
            let Some(Value::Object(channel)) = inner.channels.get_mut(&id) else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "Bad Request",
                    "unknown broadcaster_id",
                );
            };
            for (key, value) in changes {
                channel.insert(key, value);
            }
            response::empty(StatusCode::NO_CONTENT)
        }
        (&Method::GET, ["games"]) => {
            let ids = query_all(request, "id");
            let data: Vec<Value> = inner
                .games
                .iter()
                .filter(|g| ids.iter().any(|id| g["id"] == *id))
                .cloned()
                .collect();
            response::json(StatusCode::OK, &json!({ "data": data }))
        }
        _ => error(
            StatusCode::NOT_FOUND,
            "Not Found",
            "route not in the sandbox",
        ),
    }
}

/// Steers Helix and OAuth from tests and demos.
#[derive(Debug, Clone)]
pub struct HelixControl {
    state: std::sync::Arc<HelixState>,
}

impl HelixControl {
    pub(crate) fn new(state: std::sync::Arc<HelixState>) -> Self {
        Self { state }
    }

    /// Registers an app (for the client-credentials and refresh grants).
    pub fn add_client(&self, client_id: &str, client_secret: &str) {
        self.state
            .lock()
            .clients
            .insert(client_id.to_owned(), client_secret.to_owned());
    }

    /// Registers a user token that expires in `expires_in`, with an optional refresh token.
    pub fn add_user_token(
        &self,
        token: &str,
        client_id: &str,
        login: &str,
        user_id: &str,
        expires_in: Duration,
        refresh_token: Option<&str>,
    ) {
        let record = TokenRecord {
            client_id: client_id.to_owned(),
            login: Some(login.to_owned()),
            user_id: Some(user_id.to_owned()),
            scopes: vec!["chat:read".into(), "chat:edit".into()],
            expires_at: Instant::now() + expires_in,
        };
        let mut inner = self.state.lock();
        if let Some(refresh) = refresh_token {
            inner
                .refresh_tokens
                .insert(refresh.to_owned(), record.clone());
        }
        inner.tokens.insert(token.to_owned(), record);
    }

    /// Adds a user with a channel (and `GET /users`, `/channels`, `/search/channels` find it).
    pub fn add_user(&self, id: &str, login: &str) {
        let mut inner = self.state.lock();
        inner.users.push(json!({
            "id": id, "login": login, "display_name": login, "type": "", "broadcaster_type": "",
            "description": "", "profile_image_url": "", "offline_image_url": "", "created_at": "2020-01-01T00:00:00Z",
        }));
        inner.channels.insert(id.to_owned(), json!({
            "broadcaster_id": id, "broadcaster_login": login, "broadcaster_name": login, "broadcaster_language": "en",
            "game_id": "509658", "game_name": "Just Chatting", "title": "", "delay": 0, "tags": [],
        }));
    }

    /// Adds `count` live streams (`stream0`, `stream1`, …), most viewers first.
    pub fn add_streams(&self, count: usize) {
        let mut inner = self.state.lock();
        let start = inner.streams.len();
        for n in start..start + count {
            inner.streams.push(json!({
                "id": format!("{}", 40_000_000 + n), "user_id": format!("{}", 1000 + n), "user_login": format!("stream{n}"),
                "user_name": format!("Stream{n}"), "game_id": "509658", "game_name": "Just Chatting", "type": "live",
                "title": format!("stream number {n}"), "viewer_count": 100_000 - n, "started_at": "2024-01-01T00:00:00Z",
                "language": "en", "tags": [], "is_mature": false,
            }));
        }
    }

    /// Adds a game.
    pub fn add_game(&self, id: &str, name: &str) {
        self.state
            .lock()
            .games
            .push(json!({ "id": id, "name": name, "box_art_url": "", "igdb_id": "" }));
    }

    /// Sets the point budget per minute (default 800).
    pub fn set_points_per_minute(&self, points: u32) {
        self.state.lock().points_per_minute = points.max(1);
    }

    /// Requests answered 429.
    pub fn throttled(&self) -> usize {
        self.state.lock().throttled
    }

    /// Requests served within the budget.
    pub fn served(&self) -> usize {
        self.state.lock().served
    }

    /// Whether `token` is currently valid.
    pub fn is_valid(&self, token: &str) -> bool {
        self.state
            .lock()
            .tokens
            .get(token)
            .is_some_and(|t| t.expires_at > Instant::now())
    }
}
