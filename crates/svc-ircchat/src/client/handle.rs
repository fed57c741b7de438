//! [`ChatClient`]: the handle users hold.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use core_events::EventHub;
use parking_lot::Mutex;
use svc_helix::{TokenManager, VALIDATE_EVERY};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::client::config::{ChatConfig, Credentials};
use crate::client::driver::{self, Command, RENEWED_AFTER_REFUSAL};
use crate::client::event::ChatEvent;
use crate::client::limits::ChatLimiters;
use crate::client::names::{channel_name, one_line, reply_id};
use crate::client::upkeep::TokenUpkeep;
use crate::routine::{RoutineBuilder, Schedule};
use crate::{Error, ErrorKind, Privmsg};

/// Validates a managed token for `login`.
async fn validate(tokens: &TokenManager, login: Option<&str>) -> Result<(), Error> {
    let info = tokens.validate().await.map_err(|error| {
        let kind = if error.kind() == &svc_helix::ErrorKind::Unauthorized {
            ErrorKind::InvalidToken
        } else {
            ErrorKind::Connect
        };
        tracing::warn!(%error, "chat token validation failed");
        Error::with_source(kind, error)
    })?;
    if !info.scopes.iter().any(|s| s == "chat:read") {
        tracing::warn!("chat token lacks the chat:read scope");
        return Err(Error::new(ErrorKind::Config(
            "the token lacks the chat:read scope".into(),
        )));
    }
    match (info.login.as_deref(), login) {
        (Some(owner), Some(login)) if owner == login => Ok(()),
        (owner, _) => {
            let owner = owner.unwrap_or("an app (not a user)");
            tracing::warn!(%owner, "chat token belongs to someone else");
            Err(Error::new(ErrorKind::Config(format!(
                "the token belongs to {owner}, not {}",
                login.unwrap_or("an anonymous login")
            ))))
        }
    }
}

/// Twitch's limit on one message's length, in characters.
const MAX_MESSAGE_CHARS: usize = 500;

/// A chat connection that logs in, keeps joined channels across reconnects and sends within
/// Twitch's limits. Cheap to clone; the connection ends when [`close`](Self::close) is called
/// or every clone is dropped.
///
/// ```no_run
/// # async fn demo() -> Result<(), svc_ircchat::Error> {
/// use svc_ircchat::{ChatClient, ChatConfig, Privmsg};
///
/// let config = ChatConfig::builder().oauth("mybot", std::env::var("TWITCH_TOKEN").unwrap()).build()?;
/// let client = ChatClient::connect(config).await?;
/// client.join("dallas")?;
/// let replier = client.clone();
/// client.events().on(move |msg: Privmsg<'static>| {
///     if msg.text == "!ping" {
///         let _ = replier.reply(&msg, "pong");
///     }
/// });
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct ChatClient {
    shared: Arc<Shared>,
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) hub: EventHub<ChatEvent>,
    pub(crate) commands: mpsc::UnboundedSender<Command>,
    pub(crate) channels: Mutex<BTreeSet<String>>,
    pub(crate) anonymous: bool,
    task: Mutex<Option<JoinHandle<()>>>,
    /// Validates and refreshes a managed token while the client lives.
    upkeep: Mutex<Option<TokenUpkeep>>,
    /// Who we are on the current connection, as the server told us.
    pub(crate) identity: Mutex<Identity>,
}

/// Our login (from the welcome) and user id (from `GLOBALUSERSTATE`).
#[derive(Debug, Default)]
pub(crate) struct Identity {
    pub(crate) login: Option<String>,
    pub(crate) user_id: Option<String>,
}

impl Shared {
    /// The channels joined (or being joined), sorted.
    pub(crate) fn channel_list(&self) -> Vec<String> {
        self.channels.lock().iter().cloned().collect()
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Close);
    }
}

impl ChatClient {
    /// Starts the connection in the background and returns at once; watch
    /// [`ChatEvent::Ready`] on [`events`](Self::events) to know when it is logged in.
    ///
    /// With a managed token ([`ChatConfigBuilder::oauth_managed`](crate::ChatConfigBuilder::oauth_managed))
    /// the token is validated at once in the background and then hourly; use
    /// [`connect`](Self::connect) to have a bad token fail before anything starts.
    pub fn start(config: ChatConfig) -> Self {
        Self::start_upkept(config, EventHub::new(), Duration::ZERO)
    }

