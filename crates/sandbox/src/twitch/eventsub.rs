//! Twitch EventSub: one [`Platform`](crate::Platform) serving the WebSocket at `/ws` and
//! the REST endpoints `/eventsub/subscriptions`, `/eventsub/conduits` and
//! `/eventsub/conduits/shards` over in-memory state (the Twitch CLI mock layout, so a
//! client's `mock_url` works unchanged).
//!
//! The socket side: `session_welcome` on connect (`?keepalive_timeout_seconds=10..600`),
//! `session_keepalive` after every idle keepalive window, a 10 s subscribe window (a
//! session with no subscription and no conduit shard is closed with 4003), close 4001 when
//! a client sends a message, `session_reconnect` to `/ws?reconnect=<session>` (the new
//! socket is welcomed with the same session id and takes over delivery; the old socket
//! stays open until the client closes it; an unknown session gets 4007; a client that does
//! not connect to the reconnect URL within 30 s is closed with 4004), pings answered late
//! closed with 4002, `revocation` messages. Conduit shards whose session ended show
//! `websocket_disconnected` until reassigned, or the status Twitch gives the close that
//! ended it (`websocket_failed_ping_pong` after 4002, `websocket_received_inbound_traffic`
//! after 4001, `websocket_failed_to_reconnect` after 4004, `websocket_internal_error`,
//! `websocket_network_timeout`, `websocket_network_error` after 4000/4005/4006). All timing runs on tokio time, so tests can
//! pause and advance the clock.
//!
//! **Delivery after a drop.** Real Twitch disables a WebSocket's subscriptions when the
//! socket goes away and never replays. To let tests count deliveries across drops, this
//! sandbox by default *holds* notifications aimed at a subscription whose session is gone
//! (or silenced) and hands them to the next subscription created with the same type,
//! version and condition. [`EventSubConfig::hold_while_disconnected`] switches that off for
//! Twitch's exact behaviour.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), sandbox::Error> {
//! use sandbox::twitch::eventsub::EventSub;
//!
//! let eventsub = EventSub::new();
//! let control = eventsub.control();
//! let server = sandbox::Server::builder().serve(eventsub).await?;
//! println!("EventSub at {} (REST at {})", server.ws_url("/ws"), server.base_url());
//! assert_eq!(control.sessions().len(), 0);
//! assert_eq!(control.notify("stream.online"), 0); // nobody subscribed yet
//! # Ok(())
//! # }
//! ```

mod control;
mod rest;
mod saved;
mod socket;
mod state;
mod trigger;

use std::sync::Arc;
use std::time::Duration;

use http::Method;

pub use control::{ConduitView, EventSubControl, ShardView};
pub use trigger::{Trigger, TriggerError};

use crate::platform::{Platform, ResponseFuture, SandboxRequest};
use crate::{response, ws};

/// Sandbox behaviour switches.
#[derive(Debug, Clone)]
#[must_use]
pub struct EventSubConfig {
    /// Time a new session has to subscribe before it is closed with 4003 (10 s).
    pub subscribe_window: Duration,
    /// Hold notifications for disconnected subscriptions until a matching one is created
    /// (default `true`; `false` is Twitch's behaviour: they are lost).
    pub hold_while_disconnected: bool,
    /// `max_total_cost` reported by the REST endpoints (10 000).
    pub max_total_cost: u64,
    /// Time a client has after `session_reconnect` to connect to the reconnect URL before
    /// the old socket is closed with 4004 (30 s).
    pub reconnect_grace: Duration,
    /// Check REST callers' bearer tokens against this Twitch sandbox's OAuth state (expired,
    /// revoked or unknown tokens get 401 `Invalid OAuth token`, like Helix). Without it any
    /// non-empty token is accepted, like the Twitch CLI mock.
    pub tokens: Option<crate::twitch::HelixControl>,
    /// What welcomes announce as `keepalive_timeout_seconds` instead of the real window: a
    /// broken or hostile server (a huge, negative or non-numeric value). `None` (default):
    /// the window the client asked for. Keepalives still follow the real window.
    pub welcome_keepalive: Option<serde_json::Value>,
}

