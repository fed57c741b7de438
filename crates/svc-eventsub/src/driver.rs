//! The task behind a session or a conduit shard: owns the sockets, the keepalive watchdog,
//! make-before-break reconnects, fresh sessions after drops, dedupe and re-subscribing.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use core_events::EventHub;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
use transport_ws::{Backoff, CloseAction, WsClient, WsConfig, WsEvent, WsMessage};

use crate::dedupe::RecentIds;
use crate::endpoints::Endpoints;
use crate::error::{Error, ErrorKind};
use crate::event_out::{Counters, EventSubEvent};
use crate::limits;
use crate::message::{Envelope, Message};
use crate::subscription::SubscriptionRequest;
use svc_helix::{
    ConduitId, ConduitShard, EventSubTransport, HelixClient, Subscription, SubscriptionId,
};

/// How often a shard whose assignment failed tries `PATCH /eventsub/conduits/shards` again.
pub(crate) const ASSIGN_RETRY: Duration = Duration::from_secs(5);

/// How long the old socket is still read after a reconnect's welcome before it is closed.
const DRAIN_AFTER_RECONNECT: Duration = Duration::from_millis(250);

/// Timing and behaviour shared by sessions and shards.
#[derive(Debug, Clone)]
pub(crate) struct Timing {
    pub(crate) keepalive: Duration,
    pub(crate) grace: Duration,
    pub(crate) welcome_timeout: Duration,
    pub(crate) reconnect: bool,
    pub(crate) backoff: Backoff,
}