    /// Starts the connection publishing into `hub`, with token upkeep whose first validation
    /// is `first_validation` from now.
    fn start_upkept(
        config: ChatConfig,
        hub: EventHub<ChatEvent>,
        first_validation: Duration,
    ) -> Self {
        let tokens = config.tokens.clone();
        let client = Self::start_with(config, hub, ChatLimiters::new());
        if let Some(tokens) = tokens {
            let upkeep = TokenUpkeep::spawn(&tokens, &client.shared.hub, first_validation);
            *client.shared.upkeep.lock() = Some(upkeep);
        }
        client
    }

    /// Starts a connection publishing into `hub` and drawing on `limits` (a pool shares both).
    pub(crate) fn start_with(
        config: ChatConfig,
        hub: EventHub<ChatEvent>,
        limits: ChatLimiters,
    ) -> Self {
        let (commands, receiver) = mpsc::unbounded_channel();
        let channels: BTreeSet<String> = config.initial_channels.iter().cloned().collect();
        let shared = Arc::new(Shared {
            hub: hub.clone(),
            commands,
            channels: Mutex::new(channels),
            anonymous: matches!(config.credentials, Credentials::Anonymous),
            task: Mutex::new(None),
            upkeep: Mutex::new(None),
            identity: Mutex::new(Identity::default()),
        });
        let task = tokio::spawn(driver::run(
            config,
            limits,
            Arc::downgrade(&shared),
            hub,
            receiver,
        ));
        *shared.task.lock() = Some(task);
        Self { shared }
    }

    /// Starts the connection and waits until it is logged in (or the login is refused).
    ///
    /// A managed token is validated first: [`ErrorKind::InvalidToken`] if it is invalid and
    /// cannot be refreshed, [`ErrorKind::Config`] if it belongs to another user than the
    /// configured login or lacks the `chat:read` scope, [`ErrorKind::Connect`] if the OAuth
    /// server cannot be reached.
    pub async fn connect(config: ChatConfig) -> Result<Self, Error> {
        let timeout = config.login_timeout;
        let first_validation = match &config.tokens {
            Some(tokens) => {
                validate(tokens, config.login()).await?;
                VALIDATE_EVERY
            }
            None => Duration::ZERO,
        };
        // Listen before starting, or a quick login could be over before anyone listens.
        let hub = EventHub::new();
        let ready = hub.wait_for(
            |e: &ChatEvent| match e {
                ChatEvent::Ready { .. } => true,
                ChatEvent::Disconnected { reason, .. } => reason != RENEWED_AFTER_REFUSAL,
                _ => false,
            },
            timeout,
        );
        let client = Self::start_upkept(config, hub, first_validation);
        match ready.await {
            Ok(ChatEvent::Disconnected { reason, .. }) if reason.starts_with("login refused") => {
                Err(Error::new(ErrorKind::LoginRefused(reason)))
            }
            Ok(_) => Ok(client),
            Err(e) => Err(Error::with_source(ErrorKind::Timeout, e)),
        }
    }

    /// The event hub: `on`, `once`, `wait_for`, `stream`.
    pub fn events(&self) -> &EventHub<ChatEvent> {
        &self.shared.hub
    }

    fn command(&self, command: Command) -> Result<(), Error> {
        self.shared
            .commands
            .send(command)
            .map_err(|_| Error::new(ErrorKind::Closed))
    }

    /// Joins `channel` (with or without `#`), now and after every reconnect. JOINs are paced
    /// to 20 per 10 s. A name that is not `[a-z0-9_]{1,25}` (after stripping `#` and
    /// lowercasing) is [`ErrorKind::InvalidChannel`].
    pub fn join(&self, channel: &str) -> Result<(), Error> {
        let channel = channel_name(channel)?;
        if self.shared.channels.lock().insert(channel.clone()) {
            self.command(Command::Join(channel))?;
        }
        Ok(())
    }

    /// Leaves `channel` ([`ErrorKind::InvalidChannel`] for a name no channel can have).
    pub fn part(&self, channel: &str) -> Result<(), Error> {
        let channel = channel_name(channel)?;
        if self.shared.channels.lock().remove(&channel) {
            self.command(Command::Part(channel))?;
        }
        Ok(())
    }

