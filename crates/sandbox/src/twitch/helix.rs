//! Helix over in-memory state, with Twitch's point budget: every answer carries
//! `Ratelimit-Limit` / `-Remaining` / `-Reset` (epoch seconds) for the caller's client id, and
//! a request over the budget gets 429. Errors have Helix's shape `{error, status, message}`.
//!
//! Callers need `Client-Id` and `Authorization: Bearer <token>` for a token the state knows.
//! This file holds the token check, the budget, paging (`first` / `after` cursors, `total`
//! where Twitch reports it) and the checks Twitch makes: user-token-only endpoints refuse app
//! tokens with 401, a missing scope is 401 `Missing scope: …`, a `broadcaster_id` or
//! `moderator_id` that is not the token's user is 401, a moderator who does not moderate the
//! channel is 403. The routes live in one module per resource: `catalog` (users, streams,
//! channels, games, search), `channels` (followers, followed), `chat` (chatters, settings,
//! badges, emotes, colors), `community` (cheermotes, teams), `media` (clips, videos),
//! `moderation` (bans and timeouts, moderators, VIPs, blocked terms), `polls` (polls and
//! predictions), `subscriptions` (subscribers). [`HelixControl`] seeds the state (users,
//! follows, videos, chatters, teams, scopes, going live; `seed` does it from a world) and
//! reads counters.

mod catalog;
mod channels;
mod chat;
mod community;
mod media;
mod moderation;
mod polls;
mod saved;
mod seed;
mod subscriptions;

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderValue, StatusCode};
use parking_lot::{Mutex, MutexGuard};
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
    follows: channels::Follows,
    chat: chat::Chat,
    media: media::Media,
    moderation: moderation::Moderation,
    polls: polls::Polls,
    subscriptions: subscriptions::Subscriptions,
    teams: community::Teams,
    next_id: u64,
    budgets: HashMap<String, Budget>,
    points_per_minute: u32,
    throttled: usize,
    served: usize,
}

impl HelixInner {
    /// A fresh numeric id for anything the sandbox creates.
    fn new_id(&mut self) -> String {
        self.next_id += 1;
        format!("{}", 900_000_000 + self.next_id)
    }

    /// A user by id.
    fn user(&self, id: &str) -> Option<&Value> {
        self.users.iter().find(|u| u["id"] == id)
    }

    /// A user by login.
    pub(crate) fn user_by_login(&self, login: &str) -> Option<&Value> {
        self.users.iter().find(|u| u["login"] == login)
    }

    /// `{prefix}_id`, `{prefix}_login`, `{prefix}_name` for user `id` (empty names if unknown).
    fn user_fields(&self, prefix: &str, id: &str) -> serde_json::Map<String, Value> {
        let user = self.user(id);
        let login = user.map_or(Value::from(""), |u| u["login"].clone());
        let name = user.map_or(Value::from(""), |u| u["display_name"].clone());
        let mut fields = serde_json::Map::new();
        fields.insert(format!("{prefix}_id"), json!(id));
        fields.insert(format!("{prefix}_login"), login);
        fields.insert(format!("{prefix}_name"), name);
        fields
    }

    /// Whether `user_id` may moderate `broadcaster_id`'s channel.
    fn moderates(&self, broadcaster_id: &str, user_id: &str) -> bool {
        broadcaster_id == user_id || self.moderation.is_moderator(broadcaster_id, user_id)
    }

    /// Whether `broadcaster_id` is live.
    fn is_live(&self, broadcaster_id: &str) -> bool {
        self.streams.iter().any(|s| s["user_id"] == broadcaster_id)
    }
}

/// Helix and OAuth state shared by every request.
#[derive(Debug)]
pub(crate) struct HelixState {
    inner: Mutex<HelixInner>,
    clock: Clock,
    pub(crate) chaos: crate::chaos::ChaosSwitch,
}

