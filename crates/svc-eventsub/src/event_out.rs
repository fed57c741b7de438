//! [`EventSubEvent`]: what sessions and conduit shards publish into their [`EventHub`]
//! (core-events), and [`SessionStats`], counters for reports and tests.
//!
//! [`EventHub`]: core_events::EventHub

use std::sync::atomic::{AtomicU64, Ordering};

use crate::message::Notification;
use svc_helix::Subscription;

/// Something a session (or a conduit shard, `shard: Some(id)`) reports.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EventSubEvent {
    /// A fresh session is welcomed (and, for a user session, its subscriptions created; for
    /// a shard, the shard assigned to it).
    Connected {
        /// Conduit shard id, `None` for a user session.
        shard: Option<u32>,
        /// The session id.
        session_id: String,
    },
    /// A `session_reconnect` completed make-before-break: the new socket is welcomed and the
    /// old one closed; subscriptions carried over.
    Reconnected {
        /// Conduit shard id.
        shard: Option<u32>,
        /// The session id on the new socket.
        session_id: String,
    },
    /// The socket ended (close frame, drop, or keepalive timeout with `code: None`). A fresh
    /// session follows if reconnecting is on.
    Disconnected {
        /// Conduit shard id.
        shard: Option<u32>,
        /// The close code (4000–4007 are EventSub's), `None` without a close frame.
        code: Option<u16>,
        /// Why.
        reason: String,
    },
    /// A notification, delivered once per `message_id`.
    Notification {
        /// Conduit shard id.
        shard: Option<u32>,
        /// The message id.
        message_id: String,
        /// Subscription and event.
        notification: Box<Notification>,
    },
    /// Twitch revoked a subscription; it is gone from the local set.
    Revoked {
        /// Conduit shard id.
        shard: Option<u32>,
        /// The subscription with its new status.
        subscription: Box<Subscription>,
    },
    /// A message could not be decoded, or asked for something refused (a `session_reconnect`
    /// to an insecure URL); the session carries on.
    Malformed {
        /// Conduit shard id.
        shard: Option<u32>,
        /// Why it was rejected.
        reason: String,
    },
    /// Re-creating a subscription (after a fresh session) or assigning a shard failed.
    SubscribeFailed {
        /// Conduit shard id.
        shard: Option<u32>,
        /// The subscription type (or `conduit shard`).
        kind: String,
        /// The error.
        reason: String,
    },
}

/// Counters of a session (or all shards of a conduit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionStats {
    /// Notifications delivered.
    pub notifications: u64,
    /// Messages dropped as repeats of an already seen `message_id`.
    pub duplicates: u64,
    /// Messages that did not decode.
    pub malformed: u64,
    /// `session_reconnect`s completed make-before-break.
    pub reconnects: u64,
    /// Fresh sessions opened after the first (drops, close codes, keepalive timeouts).
    pub fresh_sessions: u64,
    /// Keepalive timeouts detected.
    pub keepalive_timeouts: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) notifications: AtomicU64,
    pub(crate) duplicates: AtomicU64,
    pub(crate) malformed: AtomicU64,
    pub(crate) reconnects: AtomicU64,
    pub(crate) fresh_sessions: AtomicU64,
    pub(crate) keepalive_timeouts: AtomicU64,
}

impl Counters {
    pub(crate) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> SessionStats {
        SessionStats {
            notifications: self.notifications.load(Ordering::Relaxed),
            duplicates: self.duplicates.load(Ordering::Relaxed),
            malformed: self.malformed.load(Ordering::Relaxed),
            reconnects: self.reconnects.load(Ordering::Relaxed),
            fresh_sessions: self.fresh_sessions.load(Ordering::Relaxed),
            keepalive_timeouts: self.keepalive_timeouts.load(Ordering::Relaxed),
        }
    }
}