    /// How many channels this connection is in (or joining).
    pub(crate) fn channel_count(&self) -> usize {
        self.shared.channels.lock().len()
    }

    /// Whether this connection is in (or joining) `channel`.
    pub(crate) fn has_channel(&self, channel: &str) -> bool {
        self.shared.channels.lock().contains(channel)
    }

    /// The channels joined (or being joined), sorted: the ones rejoined after a reconnect.
    pub fn channels(&self) -> Vec<String> {
        self.shared.channel_list()
    }

    /// Our login on the current connection (twitchio's `nick`), once logged in: the
    /// configured one, or the generated `justinfan…` name of an anonymous login.
    pub fn login(&self) -> Option<String> {
        self.shared.identity.lock().login.clone()
    }

    /// Our user id (twitchio's `user_id`), from the `GLOBALUSERSTATE` Twitch sends after
    /// login; `None` before it and for anonymous logins, which get none.
    pub fn user_id(&self) -> Option<String> {
        self.shared.identity.lock().user_id.clone()
    }

    /// Queues a message for `channel`. It is sent within the limits and, if the connection
    /// drops before Twitch confirms it (with USERSTATE), sent again after reconnecting (once,
    /// and only if it was written less than 10 s before; otherwise
    /// [`ChatEvent::Unconfirmed`] reports it).
    ///
    /// [`ErrorKind::InvalidChannel`] for a bad channel name, [`ErrorKind::InvalidMessage`]
    /// for text holding a line break, [`ErrorKind::BadMessage`] for empty or over-long text
    /// or an anonymous login.
    pub fn say(&self, channel: &str, text: &str) -> Result<(), Error> {
        self.send(channel, text, None)
    }

    /// Replies to `parent` in its channel (a threaded reply). The parent's id came from the
    /// server: one that could break the line is [`ErrorKind::InvalidMessage`].
    pub fn reply(&self, parent: &Privmsg<'_>, text: &str) -> Result<(), Error> {
        let parent_id = reply_id(&parent.message_id)?;
        self.send(&parent.channel_login, text, Some(parent_id.to_owned()))
    }

    fn send(&self, channel: &str, text: &str, reply_to: Option<String>) -> Result<(), Error> {
        if self.shared.anonymous {
            return Err(Error::new(ErrorKind::BadMessage(
                "anonymous logins cannot send".into(),
            )));
        }
        let channel = channel_name(channel)?;
        let text = one_line(text)?;
        if text.is_empty() || text.chars().count() > MAX_MESSAGE_CHARS {
            return Err(Error::new(ErrorKind::BadMessage(
                "a message is 1 to 500 characters on one line".into(),
            )));
        }
        self.command(Command::Say {
            channel,
            text: text.to_owned(),
            reply_to,
        })
    }

    /// Sends a raw IRC line (no pacing beyond the connection being up); a line break in it
    /// would start a second command: [`ErrorKind::InvalidMessage`].
    pub fn send_raw(&self, line: &str) -> Result<(), Error> {
        let line = one_line(line)?;
        self.command(Command::Raw(line.to_owned()))
    }

    /// A routine: `task` run on `schedule` until it is stopped, has run its
    /// [`iterations`](RoutineBuilder::iterations), or this client closes (twitchio's
    /// `routines.routine`). Call [`start`](RoutineBuilder::start) to run it.
    ///
    /// ```no_run
    /// # async fn demo(client: svc_ircchat::ChatClient) {
    /// use std::time::Duration;
    /// use svc_ircchat::Schedule;
    ///
    /// let speaker = client.clone();
    /// let routine = client
    ///     .routine(Schedule::every(Duration::from_secs(600)), move || {
    ///         let speaker = speaker.clone();
    ///         async move { speaker.say("dallas", "Remember to hydrate!") }
    ///     })
    ///     .on_error(|error| eprintln!("routine failed: {error}"))
    ///     .start();
    /// routine.stop();
    /// # }
    /// ```
    pub fn routine<F, Fut, E>(&self, schedule: Schedule, task: F) -> RoutineBuilder
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<(), E>> + Send + 'static,
        E: Into<core_error::BoxError> + 'static,
    {
        RoutineBuilder::new(schedule, task, self.shared.commands.clone())
    }

    /// Closes the connection and waits for the background task to end.
    pub async fn close(self) {
        let _ = self.shared.commands.send(Command::Close);
        let task = self.shared.task.lock().take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}
