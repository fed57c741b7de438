//! The background task: log in on every connection, rejoin, pace sends, answer PINGs, detect
//! dead connections. The connection itself (dialling, TLS, WebSocket or TCP lines, connect
//! timeout, reconnect backoff) is a `transport_ws::WsClient` in line framing; this task only
//! speaks IRC over it.

use std::collections::{HashSet, VecDeque};
use std::sync::Weak;

use core_events::EventHub;
use rand::Rng;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};
use transport_ws::{Events, Priority, Sender, WsClient, WsEvent, WsMessage};

use crate::client::config::{ChatConfig, Credentials};
use crate::client::event::ChatEvent;
use crate::client::event_error::EventError;
use crate::client::handle::Shared;
use crate::client::join_watch::{JoinFailure, JoinWatch};
use crate::client::limits::ChatLimiters;
use crate::client::unacked::{Outgoing, Unacked};
use crate::{IrcMessage, ServerMessage};

/// Close code for the connections this task ends (zombie, login timeout, `RECONNECT`). Only
/// WebSockets carry it; Twitch gives it no meaning.
const CLOSE_NORMAL: u16 = 1000;

/// The reason of the `Disconnected` that ends a refused login when a new token is tried:
/// not the end of [`ChatClient::connect`](crate::ChatClient::connect)'s wait.
pub(crate) const RENEWED_AFTER_REFUSAL: &str = "login refused; logging in again with a new token";

#[derive(Debug)]
pub(crate) enum Command {
    Join(String),
    Part(String),
    Say {
        channel: String,
        text: String,
        reply_to: Option<String>,
    },
    Raw(String),
    Close,
}

/// Where the current connection stands.
enum Phase {
    /// No connection (connecting, or waiting out the backoff).
    Disconnected,
    /// Login lines sent; waiting for the welcome (`001`) until the deadline.
    LoggingIn {
        deadline: Option<Instant>,
        login: String,
    },
    /// Logged in: joins, messages and our PINGs flow.
    Ready,
    /// This task asked the transport to end the connection; waiting for it to close.
    Ending,
}

/// What the main loop was woken by.
enum Wake {
    Transport(Option<WsEvent>),
    Command(Option<Command>),
    JoinPermit,
    SendSlot,
    Ping,
    LoginDeadline,
    AckDeadline,
    JoinDeadline,
}

struct Driver {
    config: ChatConfig,
    shared: Weak<Shared>,
    hub: EventHub<ChatEvent>,
    commands: mpsc::UnboundedReceiver<Command>,
    limits: ChatLimiters,
    sender: Sender,
    events: Events,
    phase: Phase,
    /// Why this task ended the current connection, reported when it has closed.
    ending: Option<String>,
    /// The last error the transport reported on the current connection.
    error: Option<EventError>,
    /// Written-to-nobody-yet messages, oldest first.
    pending: VecDeque<Outgoing>,
    /// Written but not yet confirmed by USERSTATE.
    unacked: Unacked,
    join_queue: VecDeque<String>,
    join_permit: bool,
    /// JOINs written and not yet echoed.
    joins: JoinWatch,
    privileged: HashSet<String>,
    login: String,
    /// The managed token was renewed after a refused login (only once in a row).
    renewed_after_refusal: bool,
    /// A token the token-expiry hook supplied: used for every login from then on.
    token_override: Option<svc_helix::AccessToken>,
    last_heard: Instant,
    ping_sent: Option<Instant>,
}

pub(crate) async fn run(
    config: ChatConfig,
    limits: ChatLimiters,
    shared: Weak<Shared>,
    hub: EventHub<ChatEvent>,
    commands: mpsc::UnboundedReceiver<Command>,
) {
    let (sender, events) = WsClient::start(config.connection.clone()).into_parts();
    let mut driver = Driver {
        config,
        shared,
        hub,
        commands,
        limits,
        sender,
        events,
        phase: Phase::Disconnected,
        ending: None,
        error: None,
        pending: VecDeque::new(),
        unacked: Unacked::default(),
        join_queue: VecDeque::new(),
        join_permit: false,
        joins: JoinWatch::default(),
        privileged: HashSet::new(),
        login: String::new(),
        renewed_after_refusal: false,
        token_override: None,
        last_heard: Instant::now(),
        ping_sent: None,
    };
    driver.run().await;
}

