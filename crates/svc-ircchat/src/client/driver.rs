//! The background task: connect, log in, rejoin, pace sends, answer PINGs, detect dead
//! connections, and reconnect with backoff.

use std::collections::{HashSet, VecDeque};
use std::sync::{PoisonError, Weak};
use std::time::Duration;

use core_events::EventHub;
use rand::Rng;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until, timeout};

use crate::client::config::{ChatConfig, Credentials};
use crate::client::event::ChatEvent;
use crate::client::handle::Shared;
use crate::client::limits::ChatLimiters;
use crate::client::transport::Connection;
use crate::{IrcMessage, ServerMessage};

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

#[derive(Debug, Clone)]
struct Outgoing {
    channel: String,
    text: String,
    reply_to: Option<String>,
}

/// Why a connection ended.
enum End {
    /// Reconnect (after a backoff unless the server asked for it).
    Reconnect { reason: String, immediately: bool },
    /// Stop for good.
    Stop { reason: String },
}

struct Driver {
    config: ChatConfig,
    shared: Weak<Shared>,
    hub: EventHub<ChatEvent>,
    commands: mpsc::UnboundedReceiver<Command>,
    limits: ChatLimiters,
    /// Written-to-nobody-yet messages, oldest first.
    pending: VecDeque<Outgoing>,
    /// Written but not yet confirmed by USERSTATE, oldest first.
    unacked: VecDeque<Outgoing>,
    join_queue: VecDeque<String>,
    privileged: HashSet<String>,
    login: String,
    /// The managed token was renewed after a refused login (only once in a row).
    renewed_after_refusal: bool,
}

pub(crate) async fn run(
    config: ChatConfig,
    limits: ChatLimiters,
    shared: Weak<Shared>,
    hub: EventHub<ChatEvent>,
    commands: mpsc::UnboundedReceiver<Command>,
) {
    let mut driver = Driver {
        config,
        shared,
        hub,
        commands,
        limits,
        pending: VecDeque::new(),
        unacked: VecDeque::new(),
        join_queue: VecDeque::new(),
        privileged: HashSet::new(),
        login: String::new(),
        renewed_after_refusal: false,
    };
    driver.run().await;
}

impl Driver {
    async fn run(&mut self) {
        let mut failures: u32 = 0;
        loop {
            let end = match self.connect_and_login().await {
                Ok(mut connection) => {
                    failures = 0;
                    self.session(&mut connection).await
                }
                Err(end) => end,
            };
            // Anything written but unconfirmed goes out again, in order, ahead of new messages.
            while let Some(message) = self.unacked.pop_back() {
                self.pending.push_front(message);
            }
            match end {
                End::Stop { reason } => {
                    tracing::info!(%reason, "chat client stopped");
                    self.hub.publish(ChatEvent::Disconnected { reason });
                    return;
                }
                End::Reconnect {
                    reason,
                    immediately,
                } => {
                    tracing::info!(%reason, "chat connection ended, reconnecting");
                    self.hub.publish(ChatEvent::Disconnected { reason });
                    if !immediately {
                        let delay = self.backoff(failures);
                        failures = failures.saturating_add(1);
                        if let Some(end) = self.wait_commands(delay).await {
                            if let End::Stop { reason } = end {
                                self.hub.publish(ChatEvent::Disconnected { reason });
                            }
                            return;
                        }
                    }
                }
            }
        }
    }

    fn backoff(&self, failures: u32) -> Duration {
        let base = self
            .config
            .backoff_initial
            .saturating_mul(2u32.saturating_pow(failures.min(16)));
        let capped = base.min(self.config.backoff_max);
        // Up to 25 % jitter, so many clients dropped at once do not return in lockstep.
        capped.mul_f64(1.0 + rand::rng().random_range(0.0..0.25))
    }

    /// Sleeps for `delay` while still taking commands; `Some` if the client closed meanwhile.
    async fn wait_commands(&mut self, delay: Duration) -> Option<End> {
        let deadline = Instant::now() + delay;
        loop {
            tokio::select! {
                () = sleep_until(deadline) => return None,
                command = self.commands.recv() => {
                    if let Some(end) = self.take_command(command, None).await {
                        return Some(end);
                    }
                }
            }
        }
    }

    fn wanted_channels(&self) -> Vec<String> {
        self.shared.upgrade().map_or_else(Vec::new, |shared| {
            shared
                .channels
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
                .cloned()
                .collect()
        })
    }

