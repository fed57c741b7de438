//! The task behind a [`WsClient`](crate::WsClient): connect, serve, close, back off, repeat.
//! The same loop serves WebSockets and TCP line connections, through the one
//! [`Connection`] interface.
//!
//! Backpressure: an inbound message becomes *pending* events (several, cut one at a time,
//! when line framing splits a text message); while they cannot be delivered (the event channel is full) the
//! socket is not read, so the server is slowed down by TCP instead of this task buffering
//! without bound. Commands (sends, closes) are still served meanwhile, so heartbeats go out
//! even when the service lags behind on events.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;
use transport_core::redact;
use url::Url;

use crate::close::{CloseAction, CloseFrame, CloseInitiator};
use crate::compression::Inflater;
use crate::config::WsConfig;
use crate::connection::{Connection, Incoming};
use crate::dial;
use crate::error::{Error, ErrorKind};
use crate::event::{WsEvent, WsMessage};
use crate::framing::{Framing, LineCursor};
use crate::sender::{self, AfterClose, Command};
use core_ratelimit::Backoff;

/// Close code for a message too large to process (RFC 6455).
const CLOSE_TOO_LARGE: u16 = 1009;
/// Close code for data inconsistent with the message type, here: undecodable (RFC 6455).
const CLOSE_INVALID_PAYLOAD: u16 = 1007;
/// Close code for a protocol violation (RFC 6455).
const CLOSE_PROTOCOL_ERROR: u16 = 1002;
/// Close code for a normal closure (RFC 6455).
const CLOSE_NORMAL: u16 = 1000;

/// What comes after a connection (or failed attempt).
enum Next {
    /// Reconnect after the policy's delay.
    Backoff,
    /// Reconnect without delay (the service asked for it after a healthy connection).
    Immediately,
    /// Stop the client.
    Stop,
}

/// How a connect attempt went.
enum Attempt {
    Connected(Box<Connection>, Inflater, Url),
    Failed(Error),
    /// The service asked for an immediate reconnect while connecting.
    Restart,
    Stop,
}

/// What a command received while no connection is up asks for.
enum Interrupt {
    Restart,
    Stop,
}

/// How a connection ended.
struct Ending {
    close: Option<CloseFrame>,
    initiator: CloseInitiator,
    error: Option<Error>,
    next: Next,
    /// Events read (or `Connected`) that the service has not received yet.
    undelivered: Pending,
}

impl Ending {
    fn new(close: Option<CloseFrame>, initiator: CloseInitiator, next: Next) -> Self {
        Self {
            close,
            initiator,
            error: None,
            next,
            undelivered: Pending::default(),
        }
    }

    fn with_error(mut self, error: Error) -> Self {
        self.error = Some(error);
        self
    }
}

/// The connection task's state.
pub(crate) struct Driver {
    config: WsConfig,
    url: Url,
    policy: Backoff,
    events: mpsc::Sender<WsEvent>,
    commands: mpsc::UnboundedReceiver<Command>,
    commands_open: bool,
    connection: Arc<AtomicU64>,
    last_connection: u64,
    /// A server-offered URL that was refused (reported before the next `Closed`).
    refused_url: Option<Error>,
}

impl Driver {
    pub(crate) fn new(
        config: WsConfig,
        events: mpsc::Sender<WsEvent>,
        commands: mpsc::UnboundedReceiver<Command>,
        connection: Arc<AtomicU64>,
    ) -> Self {
        Self {
            url: config.url.clone(),
            policy: config.reconnect.clone(),
            config,
            events,
            commands,
            commands_open: true,
            connection,
            last_connection: 0,
            refused_url: None,
        }
    }

    /// Runs until the client stops; the event stream ends when this returns.
    pub(crate) async fn run(mut self) {
        loop {
            let next = match self.attempt().await {
                Attempt::Stop => return,
                Attempt::Restart => Next::Immediately,
                Attempt::Failed(error) => {
                    tracing::warn!(url = %redact::url(&self.url), %error, "connect attempt failed");
                    if !self.emit(WsEvent::Error(error)).await {
                        return;
                    }
                    Next::Backoff
                }
                Attempt::Connected(mut connection, inflater, url) => {
                    self.connected(&mut connection, inflater, url).await
                }
            };
            let (attempt, delay) = match next {
                Next::Stop => return,
                Next::Immediately => (0, Duration::ZERO),
                Next::Backoff => {
                    let Some(delay) = self.policy.next_delay() else {
                        tracing::warn!(
                            attempts = self.policy.attempt(),
                            "reconnect attempts exhausted, stopping"
                        );
                        return;
                    };
                    (self.policy.attempt(), delay)
                }
            };
            tracing::info!(attempt, ?delay, "reconnecting");
            if !self.emit(WsEvent::Reconnecting { attempt, delay }).await {
                return;
            }
            if let Some(Interrupt::Stop) = self.wait(delay).await {
                return;
            }
        }
    }