impl Driver {
    async fn run(&mut self) {
        loop {
            // Write whatever already holds a permit before waiting on anything.
            if matches!(self.phase, Phase::Ready) {
                self.write_ready().await;
            }
            let stop = match self.wait().await {
                Wake::Transport(Some(event)) => self.on_transport(event).await,
                Wake::Transport(None) => {
                    // The transport stopped on its own: its backoff ran out of attempts.
                    self.stopped("reconnect attempts exhausted".into());
                    true
                }
                Wake::Command(command) => self.on_command(command).await,
                Wake::JoinPermit => {
                    self.join_permit = true;
                    false
                }
                Wake::SendSlot => false,
                Wake::Ping => {
                    self.on_ping_due().await;
                    false
                }
                Wake::LoginDeadline => {
                    self.end_connection("login timed out");
                    false
                }
                Wake::JoinDeadline => {
                    let timeout = self.config.join_timeout;
                    for channel in self.joins.expired(Instant::now()) {
                        self.join_failed(channel, JoinFailure::NoEcho(timeout));
                    }
                    false
                }
                Wake::AckDeadline => {
                    let given_up = self.unacked.expire(Instant::now());
                    self.give_up(given_up);
                    false
                }
            };
            if stop {
                return;
            }
        }
    }

    /// Waits for the next thing to do.
    async fn wait(&mut self) -> Wake {
        let ready = matches!(self.phase, Phase::Ready);
        let need_join = ready && !self.join_queue.is_empty() && !self.join_permit;
        let send_at = match self.pending.front() {
            Some(next) if ready => {
                let privileged = self.is_privileged(&next.channel);
                Instant::now().checked_add(self.limits.message_wait(privileged))
            }
            _ => None,
        };
        let ping_at = match self.ping_sent {
            _ if !ready => None,
            Some(at) => at.checked_add(self.config.pong_timeout),
            None => self.last_heard.checked_add(self.config.ping_interval),
        };
        let login_deadline = match &self.phase {
            Phase::LoggingIn { deadline, .. } => *deadline,
            _ => None,
        };
        tokio::select! {
            biased;
            event = self.events.recv() => Wake::Transport(event),
            command = self.commands.recv() => Wake::Command(command),
            () = self.limits.join.acquire(), if need_join => Wake::JoinPermit,
            () = until(send_at) => Wake::SendSlot,
            () = until(ping_at) => Wake::Ping,
            () = until(login_deadline) => Wake::LoginDeadline,
            () = until(self.unacked.next_expiry()) => Wake::AckDeadline,
            () = until(if ready { self.joins.next_deadline() } else { None }) => Wake::JoinDeadline,
        }
    }

    /// Sends the JOIN holding a permit and every message the limits let through now.
    async fn write_ready(&mut self) {
        if self.join_permit
            && let Some(channel) = self.join_queue.pop_front()
        {
            self.join_permit = false;
            if !self.send(format!("JOIN #{channel}")).await {
                // The connection is going away; the channel is joined on the next one.
                self.join_queue.push_front(channel);
                return;
            }
            self.joins.sent(&channel, self.config.join_timeout);
        }
        while let Some(next) = self.pending.front() {
            let privileged = self.is_privileged(&next.channel);
            let Some(text) = self
                .limits
                .take_message(&next.channel, &next.text, privileged)
            else {
                return;
            };
            let Some(message) = self.pending.pop_front() else {
                return;
            };
            let line = match &message.reply_to {
                Some(parent) => format!(
                    "@reply-parent-msg-id={parent} PRIVMSG #{} :{text}",
                    message.channel
                ),
                None => format!("PRIVMSG #{} :{text}", message.channel),
            };
            if !self.send(line).await {
                // Not written: it goes out on the next connection.
                self.pending.push_front(message);
                return;
            }
            let given_up = self.unacked.push(message, Instant::now());
            self.give_up(given_up);
        }
    }