impl HelixState {
    pub(crate) fn new() -> Self {
        let state = Self {
            inner: Mutex::default(),
            clock: Clock::now(),
            chaos: crate::chaos::ChaosSwitch::default(),
        };
        state.lock().points_per_minute = DEFAULT_POINTS_PER_MINUTE;
        state
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, HelixInner> {
        self.inner.lock()
    }
}

/// A Helix error answer: `{"error": "<reason phrase>", "status": n, "message": "…"}`.
fn error(status: StatusCode, message: &str) -> HttpResponse {
    response::json(
        status,
        &json!({
            "error": status.canonical_reason().unwrap_or("Error"),
            "status": status.as_u16(),
            "message": message,
        }),
    )
}

/// An error answer a handler gives up with (small, so `Result`s stay cheap).
#[derive(Debug)]
pub(super) struct Refusal {
    status: StatusCode,
    message: String,
}

impl Refusal {
    fn into_response(self) -> HttpResponse {
        error(self.status, &self.message)
    }
}

/// Refuses with `status` and `message`.
fn refuse(status: StatusCode, message: &str) -> Refusal {
    Refusal {
        status,
        message: message.to_owned(),
    }
}

/// 400 with `message`.
fn bad_request(message: &str) -> Refusal {
    refuse(StatusCode::BAD_REQUEST, message)
}

/// `{"data": data}` with 200.
fn ok(data: &Value) -> HttpResponse {
    response::json(StatusCode::OK, &json!({ "data": data }))
}

/// What a handler answers: `Err` is an error answer, so handlers can use `?`.
type Answer = Result<HttpResponse, Refusal>;

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

    /// Wall time at the monotonic instant `at`.
    fn wall_at(self, at: Instant) -> SystemTime {
        if at >= self.at {
            self.wall + at.duration_since(self.at)
        } else {
            self.wall - self.at.duration_since(at)
        }
    }

    /// `at` as RFC 3339 (`2024-01-01T12:00:00Z`), the form Helix timestamps take.
    fn rfc3339(self, at: Instant) -> String {
        crate::timestamp::rfc3339(self.wall_at(at), false)
    }
}

/// `Reset` for a window ending at `end`: the epoch second at or after it, plus one second.
/// Twitch refills its bucket continuously, so just before `Reset` it is all but full; this
/// sandbox refills at once at `end`, and the extra second keeps a client whose clock runs a
/// little ahead of ours (they always differ a little) from arriving before the refill.
fn epoch_secs_at(clock: Clock, end: Instant) -> u64 {
    let wall = clock.wall_at(end);
    // Round up: a client must not think the window resets before it does.
    wall.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() + u64::from(d.subsec_nanos() > 0) + 1)
}

/// One authenticated request: who is asking (the token's user, if a user token) and with
/// which scopes.
pub(super) struct Call<'r> {
    request: &'r SandboxRequest,
    user_id: Option<String>,
    scopes: Vec<String>,
    clock: Clock,
}