    async fn connect_and_login(&mut self) -> Result<Connection, End> {
        self.limits.auth.acquire().await;
        let reconnect = |reason: String| End::Reconnect {
            reason,
            immediately: false,
        };
        let mut connection = Connection::open(&self.config.transport)
            .await
            .map_err(|e| reconnect(e.to_string()))?;
        let (login, pass) = match &self.config.credentials {
            Credentials::Anonymous => (
                format!("justinfan{}", rand::rng().random_range(10_000..99_999_999)),
                None,
            ),
            Credentials::OAuth { login, token } => {
                // A managed token: the current one, renewed first if it is about to expire.
                let token = match &self.config.tokens {
                    Some(tokens) => tokens.fresh_token().await.unwrap_or_else(|error| {
                        tracing::warn!(%error, "token refresh before login failed");
                        tokens.token()
                    }),
                    None => token.clone(),
                };
                (
                    login.clone(),
                    Some(format!("PASS oauth:{}", token.expose())),
                )
            }
        };
        let mut lines =
            vec!["CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership".to_owned()];
        lines.extend(pass);
        lines.push(format!("NICK {login}"));
        for line in &lines {
            connection
                .send(line)
                .await
                .map_err(|e| reconnect(e.to_string()))?;
        }
        let welcome = timeout(self.config.login_timeout, async {
            while let Some(line) = connection.recv().await {
                let Ok(message) = IrcMessage::parse(&line) else {
                    continue;
                };
                match ServerMessage::try_from(message) {
                    Ok(ServerMessage::Numeric(n)) if n.is_welcome() => return Ok(()),
                    Ok(ServerMessage::Notice(n)) if n.is_login_failure() => {
                        return Err(End::Stop {
                            reason: format!("login refused: {}", n.text),
                        });
                    }
                    Ok(ServerMessage::Ping(p)) => {
                        let argument = p.argument.as_deref().unwrap_or("tmi.twitch.tv");
                        let _ = connection.send(&format!("PONG :{argument}")).await;
                    }
                    Ok(message) => {
                        self.hub.publish(ChatEvent::Message(message.into_owned()));
                    }
                    Err(_) => {}
                }
            }
            Err(reconnect("connection closed during login".into()))
        })
        .await;
        match welcome {
            Ok(Ok(())) => {}
            Ok(Err(End::Stop { reason })) if reason.starts_with("login refused") => {
                // A managed token may have expired since it was last checked: renew it once
                // and log in again; a second refusal in a row is final.
                if let Some(tokens) = &self.config.tokens
                    && !self.renewed_after_refusal
                    && tokens.renew().await.is_ok()
                {
                    tracing::info!("login refused: token renewed, logging in again");
                    self.renewed_after_refusal = true;
                    return Err(End::Reconnect {
                        reason,
                        immediately: true,
                    });
                }
                return Err(End::Stop { reason });
            }
            Ok(Err(end)) => return Err(end),
            Err(_) => return Err(reconnect("login timed out".into())),
        }
        self.renewed_after_refusal = false;
        self.login.clone_from(&login);
        self.privileged.clear();
        self.join_queue = self.wanted_channels().into();
        self.hub.publish(ChatEvent::Ready { login });
        Ok(connection)
    }

    fn is_privileged(&self, channel: &str) -> bool {
        channel == self.login || self.privileged.contains(channel)
    }

    /// Handles one command; `Some` ends the session.
    async fn take_command(
        &mut self,
        command: Option<Command>,
        connection: Option<&mut Connection>,
    ) -> Option<End> {
        match command {
            None | Some(Command::Close) => {
                if let Some(connection) = connection {
                    let _ = connection.send("QUIT").await;
                }
                Some(End::Stop {
                    reason: "closed by the client".into(),
                })
            }
            Some(Command::Join(channel)) => {
                self.join_queue.push_back(channel);
                None
            }
            Some(Command::Part(channel)) => {
                self.join_queue.retain(|c| *c != channel);
                if let Some(connection) = connection {
                    let _ = connection.send(&format!("PART #{channel}")).await;
                }
                None
            }
            Some(Command::Say {
                channel,
                text,
                reply_to,
            }) => {
                self.pending.push_back(Outgoing {
                    channel,
                    text,
                    reply_to,
                });
                None
            }
            Some(Command::Raw(line)) => {
                if let Some(connection) = connection
                    && let Err(e) = connection.send(&line).await
                {
                    return Some(End::Reconnect {
                        reason: e.to_string(),
                        immediately: false,
                    });
                }
                None
            }
        }
    }

