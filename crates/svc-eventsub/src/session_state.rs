//! The EventSub session protocol as an I/O-free state machine: which sockets are open and
//! what each is for, the welcome wait, the keepalive watchdog, make-before-break
//! `session_reconnect`, fresh sessions after drops with backoff between failed attempts,
//! and stopping. The driver feeds it socket events, timer expiries and commands, and
//! performs the [`Action`]s it asks for; it never touches a socket or a clock itself, so
//! every timing rule is tested here on plain `Instant`s.
//!
//! Sockets and their roles:
//! - *connecting*: a fresh socket waiting for its `session_welcome` (within the welcome
//!   timeout);
//! - *current*: the welcomed socket; a silence longer than keepalive + grace kills it;
//! - *pending*: the socket opened on a `reconnect_url`; its welcome makes it current;
//! - *draining*: the socket a reconnect replaced, still read for a short while because
//!   Twitch may have sent messages on it before the switch;
//! - after the current socket ends, a draining one is read until its drain deadline
//!   (*settling*) before the fresh session opens, so nothing sent before the switch is lost.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;
use transport_ws::Backoff;

use crate::error::{Error, ErrorKind};
use crate::message::{Envelope, Message, Notification};
use crate::offered_url::check_offered_url;
use svc_helix::Subscription;

/// The shortest keepalive window Twitch documents (`keepalive_timeout_seconds`).
pub const MIN_KEEPALIVE: Duration = Duration::from_secs(10);
/// The longest keepalive window Twitch documents. A welcome announcing more (or less) is
/// clamped into `MIN_KEEPALIVE..=MAX_KEEPALIVE`: a huge value would switch the watchdog off
/// (or overflow the deadline), a tiny one would kill healthy sessions.
pub const MAX_KEEPALIVE: Duration = Duration::from_mins(10);

/// How long a session must have lasted after its welcome for its end to reset the
/// reconnect backoff (one keepalive window at Twitch's minimum).
pub(crate) const STABLE_SESSION: Duration = Duration::from_secs(10);

/// How often a shard whose assignment failed tries `PATCH /eventsub/conduits/shards` again.
pub(crate) const ASSIGN_RETRY: Duration = Duration::from_secs(5);

/// How long the old socket is still read after a reconnect's welcome before it is closed.
const DRAIN_AFTER_RECONNECT: Duration = Duration::from_millis(250);

/// How long a stopping client waits for its socket to finish closing.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// A deadline beyond every real one, for durations too large to add to an `Instant`.
const FAR_FUTURE: Duration = Duration::from_hours(24 * 365);

/// Timing and behaviour shared by sessions and shards.
#[derive(Debug, Clone)]
pub(crate) struct Timing {
    /// The keepalive window asked for (and used when a welcome announces none).
    pub(crate) keepalive: Duration,
    pub(crate) grace: Duration,
    pub(crate) welcome_timeout: Duration,
    /// Whether to open a fresh session after the current one ended.
    pub(crate) reconnect: bool,
    pub(crate) backoff: Backoff,
}

/// Names one socket the driver opened for the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SocketId(u64);

/// What the driver must do, in order.
#[derive(Debug)]
pub(crate) enum Action {
    /// Open a socket to `url`; its events come back tagged with `socket`.
    Open { socket: SocketId, url: String },
    /// Send a close frame; the socket's remaining events still come back.
    Close {
        socket: SocketId,
        code: u16,
        reason: &'static str,
    },
    /// Drop the socket (its events no longer matter).
    Forget { socket: SocketId },
    /// A fresh session was welcomed: set it up (subscriptions, shard assignment), then
    /// report it. `first` is the task's very first session.
    Welcomed { session_id: String, first: bool },
    /// A `session_reconnect` completed make-before-break on `session_id`.
    Reconnected { session_id: String },
    /// Try the session's setup again (a shard assignment that failed).
    RetrySetup { session_id: String },
    /// A notification to deliver (once per message id).
    Notification {
        message_id: String,
        notification: Box<Notification>,
    },
    /// A revocation to deliver (once per message id).
    Revocation {
        message_id: String,
        subscription: Box<Subscription>,
    },
    /// A message was refused; the session carries on.
    Malformed(Error),
    /// The current socket ended with this close code (`None`: no close frame).
    Disconnected { code: Option<u16>, reason: String },
    /// The current socket was silent past keepalive + grace and is being dropped.
    KeepaliveTimeout { keepalive: Duration },
    /// A fresh session could not be set up; another attempt follows after a backoff (or
    /// none: [`Action::Finished`] follows).
    ConnectFailed(Error),
    /// The first session never came up: report it. [`Action::Finished`] follows.
    Failed(Error),
    /// Nothing left to do: the task ends.
    Finished,
}

/// The welcomed socket.
#[derive(Debug)]
struct Current {
    socket: SocketId,
    session_id: String,
    keepalive: Duration,
    last_seen: Instant,
}

/// Everything about a welcomed session.
#[derive(Debug)]
struct Live {
    current: Current,
    /// The reconnect socket and the deadline for its welcome.
    pending: Option<(SocketId, Instant)>,
    /// The socket a reconnect replaced, and when to close it (`None`: closing already).
    draining: Option<(SocketId, Option<Instant>)>,
    /// When to retry the session's setup.
    retry_at: Option<Instant>,
}