    /// One connect attempt, serving commands meanwhile.
    async fn attempt(&mut self) -> Attempt {
        let inflater = match Inflater::new(self.config.compression, self.config.max_message_size) {
            Ok(inflater) => inflater,
            Err(error) => return Attempt::Failed(error),
        };
        let url = self.url.clone();
        let config = self.config.clone();
        // Boxed: the connect future (TCP, TLS and upgrade handshakes) is the largest of the
        // driver's, and inline it would make the task that lives as long as the connection
        // reserve room for it even while the connection idles (~10 KiB per connection).
        let mut connect = Box::pin(dial::connect(&config, &url));
        loop {
            tokio::select! {
                result = &mut connect => {
                    return match result {
                        Ok(connection) => {
                            Attempt::Connected(Box::new(connection), inflater, url.clone())
                        }
                        Err(error) => Attempt::Failed(error),
                    };
                }
                () = self.events.closed() => return Attempt::Stop,
                command = self.commands.recv(), if self.commands_open => {
                    match self.idle_command(command) {
                        Some(Interrupt::Stop) => return Attempt::Stop,
                        Some(Interrupt::Restart) => return Attempt::Restart,
                        None => {}
                    }
                }
            }
        }
    }

    /// Sleeps before the next attempt, serving commands meanwhile.
    async fn wait(&mut self, delay: Duration) -> Option<Interrupt> {
        let sleep = tokio::time::sleep(delay);
        tokio::pin!(sleep);
        loop {
            tokio::select! {
                () = &mut sleep => return None,
                () = self.events.closed() => return Some(Interrupt::Stop),
                command = self.commands.recv(), if self.commands_open => {
                    if let Some(interrupt) = self.idle_command(command) {
                        return Some(interrupt);
                    }
                }
            }
        }
    }

    /// Handles a command while no connection is up.
    fn idle_command(&mut self, command: Option<Command>) -> Option<Interrupt> {
        let Some(command) = command else {
            self.commands_open = false;
            return None;
        };
        match command {
            Command::Send { done, .. } => {
                let _ = done.send(Err(Error::new(ErrorKind::NotConnected)));
                None
            }
            Command::SetUrl(url) => {
                self.url = url;
                None
            }
            Command::Close {
                then: AfterClose::Stop,
                ..
            } => Some(Interrupt::Stop),
            Command::Close {
                then: AfterClose::Reconnect(url),
                ..
            } => {
                if let Some(url) = url {
                    self.url = url;
                }
                Some(Interrupt::Restart)
            }
        }
    }

    /// Lives through one connection: events out, commands in; then reports its end.
    async fn connected(
        &mut self,
        connection: &mut Connection,
        inflater: Inflater,
        url: Url,
    ) -> Next {
        self.last_connection += 1;
        let id = self.last_connection;
        self.connection.store(id, Ordering::Release);
        tracing::info!(url = %redact::url(&url), "connected");
        let started = Instant::now();

        let ending = self.serve(connection, id, inflater, url).await;

        self.connection.store(0, Ordering::Release);
        // Only a healthy connection starts the backoff over, and only after one does a
        // reconnect the service asked for go out at once: a server that asks for reconnects
        // (or never acknowledges heartbeats) right after every connect would otherwise get a
        // reconnect, and the service's login, in a tight loop.
        let healthy = self.policy.on_success_lasting(started.elapsed());
        let next = match ending.next {
            Next::Immediately if !healthy => Next::Backoff,
            next => next,
        };
        let (code, reason) = ending.close.map_or((None, String::new()), |frame| {
            (Some(frame.code), frame.reason)
        });
        tracing::info!(?code, %reason, initiator = ?ending.initiator, "connection closed");
        let mut undelivered = ending.undelivered;
        while let Some(event) = undelivered.pop() {
            if !self.emit(event).await {
                return Next::Stop;
            }
        }
        for error in ending.error.into_iter().chain(self.refused_url.take()) {
            if !self.emit(WsEvent::Error(error)).await {
                return Next::Stop;
            }
        }
        let closed = WsEvent::Closed {
            code,
            reason,
            initiator: ending.initiator,
        };
        if !self.emit(closed).await {
            return Next::Stop;
        }
        next
    }

