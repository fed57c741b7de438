//! [`EventSubClient`]: one user-token WebSocket session with its subscriptions.

use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use core_events::{EventHub, EventStream};
use svc_helix::{AccessToken, HelixClient, TWITCH_AUTH_URL, TokenManager, TokenStore, UserId};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;
use transport_ws::Backoff;

use crate::dedupe::RecentIds;
use crate::driver::{Command, Desired, Driver, Role, Timing};
use crate::endpoints::Endpoints;
use crate::error::{Error, ErrorKind};
use crate::event_out::{Counters, EventSubEvent, SessionStats};
use crate::limits::{CostBudget, SessionSlot};
use crate::session_state::{MAX_KEEPALIVE, MIN_KEEPALIVE};
use crate::subscription::SubscriptionRequest;
use svc_helix::Subscription;

/// Message ids remembered for dedupe by default.
pub const DEFAULT_DEDUPE_CAPACITY: usize = 4096;

/// Configures an [`EventSubClient`] (or, through [`ConduitBuilder`](crate::ConduitBuilder),
/// each shard of a conduit).
#[derive(Debug, Clone)]
#[must_use]
pub struct EventSubBuilder {
    pub(crate) client_id: String,
    pub(crate) token: AccessToken,
    pub(crate) endpoints: Endpoints,
    pub(crate) keepalive: Duration,
    pub(crate) grace: Option<Duration>,
    pub(crate) welcome_timeout: Duration,
    pub(crate) reconnect: bool,
    pub(crate) dedupe_capacity: usize,
    pub(crate) hub: Option<EventHub<EventSubEvent>>,
    pub(crate) initial: Vec<SubscriptionRequest>,
    pub(crate) backoff: Backoff,
    pub(crate) tokens: Option<TokenManager>,
    /// The tokens come from a [`TokenStore`] that already validates and renews them.
    pub(crate) store_maintained: bool,
}

impl EventSubBuilder {
    pub(crate) fn new(client_id: &str, token: AccessToken) -> Self {
        Self {
            client_id: client_id.to_owned(),
            token,
            endpoints: Endpoints::twitch(),
            keepalive: Duration::from_secs(10),
            grace: None,
            welcome_timeout: Duration::from_secs(10),
            reconnect: true,
            dedupe_capacity: DEFAULT_DEDUPE_CAPACITY,
            hub: None,
            initial: Vec::new(),
            backoff: Backoff::new(),
            tokens: None,
            store_maintained: false,
        }
    }

    pub(crate) fn with_tokens(tokens: TokenManager) -> Self {
        let mut builder = Self::new(tokens.client_id(), tokens.token());
        builder.tokens = Some(tokens);
        builder
    }

    /// svc-helix's REST client for the subscription and conduit calls: its token kept fresh
    /// by the [`TokenManager`] when one was given, else the fixed token (a 401 then stays a
    /// 401).
    pub(crate) fn helix(&self) -> Result<HelixClient, Error> {
        let tokens = match &self.tokens {
            Some(tokens) => tokens.clone(),
            None => TokenManager::user(
                TWITCH_AUTH_URL,
                self.client_id.clone(),
                self.token.clone(),
                None,
                None,
            )
            .map_err(|e| Error::helix("token setup", e))?,
        };
        HelixClient::new(&self.endpoints.api_url, tokens)
            .map_err(|e| Error::helix("REST client", e))
    }

    /// With a [`TokenManager`]: validates the token (renewing it if it can) before
    /// connecting, and starts svc-helix's hourly validation task for the client's lifetime.
    pub(crate) async fn validate(&self) -> Result<Option<JoinHandle<()>>, Error> {
        let Some(tokens) = &self.tokens else {
            return Ok(None);
        };
        tokens
            .validate()
            .await
            .map_err(|e| Error::helix("token validation", e))?;
        if self.store_maintained {
            return Ok(None);
        }
        Ok(Some(tokens.spawn_maintenance()))
    }

    /// Where to connect (default: Twitch).
    pub fn endpoints(mut self, endpoints: Endpoints) -> Self {
        self.endpoints = endpoints;
        self
    }

    /// Points WebSocket and REST at a mock server (`http://127.0.0.1:8080` → `ws://…/ws`
    /// and `http://…/eventsub/subscriptions`).
    pub fn mock_url(mut self, base: &str) -> Result<Self, Error> {
        self.endpoints = Endpoints::mock(base)?;
        Ok(self)
    }