    async fn session(&mut self, connection: &mut Connection) -> End {
        let mut last_heard = Instant::now();
        let mut ping_sent: Option<Instant> = None;
        let mut join_permit = false;
        loop {
            // Write whatever already holds a permit, before waiting on anything.
            if join_permit && let Some(channel) = self.join_queue.pop_front() {
                join_permit = false;
                if let Err(e) = connection.send(&format!("JOIN #{channel}")).await {
                    self.join_queue.push_front(channel);
                    return End::Reconnect {
                        reason: e.to_string(),
                        immediately: false,
                    };
                }
            }
            if let Some(next) = self.pending.front() {
                let privileged = self.is_privileged(&next.channel);
                if let Some(text) = self
                    .limits
                    .take_message(&next.channel, &next.text, privileged)
                {
                    let Some(message) = self.pending.pop_front() else {
                        continue;
                    };
                    let line = match &message.reply_to {
                        Some(parent) => format!(
                            "@reply-parent-msg-id={parent} PRIVMSG #{} :{text}",
                            message.channel
                        ),
                        None => format!("PRIVMSG #{} :{text}", message.channel),
                    };
                    self.unacked.push_back(message);
                    if let Err(e) = connection.send(&line).await {
                        return End::Reconnect {
                            reason: e.to_string(),
                            immediately: false,
                        };
                    }
                    continue;
                }
            }
            let need_join = !self.join_queue.is_empty() && !join_permit;
            let send_wait = match self.pending.front() {
                Some(next) => {
                    let privileged = self.is_privileged(&next.channel);
                    Some(self.limits.message_wait(privileged))
                }
                None => None,
            };
            let ping_at = match ping_sent {
                Some(at) => at + self.config.pong_timeout,
                None => last_heard + self.config.ping_interval,
            };
            tokio::select! {
                biased;
                line = connection.recv() => {
                    let Some(line) = line else {
                        return End::Reconnect { reason: "connection closed".into(), immediately: false };
                    };
                    last_heard = Instant::now();
                    ping_sent = None;
                    if let Some(end) = self.on_line(&line, connection).await {
                        return end;
                    }
                }
                command = self.commands.recv() => {
                    if let Some(end) = self.take_command(command, Some(connection)).await {
                        return end;
                    }
                }
                () = self.limits.join.acquire(), if need_join => join_permit = true,
                () = tokio::time::sleep(send_wait.unwrap_or_default()), if send_wait.is_some() => {}
                () = sleep_until(ping_at) => {
                    if ping_sent.is_some() {
                        return End::Reconnect { reason: "no answer to PING".into(), immediately: false };
                    }
                    ping_sent = Some(Instant::now());
                    if let Err(e) = connection.send("PING :switchboard").await {
                        return End::Reconnect { reason: e.to_string(), immediately: false };
                    }
                }
            }
        }
    }

    async fn on_line(&mut self, line: &str, connection: &mut Connection) -> Option<End> {
        let message = match IrcMessage::parse(line).and_then(ServerMessage::try_from) {
            Ok(message) => message,
            Err(error) => {
                tracing::debug!(%error, "ignoring an unparsable chat line");
                return None;
            }
        };
        let mut end = None;
        match &message {
            ServerMessage::Ping(ping) => {
                let argument = ping.argument.as_deref().unwrap_or("tmi.twitch.tv");
                if let Err(e) = connection.send(&format!("PONG :{argument}")).await {
                    end = Some(End::Reconnect {
                        reason: e.to_string(),
                        immediately: false,
                    });
                }
            }
            ServerMessage::Reconnect => {
                end = Some(End::Reconnect {
                    reason: "server asked to reconnect".into(),
                    immediately: true,
                });
            }
            ServerMessage::UserState(state) => {
                if state.is_privileged() {
                    self.privileged.insert(state.channel_login.to_string());
                } else {
                    self.privileged.remove(&*state.channel_login);
                }
                if state.message_id.is_some() {
                    self.ack(&state.channel_login, false);
                }
            }
            ServerMessage::Notice(notice) => {
                if let (Some(channel), Some(id)) = (&notice.channel_login, &notice.msg_id) {
                    match &**id {
                        // Too fast for the server after all: keep the message and try again.
                        "msg_ratelimit" => self.ack(channel, true),
                        id if id.starts_with("msg_") => self.ack(channel, false),
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
        end
    }

    /// The server answered our oldest unconfirmed message in `channel`.
    fn ack(&mut self, channel: &str, retry: bool) {
        if let Some(index) = self.unacked.iter().position(|m| m.channel == channel)
            && let Some(message) = self.unacked.remove(index)
            && retry
        {
            self.pending.push_front(message);
        }
    }
}
