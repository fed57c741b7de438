//! The task behind a session or a conduit shard: a thin loop that feeds the
//! [`SessionState`] machine socket events, timer expiries and commands, and performs what
//! it asks (open and close sockets, deliver messages once, set sessions up). What a session
//! is set up *for* lives here too: a user session's subscriptions, a shard's assignment.

use std::sync::Arc;

use parking_lot::Mutex;

use core_events::EventHub;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
use transport_ws::{WsEvent, WsMessage};

use crate::dedupe::RecentIds;
use crate::endpoints::Endpoints;
use crate::error::{Error, ErrorKind};
use crate::event_out::{Counters, EventSubEvent};
use crate::limits::{self, CostBudget};
use crate::session_state::{Action, SessionState};
use crate::sockets::Sockets;
use crate::subscription::SubscriptionRequest;
use svc_helix::{
    ConduitId, ConduitShard, EventSubTransport, HelixClient, Subscription, SubscriptionId,
};

pub(crate) use crate::session_state::Timing;

/// What the task does with a welcome.
#[derive(Debug)]
pub(crate) enum Role {
    /// A user session: owns its subscriptions and re-creates them on fresh sessions.
    User {
        desired: Vec<Desired>,
        budget: CostBudget,
    },
    /// A conduit shard: assigns itself to the shard on every new session id.
    Shard {
        conduit_id: String,
        shard_id: u32,
        assigned: Option<String>,
    },
}

/// A subscription the user asked for, and its live counterpart on the current session.
#[derive(Debug, Clone)]
pub(crate) struct Desired {
    pub(crate) request: SubscriptionRequest,
    pub(crate) active: Option<Subscription>,
}

/// Commands from the handle.
#[derive(Debug)]
pub(crate) enum Command {
    Subscribe(
        SubscriptionRequest,
        oneshot::Sender<Result<Subscription, Error>>,
    ),
    Unsubscribe(String, oneshot::Sender<Result<(), Error>>),
    List(oneshot::Sender<Vec<Subscription>>),
    Stop,
}

/// Everything the task needs.
pub(crate) struct Driver {
    pub(crate) endpoints: Endpoints,
    pub(crate) helix: HelixClient,
    pub(crate) timing: Timing,
    pub(crate) role: Role,
    pub(crate) hub: EventHub<EventSubEvent>,
    pub(crate) dedupe: Arc<Mutex<RecentIds>>,
    pub(crate) counters: Arc<Counters>,
    pub(crate) commands: mpsc::UnboundedReceiver<Command>,
    pub(crate) session: watch::Sender<Option<String>>,
}

/// Sleeps until `deadline`, or forever without one.
async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

impl Driver {
    /// Runs until stopped. `first` learns whether the first session came up.
    pub(crate) async fn run(mut self, first: oneshot::Sender<Result<String, Error>>) {
        let mut first = Some(first);
        let mut sockets = Sockets::default();
        let mut state = SessionState::new(
            self.timing.clone(),
            self.endpoints.session_url(self.timing.keepalive),
            self.endpoints.ws_url.clone(),
        );
        let mut commands_open = true;
        state.start(Instant::now());
        loop {
            while let Some(action) = state.poll_action() {
                if self
                    .perform(action, &mut state, &mut sockets, &mut first)
                    .await
                {
                    return;
                }
            }
            tokio::select! {
                (socket, event) = sockets.next() => {
                    let now = Instant::now();
                    match event {
                        Some(WsEvent::Message(WsMessage::Text(text))) => state.on_text(socket, &text, now),
                        Some(WsEvent::Error(error)) => {
                            state.on_error(socket, Error::with_source(ErrorKind::WebSocket, error), now);
                        }
                        Some(WsEvent::Closed { code, reason, .. }) => state.on_ended(socket, code, reason, now),
                        None => state.on_ended(socket, None, "connection ended".into(), now),
                        Some(_) => {}
                    }
                }
                () = sleep_until(state.deadline()) => state.on_deadline(Instant::now()),
                command = self.commands.recv(), if commands_open => match command {
                    None | Some(Command::Stop) => {
                        commands_open = false;
                        state.stop(Instant::now());
                    }
                    Some(command) => self.command(command).await,
                },
            }
        }
    }