    /// Writes one line; `false` when it did not go out (the connection is gone or going).
    async fn send(&mut self, line: String) -> bool {
        self.send_with(line, Priority::Normal).await
    }

    async fn send_with(&mut self, line: String, priority: Priority) -> bool {
        match self.sender.send_text(line, priority).await {
            Ok(()) => true,
            Err(error) => {
                tracing::debug!(%error, "a chat line was not written");
                false
            }
        }
    }

    async fn on_transport(&mut self, event: WsEvent) -> bool {
        match event {
            WsEvent::Connected { .. } => self.log_in().await,
            WsEvent::Message(WsMessage::Text(line)) => return self.on_line(&line).await,
            WsEvent::Message(WsMessage::Binary(_)) => {
                tracing::debug!("ignoring a binary message on the chat connection");
            }
            WsEvent::Error(error) => {
                // transport-ws has logged it already (warn); here it becomes a reason.
                tracing::debug!(%error, "chat connection error");
                let error = EventError::new(error);
                if matches!(self.phase, Phase::Disconnected) {
                    // A connect attempt failed; it is retried after the backoff.
                    self.hub.publish(ChatEvent::Disconnected {
                        reason: error.to_string(),
                        error: Some(error),
                    });
                } else {
                    self.error = Some(error);
                }
            }
            WsEvent::Closed { .. } => self.on_closed(),
            WsEvent::Reconnecting { attempt, delay } => {
                tracing::debug!(attempt, ?delay, "chat reconnecting");
            }
            _ => {}
        }
        false
    }

    /// A connection is up: log in within the auth limit.
    async fn log_in(&mut self) {
        self.ending = None;
        self.error = None;
        self.limits.auth.acquire().await;
        let (login, pass) = match &self.config.credentials {
            Credentials::Anonymous => (
                format!("justinfan{}", rand::rng().random_range(10_000..99_999_999)),
                None,
            ),
            Credentials::OAuth { login, token } => {
                // The token-expiry hook's, else a managed token (the current one, renewed
                // first if it is about to expire), else the configured one.
                let token = match (&self.token_override, &self.config.tokens) {
                    (Some(token), _) => token.clone(),
                    (None, Some(tokens)) => tokens.fresh_token().await.unwrap_or_else(|error| {
                        tracing::warn!(%error, "token refresh before login failed");
                        tokens.token()
                    }),
                    (None, None) => token.clone(),
                };
                (
                    login.clone(),
                    Some(format!("PASS oauth:{}", token.expose())),
                )
            }
        };
        self.phase = Phase::LoggingIn {
            // `None`: a timeout too large to represent never fires.
            deadline: Instant::now().checked_add(self.config.login_timeout),
            login: login.clone(),
        };
        let mut lines =
            vec!["CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership".to_owned()];
        lines.extend(pass);
        lines.push(format!("NICK {login}"));
        for line in lines {
            if !self.send(line).await {
                return;
            }
        }
    }

    /// The server welcomed us.
    fn logged_in(&mut self, login: String) {
        self.renewed_after_refusal = false;
        self.login.clone_from(&login);
        if let Some(shared) = self.shared.upgrade() {
            shared.identity.lock().login = Some(login.clone());
        }
        self.privileged.clear();
        self.join_queue = self.wanted_channels().into();
        self.join_permit = false;
        self.last_heard = Instant::now();
        self.ping_sent = None;
        self.phase = Phase::Ready;
        self.hub.publish(ChatEvent::Ready { login });
    }

    /// The connection closed: report why, and queue what was not confirmed for the next one.
    fn on_closed(&mut self) {
        self.phase = Phase::Disconnected;
        self.joins.clear();
        let error = self.error.take();
        let (reason, error) = match (self.ending.take(), error) {
            // This task ended it: its reason, not a transport error the closing caused.
            (Some(reason), _) => (reason, None),
            (None, Some(error)) => (error.to_string(), Some(error)),
            (None, None) => ("connection closed".to_owned(), None),
        };
        tracing::info!(%reason, "chat connection ended, reconnecting");
        self.hub.publish(ChatEvent::Disconnected { reason, error });
        // Recent unconfirmed messages go out again, once, in order, ahead of new ones.
        let (resend, given_up) = self.unacked.take_for_resend(Instant::now());
        for message in resend.into_iter().rev() {
            self.pending.push_front(message);
        }
        self.give_up(given_up);
    }