impl Call<'_> {
    /// A query parameter, percent-decoded.
    fn param(&self, name: &str) -> Option<String> {
        self.params(name).into_iter().next()
    }

    /// Every value of a repeated query parameter, percent-decoded.
    fn params(&self, name: &str) -> Vec<String> {
        let query = self.request.uri.query().unwrap_or("");
        form_urlencoded::parse(query.as_bytes())
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
            .collect()
    }

    /// A query parameter the route requires (400 if absent or empty).
    fn required(&self, name: &str) -> Result<String, Refusal> {
        self.param(name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| bad_request(&format!("Missing required parameter \"{name}\"")))
    }

    /// The token's user; app tokens get 401 as on Twitch.
    fn user(&self) -> Result<&str, Refusal> {
        self.user_id
            .as_deref()
            .ok_or_else(|| refuse(StatusCode::UNAUTHORIZED, "Missing User OAUTH Token"))
    }

    /// The token's user, if the token holds one of `scopes` (401 otherwise).
    fn user_with(&self, scopes: &[&str]) -> Result<String, Refusal> {
        let user = self.user()?.to_owned();
        if scopes
            .iter()
            .any(|s| self.scopes.iter().any(|have| have == s))
        {
            Ok(user)
        } else {
            Err(refuse(
                StatusCode::UNAUTHORIZED,
                &format!("Missing scope: {}", scopes.join(" or ")),
            ))
        }
    }

    /// The token's user, who must be `broadcaster_id` and hold one of `scopes`.
    fn broadcaster(&self, broadcaster_id: &str, scopes: &[&str]) -> Result<String, Refusal> {
        let user = self.user_with(scopes)?;
        if user == broadcaster_id {
            Ok(user)
        } else {
            Err(refuse(
                StatusCode::UNAUTHORIZED,
                "The ID in broadcaster_id must match the user ID found in the request's OAuth token.",
            ))
        }
    }

    /// The token's user, who must be the `user_id` asked about and hold one of `scopes`.
    fn same_user(&self, user_id: &str, scopes: &[&str]) -> Result<String, Refusal> {
        let user = self.user_with(scopes)?;
        if user == user_id {
            Ok(user)
        } else {
            Err(refuse(
                StatusCode::UNAUTHORIZED,
                "The ID in user_id must match the user ID found in the request's OAuth token.",
            ))
        }
    }

    /// `broadcaster_id` and `moderator_id` from the query: the token's user must be the
    /// moderator (401) and moderate the channel (403), with one of `scopes`.
    fn moderator(&self, inner: &HelixInner, scopes: &[&str]) -> Result<(String, String), Refusal> {
        let broadcaster_id = self.required("broadcaster_id")?;
        let moderator_id = self.required("moderator_id")?;
        let user = self.user_with(scopes)?;
        if user != moderator_id {
            return Err(refuse(
                StatusCode::UNAUTHORIZED,
                "The ID in moderator_id must match the user ID found in the request's OAuth token.",
            ));
        }
        if !inner.moderates(&broadcaster_id, &moderator_id) {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "The user in moderator_id is not one of the broadcaster's moderators.",
            ));
        }
        Ok((broadcaster_id, moderator_id))
    }

    /// The JSON body (400 if it is not JSON).
    fn body(&self) -> Result<Value, Refusal> {
        serde_json::from_slice(&self.request.body)
            .map_err(|_| bad_request("The request body is not valid JSON."))
    }

    /// Now, or `after` from now, as RFC 3339.
    fn timestamp(&self, after: Duration) -> String {
        self.clock.rfc3339(Instant::now() + after)
    }

    /// `age` ago as RFC 3339.
    fn timestamp_ago(&self, age: Duration) -> String {
        let wall = self.clock.wall_at(Instant::now());
        crate::timestamp::rfc3339(wall.checked_sub(age).unwrap_or(UNIX_EPOCH), false)
    }

    /// One page of `items` (`first`, default 20, at most `max_first`; `after` is the
    /// offset cursor), with `total` when asked.
    fn page(&self, items: &[Value], max_first: usize, total: bool) -> HttpResponse {
        response::json(StatusCode::OK, &self.page_body(items, max_first, total))
    }

    /// [`page`](Self::page)'s body, for routes that add to it.
    fn page_body(&self, items: &[Value], max_first: usize, total: bool) -> Value {
        let first = self
            .param("first")
            .and_then(|f| f.parse::<usize>().ok())
            .unwrap_or(20)
            .clamp(1, max_first);
        let start = self
            .param("after")
            .and_then(|a| a.parse::<usize>().ok())
            .unwrap_or(0);
        let end = (start + first).min(items.len());
        let data: Vec<Value> = items.get(start..end).unwrap_or_default().to_vec();
        let pagination = if end < items.len() {
            json!({ "cursor": end.to_string() })
        } else {
            json!({})
        };
        let mut body = json!({ "data": data, "pagination": pagination });
        if total {
            body["total"] = json!(items.len());
        }
        body
    }
}

