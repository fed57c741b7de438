//! [`EventSubControl`]: steers the EventSub sandbox from tests and demos.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::{Value, json};
use tokio::time::Instant;

use super::state::{Out, State, message};

/// A conduit as the control handle shows it: id, shard count, and the session each
/// assigned shard runs on.
pub type ConduitView = (String, u32, Vec<(u32, String)>);

/// A conduit shard as the sandbox sees it: the session it was assigned and its status
/// (`enabled`, or once that session is gone the status Twitch reports for how it ended:
/// `websocket_disconnected`, `websocket_failed_ping_pong`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardView {
    /// Shard id.
    pub id: u32,
    /// The session it was last assigned.
    pub session_id: String,
    /// `enabled`, `websocket_disconnected`, or the `websocket_*` status of the close that
    /// ended its session.
    pub status: &'static str,
}

/// Emits notifications, triggers reconnects, revocations, drops and duplicates, and reads
/// the sandbox's state.
#[derive(Debug, Clone)]
pub struct EventSubControl {
    state: Arc<State>,
}

impl EventSubControl {
    pub(crate) fn new(state: Arc<State>) -> Self {
        Self { state }
    }

    pub(super) fn state(&self) -> &State {
        &self.state
    }

    /// Emits the fixture sample event of `kind` to every subscription of that type.
    /// Returns how many notifications were sent or held.
    pub fn notify(&self, kind: &str) -> usize {
        let event = self.state.samples[kind]["event"].clone();
        let event = if event.is_null() { json!({}) } else { event };
        self.state.notify(kind, &event)
    }

    /// Emits `event` to every subscription of type `kind`.
    pub fn notify_with(&self, kind: &str, event: &Value) -> usize {
        self.state.notify(kind, event)
    }

    /// The fixture sample event for `kind`, if there is one.
    pub fn sample(&self, kind: &str) -> Option<Value> {
        let sample = &self.state.samples[kind];
        (!sample.is_null()).then(|| sample.clone())
    }

    /// The EventSub WebSocket's chaos switch: hostile behaviours, see
    /// [`crate::chaos::Chaos`].
    pub fn chaos(&self) -> crate::chaos::ChaosSwitch {
        self.state.chaos.clone()
    }

    /// The next `count` notifications are each sent twice with the same `message_id`.
    pub fn duplicate_next(&self, count: u32) {
        self.state.lock().duplicate_next += count;
    }

    /// Sends `session_reconnect` to a session (its reconnect URL points back here). A client
    /// that has not connected to the URL within
    /// [`reconnect_grace`](super::EventSubConfig::reconnect_grace) (30 s) is closed with 4004.
    /// Returns `false` for an unknown or disconnected session.
    pub fn reconnect(&self, session_id: &str) -> bool {
        self.send_reconnect(session_id, None)
    }

    /// Sends `session_reconnect` with `url` as the reconnect URL (one the client cannot
    /// reach, to see the 4004 that follows).
    pub fn reconnect_to(&self, session_id: &str, url: &str) -> bool {
        self.send_reconnect(session_id, Some(url))
    }

    fn send_reconnect(&self, session_id: &str, url: Option<&str>) -> bool {
        let mut inner = self.state.lock();
        let Some(session) = inner.sessions.get_mut(session_id) else {
            return false;
        };
        let Some((_, tx)) = &session.sink else {
            return false;
        };
        let url = if self
            .state
            .chaos
            .is_on(crate::chaos::Chaos::ForeignReconnectUrl)
        {
            crate::chaos::FOREIGN_URL.to_owned()
        } else {
            url.map_or_else(
                || format!("ws://{}/ws?reconnect={session_id}", session.host),
                str::to_owned,
            )
        };
        let (_, text) = message(
            "session_reconnect",
            None,
            &json!({ "session": { "id": session_id, "status": "reconnecting", "keepalive_timeout_seconds": Value::Null,
                "reconnect_url": url, "connected_at": session.connected_at, "recovery_url": Value::Null } }),
        );
        let sent = tx.send(Out::Text(text)).is_ok();
        session
            .reconnect_by
            .get_or_insert_with(|| Instant::now() + self.state.config.reconnect_grace);
        sent
    }

    /// Sends a WebSocket ping on a session's socket; a client that does not answer within
    /// 10 s is closed with 4002.
    pub fn ping(&self, session_id: &str) -> bool {
        self.command(session_id, Out::Ping)
    }