    /// Ends the current connection for `reason`; the transport reconnects after its backoff
    /// (at once after a healthy connection).
    fn end_connection(&mut self, reason: &str) {
        tracing::info!(reason, "ending the chat connection");
        self.ending = Some(reason.to_owned());
        // No more login deadline, PING or sends on a connection that is going away.
        self.phase = Phase::Ending;
        let _ = self.sender.reconnect(CLOSE_NORMAL);
    }

    /// Stops for good: the transport closes, the event stream ends.
    fn stopped(&mut self, reason: String) {
        tracing::info!(%reason, "chat client stopped");
        self.hub.publish(ChatEvent::Disconnected {
            reason,
            error: None,
        });
    }

    /// Closes the transport and waits for it to finish (bounded by its close timeout).
    async fn shut_down(&mut self) {
        let _ = self.sender.close(CLOSE_NORMAL, "");
        while self.events.recv().await.is_some() {}
    }

    /// Messages that will not be sent again: reported, never silently lost.
    fn give_up(&self, messages: Vec<Outgoing>) {
        for message in messages {
            tracing::warn!(
                channel = %message.channel,
                "a message was not confirmed in time; it is not sent again"
            );
            self.hub.publish(ChatEvent::Unconfirmed {
                channel: message.channel,
                text: message.text,
            });
        }
    }

    async fn on_ping_due(&mut self) {
        if self.ping_sent.is_some() {
            self.end_connection("no answer to PING");
            return;
        }
        self.ping_sent = Some(Instant::now());
        self.send_with("PING :switchboard".into(), Priority::High)
            .await;
    }

    fn wanted_channels(&self) -> Vec<String> {
        self.shared
            .upgrade()
            .map_or_else(Vec::new, |shared| shared.channel_list())
    }

    fn is_privileged(&self, channel: &str) -> bool {
        channel == self.login || self.privileged.contains(channel)
    }

    /// Handles one command; `true` stops the task.
    async fn on_command(&mut self, command: Option<Command>) -> bool {
        let ready = matches!(self.phase, Phase::Ready);
        match command {
            None | Some(Command::Close) => {
                if !matches!(self.phase, Phase::Disconnected) {
                    self.send("QUIT".into()).await;
                }
                self.shut_down().await;
                self.stopped("closed by the client".into());
                return true;
            }
            Some(Command::Join(channel)) => self.join_queue.push_back(channel),
            Some(Command::Part(channel)) => {
                self.join_queue.retain(|c| *c != channel);
                if ready {
                    self.send(format!("PART #{channel}")).await;
                }
            }
            Some(Command::Say {
                channel,
                text,
                reply_to,
            }) => self.pending.push_back(Outgoing {
                channel,
                text,
                reply_to,
                resent: false,
            }),
            Some(Command::Raw(line)) => {
                if ready {
                    self.send(line).await;
                }
            }
        }
        false
    }