    /// The connection loop. Priority: stop when nobody listens, deliver the pending event,
    /// serve commands, then read the next message (only when nothing is pending).
    async fn serve(
        &mut self,
        connection: &mut Connection,
        id: u64,
        mut inflater: Inflater,
        url: Url,
    ) -> Ending {
        let mut pending = Pending::default();
        pending.push(WsEvent::Connected { url });
        // A second handle, so that a reserved permit does not borrow `self`.
        let events = self.events.clone();
        let mut ending = loop {
            tokio::select! {
                biased;
                () = events.closed() => {
                    let frame = CloseFrame { code: CLOSE_NORMAL, reason: String::new() };
                    let sent = connection.close_politely(&frame, self.config.close_timeout).await;
                    break Ending::new(sent, CloseInitiator::Client, Next::Stop);
                }
                permit = events.reserve(), if !pending.is_empty() => {
                    // A closed channel is handled by the branch above on the next turn.
                    if let (Ok(permit), Some(event)) = (permit, pending.pop()) {
                        permit.send(event);
                    }
                }
                command = self.commands.recv(), if self.commands_open => {
                    if let Some(ending) = self.live_command(command, connection, id).await {
                        break ending;
                    }
                }
                incoming = connection.next(), if pending.is_empty() => {
                    if let Some(ending) =
                        self.inbound(incoming, connection, &mut inflater, &mut pending).await
                    {
                        break ending;
                    }
                }
            }
        };
        // Events read before the end are still delivered, ahead of `Closed`.
        ending.undelivered = pending;
        ending
    }

    /// Handles a command while connected.
    async fn live_command(
        &mut self,
        command: Option<Command>,
        connection: &mut Connection,
        id: u64,
    ) -> Option<Ending> {
        let Some(command) = command else {
            self.commands_open = false;
            return None;
        };
        match command {
            Command::Send {
                connection: wanted,
                message,
                done,
            } => {
                if wanted != id {
                    let _ = done.send(Err(Error::new(ErrorKind::NotConnected)));
                    return None;
                }
                match self.write(connection.send(message)).await {
                    Ok(()) => {
                        let _ = done.send(Ok(()));
                        None
                    }
                    // Refused before anything was written: the connection is fine.
                    Err(error) if error.kind() == &ErrorKind::InvalidMessage => {
                        let _ = done.send(Err(error));
                        None
                    }
                    Err(error) => {
                        let _ = done.send(Err(Error::new(ErrorKind::ConnectionLost)));
                        Some(self.lost(error))
                    }
                }
            }
            Command::SetUrl(url) => {
                self.url = url;
                None
            }
            Command::Close { frame, then } => {
                tracing::info!(code = frame.code, "closing at the service's request");
                let sent = connection
                    .close_politely(&frame, self.config.close_timeout)
                    .await;
                let next = match then {
                    AfterClose::Stop => Next::Stop,
                    AfterClose::Reconnect(url) => {
                        if let Some(url) = url {
                            self.url = url;
                        }
                        Next::Immediately
                    }
                };
                Some(Ending::new(sent, CloseInitiator::Client, next))
            }
        }
    }