    /// `keepalive_timeout_seconds` to ask for ([`MIN_KEEPALIVE`]..=[`MAX_KEEPALIVE`],
    /// whole seconds, default 10 s). The window the welcome announces is used from then on,
    /// clamped to the same range.
    pub fn keepalive(mut self, keepalive: Duration) -> Self {
        self.keepalive = keepalive;
        self
    }

    /// Extra wait past the keepalive window before a silent socket counts as dead (default:
    /// a fifth of the keepalive, at least 1 s).
    pub fn grace(mut self, grace: Duration) -> Self {
        self.grace = Some(grace);
        self
    }

    /// How long a new socket may take to send its welcome (default 10 s).
    pub fn welcome_timeout(mut self, timeout: Duration) -> Self {
        self.welcome_timeout = timeout;
        self
    }

    /// Whether to open a fresh session after a drop (default `true`).
    pub fn reconnect(mut self, reconnect: bool) -> Self {
        self.reconnect = reconnect;
        self
    }

    /// Backoff between failed fresh-session attempts.
    pub fn backoff(mut self, policy: Backoff) -> Self {
        self.backoff = policy;
        self
    }

    /// Message ids remembered for dedupe (default 4096).
    pub fn dedupe_capacity(mut self, capacity: usize) -> Self {
        self.dedupe_capacity = capacity;
        self
    }

    /// Publish into this hub (subscribe to it before connecting to see every event).
    pub fn hub(mut self, hub: EventHub<EventSubEvent>) -> Self {
        self.hub = Some(hub);
        self
    }

    /// A subscription to create right after the first welcome (inside its 10 s window).
    pub fn subscribe(mut self, request: SubscriptionRequest) -> Self {
        self.initial.push(request);
        self
    }

    pub(crate) fn timing(&self) -> Result<Timing, Error> {
        // Whole seconds are sent, so 600.5 s asks for 600.
        let whole = Duration::from_secs(self.keepalive.as_secs());
        if !(MIN_KEEPALIVE..=MAX_KEEPALIVE).contains(&whole) {
            return Err(Error::config(format!(
                "keepalive must be 10..=600 s, got {:?}",
                self.keepalive
            )));
        }
        Ok(Timing {
            keepalive: self.keepalive,
            grace: self
                .grace
                .unwrap_or_else(|| (self.keepalive / 5).max(Duration::from_secs(1))),
            welcome_timeout: self.welcome_timeout,
            reconnect: self.reconnect,
            backoff: self.backoff.clone(),
        })
    }

    /// Connects, waits for the welcome and creates the initial subscriptions.
    pub async fn connect(self) -> Result<EventSubClient, Error> {
        let timing = self.timing()?;
        if self.initial.len() > crate::MAX_SUBSCRIPTIONS_PER_SESSION {
            return Err(Error::limit(crate::LimitKind::SubscriptionsPerSession {
                max: crate::MAX_SUBSCRIPTIONS_PER_SESSION,
            }));
        }
        let maintenance = self.validate().await?;
        let token = self
            .tokens
            .as_ref()
            .map_or_else(|| self.token.clone(), TokenManager::token);
        let slot = SessionSlot::claim(token.expose())?;
        let helix = self.helix()?;
        let hub = self.hub.unwrap_or_default();
        let counters = Arc::new(Counters::default());
        let (commands_tx, commands) = mpsc::unbounded_channel();
        let (session, session_rx) = watch::channel(None);
        let desired = self
            .initial
            .into_iter()
            .map(|request| Desired {
                request,
                active: None,
            })
            .collect();
        let driver = Driver {
            endpoints: self.endpoints,
            helix: helix.clone(),
            timing,
            role: Role::User {
                desired,
                budget: CostBudget::default(),
            },
            hub: hub.clone(),
            dedupe: Arc::new(Mutex::new(RecentIds::new(self.dedupe_capacity))),
            counters: Arc::clone(&counters),
            commands,
            session,
        };
        let (first_tx, first) = oneshot::channel();
        let task = tokio::spawn(async move {
            driver.run(first_tx).await;
            drop(slot);
            if let Some(maintenance) = maintenance {
                maintenance.abort();
            }
        });
        first.await.map_err(|_| Error::new(ErrorKind::Stopped))??;
        Ok(EventSubClient {
            helix,
            commands: commands_tx,
            hub,
            counters,
            session: session_rx,
            task,
        })
    }
}