    /// Handles one line from the server; `true` stops the task.
    async fn on_line(&mut self, line: &str) -> bool {
        if self.config.raw_lines {
            self.hub.publish(ChatEvent::Raw(line.to_owned()));
        }
        let message = match IrcMessage::parse(line).and_then(ServerMessage::try_from) {
            Ok(message) => message,
            Err(error) => {
                tracing::debug!(%error, "skipping an unparsable chat line");
                self.hub.publish(ChatEvent::ParseFailed {
                    line: line.to_owned(),
                    error,
                });
                return false;
            }
        };
        if let Phase::LoggingIn { login, .. } = &self.phase {
            match &message {
                ServerMessage::Numeric(numeric) if numeric.is_welcome() => {
                    let login = login.clone();
                    self.logged_in(login);
                    return false;
                }
                ServerMessage::Notice(notice) if notice.is_login_failure() => {
                    let reason = format!("login refused: {}", notice.text);
                    return self.login_refused(reason).await;
                }
                _ => {}
            }
        }
        self.last_heard = Instant::now();
        self.ping_sent = None;
        match &message {
            ServerMessage::Ping(ping) => {
                let argument = ping.argument.as_deref().unwrap_or("tmi.twitch.tv");
                self.send_with(format!("PONG :{argument}"), Priority::High)
                    .await;
            }
            ServerMessage::Reconnect => {
                self.hub.publish(ChatEvent::Reconnect);
                self.end_connection("server asked to reconnect");
            }
            ServerMessage::GlobalUserState(state) => {
                // Anonymous logins get an empty `user-id`: no id.
                if let Some(shared) = self.shared.upgrade() {
                    shared.identity.lock().user_id =
                        Some(state.user_id.to_string()).filter(|id| !id.is_empty());
                }
            }
            ServerMessage::UserState(state) => {
                if state.is_privileged() {
                    self.privileged.insert(state.channel_login.to_string());
                } else {
                    self.privileged.remove(&*state.channel_login);
                }
                if state.message_id.is_some() {
                    self.unacked.confirm(&state.channel_login);
                }
            }
            ServerMessage::Join(join) if join.user_login == self.login => {
                self.joins.answered(&join.channel_login);
            }
            ServerMessage::Notice(notice) => {
                if let (Some(channel), Some(id)) = (&notice.channel_login, &notice.msg_id) {
                    if let Some(failure) = JoinFailure::from_msg_id(id)
                        && self.joins.answered(channel)
                    {
                        self.join_failed(channel.to_string(), failure);
                    }
                    match &**id {
                        // Too fast for the server after all: keep the message and try again.
                        "msg_ratelimit" => {
                            if let Some(message) = self.unacked.confirm(channel) {
                                self.pending.push_front(message);
                            }
                        }
                        id if id.starts_with("msg_") => {
                            self.unacked.confirm(channel);
                        }
                        _ => {}
                    }
                }
            }
            ServerMessage::Part(part) if part.user_login == self.login => {
                self.privileged.remove(&*part.channel_login);
            }
            _ => {}
        }
        self.hub.publish(ChatEvent::Message(message.into_owned()));
        false
    }

    /// A JOIN failed: the channel leaves the wanted set (no rejoin after a reconnect).
    fn join_failed(&mut self, channel: String, reason: JoinFailure) {
        tracing::info!(%channel, ?reason, "joining a channel failed");
        if let Some(shared) = self.shared.upgrade() {
            shared.channels.lock().remove(&channel);
        }
        self.hub.publish(ChatEvent::JoinFailed { channel, reason });
    }

    /// The server refused our login; `true` stops the task.
    async fn login_refused(&mut self, reason: String) -> bool {
        // The token may have expired since it was last checked: ask the hook for a new one,
        // else renew a managed token, and log in again; a second refusal in a row is final.
        if !self.renewed_after_refusal {
            if let Some(hook) = &self.config.token_hook
                && let Some(token) = hook.call().await
            {
                tracing::info!("login refused: the token hook gave a new token, logging in again");
                self.token_override = Some(token);
                self.renewed_after_refusal = true;
                self.end_connection(RENEWED_AFTER_REFUSAL);
                return false;
            }
            if let Some(tokens) = &self.config.tokens
                && tokens.renew().await.is_ok()
            {
                tracing::info!("login refused: token renewed, logging in again");
                self.token_override = None;
                self.renewed_after_refusal = true;
                self.end_connection(RENEWED_AFTER_REFUSAL);
                return false;
            }
        }
        self.shut_down().await;
        self.stopped(reason);
        true
    }
}

/// Sleeps until `at`; never wakes for `None`.
async fn until(at: Option<Instant>) {
    match at {
        Some(at) => sleep_until(at).await,
        None => std::future::pending().await,
    }
}
