//! In-memory EventSub state: sessions and their sockets, subscriptions, conduits, and the
//! notifications held for disconnected subscriptions.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use parking_lot::{Mutex, MutexGuard};
use rand::Rng;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::EventSubConfig;
use crate::chaos::Chaos;

/// The sample events (one per type) from `fixtures/twitch/eventsub-events.json`.
const SAMPLES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/twitch/eventsub-events.json"
));

/// What a socket task is told to do.
#[derive(Debug)]
pub(crate) enum Out {
    Text(String),
    Close(u16, &'static str),
    Drop,
    /// Send a WebSocket ping; no pong in time closes the socket with 4002.
    Ping,
    /// Re-read the session state (silenced, replaced, reconnect asked).
    Wake,
    /// Answer once everything queued before it was written to the socket.
    Flush(tokio::sync::oneshot::Sender<()>),
}

#[derive(Debug)]
pub(crate) struct Session {
    /// The socket currently delivering: its generation and its queue.
    pub(crate) sink: Option<(u64, mpsc::UnboundedSender<Out>)>,
    /// Silenced by the control handle: nothing is sent, not even keepalives.
    pub(crate) silent: bool,
    /// Has (or had) a subscription or a conduit shard: no 4003.
    pub(crate) used: bool,
    pub(crate) keepalive: u64,
    pub(crate) host: String,
    pub(crate) connected_at: String,
    /// After `session_reconnect`: the time by which a socket must have taken over on the
    /// reconnect URL, else the old one is closed with 4004.
    pub(crate) reconnect_by: Option<tokio::time::Instant>,
    /// Why the session is ending, as the conduit shard status Twitch then reports
    /// (`websocket_failed_ping_pong`, …); `None`: `websocket_disconnected`.
    pub(crate) ending: Option<&'static str>,
    /// The last notification sent, for [`Chaos::OutOfOrderSequence`](crate::chaos::Chaos) to
    /// send again late.
    pub(crate) last_notification: Option<Value>,
}

/// The shard status of a session that ended without a reason of Twitch's own.
pub(crate) const DISCONNECTED: &str = "websocket_disconnected";

/// The conduit shard status Twitch reports after it closed a session with `code`.
pub(crate) fn shard_status_for_close(code: u16) -> &'static str {
    match code {
        4000 => "websocket_internal_error",
        4001 => "websocket_received_inbound_traffic",
        4002 => "websocket_failed_ping_pong",
        4004 => "websocket_failed_to_reconnect",
        4005 => "websocket_network_timeout",
        4006 => "websocket_network_error",
        _ => DISCONNECTED,
    }
}

/// One shard of a conduit: the session it was assigned, and whether that session is gone
/// (`websocket_disconnected`, like Twitch reports it).
#[derive(Debug, Clone)]
pub(crate) struct ShardEntry {
    pub(crate) session_id: String,
    pub(crate) connected_at: String,
    pub(crate) disconnected_at: Option<String>,
    /// The status reported once the session is gone (`websocket_disconnected`,
    /// `websocket_failed_ping_pong`, …).
    pub(crate) ended_as: &'static str,
}

impl ShardEntry {
    pub(crate) fn live(&self) -> bool {
        self.disconnected_at.is_none()
    }

    pub(crate) fn status(&self) -> &'static str {
        if self.live() {
            "enabled"
        } else {
            self.ended_as
        }
    }
}

#[derive(Debug)]
pub(crate) struct ConduitEntry {
    pub(crate) shard_count: u32,
    /// Assigned shards.
    pub(crate) shards: BTreeMap<u32, ShardEntry>,
    pub(crate) next: u32,
}

/// A subscription's identity for holding: type, version, condition.
pub(crate) type Key = (String, String, String);