    /// Handles what the connection produced: events go to `pending`; `Some` ends the
    /// connection.
    async fn inbound(
        &mut self,
        incoming: Incoming,
        connection: &mut Connection,
        inflater: &mut Inflater,
        pending: &mut Pending,
    ) -> Option<Ending> {
        let message = |message| WsEvent::Message(message);
        match incoming {
            Incoming::Text(text) => match self.config.framing {
                Framing::Messages => pending.push(message(WsMessage::Text(text))),
                Framing::Lines => pending.lines = LineCursor::new(text),
            },
            Incoming::Binary(data) => match inflater.push(data) {
                Ok(Some(data)) => pending.push(message(WsMessage::Binary(data))),
                Ok(None) => {}
                Err(error) => {
                    let code = if matches!(error.kind(), ErrorKind::MessageTooLarge { .. }) {
                        CLOSE_TOO_LARGE
                    } else {
                        CLOSE_INVALID_PAYLOAD
                    };
                    return Some(self.fail(connection, code, error).await);
                }
            },
            Incoming::Ping => {
                // The pong is queued; send it now so the answer never waits for another turn.
                if let Err(error) = self.write(connection.flush()).await {
                    return Some(self.lost(error));
                }
            }
            Incoming::Nothing => {}
            Incoming::Close(frame) => {
                connection
                    .finish_server_close(self.config.close_timeout)
                    .await;
                let next = self.classify(frame.as_ref());
                return Some(Ending::new(frame, CloseInitiator::Server, next));
            }
            Incoming::End => {
                // A server closing a TCP connection (or dropping a WebSocket) without a frame.
                let next = self.classify(None);
                return Some(Ending::new(None, CloseInitiator::Server, next));
            }
            Incoming::Failed(error) => match error.kind() {
                // One bad line: reported, skipped; the connection goes on.
                ErrorKind::InvalidUtf8 => pending.push(WsEvent::Error(error)),
                ErrorKind::MessageTooLarge { .. } => {
                    return Some(self.fail(connection, CLOSE_TOO_LARGE, error).await);
                }
                ErrorKind::Protocol => {
                    return Some(self.fail(connection, CLOSE_PROTOCOL_ERROR, error).await);
                }
                _ => return Some(self.lost(error)),
            },
        }
        None
    }

    /// The connection broke under us.
    fn lost(&mut self, error: Error) -> Ending {
        tracing::warn!(%error, "connection lost");
        let next = self.classify(None);
        Ending::new(None, CloseInitiator::Server, next).with_error(error)
    }

    /// Closes the connection because of bad inbound data; reconnects per the policy.
    async fn fail(&mut self, connection: &mut Connection, code: u16, error: Error) -> Ending {
        tracing::warn!(%error, code, "closing the connection after bad inbound data");
        let reason = match code {
            CLOSE_TOO_LARGE => "message too large",
            CLOSE_INVALID_PAYLOAD => "undecodable message",
            _ => "protocol error",
        };
        let frame = CloseFrame {
            code,
            reason: reason.to_owned(),
        };
        let sent = connection
            .close_politely(&frame, self.config.close_timeout)
            .await;
        Ending::new(sent, CloseInitiator::Client, Next::Backoff).with_error(error)
    }

    /// Asks the service's hook what a server-side end means.
    fn classify(&mut self, close: Option<&CloseFrame>) -> Next {
        match self.config.classifier.classify(close) {
            CloseAction::Stop => Next::Stop,
            CloseAction::ReconnectTo(url) => {
                // The hook typically passes on a URL the server sent: same rule as any
                // offered URL, and a refused one leaves the current URL in place.
                match sender::offered(&self.config.url, url.as_str()) {
                    Ok(url) => self.url = url,
                    Err(error) => self.refused_url = Some(error),
                }
                Next::Backoff
            }
            CloseAction::Reconnect => Next::Backoff,
        }
    }

    /// Runs a write within the write timeout.
    async fn write(&self, write: impl Future<Output = Result<(), Error>>) -> Result<(), Error> {
        match tokio::time::timeout(self.config.write_timeout, write).await {
            Ok(result) => result,
            Err(elapsed) => {
                tracing::warn!("write timed out: the server is not reading");
                Err(Error::with_source(ErrorKind::ConnectionLost, elapsed))
            }
        }
    }

    /// Delivers an event; `false` when nobody listens any more.
    async fn emit(&mut self, event: WsEvent) -> bool {
        self.events.send(event).await.is_ok()
    }
}

/// Events read but not delivered yet: whole events first, then the lines still to cut from
/// the last text message (the socket is read only once both are used up).
#[derive(Default)]
struct Pending {
    events: VecDeque<WsEvent>,
    lines: LineCursor,
}

impl Pending {
    fn push(&mut self, event: WsEvent) {
        self.events.push_back(event);
    }

    fn pop(&mut self) -> Option<WsEvent> {
        self.events.pop_front().or_else(|| {
            self.lines
                .next_line()
                .map(|line| WsEvent::Message(WsMessage::Text(line)))
        })
    }

    fn is_empty(&self) -> bool {
        self.events.is_empty() && self.lines.is_empty()
    }
}