    /// Does what the machine asked; `true` when the task is finished.
    async fn perform(
        &mut self,
        action: Action,
        state: &mut SessionState,
        sockets: &mut Sockets,
        first: &mut Option<oneshot::Sender<Result<String, Error>>>,
    ) -> bool {
        let shard = self.shard();
        match action {
            Action::Open { socket, url } => {
                if let Err(error) = sockets.open(socket, &url, self.timing.welcome_timeout) {
                    state.on_open_failed(socket, error, Instant::now());
                }
            }
            Action::Close {
                socket,
                code,
                reason,
            } => sockets.close(socket, code, reason),
            Action::Forget { socket } => sockets.forget(socket),
            Action::Welcomed {
                session_id,
                first: is_first,
            } => {
                if !is_first {
                    Counters::bump(&self.counters.fresh_sessions);
                }
                tracing::info!(shard = ?shard, "EventSub session welcomed");
                let complete = self.on_welcome(&session_id, true).await;
                state.on_setup(complete, Instant::now());
                self.hub.publish(EventSubEvent::Connected {
                    shard,
                    session_id: session_id.clone(),
                });
                if let Some(first) = first.take() {
                    let _ = first.send(Ok(session_id));
                }
            }
            Action::Reconnected { session_id } => {
                Counters::bump(&self.counters.reconnects);
                let complete = self.on_welcome(&session_id, false).await;
                state.on_setup(complete, Instant::now());
                self.hub
                    .publish(EventSubEvent::Reconnected { shard, session_id });
            }
            Action::RetrySetup { session_id } => {
                let complete = self.on_welcome(&session_id, false).await;
                state.on_setup(complete, Instant::now());
            }
            Action::Notification {
                message_id,
                notification,
            } => {
                if self.first_time(&message_id) {
                    Counters::bump(&self.counters.notifications);
                    self.hub.publish(EventSubEvent::Notification {
                        shard,
                        message_id,
                        notification,
                    });
                }
            }
            Action::Revocation {
                message_id,
                subscription,
            } => {
                if self.first_time(&message_id) {
                    self.revoked(subscription);
                }
            }
            Action::Malformed(error) => self.malformed(&error),
            Action::Disconnected { code, reason } => self.closed(code, reason),
            Action::KeepaliveTimeout { keepalive } => {
                Counters::bump(&self.counters.keepalive_timeouts);
                tracing::warn!(shard = ?shard, ?keepalive, "no EventSub message within keepalive + grace");
                self.hub.publish(EventSubEvent::Disconnected {
                    shard,
                    code: None,
                    reason: "keepalive timeout".into(),
                });
            }
            Action::ConnectFailed(error) => {
                tracing::warn!(%error, shard = ?shard, "EventSub connect failed");
            }
            Action::Failed(error) => {
                if let Some(first) = first.take() {
                    let _ = first.send(Err(error));
                }
            }
            Action::Finished => return true,
        }
        false
    }

    fn shard(&self) -> Option<u32> {
        match &self.role {
            Role::Shard { shard_id, .. } => Some(*shard_id),
            Role::User { .. } => None,
        }
    }

    /// After a welcome: a fresh user session re-creates every subscription; a shard assigns
    /// itself when its session id changed. `false` when a shard's assignment failed (the
    /// machine then retries it).
    async fn on_welcome(&mut self, session_id: &str, fresh: bool) -> bool {
        let _ = self.session.send(Some(session_id.to_owned()));
        match &self.role {
            Role::User { .. } => {
                if fresh {
                    self.resubscribe(session_id).await;
                }
                true
            }
            Role::Shard { .. } => self.assign(session_id).await,
        }
    }

    /// Re-creates every wanted subscription on a fresh session. One Twitch refused for
    /// good (4xx) is dropped; one that failed otherwise stays wanted for the next session.
    async fn resubscribe(&mut self, session_id: &str) {
        let shard = self.shard();
        let Role::User { desired, budget } = &mut self.role else {
            return;
        };
        let transport = EventSubTransport::websocket(session_id);
        let mut kept = Vec::with_capacity(desired.len());
        for mut wanted in desired.drain(..) {
            match wanted.request.create(&self.helix, &transport).await {
                Ok((subscription, totals)) => {
                    budget.learn(&totals);
                    wanted.active = Some(subscription);
                    kept.push(wanted);
                }
                Err(error) => {
                    tracing::warn!(%error, kind = wanted.request.kind, "re-subscribing failed");
                    let retryable = session_gone(&error)
                        || !matches!(
                            error.kind(),
                            ErrorKind::Status {
                                status: 400..=499,
                                ..
                            }
                        );
                    self.hub.publish(EventSubEvent::SubscribeFailed {
                        shard,
                        kind: wanted.request.kind.clone(),
                        reason: error.to_string(),
                    });
                    if retryable {
                        wanted.active = None;
                        kept.push(wanted);
                    }
                }
            }
        }
        *desired = kept;
    }