#[derive(Debug)]
enum Phase {
    /// Not started.
    Idle,
    /// A fresh socket waits for its welcome until `deadline`.
    Connecting { socket: SocketId, deadline: Instant },
    /// Backing off before the next fresh attempt.
    Waiting { until: Instant },
    /// A session is up.
    Live(Box<Live>),
    /// The session ended; a reconnect's old socket is read until `until`, then a fresh
    /// session opens.
    Settling { socket: SocketId, until: Instant },
    /// Stopping: the socket is closing, waited for until `until`.
    Stopping { socket: SocketId, until: Instant },
    /// Finished.
    Done,
}

/// The session machine. See the module docs.
#[derive(Debug)]
pub(crate) struct SessionState {
    timing: Timing,
    /// Where a fresh session connects.
    fresh_url: String,
    /// The configured WebSocket URL, which decides what reconnect URLs are acceptable.
    configured_url: String,
    backoff: Backoff,
    phase: Phase,
    welcomed_once: bool,
    /// When the latest session was welcomed: one that ends sooner than
    /// [`STABLE_SESSION`] after it does not reset the backoff.
    welcomed_at: Option<Instant>,
    /// Whether the last session ended sooner than [`STABLE_SESSION`] after its welcome
    /// without carrying a message.
    ended_quickly: bool,
    /// Whether the current session carried a message after its welcome.
    carried: bool,
    next_socket: u64,
    actions: VecDeque<Action>,
}

impl SessionState {
    pub(crate) fn new(timing: Timing, fresh_url: String, configured_url: String) -> Self {
        Self {
            backoff: timing.backoff.clone(),
            timing,
            fresh_url,
            configured_url,
            phase: Phase::Idle,
            welcomed_once: false,
            welcomed_at: None,
            ended_quickly: false,
            carried: false,
            next_socket: 0,
            actions: VecDeque::new(),
        }
    }

    /// The next thing to do, in order.
    pub(crate) fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    /// The welcomed session's id, if one is up.
    #[cfg(test)]
    fn session_id(&self) -> Option<&str> {
        match &self.phase {
            Phase::Live(live) => Some(&live.current.session_id),
            _ => None,
        }
    }

    /// Opens the first fresh session.
    pub(crate) fn start(&mut self, now: Instant) {
        if matches!(self.phase, Phase::Idle) {
            self.open_fresh(now);
        }
    }

