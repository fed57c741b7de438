//! The task behind a [`WsClient`](crate::WsClient): connect, serve, close, back off, repeat.
//!
//! Backpressure: an inbound message becomes a *pending* event; while it cannot be delivered
//! (the event channel is full) the socket is not read, so the server is slowed down by TCP
//! instead of this task buffering without bound. Commands (sends, closes) are still served
//! meanwhile, so heartbeats go out even when the service lags behind on events.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::error::CapacityError;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use transport_core::redact;
use url::Url;

use crate::close::{CloseAction, CloseFrame, CloseInitiator};
use crate::compression::Inflater;
use crate::config::WsConfig;
use crate::connection::{self, Socket, close_politely, connection_error, from_wire};
use crate::error::{Error, ErrorKind};
use crate::event::{WsEvent, WsMessage};
use crate::sender::{AfterClose, Command};
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
    Connected(Box<Socket>, Inflater, Url),
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
    /// An event read (or `Connected`) that the service has not received yet.
    undelivered: Option<WsEvent>,
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
                Attempt::Connected(mut socket, inflater, url) => {
                    self.connected(&mut socket, inflater, url).await
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
        let connect = connection::connect(&config, &url);
        tokio::pin!(connect);
        loop {
            tokio::select! {
                result = &mut connect => {
                    return match result {
                        Ok(socket) => Attempt::Connected(Box::new(socket), inflater, url.clone()),
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
    async fn connected(&mut self, socket: &mut Socket, inflater: Inflater, url: Url) -> Next {
        self.last_connection += 1;
        let id = self.last_connection;
        self.connection.store(id, Ordering::Release);
        tracing::info!(url = %redact::url(&url), "connected");
        let started = Instant::now();

        let ending = self.serve(socket, id, inflater, url).await;

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
        if let Some(event) = ending.undelivered
            && !self.emit(event).await
        {
            return Next::Stop;
        }
        if let Some(error) = ending.error
            && !self.emit(WsEvent::Error(error)).await
        {
            return Next::Stop;
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
        socket: &mut Socket,
        id: u64,
        mut inflater: Inflater,
        url: Url,
    ) -> Ending {
        let mut pending = Some(WsEvent::Connected { url });
        // A second handle, so that a reserved permit does not borrow `self`.
        let events = self.events.clone();
        let mut ending = loop {
            tokio::select! {
                biased;
                () = events.closed() => {
                    let frame = CloseFrame { code: CLOSE_NORMAL, reason: String::new() };
                    close_politely(socket, &frame, self.config.close_timeout).await;
                    break Ending {
                        close: Some(frame),
                        initiator: CloseInitiator::Client,
                        error: None,
                        next: Next::Stop,
                        undelivered: None,
                    };
                }
                permit = events.reserve(), if pending.is_some() => {
                    // A closed channel is handled by the branch above on the next turn.
                    if let (Ok(permit), Some(event)) = (permit, pending.take()) {
                        permit.send(event);
                    }
                }
                command = self.commands.recv(), if self.commands_open => {
                    if let Some(ending) = self.live_command(command, socket, id).await {
                        break ending;
                    }
                }
                message = socket.next(), if pending.is_none() => {
                    match self.inbound(message, socket, &mut inflater).await {
                        Inbound::Event(event) => pending = Some(event),
                        Inbound::Nothing => {}
                        Inbound::End(ending) => break ending,
                    }
                }
            }
        };
        // An event read before the end is still delivered, ahead of `Closed`.
        ending.undelivered = pending;
        ending
    }

    /// Handles a command while connected.
    async fn live_command(
        &mut self,
        command: Option<Command>,
        socket: &mut Socket,
        id: u64,
    ) -> Option<Ending> {
        let Some(command) = command else {
            self.commands_open = false;
            return None;
        };
        match command {
            Command::Send {
                connection,
                message,
                done,
            } => {
                if connection != id {
                    let _ = done.send(Err(Error::new(ErrorKind::NotConnected)));
                    return None;
                }
                match self.write(socket.send(message)).await {
                    Ok(()) => {
                        let _ = done.send(Ok(()));
                        None
                    }
                    Err(error) => {
                        let _ = done.send(Err(Error::new(ErrorKind::ConnectionLost)));
                        Some(self.lost(None, error))
                    }
                }
            }
            Command::SetUrl(url) => {
                self.url = url;
                None
            }
            Command::Close { frame, then } => {
                tracing::info!(code = frame.code, "closing at the service's request");
                close_politely(socket, &frame, self.config.close_timeout).await;
                let next = match then {
                    AfterClose::Stop => Next::Stop,
                    AfterClose::Reconnect(url) => {
                        if let Some(url) = url {
                            self.url = url;
                        }
                        Next::Immediately
                    }
                };
                Some(Ending {
                    close: Some(frame),
                    initiator: CloseInitiator::Client,
                    error: None,
                    next,
                    undelivered: None,
                })
            }
        }
    }

    /// Handles what the socket produced.
    async fn inbound(
        &mut self,
        message: Option<Result<Message, WsError>>,
        socket: &mut Socket,
        inflater: &mut Inflater,
    ) -> Inbound {
        match message {
            Some(Ok(Message::Text(text))) => {
                Inbound::Event(WsEvent::Message(WsMessage::Text(text.as_str().to_owned())))
            }
            Some(Ok(Message::Binary(data))) => match inflater.push(data) {
                Ok(Some(message)) => Inbound::Event(WsEvent::Message(WsMessage::Binary(message))),
                Ok(None) => Inbound::Nothing,
                Err(error) => {
                    let code = if matches!(error.kind(), ErrorKind::MessageTooLarge { .. }) {
                        CLOSE_TOO_LARGE
                    } else {
                        CLOSE_INVALID_PAYLOAD
                    };
                    Inbound::End(self.fail(socket, code, error).await)
                }
            },
            Some(Ok(Message::Ping(_))) => {
                // tungstenite has queued the pong and would send it along with the next
                // read or write; flush now so the answer never waits for another turn.
                match self.write(socket.flush()).await {
                    Ok(()) => Inbound::Nothing,
                    Err(error) => Inbound::End(self.lost(None, error)),
                }
            }
            Some(Ok(Message::Pong(_) | Message::Frame(_))) => Inbound::Nothing,
            Some(Ok(Message::Close(frame))) => {
                let frame = frame.as_ref().map(from_wire);
                // Keep reading (bounded): tungstenite sends our answer on the next read, and
                // the server then ends the TCP connection.
                let drain = async { while let Some(Ok(_)) = socket.next().await {} };
                let _ = tokio::time::timeout(self.config.close_timeout, drain).await;
                let next = self.classify(frame.as_ref());
                Inbound::End(Ending {
                    close: frame,
                    initiator: CloseInitiator::Server,
                    error: None,
                    next,
                    undelivered: None,
                })
            }
            Some(Err(WsError::Capacity(capacity))) => {
                let max = if let CapacityError::MessageTooLong { max_size, .. } = capacity {
                    max_size
                } else {
                    self.config.max_message_size
                };
                tracing::warn!(%capacity, "inbound message too large");
                let error = Error::with_source(ErrorKind::MessageTooLarge { max }, capacity);
                // tungstenite stops reading after this error (the rest of an oversize frame
                // is never buffered); the close frame still goes out.
                Inbound::End(self.fail(socket, CLOSE_TOO_LARGE, error).await)
            }
            Some(Err(error)) => {
                let error = connection_error(error);
                if error.kind() == &ErrorKind::Protocol {
                    Inbound::End(self.fail(socket, CLOSE_PROTOCOL_ERROR, error).await)
                } else {
                    Inbound::End(self.lost(None, error))
                }
            }
            None => {
                let next = self.classify(None);
                Inbound::End(Ending {
                    close: None,
                    initiator: CloseInitiator::Server,
                    error: None,
                    next,
                    undelivered: None,
                })
            }
        }
    }

    /// The connection broke under us.
    fn lost(&mut self, close: Option<CloseFrame>, error: Error) -> Ending {
        tracing::warn!(%error, "connection lost");
        let next = self.classify(close.as_ref());
        Ending {
            close,
            initiator: CloseInitiator::Server,
            error: Some(error),
            next,
            undelivered: None,
        }
    }

    /// Closes the connection because of bad inbound data; reconnects per the policy.
    async fn fail(&mut self, socket: &mut Socket, code: u16, error: Error) -> Ending {
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
        close_politely(socket, &frame, self.config.close_timeout).await;
        Ending {
            close: Some(frame),
            initiator: CloseInitiator::Client,
            error: Some(error),
            next: Next::Backoff,
            undelivered: None,
        }
    }

    /// Asks the service's hook what a server-side end means.
    fn classify(&mut self, close: Option<&CloseFrame>) -> Next {
        match self.config.classifier.classify(close) {
            CloseAction::Stop => Next::Stop,
            CloseAction::ReconnectTo(url) => {
                self.url = url;
                Next::Backoff
            }
            CloseAction::Reconnect => Next::Backoff,
        }
    }

    /// Runs a write within the write timeout.
    async fn write(&self, write: impl Future<Output = Result<(), WsError>>) -> Result<(), Error> {
        match tokio::time::timeout(self.config.write_timeout, write).await {
            Ok(result) => result.map_err(connection_error),
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

/// What one inbound item leads to.
enum Inbound {
    Event(WsEvent),
    Nothing,
    End(Ending),
}