pub(crate) fn handle(state: &HelixState, request: &SandboxRequest, path: &[&str]) -> HttpResponse {
    let mut inner = state.lock();
    let inner = &mut *inner;
    let token = request
        .header("authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
        .unwrap_or("");
    let client_id = request.header("client-id").unwrap_or("");
    let Some(record) = inner
        .tokens
        .get(token)
        .filter(|t| t.expires_at > Instant::now() && t.client_id == client_id)
    else {
        return error(StatusCode::UNAUTHORIZED, "Invalid OAuth token");
    };
    let call = Call {
        request,
        user_id: record.user_id.clone(),
        scopes: record.scopes.clone(),
        clock: state.clock,
    };
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
        error(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests")
    } else {
        inner.served += 1;
        route(inner, &call, path).unwrap_or_else(Refusal::into_response)
    };
    let headers = answer.headers_mut();
    headers.insert("ratelimit-limit", HeaderValue::from(limit));
    headers.insert("ratelimit-remaining", HeaderValue::from(remaining));
    headers.insert("ratelimit-reset", HeaderValue::from(reset));
    answer
}

fn route(inner: &mut HelixInner, call: &Call<'_>, path: &[&str]) -> Answer {
    let method = &call.request.method;
    catalog::route(inner, call, method, path)
        .or_else(|| channels::route(inner, call, method, path))
        .or_else(|| chat::route(inner, call, method, path))
        .or_else(|| community::route(inner, call, method, path))
        .or_else(|| media::route(inner, call, method, path))
        .or_else(|| moderation::route(inner, call, method, path))
        .or_else(|| polls::route(inner, call, method, path))
        .or_else(|| subscriptions::route(inner, call, method, path))
        .unwrap_or_else(|| Err(refuse(StatusCode::NOT_FOUND, "route not in the sandbox")))
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

    /// The chaos switch (see [`crate::chaos::Chaos`]) of every Helix and OAuth answer
    /// (`/helix/…`, `/oauth2/…`): number, wrong-type and body behaviours.
    pub fn chaos(&self) -> crate::chaos::ChaosSwitch {
        self.state.chaos.clone()
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

    /// Grants `scopes` to `token` (and to its refresh token, so renewed tokens keep them).
    pub fn grant_scopes(&self, token: &str, scopes: &[&str]) {
        let mut inner = self.state.lock();
        let Some(record) = inner.tokens.get_mut(token) else {
            return;
        };
        record.scopes.extend(scopes.iter().map(|s| (*s).to_owned()));
        let (client_id, user_id) = (record.client_id.clone(), record.user_id.clone());
        for refresh in inner.refresh_tokens.values_mut() {
            if refresh.client_id == client_id && refresh.user_id == user_id {
                refresh
                    .scopes
                    .extend(scopes.iter().map(|s| (*s).to_owned()));
            }
        }
    }

    /// `user_id` (added with [`add_user`](Self::add_user)) goes live: `GET /streams` lists
    /// it first and clips can be made of it.
    pub fn go_live(&self, user_id: &str) {
        let mut inner = self.state.lock();
        let Some(user) = inner.user(user_id).cloned() else {
            return;
        };
        let channel = inner.channels.get(user_id).cloned().unwrap_or_default();
        let id = inner.new_id();
        inner.streams.insert(
            0,
            json!({
                "id": id, "user_id": user_id, "user_login": user["login"],
                "user_name": user["display_name"], "game_id": channel["game_id"],
                "game_name": channel["game_name"], "type": "live", "title": channel["title"],
                "viewer_count": 1, "started_at": crate::timestamp::rfc3339(SystemTime::now(), false),
                "language": "en", "thumbnail_url": "", "tag_ids": [], "tags": [], "is_mature": false,
            }),
        );
    }

    /// `user_id`'s stream ends: `GET /streams` no longer lists it. `false` if it was not live.
    pub fn go_offline(&self, user_id: &str) -> bool {
        let mut inner = self.state.lock();
        let before = inner.streams.len();
        inner.streams.retain(|s| s["user_id"] != user_id);
        inner.streams.len() < before
    }

    /// Whether `user_id` is live.
    pub fn is_live(&self, user_id: &str) -> bool {
        self.state.lock().is_live(user_id)
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
        self.add_game_with_igdb(id, name, "");
    }

    /// Adds a game with its IGDB id.
    pub fn add_game_with_igdb(&self, id: &str, name: &str, igdb_id: &str) {
        self.state
            .lock()
            .games
            .push(json!({ "id": id, "name": name, "box_art_url": "", "igdb_id": igdb_id }));
    }

    /// Sets the point budget per minute (default 800).
    pub fn set_points_per_minute(&self, points: u32) {
        self.state.lock().points_per_minute = points.max(1);
    }

    /// Each client id's point budget in its current window: `(client id, used, limit,
    /// seconds until it refills)`.
    pub fn budgets(&self) -> Vec<(String, u32, u32, u64)> {
        let inner = self.state.lock();
        let now = Instant::now();
        let mut budgets: Vec<(String, u32, u32, u64)> = inner
            .budgets
            .iter()
            .filter_map(|(client, budget)| {
                let left = BUDGET_WINDOW.checked_sub(now.duration_since(budget.window_start))?;
                Some((
                    client.clone(),
                    budget.used,
                    inner.points_per_minute,
                    left.as_secs(),
                ))
            })
            .collect();
        budgets.sort();
        budgets
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