    /// The earliest moment [`on_deadline`](Self::on_deadline) has work, if any.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        match &self.phase {
            Phase::Idle | Phase::Done => None,
            Phase::Connecting { deadline, .. } => Some(*deadline),
            Phase::Waiting { until }
            | Phase::Settling { until, .. }
            | Phase::Stopping { until, .. } => Some(*until),
            Phase::Live(live) => [
                Some(self.watchdog(&live.current)),
                live.pending.map(|(_, deadline)| deadline),
                live.draining.and_then(|(_, close_at)| close_at),
                live.retry_at,
            ]
            .into_iter()
            .flatten()
            .min(),
        }
    }

    /// When the current socket counts as dead without a message.
    fn watchdog(&self, current: &Current) -> Instant {
        later(
            current.last_seen,
            current.keepalive.saturating_add(self.timing.grace),
        )
    }

    /// A text message arrived on `socket`.
    pub(crate) fn on_text(&mut self, socket: SocketId, text: &str, now: Instant) {
        let parsed = Envelope::parse(text);
        if let Phase::Live(live) = &self.phase
            && live.current.socket == socket
            && parsed.is_ok()
        {
            self.carried = true;
        }
        match &mut self.phase {
            Phase::Connecting {
                socket: opening, ..
            } if *opening == socket => match parsed {
                Ok(Envelope {
                    message: Message::Welcome(info),
                    ..
                }) => {
                    let keepalive =
                        announced_keepalive(info.keepalive_timeout_seconds, self.timing.keepalive);
                    self.welcomed_at = Some(now);
                    self.carried = false;
                    let first = !self.welcomed_once;
                    self.welcomed_once = true;
                    self.phase = Phase::Live(Box::new(Live {
                        current: Current {
                            socket,
                            session_id: info.id.clone(),
                            keepalive,
                            last_seen: now,
                        },
                        pending: None,
                        draining: None,
                        retry_at: None,
                    }));
                    self.actions.push_back(Action::Welcomed {
                        session_id: info.id,
                        first,
                    });
                }
                Ok(other) => tracing::debug!(
                    kind = other.metadata.message_type,
                    "message before welcome ignored"
                ),
                Err(error) => tracing::warn!(%error, "malformed message before welcome"),
            },
            Phase::Live(live) if live.current.socket == socket => {
                live.current.last_seen = now;
                if let Some(url) = self.dispatch(parsed, true) {
                    self.reconnect_to(&url, now);
                }
            }
            Phase::Live(live) if live.pending.is_some_and(|(id, _)| id == socket) => {
                if let Ok(Envelope {
                    message: Message::Welcome(info),
                    ..
                }) = parsed
                {
                    self.switch(socket, info.id, info.keepalive_timeout_seconds, now);
                } else {
                    self.dispatch(parsed, false);
                }
            }
            Phase::Live(live) if live.draining.is_some_and(|(id, _)| id == socket) => {
                self.dispatch(parsed, false);
            }
            Phase::Settling { socket: old, .. } if *old == socket => {
                self.dispatch(parsed, false);
            }
            // A stopping socket's last words, or a socket already forgotten.
            _ => {}
        }
    }

    /// A socket reported an error. Only a connecting socket cares: its attempt failed.
    /// Otherwise the socket's end follows.
    pub(crate) fn on_error(&mut self, socket: SocketId, error: Error, now: Instant) {
        match &self.phase {
            Phase::Connecting {
                socket: opening, ..
            } if *opening == socket => {
                self.fail_attempt(socket, error, now);
            }
            Phase::Live(live) if live.pending.is_some_and(|(id, _)| id == socket) => {
                tracing::warn!(%error, "reconnect socket failed");
            }
            _ => tracing::debug!(%error, "EventSub socket error"),
        }
    }

    /// A socket ended: closed with `code` (`None`: dropped without a close frame).
    pub(crate) fn on_ended(
        &mut self,
        socket: SocketId,
        code: Option<u16>,
        reason: String,
        now: Instant,
    ) {
        match &mut self.phase {
            Phase::Connecting {
                socket: opening, ..
            } if *opening == socket => {
                let error = Error::with_source(
                    ErrorKind::WebSocket,
                    format!("closed before welcome: {code:?} {reason}"),
                );
                self.fail_attempt(socket, error, now);
            }
            Phase::Live(live) if live.current.socket == socket => {
                self.actions
                    .push_back(Action::Disconnected { code, reason });
                self.actions.push_back(Action::Forget { socket });
                self.end_session(now);
            }
            Phase::Live(live) if live.pending.is_some_and(|(id, _)| id == socket) => {
                tracing::warn!("reconnect socket ended before its welcome");
                live.pending = None;
                self.actions.push_back(Action::Forget { socket });
            }
            Phase::Live(live) if live.draining.is_some_and(|(id, _)| id == socket) => {
                live.draining = None;
                self.actions.push_back(Action::Forget { socket });
            }
            Phase::Settling { socket: old, .. } if *old == socket => {
                self.actions.push_back(Action::Forget { socket });
                self.next_session(now);
            }
            Phase::Stopping {
                socket: closing, ..
            } if *closing == socket => {
                self.actions.push_back(Action::Forget { socket });
                self.finish();
            }
            _ => {}
        }
    }

    /// A socket could not even be opened (a URL the WebSocket client refused).
    pub(crate) fn on_open_failed(&mut self, socket: SocketId, error: Error, now: Instant) {
        match &mut self.phase {
            Phase::Connecting {
                socket: opening, ..
            } if *opening == socket => {
                self.fail_attempt(socket, error, now);
            }
            Phase::Live(live) if live.pending.is_some_and(|(id, _)| id == socket) => {
                tracing::warn!(%error, "could not open the reconnect URL");
                live.pending = None;
            }
            _ => {}
        }
    }

    /// The session's setup (after [`Action::Welcomed`], [`Action::Reconnected`] or
    /// [`Action::RetrySetup`]) is complete, or failed and should be retried.
    pub(crate) fn on_setup(&mut self, complete: bool, now: Instant) {
        if let Phase::Live(live) = &mut self.phase {
            live.retry_at = (!complete).then(|| later(now, ASSIGN_RETRY));
        }
    }

    /// Time has come for [`deadline`](Self::deadline).
    pub(crate) fn on_deadline(&mut self, now: Instant) {
        match &mut self.phase {
            Phase::Idle | Phase::Done => {}
            Phase::Connecting { socket, deadline } => {
                if now >= *deadline {
                    let socket = *socket;
                    let error = Error::new(ErrorKind::WelcomeTimeout {
                        seconds: self.timing.welcome_timeout.as_secs(),
                    });
                    self.fail_attempt(socket, error, now);
                }
            }
            Phase::Waiting { until } => {
                if now >= *until {
                    self.open_fresh(now);
                }
            }
            Phase::Settling { socket, until } => {
                if now >= *until {
                    let socket = *socket;
                    self.actions.push_back(Action::Close {
                        socket,
                        code: 1000,
                        reason: "reconnected",
                    });
                    self.actions.push_back(Action::Forget { socket });
                    self.next_session(now);
                }
            }
            Phase::Stopping { socket, until } => {
                if now >= *until {
                    let socket = *socket;
                    self.actions.push_back(Action::Forget { socket });
                    self.finish();
                }
            }
            Phase::Live(_) => self.live_deadlines(now),
        }
    }

    fn live_deadlines(&mut self, now: Instant) {
        let Phase::Live(live) = &mut self.phase else {
            return;
        };
        if let Some((socket, Some(close_at))) = live.draining
            && now >= close_at
        {
            // Closed, but still read until it ends: a close discards only what arrives
            // after it.
            live.draining = Some((socket, None));
            self.actions.push_back(Action::Close {
                socket,
                code: 1000,
                reason: "reconnected",
            });
        }
        if live.retry_at.is_some_and(|at| now >= at) {
            live.retry_at = None;
            tracing::debug!("setting the session up again");
            self.actions.push_back(Action::RetrySetup {
                session_id: live.current.session_id.clone(),
            });
        }
        if let Some((socket, deadline)) = live.pending
            && now >= deadline
        {
            tracing::warn!("no welcome on the reconnect URL in time");
            live.pending = None;
            self.actions.push_back(Action::Forget { socket });
        }
        let watchdog = later(
            live.current.last_seen,
            live.current.keepalive.saturating_add(self.timing.grace),
        );
        if now >= watchdog {
            let socket = live.current.socket;
            self.actions.push_back(Action::KeepaliveTimeout {
                keepalive: live.current.keepalive,
            });
            self.actions.push_back(Action::Close {
                socket,
                code: 4000,
                reason: "keepalive timeout",
            });
            self.actions.push_back(Action::Forget { socket });
            self.end_session(now);
        }
    }

    /// Stop: close the current socket and wait a little for it to finish.
    pub(crate) fn stop(&mut self, now: Instant) {
        match std::mem::replace(&mut self.phase, Phase::Done) {
            Phase::Live(live) => {
                if let Some((socket, _)) = live.pending {
                    self.actions.push_back(Action::Forget { socket });
                }
                if let Some((socket, _)) = live.draining {
                    self.actions.push_back(Action::Forget { socket });
                }
                let socket = live.current.socket;
                self.actions.push_back(Action::Close {
                    socket,
                    code: 1000,
                    reason: "client stopping",
                });
                self.phase = Phase::Stopping {
                    socket,
                    until: later(now, STOP_GRACE),
                };
            }
            Phase::Connecting { socket, .. } | Phase::Settling { socket, .. } => {
                self.actions.push_back(Action::Forget { socket });
                self.finish();
            }
            Phase::Idle | Phase::Waiting { .. } => self.finish(),
            stopping @ Phase::Stopping { .. } => self.phase = stopping,
            Phase::Done => {}
        }
    }

    /// Decodes what a socket said into actions; returns a reconnect URL to follow when
    /// `from_current` (only the current socket may move the session).
    fn dispatch(&mut self, parsed: Result<Envelope, Error>, from_current: bool) -> Option<String> {
        let envelope = match parsed {
            Ok(envelope) => envelope,
            Err(error) => {
                self.actions.push_back(Action::Malformed(error));
                return None;
            }
        };
        match envelope.message {
            Message::Notification(notification) => {
                self.actions.push_back(Action::Notification {
                    message_id: envelope.metadata.message_id,
                    notification,
                });
            }
            Message::Revocation(subscription) => {
                self.actions.push_back(Action::Revocation {
                    message_id: envelope.metadata.message_id,
                    subscription,
                });
            }
            Message::Reconnect(info) => match info.reconnect_url {
                Some(url) if from_current => return Some(url),
                Some(_) => {}
                None => self.actions.push_back(Action::Malformed(Error::malformed(
                    "session_reconnect without reconnect_url",
                ))),
            },
            Message::Keepalive | Message::Welcome(_) => {}
            Message::Unknown { .. } => {
                tracing::debug!(
                    kind = envelope.metadata.message_type,
                    "unknown EventSub message type"
                );
            }
        }
        None
    }

    /// `session_reconnect`: open the offered URL next to the current socket (replacing an
    /// earlier reconnect socket still waiting for its welcome).
    fn reconnect_to(&mut self, url: &str, now: Instant) {
        let url = match check_offered_url(&self.configured_url, url) {
            Ok(url) => url,
            Err(error) => {
                self.actions.push_back(Action::Malformed(error));
                return;
            }
        };
        let socket = self.new_socket();
        let deadline = later(now, self.timing.welcome_timeout);
        let Phase::Live(live) = &mut self.phase else {
            return;
        };
        if let Some((old, _)) = live.pending.replace((socket, deadline)) {
            self.actions.push_back(Action::Forget { socket: old });
        }
        self.actions.push_back(Action::Open { socket, url });
    }

    /// The reconnect socket is welcomed: it becomes current, the old one drains.
    fn switch(
        &mut self,
        socket: SocketId,
        session_id: String,
        announced: Option<u64>,
        now: Instant,
    ) {
        let Phase::Live(live) = &mut self.phase else {
            return;
        };
        let keepalive = announced_keepalive(announced, live.current.keepalive);
        let old = std::mem::replace(
            &mut live.current,
            Current {
                socket,
                session_id: session_id.clone(),
                keepalive,
                last_seen: now,
            },
        );
        live.pending = None;
        // Make-before-break: the new socket is welcomed. The old one may still carry
        // messages sent before the switch, so it is read a little longer, then closed.
        if let Some((previous, _)) = live
            .draining
            .replace((old.socket, Some(later(now, DRAIN_AFTER_RECONNECT))))
        {
            self.actions.push_back(Action::Close {
                socket: previous,
                code: 1000,
                reason: "reconnected",
            });
            self.actions.push_back(Action::Forget { socket: previous });
        }
        self.actions.push_back(Action::Reconnected { session_id });
    }

    /// The current socket is gone: read a draining socket to its deadline, then open a
    /// fresh session.
    fn end_session(&mut self, now: Instant) {
        let Phase::Live(live) = std::mem::replace(&mut self.phase, Phase::Done) else {
            return;
        };
        if let Some((socket, _)) = live.pending {
            self.actions.push_back(Action::Forget { socket });
        }
        match live.draining {
            Some((socket, Some(until))) if until > now => {
                self.phase = Phase::Settling { socket, until };
            }
            Some((socket, _)) => {
                self.actions.push_back(Action::Close {
                    socket,
                    code: 1000,
                    reason: "reconnected",
                });
                self.actions.push_back(Action::Forget { socket });
                self.next_session(now);
            }
            None => self.next_session(now),
        }
    }

    /// After a session ended: a fresh one, unless reconnecting is off. A session that lasted
    /// [`STABLE_SESSION`] or carried a message after its welcome resets the backoff and is replaced at once, and so is the first
    /// one that ended sooner; a second short one in a row (a server closing every session
    /// right after its welcome) waits the next backoff delay, so such a server sees a
    /// bounded number of sockets per minute.
    fn next_session(&mut self, now: Instant) {
        if !self.timing.reconnect {
            self.finish();
            return;
        }
        let lasted = self.carried
            || self
                .welcomed_at
                .is_some_and(|at| now.saturating_duration_since(at) >= STABLE_SESSION);
        if lasted {
            self.backoff.reset();
        }
        if lasted || !self.ended_quickly {
            self.ended_quickly = !lasted;
            self.open_fresh(now);
            return;
        }
        match self.backoff.next_delay() {
            Some(delay) => {
                self.phase = Phase::Waiting {
                    until: later(now, delay),
                };
            }
            None => self.finish(),
        }
    }

    fn open_fresh(&mut self, now: Instant) {
        let socket = self.new_socket();
        self.phase = Phase::Connecting {
            socket,
            deadline: later(now, self.timing.welcome_timeout),
        };
        self.actions.push_back(Action::Open {
            socket,
            url: self.fresh_url.clone(),
        });
    }

    /// A fresh attempt failed: the first one is reported and ends the task; later ones
    /// back off and try again.
    fn fail_attempt(&mut self, socket: SocketId, error: Error, now: Instant) {
        self.actions.push_back(Action::Forget { socket });
        if !self.welcomed_once {
            self.actions.push_back(Action::Failed(error));
            self.finish();
            return;
        }
        self.actions.push_back(Action::ConnectFailed(error));
        match self.backoff.next_delay() {
            Some(delay) => {
                self.phase = Phase::Waiting {
                    until: later(now, delay),
                };
            }
            None => self.finish(),
        }
    }

    fn finish(&mut self) {
        self.phase = Phase::Done;
        self.actions.push_back(Action::Finished);
    }

    fn new_socket(&mut self) -> SocketId {
        self.next_socket += 1;
        SocketId(self.next_socket)
    }
}