/// What the task does with a welcome.
#[derive(Debug)]
pub(crate) enum Role {
    /// A user session: owns its subscriptions and re-creates them on fresh sessions.
    User {
        desired: Vec<Desired>,
        total_cost: u64,
        max_total_cost: u64,
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

/// One socket.
struct Conn {
    client: WsClient,
    session_id: String,
    keepalive: Duration,
    last_seen: Instant,
}

enum Outcome {
    Fresh,
    Stop,
}

fn open(url: &str, timing: &Timing) -> Result<WsClient, Error> {
    // One connection per client: this task decides where and when to reconnect.
    let config = WsConfig::builder(url)
        .backoff(Backoff::new().max_attempts(0))
        .close_classifier(|_: Option<&transport_ws::CloseFrame>| CloseAction::Stop)
        .connect_timeout(timing.welcome_timeout)
        .build()
        .map_err(|e| {
            Error::with_source(
                ErrorKind::Config {
                    reason: format!("WebSocket URL {url:?}"),
                },
                e,
            )
        })?;
    Ok(WsClient::start(config))
}

/// Reads until the welcome, or fails.
async fn welcome(client: &mut WsClient, timing: &Timing) -> Result<(String, Option<u64>), Error> {
    let wait = async {
        loop {
            match client.next_event().await {
                Some(WsEvent::Message(WsMessage::Text(text))) => match Envelope::parse(&text) {
                    Ok(Envelope {
                        message: Message::Welcome(info),
                        ..
                    }) => {
                        return Ok((info.id, info.keepalive_timeout_seconds));
                    }
                    Ok(other) => tracing::debug!(
                        kind = other.metadata.message_type,
                        "message before welcome ignored"
                    ),
                    Err(error) => tracing::warn!(%error, "malformed message before welcome"),
                },
                Some(WsEvent::Error(error)) => {
                    return Err(Error::with_source(ErrorKind::WebSocket, error));
                }
                Some(WsEvent::Closed { code, reason, .. }) => {
                    return Err(Error::with_source(
                        ErrorKind::WebSocket,
                        format!("closed before welcome: {code:?} {reason}"),
                    ));
                }
                None => return Err(Error::new(ErrorKind::WebSocket)),
                Some(_) => {}
            }
        }
    };
    tokio::time::timeout(timing.welcome_timeout, wait)
        .await
        .unwrap_or_else(|_| {
            Err(Error::new(ErrorKind::WelcomeTimeout {
                seconds: timing.welcome_timeout.as_secs(),
            }))
        })
}

impl Driver {
    /// When a shard is not assigned to `session_id` (its last `PATCH` failed): the time of
    /// the next attempt.
    fn assign_retry(&self, session_id: &str, last_attempt: Instant) -> Option<Instant> {
        match &self.role {
            Role::Shard { assigned, .. } if assigned.as_deref() != Some(session_id) => {
                Some(last_attempt + ASSIGN_RETRY)
            }
            _ => None,
        }
    }

    fn shard(&self) -> Option<u32> {
        match &self.role {
            Role::Shard { shard_id, .. } => Some(*shard_id),
            Role::User { .. } => None,
        }
    }

    async fn fresh(&mut self) -> Result<Conn, Error> {
        let url = self.endpoints.session_url(self.timing.keepalive);
        let mut client = open(&url, &self.timing)?;
        let (session_id, keepalive) = welcome(&mut client, &self.timing).await?;
        let keepalive = keepalive.map_or(self.timing.keepalive, Duration::from_secs);
        tracing::info!(shard = ?self.shard(), "EventSub session welcomed");
        Ok(Conn {
            client,
            session_id,
            keepalive,
            last_seen: Instant::now(),
        })
    }

    /// Runs until stopped. `first` learns whether the first session came up.
    pub(crate) async fn run(mut self, first: oneshot::Sender<Result<String, Error>>) {
        let mut first = Some(first);
        let mut backoff = self.timing.backoff.clone();
        loop {
            let conn = match self.fresh().await {
                Ok(conn) => conn,
                Err(error) => {
                    if let Some(first) = first.take() {
                        let _ = first.send(Err(error));
                        return;
                    }
                    tracing::warn!(%error, shard = ?self.shard(), "EventSub connect failed");
                    let Some(delay) = backoff.next_delay() else {
                        return;
                    };
                    if self.idle(delay).await {
                        return;
                    }
                    continue;
                }
            };
            backoff.reset();
            if first.is_none() {
                Counters::bump(&self.counters.fresh_sessions);
            }
            self.on_welcome(&conn.session_id, true).await;
            self.hub.publish(EventSubEvent::Connected {
                shard: self.shard(),
                session_id: conn.session_id.clone(),
            });
            if let Some(first) = first.take() {
                let _ = first.send(Ok(conn.session_id.clone()));
            }
            match self.connected(conn).await {
                Outcome::Stop => return,
                Outcome::Fresh if !self.timing.reconnect => return,
                Outcome::Fresh => {}
            }
        }
    }

    /// Waits out a backoff delay; `true` when told to stop meanwhile.
    async fn idle(&mut self, delay: Duration) -> bool {
        let sleep = tokio::time::sleep(delay);
        tokio::pin!(sleep);
        loop {
            tokio::select! {
                () = &mut sleep => return false,
                command = self.commands.recv() => match command {
                    None | Some(Command::Stop) => return true,
                    Some(command) => self.command(command).await,
                },
            }
        }
    }

    /// After a welcome: a fresh user session re-creates every subscription; a shard assigns
    /// itself when its session id changed.
    async fn on_welcome(&mut self, session_id: &str, fresh: bool) {
        let _ = self.session.send(Some(session_id.to_owned()));
        let shard = self.shard();
        match &mut self.role {
            Role::User {
                desired,
                total_cost,
                max_total_cost,
            } => {
                if !fresh {
                    return;
                }
                let transport = EventSubTransport::websocket(session_id);
                let mut kept = Vec::with_capacity(desired.len());
                for mut wanted in desired.drain(..) {
                    match wanted.request.create(&self.helix, &transport).await {
                        Ok((subscription, totals)) => {
                            *total_cost = totals.total_cost;
                            *max_total_cost = totals.max_total_cost.max(1);
                            wanted.active = Some(subscription);
                            kept.push(wanted);
                        }
                        Err(error) => {
                            tracing::warn!(%error, kind = wanted.request.kind, "re-subscribing failed");
                            let retryable = !matches!(
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
            Role::Shard {
                conduit_id,
                shard_id,
                assigned,
            } => {
                if assigned.as_deref() == Some(session_id) {
                    return;
                }
                match self
                    .helix
                    .update_conduit_shards(
                        &ConduitId::from(conduit_id.as_str()),
                        &[ConduitShard::websocket(*shard_id, session_id)],
                    )
                    .await
                {
                    Ok(update) if update.errors.is_empty() => {
                        *assigned = Some(session_id.to_owned());
                    }
                    Ok(update) => {
                        let reason = update
                            .errors
                            .iter()
                            .map(|e| e.message.as_str())
                            .collect::<Vec<_>>()
                            .join("; ");
                        self.hub.publish(EventSubEvent::SubscribeFailed {
                            shard,
                            kind: "conduit shard".into(),
                            reason,
                        });
                    }
                    Err(error) => {
                        let error = Error::helix("update conduit shards", error);
                        self.hub.publish(EventSubEvent::SubscribeFailed {
                            shard,
                            kind: "conduit shard".into(),
                            reason: error.to_string(),
                        });
                    }
                }
            }
        }
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
        let Role::User {
            desired,
            total_cost,
            max_total_cost,
        } = &mut self.role
        else {
            return Err(Error::config("subscribe through the conduit, not a shard"));
        };
        limits::check_new_subscription(desired.len(), *total_cost, *max_total_cost)?;
        let (subscription, totals) = request
            .create(&self.helix, &EventSubTransport::websocket(session_id))
            .await?;
        *total_cost = totals.total_cost;
        *max_total_cost = totals.max_total_cost.max(1);
        desired.push(Desired {
            request,
            active: Some(subscription.clone()),
        });
        Ok(subscription)
    }

    /// Serves one session until it must be replaced by a fresh one (or the task stops).
    async fn connected(&mut self, mut current: Conn) -> Outcome {
        let mut pending: Option<(WsClient, Instant)> = None;
        let mut draining: Option<WsClient> = None;
        let mut drain_deadline: Option<Instant> = None;
        let mut assigned_at = Instant::now();
        loop {
            let watchdog = current.last_seen + current.keepalive + self.timing.grace;
            let pending_deadline = pending.as_ref().map(|(_, deadline)| *deadline);
            let assign_retry = self.assign_retry(&current.session_id, assigned_at);
            tokio::select! {
                event = current.client.next_event() => match event {
                    Some(WsEvent::Message(WsMessage::Text(text))) => {
                        current.last_seen = Instant::now();
                        if let Some(url) = self.message(&text) {
                            match open(&url, &self.timing) {
                                Ok(client) => pending = Some((client, Instant::now() + self.timing.welcome_timeout)),
                                Err(error) => tracing::warn!(%error, "could not open the reconnect URL"),
                            }
                        }
                    }
                    Some(WsEvent::Closed { code, reason, .. }) => {
                        self.closed(code, reason);
                        break;
                    }
                    None => {
                        self.closed(None, "connection ended".into());
                        break;
                    }
                    Some(_) => {}
                },
                event = async { pending.as_mut().map(|(c, _)| c).expect("guarded").next_event().await }, if pending.is_some() => {
                    match event {
                        Some(WsEvent::Message(WsMessage::Text(text))) => match Envelope::parse(&text) {
                            Ok(Envelope { message: Message::Welcome(info), .. }) => {
                                let (client, _) = pending.take().expect("guarded");
                                let keepalive = info.keepalive_timeout_seconds.map_or(current.keepalive, Duration::from_secs);
                                let old = std::mem::replace(&mut current, Conn { client, session_id: info.id, keepalive, last_seen: Instant::now() });
                                // Make-before-break: the new socket is welcomed. The old one may still
                                // carry messages sent before the switch, so read it a little longer
                                // and close it after DRAIN_AFTER_RECONNECT (a close discards what
                                // arrives after it).
                                if let Some(previous) = draining.take() {
                                    let _ = previous.sender().close(1000, "reconnected");
                                }
                                draining = Some(old.client);
                                drain_deadline = Some(Instant::now() + DRAIN_AFTER_RECONNECT);
                                Counters::bump(&self.counters.reconnects);
                                self.on_welcome(&current.session_id, false).await;
                                self.hub.publish(EventSubEvent::Reconnected { shard: self.shard(), session_id: current.session_id.clone() });
                            }
                            Ok(_) => { let _ = self.message(&text); }
                            Err(error) => self.malformed(&error),
                        },
                        Some(WsEvent::Closed { .. }) | None => {
                            tracing::warn!("reconnect socket ended before its welcome");
                            pending = None;
                        }
                        Some(_) => {}
                    }
                }
                event = async { draining.as_mut().expect("guarded").next_event().await }, if draining.is_some() => {
                    match event {
                        Some(WsEvent::Message(WsMessage::Text(text))) => { let _ = self.message(&text); }
                        Some(WsEvent::Closed { .. }) | None => {
                            draining = None;
                            drain_deadline = None;
                        }
                        Some(_) => {}
                    }
                }
                () = async { tokio::time::sleep_until(drain_deadline.expect("guarded")).await }, if drain_deadline.is_some() => {
                    drain_deadline = None;
                    if let Some(old) = &draining {
                        let _ = old.sender().close(1000, "reconnected");
                    }
                }
                () = async { tokio::time::sleep_until(assign_retry.expect("guarded")).await }, if assign_retry.is_some() => {
                    assigned_at = Instant::now();
                    tracing::debug!(shard = ?self.shard(), "assigning the shard again");
                    self.on_welcome(&current.session_id, false).await;
                }
                () = tokio::time::sleep_until(watchdog) => {
                    self.keepalive_timeout(&current);
                    break;
                }
                () = async { tokio::time::sleep_until(pending_deadline.expect("guarded")).await }, if pending_deadline.is_some() => {
                    tracing::warn!("no welcome on the reconnect URL in time");
                    pending = None;
                }
                command = self.commands.recv() => match command {
                    None | Some(Command::Stop) => {
                        let _ = current.client.sender().close(1000, "client stopping");
                        let _ = tokio::time::timeout(Duration::from_secs(2), async { while current.client.next_event().await.is_some() {} }).await;
                        return Outcome::Stop;
                    }
                    Some(command) => self.command(command).await,
                },
            }
        }
        // The socket is gone; a reconnect's old socket may still hold messages sent before
        // the switch. Read them before the fresh session starts.
        self.finish_draining(draining, drain_deadline).await;
        Outcome::Fresh
    }

    /// No message within keepalive + grace: the socket counts as dead.
    fn keepalive_timeout(&self, current: &Conn) {
        Counters::bump(&self.counters.keepalive_timeouts);
        tracing::warn!(shard = ?self.shard(), keepalive = ?current.keepalive, "no EventSub message within keepalive + grace");
        let _ = current.client.sender().close(4000, "keepalive timeout");
        self.hub.publish(EventSubEvent::Disconnected {
            shard: self.shard(),
            code: None,
            reason: "keepalive timeout".into(),
        });
    }

    /// Reads what a reconnect's old socket still holds, until `deadline`, then closes it.
    async fn finish_draining(&mut self, draining: Option<WsClient>, deadline: Option<Instant>) {
        let Some(mut old) = draining else { return };
        let deadline = deadline.unwrap_or_else(Instant::now);
        while let Ok(Some(event)) = tokio::time::timeout_at(deadline, old.next_event()).await {
            if let WsEvent::Message(WsMessage::Text(text)) = event {
                let _ = self.message(&text);
            }
        }
        let _ = old.sender().close(1000, "reconnected");
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
        let fresh = self
            .dedupe
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .first_time(message_id);
        if !fresh {
            Counters::bump(&self.counters.duplicates);
            tracing::debug!(message_id, "duplicate EventSub message dropped");
        }
        fresh
    }

    /// Handles one text message; returns a reconnect URL to open.
    fn message(&mut self, text: &str) -> Option<String> {
        let envelope = match Envelope::parse(text) {
            Ok(envelope) => envelope,
            Err(error) => {
                self.malformed(&error);
                return None;
            }
        };
        let shard = self.shard();
        match envelope.message {
            Message::Notification(notification) => {
                if self.first_time(&envelope.metadata.message_id) {
                    Counters::bump(&self.counters.notifications);
                    self.hub.publish(EventSubEvent::Notification {
                        shard,
                        message_id: envelope.metadata.message_id,
                        notification,
                    });
                }
            }
            Message::Revocation(subscription) => {
                if self.first_time(&envelope.metadata.message_id) {
                    if let Role::User { desired, .. } = &mut self.role {
                        desired
                            .retain(|d| d.active.as_ref().is_none_or(|s| s.id != subscription.id));
                    }
                    tracing::info!(
                        kind = subscription.kind,
                        status = subscription.status,
                        "subscription revoked"
                    );
                    self.hub.publish(EventSubEvent::Revoked {
                        shard,
                        subscription,
                    });
                }
            }
            Message::Reconnect(info) => {
                return info.reconnect_url.or_else(|| {
                    self.malformed(&Error::malformed("session_reconnect without reconnect_url"));
                    None
                });
            }
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
}