    /// Assigns the shard to `session_id` unless it already is; `false` when that failed.
    async fn assign(&mut self, session_id: &str) -> bool {
        let shard = self.shard();
        let Role::Shard {
            conduit_id,
            shard_id,
            assigned,
        } = &mut self.role
        else {
            return true;
        };
        if assigned.as_deref() == Some(session_id) {
            return true;
        }
        let reason = match self
            .helix
            .update_conduit_shards(
                &ConduitId::from(conduit_id.as_str()),
                &[ConduitShard::websocket(*shard_id, session_id)],
            )
            .await
        {
            Ok(update) if update.errors.is_empty() => {
                *assigned = Some(session_id.to_owned());
                return true;
            }
            Ok(update) => update
                .errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            Err(error) => Error::helix("update conduit shards", error).to_string(),
        };
        self.hub.publish(EventSubEvent::SubscribeFailed {
            shard,
            kind: "conduit shard".into(),
            reason,
        });
        false
    }

    async fn command(&mut self, command: Command) {
        match command {
            Command::Subscribe(request, reply) => {
                let _ = reply.send(self.subscribe(request).await);
            }
            Command::Unsubscribe(id, reply) => {
                let result = self
                    .helix
                    .delete_subscription(&SubscriptionId::from(id.as_str()))
                    .await
                    .map_err(|e| Error::helix("delete subscription", e));
                if let Role::User { desired, .. } = &mut self.role {
                    desired.retain(|d| d.active.as_ref().is_none_or(|s| s.id != id.as_str()));
                }
                let _ = reply.send(result);
            }
            Command::List(reply) => {
                let list = match &self.role {
                    Role::User { desired, .. } => {
                        desired.iter().filter_map(|d| d.active.clone()).collect()
                    }
                    Role::Shard { .. } => Vec::new(),
                };
                let _ = reply.send(list);
            }
            Command::Stop => {}
        }
    }

    async fn subscribe(&mut self, request: SubscriptionRequest) -> Result<Subscription, Error> {
        let session_id = self
            .session
            .borrow()
            .clone()
            .ok_or_else(|| Error::new(ErrorKind::Stopped))?;
        let Role::User { desired, budget } = &mut self.role else {
            return Err(Error::config("subscribe through the conduit, not a shard"));
        };
        limits::check_new_subscription(desired.len(), budget)?;
        let (subscription, totals) = request
            .create_or_existing(&self.helix, &EventSubTransport::websocket(session_id))
            .await?;
        if let Some(totals) = totals {
            budget.learn(&totals);
        }
        if desired
            .iter()
            .any(|d| d.active.as_ref().is_some_and(|s| s.id == subscription.id))
        {
            // A 409: already wanted and live, kept once.
            return Ok(subscription);
        }
        desired.push(Desired {
            request,
            active: Some(subscription.clone()),
        });
        Ok(subscription)
    }

    /// Twitch revoked a subscription: it is gone from the wanted set.
    fn revoked(&mut self, subscription: Box<Subscription>) {
        if let Role::User { desired, .. } = &mut self.role {
            desired.retain(|d| d.active.as_ref().is_none_or(|s| s.id != subscription.id));
        }
        tracing::info!(
            kind = subscription.kind,
            status = subscription.status,
            "subscription revoked"
        );
        self.hub.publish(EventSubEvent::Revoked {
            shard: self.shard(),
            subscription,
        });
    }

    fn closed(&self, code: Option<u16>, reason: String) {
        let meaning = match code {
            Some(4000) => "internal server error",
            Some(4001) => "client sent inbound traffic",
            Some(4002) => "client failed ping-pong",
            Some(4003) => "connection unused: subscribe sooner after the welcome",
            Some(4004) => "reconnect grace time expired",
            Some(4005) => "network timeout",
            Some(4006) => "network error",
            Some(4007) => "invalid reconnect: starting a fresh session",
            _ => "connection closed",
        };
        tracing::warn!(shard = ?self.shard(), ?code, %reason, meaning, "EventSub socket closed");
        self.hub.publish(EventSubEvent::Disconnected {
            shard: self.shard(),
            code,
            reason,
        });
    }

    fn malformed(&self, error: &Error) {
        Counters::bump(&self.counters.malformed);
        tracing::warn!(%error, "malformed EventSub message");
        self.hub.publish(EventSubEvent::Malformed {
            shard: self.shard(),
            reason: error.to_string(),
        });
    }

    fn first_time(&self, message_id: &str) -> bool {
        let fresh = self.dedupe.lock().first_time(message_id);
        if !fresh {
            Counters::bump(&self.counters.duplicates);
            tracing::debug!(message_id, "duplicate EventSub message dropped");
        }
        fresh
    }
}

/// Twitch refused a subscription because its WebSocket session had already ended (400
/// "websocket transport session does not exist or has already disconnected"): not refused
/// for good, the next session re-creates it.
fn session_gone(error: &Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::Status { status: 400, message, .. }
            if message.contains("session") && message.contains("disconnected")
    )
}
