//! singyeong: a small compatible mesh server (gateway, metadata, queries, queues, HTTP proxy).
//!
//! Speaks the JSON encoding of the protocol in queer/singyeong's PROTOCOL.md and API.md:
//! - `GET /gateway/websocket?encoding=json`: HELLO, IDENTIFY (password check; clients
//!   without a password are restricted), READY `{client_id, restricted}`, HEARTBEAT/ACK (a
//!   client silent for 1.5 intervals is dropped), INVALID / ERROR, GOODBYE (from the control
//!   handle), and dispatches `UPDATE_METADATA`, `SEND`, `BROADCAST`, `QUERY_NODES`, `QUEUE`,
//!   `QUEUE_REQUEST`, `QUEUE_REQUEST_CANCEL`, `QUEUE_ACK`; `CLIENT_CONNECTED` /
//!   `CLIENT_DISCONNECTED` go to clients that asked with `receive_client_updates`.
//! - `POST /api/v1/query`, `POST /api/v1/proxy` (authorised by the password in
//!   `Authorization`), `GET /api/version`.
//!
//! One documented choice: a *wrong* password is refused with op 3 INVALID by default
//! ([`BadAuth::Reject`]); the real server restricts such clients instead
//! ([`BadAuth::Restrict`]).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), sandbox::Error> {
//! use sandbox::singyeong::{Singyeong, SingyeongConfig};
//!
//! let mesh = Singyeong::new(SingyeongConfig::default().password("hunter2"));
//! let control = mesh.control();
//! let server = sandbox::Server::builder().serve(mesh).await?;
//! println!("DSN: singyeong://my-app:hunter2@{}", server.addr());
//! assert_eq!(control.clients().len(), 0);
//! # Ok(())
//! # }
//! ```

mod gateway;
mod metadata;
pub mod query;
mod queue;
mod rest;
mod state;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use parking_lot::{Mutex, MutexGuard};
use serde_json::{Map, Value};
use tokio::sync::broadcast;

pub use queue::QueueStats;
use state::State;

use crate::platform::{Platform, ResponseFuture};

/// What a wrong password gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BadAuth {
    /// Op 3 INVALID, then the socket closes (the sandbox default).
    #[default]
    Reject,
    /// Restricted mode, as the real server does.
    Restrict,
}

/// Server settings.
#[derive(Clone)]
#[must_use]
pub struct SingyeongConfig {
    password: Option<String>,
    bad_auth: BadAuth,
    heartbeat_interval: Duration,
    queue_ack_timeout: Duration,
    dead_letter_retry: Duration,
}

impl std::fmt::Debug for SingyeongConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SingyeongConfig")
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("bad_auth", &self.bad_auth)
            .field("heartbeat_interval", &self.heartbeat_interval)
            .field("queue_ack_timeout", &self.queue_ack_timeout)
            .field("dead_letter_retry", &self.dead_letter_retry)
            .finish()
    }
}

impl Default for SingyeongConfig {
    /// No password, 45 s heartbeats, 15 s ack timeout, dead letters retried after 5 s.
    fn default() -> Self {
        Self {
            password: None,
            bad_auth: BadAuth::Reject,
            heartbeat_interval: Duration::from_secs(45),
            queue_ack_timeout: Duration::from_secs(15),
            dead_letter_retry: Duration::from_secs(5),
        }
    }
}

impl SingyeongConfig {
    /// Require this password (`auth` in IDENTIFY, `Authorization` on the REST API).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// What a wrong password gets.
    pub fn bad_auth(mut self, bad_auth: BadAuth) -> Self {
        self.bad_auth = bad_auth;
        self
    }

    /// The interval announced in HELLO.
    pub fn heartbeat_interval(mut self, interval: Duration) -> Self {
        self.heartbeat_interval = interval.max(Duration::from_millis(10));
        self
    }

    /// How long a delivered queue message waits for its ack before redelivery.
    pub fn queue_ack_timeout(mut self, timeout: Duration) -> Self {
        self.queue_ack_timeout = timeout.max(Duration::from_millis(10));
        self
    }
}

#[derive(Debug, Clone)]
enum SocketCommand {
    Goodbye {
        target: Option<(String, String)>,
        reason: String,
    },
    Drop,
}

struct Shared {
    config: SingyeongConfig,
    state: Mutex<State>,
    commands: broadcast::Sender<SocketCommand>,
    proxy_client: HyperClient<HttpConnector, Full<Bytes>>,
    accepted: AtomicU64,
    gc_started: AtomicBool,
    ack_heartbeats: AtomicBool,
    chaos: crate::chaos::ChaosSwitch,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock()
    }
}