impl Default for EventSubConfig {
    fn default() -> Self {
        Self {
            subscribe_window: Duration::from_secs(10),
            hold_while_disconnected: true,
            max_total_cost: 10_000,
            reconnect_grace: Duration::from_secs(30),
            tokens: None,
            welcome_keepalive: None,
        }
    }
}

impl EventSubConfig {
    /// Sets [`hold_while_disconnected`](Self::hold_while_disconnected).
    pub fn hold_while_disconnected(mut self, hold: bool) -> Self {
        self.hold_while_disconnected = hold;
        self
    }

    /// Sets [`tokens`](Self::tokens): REST calls need a token `helix`'s OAuth issued and
    /// that is still valid.
    pub fn check_tokens(mut self, helix: crate::twitch::HelixControl) -> Self {
        self.tokens = Some(helix);
        self
    }

    /// Sets [`reconnect_grace`](Self::reconnect_grace).
    pub fn reconnect_grace(mut self, grace: Duration) -> Self {
        self.reconnect_grace = grace;
        self
    }

    /// Sets [`welcome_keepalive`](Self::welcome_keepalive).
    pub fn welcome_keepalive(mut self, announced: serde_json::Value) -> Self {
        self.welcome_keepalive = Some(announced);
        self
    }

    /// Sets [`subscribe_window`](Self::subscribe_window).
    pub fn subscribe_window(mut self, window: Duration) -> Self {
        self.subscribe_window = window;
        self
    }
}

/// The EventSub platform. Clone it freely: clones share state.
#[derive(Debug, Clone)]
pub struct EventSub {
    state: Arc<state::State>,
}

impl Default for EventSub {
    fn default() -> Self {
        Self::new()
    }
}

impl EventSub {
    /// EventSub with the default [`EventSubConfig`].
    pub fn new() -> Self {
        Self::with_config(EventSubConfig::default())
    }

    /// EventSub with the given configuration.
    pub fn with_config(config: EventSubConfig) -> Self {
        Self {
            state: Arc::new(state::State::new(config)),
        }
    }

    /// The control handle.
    pub fn control(&self) -> EventSubControl {
        EventSubControl::new(Arc::clone(&self.state))
    }

    /// Answers an EventSub request; `None` when the path is not an EventSub one (so a
    /// combined Twitch platform can route to it).
    pub fn route(&self, mut request: SandboxRequest) -> Option<ResponseFuture<'_>> {
        let segments: Vec<String> = request.segments().into_iter().map(str::to_owned).collect();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        match (request.method.clone(), segments.as_slice()) {
            (Method::GET, ["ws"]) => {
                let state = Arc::clone(&self.state);
                let opened = socket::Opening::from_request(&request);
                Some(Box::pin(async move {
                    match opened {
                        Ok(opening) => ws::accept(&mut request, None, move |socket| {
                            socket::run(state, socket, opening)
                        }),
                        Err(message) => response::text(http::StatusCode::BAD_REQUEST, message),
                    }
                }))
            }
            (_, ["eventsub", ..]) => Some(Box::pin(async move {
                let segments = request.segments();
                rest::handle(&self.state, &request, &segments)
            })),
            _ => None,
        }
    }
}

impl EventSub {
    /// Answers a REST request whose path, split, is `segments` (`["eventsub", …]`), for a
    /// server that mounts the endpoints under another prefix (Helix's `/helix`).
    pub(crate) fn handle_rest(
        &self,
        request: &SandboxRequest,
        segments: &[&str],
    ) -> crate::response::HttpResponse {
        rest::handle(&self.state, request, segments)
    }
}

impl Platform for EventSub {
    fn name(&self) -> &'static str {
        "twitch-eventsub"
    }

    fn handle(&self, request: SandboxRequest) -> ResponseFuture<'_> {
        let segments_ok = matches!(request.segments().first(), Some(&("ws" | "eventsub")));
        if segments_ok && let Some(future) = self.route(request) {
            return future;
        }
        Box::pin(async { response::not_found() })
    }
}