/// The keepalive window a welcome announced, clamped to what Twitch documents; `fallback`
/// when it announced none.
fn announced_keepalive(announced: Option<u64>, fallback: Duration) -> Duration {
    let Some(seconds) = announced else {
        return fallback;
    };
    let clamped = Duration::from_secs(seconds).clamp(MIN_KEEPALIVE, MAX_KEEPALIVE);
    if clamped.as_secs() != seconds {
        tracing::warn!(
            announced = seconds,
            used = clamped.as_secs(),
            "welcome announced a keepalive outside 10..=600 s; clamped"
        );
    }
    clamped
}

/// `now + after`, saturating far in the future instead of panicking on overflow.
fn later(now: Instant, after: Duration) -> Instant {
    now.checked_add(after)
        .or_else(|| now.checked_add(FAR_FUTURE))
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    const FRESH: &str = "ws://127.0.0.1:1/ws?keepalive_timeout_seconds=10";
    const SECOND: Duration = Duration::from_secs(1);

    fn timing() -> Timing {
        Timing {
            keepalive: Duration::from_secs(10),
            grace: Duration::from_secs(2),
            welcome_timeout: Duration::from_secs(10),
            reconnect: true,
            backoff: Backoff::new()
                .initial_delay(SECOND)
                .jitter(0.0)
                .max_attempts(2),
        }
    }

    fn machine_with(timing: Timing) -> SessionState {
        SessionState::new(timing, FRESH.to_owned(), "ws://127.0.0.1:1/ws".to_owned())
    }

    fn actions(state: &mut SessionState) -> Vec<Action> {
        std::iter::from_fn(|| state.poll_action()).collect()
    }

    fn message(kind: &str, id: &str, payload: &Value) -> String {
        json!({
            "metadata": {"message_id": id, "message_type": kind, "message_timestamp": "2024-01-01T00:00:00Z"},
            "payload": payload,
        })
        .to_string()
    }

    fn welcome(session: &str, keepalive: &Value) -> String {
        message(
            "session_welcome",
            &format!("welcome-{session}"),
            &json!({"session": {"id": session, "status": "connected", "keepalive_timeout_seconds": keepalive}}),
        )
    }

    fn keepalive() -> String {
        message("session_keepalive", "k", &json!({}))
    }

    fn reconnect(url: &Value) -> String {
        message(
            "session_reconnect",
            "r",
            &json!({"session": {"id": "a", "status": "reconnecting", "keepalive_timeout_seconds": null, "reconnect_url": url}}),
        )
    }

    fn notification(id: &str) -> String {
        message(
            "notification",
            id,
            &json!({
                "subscription": {"id": "s1", "status": "enabled", "type": "stream.online", "version": "1",
                    "condition": {"broadcaster_user_id": "1337"}, "transport": {"method": "websocket", "session_id": "a"},
                    "created_at": "2024-01-01T00:00:00Z", "cost": 0},
                "event": {"id": "9", "broadcaster_user_id": "1337", "broadcaster_user_login": "cool",
                    "broadcaster_user_name": "Cool", "type": "live", "started_at": "2024-01-01T00:00:00Z"},
            }),
        )
    }

    /// The socket an `Open` action names.
    fn opened(actions: &[Action]) -> SocketId {
        actions
            .iter()
            .find_map(|action| match action {
                Action::Open { socket, .. } => Some(*socket),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no Open in {actions:?}"))
    }

    /// A machine started at `now`, and the socket it is waiting on for a welcome.
    fn opening(timing: Timing, now: Instant) -> (SessionState, SocketId) {
        let mut state = machine_with(timing);
        state.start(now);
        let socket = opened(&actions(&mut state));
        (state, socket)
    }

    /// A machine with a welcomed session `a` on the returned socket, welcomed at `now`.
    fn live(now: Instant) -> (SessionState, SocketId) {
        let (mut state, socket) = opening(timing(), now);
        state.on_text(socket, &welcome("a", &json!(10)), now);
        let welcomed = actions(&mut state);
        assert!(
            matches!(&welcomed[..], [Action::Welcomed { session_id, first: true }] if session_id == "a"),
            "{welcomed:?}"
        );
        (state, socket)
    }

    #[tokio::test(start_paused = true)]
    async fn opens_the_fresh_url_and_arms_the_welcome_timeout() {
        let now = Instant::now();
        let mut state = machine_with(timing());
        state.start(now);
        let opened = actions(&mut state);
        assert!(
            matches!(&opened[..], [Action::Open { url, .. }] if url == FRESH),
            "{opened:?}"
        );
        assert_eq!(state.deadline(), Some(now + 10 * SECOND));
    }

    #[tokio::test(start_paused = true)]
    async fn silence_past_keepalive_and_grace_drops_the_socket_for_a_fresh_one() {
        let start = Instant::now();
        let (mut state, socket) = live(start);
        assert_eq!(state.deadline(), Some(start + 12 * SECOND));
        // Any message restarts the window.
        state.on_text(socket, &keepalive(), start + 5 * SECOND);
        assert_eq!(state.deadline(), Some(start + 17 * SECOND));
        state.on_deadline(start + 16 * SECOND);
        assert!(actions(&mut state).is_empty(), "not yet");

        state.on_deadline(start + 17 * SECOND);
        let done = actions(&mut state);
        assert!(
            matches!(
                &done[..],
                [
                    Action::KeepaliveTimeout { keepalive },
                    Action::Close { socket: closed, code: 4000, .. },
                    Action::Forget { socket: forgotten },
                    Action::Open { url, .. },
                ] if *keepalive == 10 * SECOND && *closed == socket && *forgotten == socket && url == FRESH
            ),
            "{done:?}"
        );
    }

    /// Whatever the welcome says, the watchdog runs within Twitch's documented 10..=600 s,
    /// and nothing overflows.
    #[tokio::test(start_paused = true)]
    async fn hostile_welcome_keepalives_are_clamped() {
        let cases = [
            (json!(u64::MAX), 600),
            (json!(1e300), 600),
            (json!(601), 600),
            (json!(-30), 10),
            (json!(0), 10),
            (json!(3), 10),
            (json!(42), 42),
            (json!("soon"), 10), // not a number: the keepalive asked for
            (Value::Null, 10),
        ];
        for (announced, seconds) in cases {
            let now = Instant::now();
            let mut state = machine_with(timing());
            state.start(now);
            let socket = opened(&actions(&mut state));
            state.on_text(socket, &welcome("a", &announced), now);
            assert_eq!(state.session_id(), Some("a"), "{announced}");
            assert_eq!(
                state.deadline(),
                Some(now + Duration::from_secs(seconds) + 2 * SECOND),
                "{announced}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn absurd_configured_durations_do_not_overflow() {
        let now = Instant::now();
        let (mut state, socket) = opening(
            Timing {
                grace: Duration::MAX,
                welcome_timeout: Duration::MAX,
                ..timing()
            },
            now,
        );
        assert!(state.deadline().is_some_and(|at| at > now));
        state.on_text(socket, &welcome("a", &json!(600)), now);
        assert!(state.deadline().is_some_and(|at| at > now + 600 * SECOND));
    }

    #[tokio::test(start_paused = true)]
    async fn session_reconnect_is_make_before_break() {
        let start = Instant::now();
        let (mut state, old) = live(start);
        let url = "wss://eventsub.wss.twitch.tv/ws?challenge=x";
        state.on_text(old, &reconnect(&json!(url)), start + SECOND);
        let asked = actions(&mut state);
        assert!(
            matches!(&asked[..], [Action::Open { url: opened, .. }] if opened == url),
            "{asked:?}"
        );
        let new = opened(&asked);
        // Still served by the old socket meanwhile.
        state.on_text(old, &notification("n1"), start + 2 * SECOND);
        assert!(
            matches!(&actions(&mut state)[..], [Action::Notification { message_id, .. }] if message_id == "n1")
        );

        state.on_text(new, &welcome("a", &json!(30)), start + 3 * SECOND);
        let switched = actions(&mut state);
        assert!(
            matches!(&switched[..], [Action::Reconnected { session_id }] if session_id == "a"),
            "{switched:?}"
        );
        // The old socket is still read until the drain deadline, then closed (and still
        // read until it ends).
        let drain_at = start + 3 * SECOND + DRAIN_AFTER_RECONNECT;
        assert_eq!(state.deadline(), Some(drain_at));
        state.on_text(old, &notification("n2"), start + 3 * SECOND);
        assert!(
            matches!(&actions(&mut state)[..], [Action::Notification { message_id, .. }] if message_id == "n2")
        );
        state.on_deadline(drain_at);
        let closed = actions(&mut state);
        assert!(
            matches!(&closed[..], [Action::Close { socket, code: 1000, .. }] if *socket == old),
            "{closed:?}"
        );
        state.on_ended(old, Some(1000), String::new(), drain_at);
        assert!(matches!(&actions(&mut state)[..], [Action::Forget { socket }] if *socket == old));
        // The new socket's keepalive (30 s) now runs the watchdog.
        assert_eq!(state.deadline(), Some(start + 35 * SECOND));
        // Messages on the new socket count as current traffic.
        state.on_text(new, &keepalive(), start + 20 * SECOND);
        assert_eq!(state.deadline(), Some(start + 52 * SECOND));
    }

    #[tokio::test(start_paused = true)]
    async fn insecure_or_missing_reconnect_urls_are_refused() {
        let start = Instant::now();
        let (mut state, socket) = live(start);
        for url in [
            json!("ws://evil.example/ws"),
            json!("http://127.0.0.1/ws"),
            Value::Null,
        ] {
            state.on_text(socket, &reconnect(&url), start);
            let refused = actions(&mut state);
            assert!(
                matches!(&refused[..], [Action::Malformed(_)]),
                "{url}: {refused:?}"
            );
        }
        let insecure = {
            state.on_text(socket, &reconnect(&json!("ws://evil.example/ws")), start);
            actions(&mut state)
        };
        assert!(
            matches!(&insecure[..], [Action::Malformed(e)] if e.kind() == &ErrorKind::InsecureUrl)
        );
        // The session is untouched.
        assert_eq!(state.session_id(), Some("a"));
        assert_eq!(state.deadline(), Some(start + 12 * SECOND));
    }

    #[tokio::test(start_paused = true)]
    async fn a_reconnect_socket_without_a_welcome_is_abandoned() {
        let start = Instant::now();
        let (mut state, old) = live(start);
        state.on_text(old, &reconnect(&json!("ws://127.0.0.1:9/ws")), start);
        let pending = opened(&actions(&mut state));
        state.on_text(old, &keepalive(), start + 9 * SECOND);
        assert_eq!(state.deadline(), Some(start + 10 * SECOND));
        state.on_deadline(start + 10 * SECOND);
        assert!(
            matches!(&actions(&mut state)[..], [Action::Forget { socket }] if *socket == pending)
        );
        assert_eq!(state.session_id(), Some("a"));
        // A second reconnect replaces a first one still waiting.
        state.on_text(
            old,
            &reconnect(&json!("ws://127.0.0.1:9/ws")),
            start + 11 * SECOND,
        );
        let first = opened(&actions(&mut state));
        state.on_text(
            old,
            &reconnect(&json!("ws://127.0.0.1:9/ws")),
            start + 11 * SECOND,
        );
        let replaced = actions(&mut state);
        assert!(
            matches!(&replaced[..], [Action::Forget { socket }, Action::Open { .. }] if *socket == first),
            "{replaced:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_closed_session_reopens_at_once_and_failed_attempts_back_off() {
        let start = Instant::now();
        let (mut state, socket) = live(start);
        state.on_ended(socket, Some(4003), "unused".into(), start);
        let ended = actions(&mut state);
        assert!(
            matches!(
                &ended[..],
                [
                    Action::Disconnected {
                        code: Some(4003),
                        ..
                    },
                    Action::Forget { .. },
                    Action::Open { .. }
                ]
            ),
            "{ended:?}"
        );
        let fresh = opened(&ended);
        state.on_error(fresh, Error::new(ErrorKind::WebSocket), start);
        let failed = actions(&mut state);
        assert!(
            matches!(
                &failed[..],
                [Action::Forget { .. }, Action::ConnectFailed(_)]
            ),
            "{failed:?}"
        );
        assert_eq!(state.deadline(), Some(start + SECOND));
        state.on_deadline(start + SECOND);
        let retry = opened(&actions(&mut state));
        state.on_deadline(start + 11 * SECOND);
        let timed_out = actions(&mut state);
        assert!(
            matches!(&timed_out[..], [Action::Forget { socket }, Action::ConnectFailed(e)]
                if *socket == retry && matches!(e.kind(), ErrorKind::WelcomeTimeout { seconds: 10 })),
            "{timed_out:?}"
        );
        // Two attempts allowed: the next failure ends the task.
        let wait = state.deadline().expect("backing off");
        state.on_deadline(wait);
        let last = opened(&actions(&mut state));
        state.on_ended(last, None, "refused".into(), wait);
        let given_up = actions(&mut state);
        assert!(
            matches!(
                &given_up[..],
                [
                    Action::Forget { .. },
                    Action::ConnectFailed(_),
                    Action::Finished
                ]
            ),
            "{given_up:?}"
        );
        assert_eq!(state.deadline(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_session_that_lasted_resets_the_backoff() {
        let start = Instant::now();
        let (mut state, socket) = live(start);
        state.on_ended(socket, None, String::new(), start + STABLE_SESSION);
        let fresh = opened(&actions(&mut state));
        state.on_ended(fresh, None, String::new(), start + STABLE_SESSION);
        let _ = actions(&mut state);
        let later_on = start + STABLE_SESSION + SECOND;
        state.on_deadline(later_on);
        let again = opened(&actions(&mut state));
        state.on_text(again, &welcome("b", &json!(10)), later_on);
        assert!(matches!(
            &actions(&mut state)[..],
            [Action::Welcomed { first: false, .. }]
        ));
        let lasted = later_on + STABLE_SESSION;
        state.on_ended(again, None, String::new(), lasted);
        let reopened = opened(&actions(&mut state));
        state.on_ended(reopened, None, String::new(), lasted);
        let _ = actions(&mut state);
        assert_eq!(
            state.deadline(),
            Some(lasted + SECOND),
            "the first delay again"
        );
    }

    /// A server closing every session right after its welcome: each fresh session waits
    /// a growing backoff delay instead of opening at once (no reconnect storm).
    #[tokio::test(start_paused = true)]
    async fn sessions_closed_right_after_the_welcome_back_off() {
        let start = Instant::now();
        let (mut state, socket) = live(start);
        state.on_ended(socket, None, String::new(), start + STABLE_SESSION);
        let mut now = start + STABLE_SESSION;
        let mut current = opened(&actions(&mut state));
        // The first short session is replaced at once.
        state.on_text(current, &welcome("s", &json!(10)), now);
        let _ = actions(&mut state);
        state.on_ended(current, Some(4000), String::new(), now);
        current = opened(&actions(&mut state));
        let mut delays = Vec::new();
        for n in 0..2 {
            state.on_text(current, &welcome(&format!("s{n}"), &json!(10)), now);
            let _ = actions(&mut state);
            state.on_ended(current, Some(4000), String::new(), now);
            let _ = actions(&mut state);
            let until = state.deadline().expect("a backoff delay");
            delays.push(until - now);
            now = until;
            state.on_deadline(now);
            current = opened(&actions(&mut state));
        }
        assert!(
            delays[0] > Duration::ZERO && delays[1] > delays[0],
            "{delays:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_session_failing_is_reported_not_retried() {
        let now = Instant::now();
        let (mut state, socket) = opening(timing(), now);
        state.on_ended(socket, Some(1006), "refused".into(), now);
        let failed = actions(&mut state);
        assert!(
            matches!(&failed[..], [Action::Forget { .. }, Action::Failed(e), Action::Finished] if e.kind() == &ErrorKind::WebSocket),
            "{failed:?}"
        );
    }

    /// The current socket ends right after a reconnect: the old socket is still read until
    /// its drain deadline before the fresh session opens.
    #[tokio::test(start_paused = true)]
    async fn a_draining_socket_is_read_to_its_deadline_before_a_fresh_session() {
        let start = Instant::now();
        let (mut state, old) = live(start);
        state.on_text(old, &reconnect(&json!("ws://127.0.0.1:9/ws")), start);
        let new = opened(&actions(&mut state));
        state.on_text(new, &welcome("a", &json!(10)), start);
        let _ = actions(&mut state);
        state.on_ended(
            new,
            Some(4000),
            String::new(),
            start + 100 * Duration::from_millis(1),
        );
        let ended = actions(&mut state);
        assert!(
            matches!(
                &ended[..],
                [Action::Disconnected { .. }, Action::Forget { .. }]
            ),
            "no fresh session yet: {ended:?}"
        );
        state.on_text(
            old,
            &notification("late"),
            start + 200 * Duration::from_millis(1),
        );
        assert!(matches!(
            &actions(&mut state)[..],
            [Action::Notification { .. }]
        ));
        state.on_deadline(start + DRAIN_AFTER_RECONNECT);
        let fresh = actions(&mut state);
        assert!(
            matches!(
                &fresh[..],
                [Action::Close { socket: c, .. }, Action::Forget { socket: f }, Action::Open { url, .. }]
                    if *c == old && *f == old && url == FRESH
            ),
            "{fresh:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn stopping_closes_and_waits_briefly_for_the_socket() {
        let start = Instant::now();
        let (mut state, socket) = live(start);
        state.stop(start);
        let stopping = actions(&mut state);
        assert!(
            matches!(
                &stopping[..],
                [Action::Close {
                    code: 1000,
                    reason: "client stopping",
                    ..
                }]
            ),
            "{stopping:?}"
        );
        state.on_text(socket, &notification("ignored"), start);
        assert!(
            actions(&mut state).is_empty(),
            "nothing is delivered while stopping"
        );
        assert_eq!(state.deadline(), Some(start + STOP_GRACE));
        state.on_deadline(start + STOP_GRACE);
        assert!(matches!(
            &actions(&mut state)[..],
            [Action::Forget { .. }, Action::Finished]
        ));

        let (mut state, socket) = live(start);
        state.stop(start);
        let _ = actions(&mut state);
        state.on_ended(socket, Some(1000), String::new(), start);
        assert!(matches!(
            &actions(&mut state)[..],
            [Action::Forget { .. }, Action::Finished]
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn without_reconnect_the_task_ends_with_the_session() {
        let now = Instant::now();
        let (mut state, socket) = opening(
            Timing {
                reconnect: false,
                ..timing()
            },
            now,
        );
        state.on_text(socket, &welcome("a", &json!(10)), now);
        let _ = actions(&mut state);
        state.on_ended(socket, Some(4001), String::new(), now);
        let ended = actions(&mut state);
        assert!(
            matches!(
                &ended[..],
                [
                    Action::Disconnected { .. },
                    Action::Forget { .. },
                    Action::Finished
                ]
            ),
            "{ended:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn failed_setup_is_retried_every_few_seconds() {
        let start = Instant::now();
        let (mut state, _) = live(start);
        state.on_setup(false, start);
        assert_eq!(state.deadline(), Some(start + ASSIGN_RETRY));
        state.on_deadline(start + ASSIGN_RETRY);
        assert!(
            matches!(&actions(&mut state)[..], [Action::RetrySetup { session_id }] if session_id == "a")
        );
        state.on_setup(true, start + ASSIGN_RETRY);
        assert_eq!(
            state.deadline(),
            Some(start + 12 * SECOND),
            "only the watchdog is left"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn messages_before_the_welcome_and_from_unknown_sockets_are_ignored() {
        let now = Instant::now();
        let (mut state, socket) = opening(timing(), now);
        state.on_text(socket, &notification("early"), now);
        state.on_text(socket, "{not json", now);
        assert!(actions(&mut state).is_empty());
        state.on_text(SocketId(99), &welcome("x", &json!(10)), now);
        state.on_ended(SocketId(99), None, String::new(), now);
        assert!(actions(&mut state).is_empty());
        assert_eq!(state.session_id(), None);
    }
}