/// The singyeong platform. Keep a [`SingyeongControl`] from [`control`](Self::control).
#[derive(Clone)]
pub struct Singyeong {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Singyeong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Singyeong")
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

impl Default for Singyeong {
    fn default() -> Self {
        Self::new(SingyeongConfig::default())
    }
}

impl Singyeong {
    /// A server with `config`.
    pub fn new(config: SingyeongConfig) -> Self {
        let (commands, _) = broadcast::channel(64);
        Self {
            shared: Arc::new(Shared {
                config,
                state: Mutex::new(State::default()),
                commands,
                proxy_client: HyperClient::builder(TokioExecutor::new()).build_http(),
                accepted: AtomicU64::new(0),
                gc_started: AtomicBool::new(false),
                ack_heartbeats: AtomicBool::new(true),
                chaos: crate::chaos::ChaosSwitch::default(),
            }),
        }
    }

    /// The control handle.
    pub fn control(&self) -> SingyeongControl {
        SingyeongControl {
            shared: Arc::clone(&self.shared),
        }
    }
}

/// A connected client as the control handle shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientSnapshot {
    /// Application id.
    pub app_id: String,
    /// Client id.
    pub client_id: String,
    /// Restricted mode.
    pub restricted: bool,
    /// Metadata, bare values (server keys included).
    pub metadata: Map<String, Value>,
}

/// Steers the singyeong sandbox from tests and demos.
#[derive(Clone)]
pub struct SingyeongControl {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for SingyeongControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SingyeongControl").finish_non_exhaustive()
    }
}

impl SingyeongControl {
    /// Identified clients, in (app, client id) order.
    pub fn clients(&self) -> Vec<ClientSnapshot> {
        self.shared
            .lock()
            .clients
            .values()
            .map(|c| ClientSnapshot {
                app_id: c.record.app_id.clone(),
                client_id: c.record.client_id.clone(),
                restricted: c.record.restricted,
                metadata: c.record.metadata.clone(),
            })
            .collect()
    }

    /// One client's metadata.
    pub fn metadata(&self, app_id: &str, client_id: &str) -> Option<Map<String, Value>> {
        self.shared
            .lock()
            .clients
            .get(&(app_id.to_owned(), client_id.to_owned()))
            .map(|c| c.record.metadata.clone())
    }

    /// Sends GOODBYE to every client (they should reconnect) and closes their sockets.
    pub fn goodbye_all(&self, reason: &str) {
        let _ = self.shared.commands.send(SocketCommand::Goodbye {
            target: None,
            reason: reason.to_owned(),
        });
    }

    /// Sends GOODBYE to one client.
    pub fn goodbye(&self, app_id: &str, client_id: &str, reason: &str) {
        let target = Some((app_id.to_owned(), client_id.to_owned()));
        let _ = self.shared.commands.send(SocketCommand::Goodbye {
            target,
            reason: reason.to_owned(),
        });
    }

    /// Drops every socket without a close frame, like a network failure.
    pub fn drop_all(&self) {
        let _ = self.shared.commands.send(SocketCommand::Drop);
    }

    /// The chaos switch (see [`crate::chaos::Chaos`]): on the gateway, number chaos and
    /// tiny intervals in HELLO's `heartbeat_interval`, never-ack, drop-mid-handshake (the
    /// socket closes after IDENTIFY, unanswered); on the REST API, the HTTP behaviours.
    pub fn chaos(&self) -> crate::chaos::ChaosSwitch {
        self.shared.chaos.clone()
    }

    /// Stops (or resumes) answering heartbeats, so clients see a zombie connection.
    pub fn ack_heartbeats(&self, ack: bool) {
        self.shared.ack_heartbeats.store(ack, Ordering::SeqCst);
    }

    /// Sends `payload` to the clients `target` selects, as a SEND (one of them) or a
    /// BROADCAST (all) dispatch from the server; `target` is a singyeong query
    /// (`{"application": "app", "ops": []}`). Returns how many clients got it.
    pub fn send(&self, target: &Value, payload: &Value, broadcast: bool) -> Result<usize, String> {
        let query = query::Query::parse(target).map_err(|e| e.to_string())?;
        let kind = if broadcast { "BROADCAST" } else { "SEND" };
        self.shared
            .lock()
            .route(&query, &Value::Null, payload, broadcast, kind)
            .map_err(|reason| format!("{reason}: no client matches the query"))
    }

