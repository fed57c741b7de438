//! What the chat server remembers: sessions and their outgoing queues, channel members,
//! badges, rate-limit windows, and what it accepted and dropped.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use parking_lot::{Mutex, MutexGuard};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{ChatLimits, SentMessage};
use crate::twitch::helix::HelixState;
use crate::twitch::window::Window;

/// What a session's writer does next.
#[derive(Debug)]
pub(super) enum Out {
    /// Writes one IRC line (an empty one is skipped).
    Line(String),
    /// Ends the session.
    Close,
}

/// One client session.
#[derive(Debug)]
pub(super) struct Conn {
    pub(super) tx: mpsc::UnboundedSender<Out>,
    pub(super) pass: Option<String>,
    pub(super) login: Option<String>,
    pub(super) user_id: Option<String>,
    pub(super) anonymous: bool,
    pub(super) tags: bool,
    pub(super) membership: bool,
    pub(super) channels: BTreeSet<String>,
}

impl Conn {
    /// Queues a line for the session; a session already gone loses nothing that matters.
    pub(super) fn send(&self, line: String) {
        let _ = self.tx.send(Out::Line(line));
    }

    /// Ends the session after what is queued.
    pub(super) fn close(&self) {
        let _ = self.tx.send(Out::Close);
    }
}

#[derive(Debug, Default)]
#[allow(clippy::struct_field_names, reason = "each counts one kind of drop")]
pub(super) struct Counters {
    pub(super) joins_dropped: usize,
    pub(super) privmsgs_dropped: usize,
    pub(super) duplicates_dropped: usize,
    pub(super) auths_dropped: usize,
}

#[derive(Debug, Default)]
pub(super) struct Inner {
    /// token → (login, user id), from [`super::ChatControl::add_user`].
    pub(super) users: HashMap<String, (String, String)>,
    pub(super) conns: HashMap<u64, Conn>,
    /// channel → session ids in it.
    pub(super) channels: HashMap<String, BTreeSet<u64>>,
    /// (login, channel) → badges.
    pub(super) badges: HashMap<(String, String), String>,
    pub(super) join_windows: HashMap<String, Window>,
    pub(super) auth_windows: HashMap<String, Window>,
    /// login → (normal, privileged) PRIVMSG windows.
    pub(super) msg_windows: HashMap<String, (Window, Window)>,
    /// (login, channel) → last text and when, for the duplicate rule.
    pub(super) last_text: HashMap<(String, String), (String, Instant)>,
    pub(super) sent: Vec<SentMessage>,
    /// Channels that are suspended: a JOIN gets `msg_channel_suspended` and no echo.
    pub(super) suspended: BTreeSet<String>,
    /// (login, channel) pairs banned: a JOIN gets `msg_banned` and no echo.
    pub(super) banned: BTreeSet<(String, String)>,
    /// Channels whose JOINs go unanswered (no echo, no NOTICE), as when Twitch is slow.
    pub(super) silent: BTreeSet<String>,
    pub(super) counters: Counters,
}

/// Chat state shared by every session.
#[derive(Debug)]
pub(crate) struct ChatState {
    pub(super) limits: ChatLimits,
    /// Tokens issued by the OAuth side also log in.
    pub(super) helix: Arc<HelixState>,
    inner: Mutex<Inner>,
    next_id: AtomicU64,
    pub(super) accepted: AtomicUsize,
    /// Chaos mode: hostile behaviours switched on by control.
    pub(super) chaos: crate::chaos::ChaosSwitch,
}

impl ChatState {
    pub(crate) fn new(limits: ChatLimits, helix: Arc<HelixState>) -> Self {
        Self {
            limits,
            helix,
            inner: Mutex::new(Inner::default()),
            next_id: AtomicU64::new(1),
            accepted: AtomicUsize::new(0),
            chaos: crate::chaos::ChaosSwitch::default(),
        }
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock()
    }

    pub(super) fn register(&self, tx: mpsc::UnboundedSender<Out>) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.accepted.fetch_add(1, Ordering::Relaxed);
        let conn = Conn {
            tx,
            pass: None,
            login: None,
            user_id: None,
            anonymous: false,
            tags: false,
            membership: false,
            channels: BTreeSet::new(),
        };
        self.lock().conns.insert(id, conn);
        id
    }

    pub(super) fn unregister(&self, id: u64) {
        let mut inner = self.lock();
        if let Some(conn) = inner.conns.remove(&id) {
            for channel in conn.channels {
                if let Some(members) = inner.channels.get_mut(&channel) {
                    members.remove(&id);
                }
            }
        }
    }

    /// A login's user id: the one Helix knows (seeded users, channels), else a stable
    /// made-up one. Chat lines carry it as `user-id` and `room-id`.
    pub(crate) fn id_of(&self, login: &str) -> String {
        self.helix
            .lock()
            .user_by_login(login)
            .and_then(|u| u["id"].as_str().map(str::to_owned))
            .unwrap_or_else(|| super::lines::room_id(login).to_string())
    }

    pub(super) fn message_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!(
            "{:08x}-5b0c-4d1e-8f00-{:012x}",
            n.wrapping_mul(2_654_435_761) & 0xffff_ffff,
            n
        )
    }
}
