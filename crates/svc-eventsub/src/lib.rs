//! Twitch EventSub over WebSocket: typed messages and events, a user-token session client,
//! and an app-token conduit with many shards in one process.
//!
//! [`EventSubClient`] connects with a chosen keepalive, subscribes inside the welcome
//! window, watches keepalives (+ grace), follows `session_reconnect` make-before-break,
//! opens a fresh session and re-subscribes after drops and close codes 4000–4007, drops
//! repeated `message_id`s and enforces Twitch's limits locally. [`ConduitApp`] does the same
//! per shard and assigns each session to its shard. Both publish [`EventSubEvent`]s into a
//! core-events [`EventHub`](core_events::EventHub). [`Endpoints::mock`] points everything
//! at a local server (the Twitch CLI mock or switchboard's sandbox).
//!
//! ```
//! use svc_eventsub::{Envelope, Event, Message};
//!
//! let text = r#"{"metadata":{"message_id":"m1","message_type":"notification",
//!   "message_timestamp":"2024-01-01T00:00:00Z","subscription_type":"stream.online","subscription_version":"1"},
//!   "payload":{"subscription":{"id":"s1","status":"enabled","type":"stream.online","version":"1",
//!   "condition":{"broadcaster_user_id":"1337"},"transport":{"method":"websocket","session_id":"abc"},
//!   "created_at":"2024-01-01T00:00:00Z","cost":0},
//!   "event":{"id":"9","broadcaster_user_id":"1337","broadcaster_user_login":"cool","broadcaster_user_name":"Cool",
//!   "type":"live","started_at":"2024-01-01T00:00:00Z"}}}"#;
//! let Message::Notification(notification) = Envelope::parse(text)?.message else { unreachable!() };
//! let Event::StreamOnline(online) = notification.event else { unreachable!() };
//! assert_eq!(online.broadcaster_user_login, "cool");
//! # Ok::<(), svc_eventsub::Error>(())
//! ```
//!
//! Coming from twitch.py 4 (`ClientUser`, `ClientApp`, `MultiShardClientApp`):
//! - `ClientUser.start(token, refresh_token, mock_url=…)` → [`EventSubClient::with_tokens`]
//!   (a svc-helix [`TokenManager`] validates hourly and refreshes; `token_maintenance_task`
//!   is its `spawn_maintenance`) with [`EventSubBuilder::mock_url`], then `connect()`;
//!   `is_ready`/`wait_until_ready` → `connect()` returns once welcomed and subscribed.
//! - `ClientApp.start(conduit_id, shard_ids=…)` → [`ConduitApp::with_tokens`] with
//!   [`ConduitBuilder::conduit_id`] and [`ConduitBuilder::shard_ids`];
//!   `MultiShardClientApp.launch_shards` → [`ConduitApp::set_shard_count`];
//!   `get_shard` → [`ConduitApp::shard_session`]; `identify_shard` is automatic (and
//!   [`HelixClient::update_conduit_shards`] by hand); `shard_connect_timeout` →
//!   [`EventSubBuilder::welcome_timeout`].
//! - `ignore_conflict` → always on for conduits: [`ConduitApp::subscribe`] returns the
//!   existing subscription on a 409.
//! - `@client.event` handlers and `dispatch` → the [`EventSubEvent`] stream (`_raw` events →
//!   [`Event::Raw`]); `on_error` → [`EventSubEvent::SubscribeFailed`] and
//!   [`EventSubEvent::Malformed`], errors as values.
//! - `tokens_validity`, `users_scopes`, `get_token` → [`TokenManager::info`] and
//!   [`TokenManager::token`]; `get_token_quota` → the [`SubscriptionTotals`] of
//!   [`HelixClient::subscriptions_page`]; `get_user_by_id`/`application` → a
//!   [`HelixClient`] per token.
//!
//! Contents:
//! - [`Envelope`], [`Metadata`], [`Message`], [`Notification`], [`SessionInfo`]: the wire messages;
//! - [`Event`], [`RawEvent`], [`events`]: typed event bodies;
//! - [`SubscriptionRequest`]: what to subscribe to; [`Subscription`], [`EventSubTransport`]
//!   (svc-helix's): what Twitch reports;
//! - [`EventSubClient`], [`EventSubBuilder`]: the user session;
//! - [`ConduitApp`], [`ConduitBuilder`]: conduits;
//! - [`Endpoints`]: where to connect. The REST calls (subscriptions, conduits, shards) are
//!   svc-helix's [`HelixClient`]; [`ConduitApp::helix`] and [`EventSubClient::helix`] hand
//!   it out;
//! - [`EventSubEvent`], [`SessionStats`]: what the client reports;
//! - limits ([`MAX_SUBSCRIPTIONS_PER_SESSION`], [`MIN_KEEPALIVE`]/[`MAX_KEEPALIVE`], …) and
//!   [`Error`].
//!
//! Inside, each session (or shard) is one task: `driver` is a thin loop around
//! `session_state`, an I/O-free state machine that owns the protocol's timing (welcome
//! wait, keepalive watchdog, make-before-break reconnects, backoff, stopping) and is unit
//! tested on plain instants; `sockets` holds its WebSockets. Every number and URL the
//! server sends is checked before use: a welcome's keepalive is clamped to 10..=600 s, a
//! `reconnect_url` must be `wss://` (`ws://` only between loopback addresses), cost totals
//! only saturate.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod conduit;
mod dedupe;
mod driver;
mod endpoints;
mod error;
mod event;
mod event_out;
pub mod events;
mod limits;
mod message;
mod offered_url;
mod session;
mod session_state;
mod sockets;
mod subscription;

pub use conduit::{ConduitApp, ConduitBuilder, MAX_SHARDS_PER_CONDUIT};
pub use endpoints::{Endpoints, TWITCH_API_URL, TWITCH_WS_URL};
pub use error::{BoxError, Error, ErrorKind, LimitKind};
pub use event::{Event, RawEvent, TYPED_SUBSCRIPTIONS};
pub use event_out::{EventSubEvent, SessionStats};
pub use limits::{DEFAULT_MAX_TOTAL_COST, MAX_SESSIONS_PER_TOKEN, MAX_SUBSCRIPTIONS_PER_SESSION};
pub use message::{Envelope, Message, Metadata, Notification, SessionInfo};
pub use session::{DEFAULT_DEDUPE_CAPACITY, EventSubBuilder, EventSubClient};
pub use session_state::{MAX_KEEPALIVE, MIN_KEEPALIVE};
pub use subscription::{Condition, SubscriptionRequest};
pub use svc_helix::{
    AccessToken, Conduit, ConduitShard, EventSubTransport, HelixClient, ShardError, ShardUpdate,
    Subscription, SubscriptionPage, SubscriptionTotals, TokenManager,
};