    /// Sends `payload` to one client as a SEND dispatch; `false` if it is not connected.
    pub fn send_to_client(&self, app_id: &str, client_id: &str, payload: &Value) -> bool {
        let mut state = self.shared.lock();
        let text = state::packet(
            state::op::DISPATCH,
            Some("SEND"),
            &serde_json::json!({ "nonce": null, "payload": payload }),
        );
        let sent = state
            .clients
            .get(&(app_id.to_owned(), client_id.to_owned()))
            .is_some_and(|c| c.outbox.send(state::Outgoing::Text(text)).is_ok());
        if sent {
            state.routed += 1;
        }
        sent
    }

    /// Messages delivered by SEND/BROADCAST so far (one per receiving client).
    pub fn routed(&self) -> u64 {
        self.shared.lock().routed
    }

    /// Successful identifies so far.
    pub fn identifies(&self) -> u64 {
        self.shared.lock().identifies
    }

    /// WebSocket connections accepted so far.
    pub fn accepted(&self) -> u64 {
        self.shared.accepted.load(Ordering::SeqCst)
    }

    /// A queue's counts (all zero for an unknown queue).
    pub fn queue_stats(&self, queue: &str) -> QueueStats {
        self.shared
            .lock()
            .queues
            .get(queue)
            .map(queue::Queue::stats)
            .unwrap_or_default()
    }

    /// Treats every unacked message of `queue` as timed out now: they are redelivered to
    /// the next waiting client (deterministic tests without waiting for the ack timeout).
    pub fn expire_unacked(&self, queue: &str) {
        let config = &self.shared.config;
        let mut state = self.shared.lock();
        if let Some(entry) = state.queues.get_mut(queue) {
            entry.expire(
                tokio::time::Instant::now(),
                config.queue_ack_timeout,
                config.dead_letter_retry,
                true,
            );
        }
        state.deliver(queue);
    }
}

/// Moves timed-out deliveries and old dead letters back into their queues, until the
/// platform is dropped.
async fn queue_gc(shared: Weak<Shared>, period: Duration) {
    let mut ticker = tokio::time::interval(period);
    loop {
        ticker.tick().await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let now = tokio::time::Instant::now();
        let mut state = shared.lock();
        let names: Vec<String> = state.queues.keys().cloned().collect();
        for name in names {
            if let Some(queue) = state.queues.get_mut(&name) {
                queue.expire(
                    now,
                    shared.config.queue_ack_timeout,
                    shared.config.dead_letter_retry,
                    false,
                );
            }
            state.deliver(&name);
        }
    }
}

impl Platform for Singyeong {
    fn name(&self) -> &'static str {
        "singyeong"
    }

    fn handle(&self, mut request: crate::platform::SandboxRequest) -> ResponseFuture<'_> {
        Box::pin(async move {
            let segments = request.segments();
            match (request.method.clone(), segments.as_slice()) {
                (http::Method::GET, ["gateway", "websocket"]) => {
                    if !self.shared.gc_started.swap(true, Ordering::SeqCst) {
                        let period = self
                            .shared
                            .config
                            .queue_ack_timeout
                            .min(self.shared.config.dead_letter_retry)
                            / 2;
                        tokio::spawn(queue_gc(Arc::downgrade(&self.shared), period));
                    }
                    let encoding = request.query_param("encoding").unwrap_or("json").to_owned();
                    let shared = Arc::clone(&self.shared);
                    let remote = request.remote;
                    crate::ws::accept(&mut request, None, move |socket| {
                        gateway::run(shared, socket, remote, encoding)
                    })
                }
                (http::Method::GET, ["api", "version"]) => rest::version(),
                (http::Method::POST, ["api", "v1", "query"]) => {
                    if rest::authorized(&self.shared, &request) {
                        rest::query(&self.shared, &request)
                    } else {
                        rest::unauthorized()
                    }
                }
                (http::Method::POST, ["api", "v1", "proxy"]) => {
                    if rest::authorized(&self.shared, &request) {
                        rest::proxy(Arc::clone(&self.shared), request).await
                    } else {
                        rest::unauthorized()
                    }
                }
                _ => rest::not_found(),
            }
        })
    }

    fn http_chaos(&self, path: &str) -> Option<crate::chaos::ChaosSwitch> {
        path.starts_with("/api/").then(|| self.shared.chaos.clone())
    }
}