#[derive(Debug, Default)]
pub(crate) struct Inner {
    pub(crate) sessions: HashMap<String, Session>,
    /// Subscription id → the object as the REST API shows it.
    pub(crate) subscriptions: BTreeMap<String, Value>,
    pub(crate) conduits: BTreeMap<String, ConduitEntry>,
    /// Keys of subscriptions that vanished with their session.
    pub(crate) orphaned: HashSet<Key>,
    /// Held events per key.
    pub(crate) held: HashMap<Key, Vec<Value>>,
    pub(crate) duplicate_next: u32,
    /// Users triggered events name: id → (login, display name).
    pub(crate) directory: HashMap<String, (String, String)>,
    /// Who acts in triggered events when the trigger names nobody (a follower, a chatter).
    pub(crate) default_actor: Option<String>,
}

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) config: EventSubConfig,
    pub(crate) inner: Mutex<Inner>,
    pub(crate) samples: Value,
    pub(crate) generation: AtomicU64,
    pub(crate) delivered: AtomicU64,
    pub(crate) accepted: AtomicU64,
    /// Chaos mode: hostile behaviours switched on by control.
    pub(crate) chaos: crate::chaos::ChaosSwitch,
}

pub(crate) fn key_of(subscription: &Value) -> Key {
    (
        subscription["type"].as_str().unwrap_or_default().to_owned(),
        subscription["version"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        subscription["condition"].to_string(),
    )
}

#[allow(clippy::many_single_char_names)]
pub(crate) fn new_id() -> String {
    let mut rng = rand::rng();
    let a: u32 = rng.random();
    let b: u16 = rng.random();
    let c: u16 = rng.random::<u16>() & 0x0fff | 0x4000;
    let d: u16 = rng.random::<u16>() & 0x3fff | 0x8000;
    let e: u64 = rng.random::<u64>() & 0xffff_ffff_ffff;
    format!("{a:08x}-{b:04x}-{c:04x}-{d:04x}-{e:012x}")
}

/// An hour ago as RFC 3339 (a late message's timestamp).
fn an_hour_ago() -> String {
    let then = SystemTime::now()
        .checked_sub(std::time::Duration::from_hours(1))
        .unwrap_or(SystemTime::UNIX_EPOCH);
    crate::timestamp::rfc3339(then, true)
}

/// Now as RFC 3339 with microseconds, like Twitch's timestamps.
pub(crate) fn now() -> String {
    crate::timestamp::rfc3339(SystemTime::now(), true)
}

pub(crate) fn message(
    message_type: &str,
    subscription: Option<&Value>,
    payload: &Value,
) -> (String, String) {
    let id = new_id();
    let mut metadata =
        json!({ "message_id": id, "message_type": message_type, "message_timestamp": now() });
    if let Some(subscription) = subscription {
        metadata["subscription_type"] = subscription["type"].clone();
        metadata["subscription_version"] = subscription["version"].clone();
    }
    (
        id,
        json!({ "metadata": metadata, "payload": payload }).to_string(),
    )
}

impl State {
    pub(crate) fn new(config: EventSubConfig) -> Self {
        let samples = serde_json::from_str(SAMPLES).unwrap_or_else(|error| {
            tracing::error!(%error, "EventSub sample fixture unreadable");
            Value::Null
        });
        Self {
            config,
            inner: Mutex::default(),
            samples,
            generation: AtomicU64::new(1),
            delivered: AtomicU64::new(0),
            accepted: AtomicU64::new(0),
            chaos: crate::chaos::ChaosSwitch::default(),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock()
    }

    /// Sends a notification for `subscription` to `session`, or holds it. Returns whether it
    /// went out.
    pub(crate) fn deliver_to(
        &self,
        inner: &mut Inner,
        session_id: &str,
        subscription: &Value,
        event: &Value,
    ) -> bool {
        let live = inner
            .sessions
            .get_mut(session_id)
            .filter(|s| !s.silent && s.sink.is_some());
        let Some(session) = live else {
            if self.config.hold_while_disconnected {
                inner
                    .held
                    .entry(key_of(subscription))
                    .or_default()
                    .push(event.clone());
            }
            return false;
        };
        let (_, text) = message(
            "notification",
            Some(subscription),
            &json!({ "subscription": subscription, "event": event }),
        );
        let Some(tx) = session.sink.as_ref().map(|(_, tx)| tx.clone()) else {
            return false;
        };
        let asked = inner.duplicate_next > 0;
        inner.duplicate_next = inner.duplicate_next.saturating_sub(1);
        let copies = if asked || self.chaos.is_on(Chaos::DuplicateSequence) {
            2
        } else {
            1
        };
        for _ in 0..copies {
            let _ = tx.send(Out::Text(text.clone()));
        }
        let sent: Value = serde_json::from_str(&text).unwrap_or_default();
        let previous = session.last_notification.replace(sent);
        if self.chaos.is_on(Chaos::OutOfOrderSequence)
            && let Some(mut late) = previous
        {
            late["metadata"]["message_timestamp"] = Value::from(an_hour_ago());
            let _ = tx.send(Out::Text(late.to_string()));
        }
        self.delivered.fetch_add(1, Ordering::SeqCst);
        true
    }

    /// Emits one event of `kind` to every subscription of that type (conduit ones to one
    /// shard). Returns notifications sent plus held.
    pub(crate) fn notify(&self, kind: &str, event: &Value) -> usize {
        let mut inner = self.lock();
        let targets: Vec<Value> = inner
            .subscriptions
            .values()
            .filter(|s| s["type"] == kind)
            .cloned()
            .collect();
        let mut count = 0;
        let mut covered = Vec::new();
        for subscription in targets {
            covered.push(key_of(&subscription));
            match subscription["transport"]["method"].as_str() {
                Some("websocket") => {
                    let session = subscription["transport"]["session_id"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned();
                    self.deliver_to(&mut inner, &session, &subscription, event);
                    count += 1;
                }
                Some("conduit") => {
                    let conduit_id = subscription["transport"]["conduit_id"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned();
                    let session = inner.conduits.get_mut(&conduit_id).and_then(|conduit| {
                        let live: Vec<String> = conduit
                            .shards
                            .values()
                            .filter(|shard| shard.live())
                            .map(|shard| shard.session_id.clone())
                            .collect();
                        if live.is_empty() {
                            return None;
                        }
                        conduit.next = conduit.next.wrapping_add(1);
                        Some(live[conduit.next as usize % live.len()].clone())
                    });
                    match session {
                        Some(session) => {
                            self.deliver_to(&mut inner, &session, &subscription, event);
                        }
                        None if self.config.hold_while_disconnected => {
                            inner
                                .held
                                .entry(key_of(&subscription))
                                .or_default()
                                .push(event.clone());
                        }
                        None => {}
                    }
                    count += 1;
                }
                _ => {}
            }
        }
        if self.config.hold_while_disconnected {
            let orphans: Vec<Key> = inner
                .orphaned
                .iter()
                .filter(|k| k.0 == kind && !covered.contains(k))
                .cloned()
                .collect();
            for key in orphans {
                inner.held.entry(key).or_default().push(event.clone());
                count += 1;
            }
        }
        count
    }

    /// After a subscription is created: hand it what was held for its key.
    pub(crate) fn release_held(&self, inner: &mut Inner, subscription: &Value) {
        let key = key_of(subscription);
        inner.orphaned.remove(&key);
        let held = inner.held.remove(&key).unwrap_or_default();
        if let Some(session) = subscription["transport"]["session_id"].as_str() {
            for event in held {
                self.deliver_to(inner, session, subscription, &event);
            }
        }
    }

    /// A session's last socket ended: its WebSocket subscriptions go (remembered as
    /// orphans for holding), conduit shards on it are `websocket_disconnected` until
    /// reassigned.
    pub(crate) fn session_gone(&self, inner: &mut Inner, session_id: &str) {
        let ended_as = inner
            .sessions
            .remove(session_id)
            .and_then(|session| session.ending)
            .unwrap_or(DISCONNECTED);
        let gone: Vec<String> = inner
            .subscriptions
            .iter()
            .filter(|(_, s)| s["transport"]["session_id"] == session_id)
            .map(|(id, _)| id.clone())
            .collect();
        for id in gone {
            if let Some(subscription) = inner.subscriptions.remove(&id)
                && self.config.hold_while_disconnected
            {
                inner.orphaned.insert(key_of(&subscription));
            }
        }
        let disconnected_at = now();
        for shard in inner
            .conduits
            .values_mut()
            .flat_map(|conduit| conduit.shards.values_mut())
            .filter(|shard| shard.session_id == session_id && shard.live())
        {
            shard.disconnected_at = Some(disconnected_at.clone());
            shard.ended_as = ended_as;
        }
    }

    /// Records why a session is about to end (a conduit shard status), before its socket
    /// is closed.
    pub(crate) fn mark_ending(&self, session_id: &str, status: &'static str) {
        if let Some(session) = self.lock().sessions.get_mut(session_id) {
            session.ending = Some(status);
        }
    }

    pub(crate) fn next_generation(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::SeqCst)
    }
}