    /// Revokes a subscription: sends `revocation` with `status` to its session and removes it.
    pub fn revoke(&self, subscription_id: &str, status: &str) -> bool {
        let mut inner = self.state.lock();
        let Some(mut subscription) = inner.subscriptions.remove(subscription_id) else {
            return false;
        };
        subscription["status"] = Value::from(status);
        let session = subscription["transport"]["session_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if let Some((_, tx)) = inner.sessions.get(&session).and_then(|s| s.sink.as_ref()) {
            let (_, text) = message(
                "revocation",
                Some(&subscription),
                &json!({ "subscription": subscription }),
            );
            let _ = tx.send(Out::Text(text));
        }
        true
    }

    fn command(&self, session_id: &str, out: Out) -> bool {
        let inner = self.state.lock();
        inner
            .sessions
            .get(session_id)
            .and_then(|s| s.sink.as_ref())
            .is_some_and(|(_, tx)| tx.send(out).is_ok())
    }

    /// Ends a session now: from this moment notifications for it are held (or lost), then
    /// the socket is told how to end.
    fn end_session(&self, session_id: &str, out: Out) -> bool {
        let mut inner = self.state.lock();
        let Some((_, tx)) = inner
            .sessions
            .get_mut(session_id)
            .and_then(|s| s.sink.take())
        else {
            return false;
        };
        self.state.session_gone(&mut inner, session_id);
        tx.send(out).is_ok()
    }

    /// Drops a session's socket without a close frame, like a network failure.
    pub fn drop_session(&self, session_id: &str) -> bool {
        self.end_session(session_id, Out::Drop)
    }

    /// Closes a session's socket with `code` (4000–4007 are EventSub's).
    /// A conduit shard on it is then reported with the status Twitch gives that code
    /// (`websocket_internal_error` for 4000, `websocket_failed_ping_pong` for 4002, …).
    pub fn close_session(&self, session_id: &str, code: u16) -> bool {
        self.state
            .mark_ending(session_id, super::state::shard_status_for_close(code));
        self.end_session(session_id, Out::Close(code, "closed by sandbox control"))
    }

    /// Stops sending anything (keepalives included) on a session while keeping the socket
    /// open: a silent server. Notifications for it are held.
    pub fn silence(&self, session_id: &str) -> bool {
        let mut inner = self.state.lock();
        let Some(session) = inner.sessions.get_mut(session_id) else {
            return false;
        };
        session.silent = true;
        session
            .sink
            .as_ref()
            .is_some_and(|(_, tx)| tx.send(Out::Wake).is_ok())
    }

    /// Sends raw text on a session's socket (for malformed-message tests).
    pub fn send_raw(&self, session_id: &str, text: &str) -> bool {
        self.command(session_id, Out::Text(text.to_owned()))
    }

    /// Session ids with a delivering socket.
    pub fn sessions(&self) -> Vec<String> {
        let inner = self.state.lock();
        let mut ids: Vec<String> = inner
            .sessions
            .iter()
            .filter(|(_, s)| s.sink.is_some())
            .map(|(id, _)| id.clone())
            .collect();
        ids.sort();
        ids
    }

    /// Every subscription as the REST API shows it.
    pub fn subscriptions(&self) -> Vec<Value> {
        self.state.lock().subscriptions.values().cloned().collect()
    }

    /// `(conduit id, shard count, session per enabled shard)` for every conduit (shards
    /// whose session is gone are left out; [`conduit_shards`](Self::conduit_shards) shows
    /// them).
    pub fn conduits(&self) -> Vec<ConduitView> {
        self.state
            .lock()
            .conduits
            .iter()
            .map(|(id, c)| {
                (
                    id.clone(),
                    c.shard_count,
                    c.shards
                        .iter()
                        .filter(|(_, shard)| shard.live())
                        .map(|(k, shard)| (*k, shard.session_id.clone()))
                        .collect(),
                )
            })
            .collect()
    }

    /// Every assigned shard of a conduit with its status (empty for an unknown conduit).
    pub fn conduit_shards(&self, conduit_id: &str) -> Vec<ShardView> {
        self.state
            .lock()
            .conduits
            .get(conduit_id)
            .map(|conduit| {
                conduit
                    .shards
                    .iter()
                    .map(|(id, shard)| ShardView {
                        id: *id,
                        session_id: shard.session_id.clone(),
                        status: shard.status(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Notifications held for disconnected subscriptions right now.
    pub fn held(&self) -> usize {
        self.state.lock().held.values().map(Vec::len).sum()
    }

    /// Notifications sent so far (a duplicated one counts once).
    pub fn delivered(&self) -> u64 {
        self.state.delivered.load(Ordering::SeqCst)
    }

    /// WebSockets accepted so far.
    pub fn accepted(&self) -> u64 {
        self.state.accepted.load(Ordering::SeqCst)
    }
}