/// A user-token EventSub WebSocket session: subscribes inside the welcome window, watches
/// keepalives, follows `session_reconnect` make-before-break, opens a fresh session and
/// re-subscribes after drops, drops repeated `message_id`s, and publishes
/// [`EventSubEvent`]s into its [`EventHub`].
#[derive(Debug)]
pub struct EventSubClient {
    helix: HelixClient,
    commands: mpsc::UnboundedSender<Command>,
    hub: EventHub<EventSubEvent>,
    counters: Arc<Counters>,
    session: watch::Receiver<Option<String>>,
    task: JoinHandle<()>,
}

impl EventSubClient {
    /// A builder for `client_id` with a user access token.
    pub fn builder(client_id: &str, token: AccessToken) -> EventSubBuilder {
        EventSubBuilder::new(client_id, token)
    }

    /// A builder whose user token svc-helix keeps valid: validated before connecting and
    /// hourly after, refreshed before it expires.
    pub fn with_tokens(tokens: TokenManager) -> EventSubBuilder {
        EventSubBuilder::with_tokens(tokens)
    }

    /// A builder for one user of a svc-helix [`TokenStore`]: the session and its
    /// subscriptions use that user's token, which the store keeps valid (and whose rotated
    /// refresh tokens reach the store's `on_renewed` hook). Fails with
    /// [`ErrorKind::Http`] whose source is svc-helix's `UnknownUser` when the store holds
    /// no token for `user_id`.
    pub fn for_user(store: &TokenStore, user_id: &UserId) -> Result<EventSubBuilder, Error> {
        let tokens = store
            .require_user(user_id)
            .map_err(|e| Error::helix("token store", e))?;
        let mut builder = EventSubBuilder::with_tokens(tokens);
        builder.store_maintained = true;
        Ok(builder)
    }

    /// Creates a subscription on the current session and keeps it across fresh sessions.
    /// Fails with [`ErrorKind::Limit`] past 300 subscriptions or the cost budget.
    pub async fn subscribe(&self, request: SubscriptionRequest) -> Result<Subscription, Error> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::Subscribe(request, reply))
            .map_err(|_| Error::new(ErrorKind::Stopped))?;
        answer.await.map_err(|_| Error::new(ErrorKind::Stopped))?
    }

    /// Deletes a subscription and forgets it.
    pub async fn unsubscribe(&self, id: &str) -> Result<(), Error> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::Unsubscribe(id.to_owned(), reply))
            .map_err(|_| Error::new(ErrorKind::Stopped))?;
        answer.await.map_err(|_| Error::new(ErrorKind::Stopped))?
    }

    /// The subscriptions live on the current session (the local set).
    pub async fn subscriptions(&self) -> Result<Vec<Subscription>, Error> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::List(reply))
            .map_err(|_| Error::new(ErrorKind::Stopped))?;
        answer.await.map_err(|_| Error::new(ErrorKind::Stopped))
    }

    /// svc-helix's REST client this session uses (list subscriptions with their cost
    /// totals, delete strays, …), sharing its token and point budget.
    pub fn helix(&self) -> &HelixClient {
        &self.helix
    }

    /// The hub events are published into.
    pub fn hub(&self) -> &EventHub<EventSubEvent> {
        &self.hub
    }

    /// A stream of events from now on.
    pub fn events(&self) -> EventStream<EventSubEvent> {
        self.hub.stream()
    }

    /// The current session id.
    pub fn session_id(&self) -> Option<String> {
        self.session.borrow().clone()
    }

    /// Whether the client is ready (twitch.py's `is_ready`): a session has been welcomed
    /// and the task is still running. It stays `true` while the task reopens a dropped
    /// session (watch [`EventSubEvent::Disconnected`] for the gap); `false` once the task
    /// has ended.
    pub fn is_ready(&self) -> bool {
        !self.is_closed() && self.session.borrow().is_some()
    }

    /// Whether the client's task has ended (twitch.py's `is_closed`): stopped, or gave up
    /// after a drop with reconnecting switched off. Commands then fail with
    /// [`ErrorKind::Stopped`].
    pub fn is_closed(&self) -> bool {
        self.task.is_finished()
    }

    /// Counters so far.
    pub fn stats(&self) -> SessionStats {
        self.counters.snapshot()
    }

    /// Closes the socket and stops the task.
    pub async fn close(self) {
        let _ = self.commands.send(Command::Stop);
        let _ = self.task.await;
    }
}
