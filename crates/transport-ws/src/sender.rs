//! The handle services use to send messages and steer the connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use core_ratelimit::{Priority, SendQueue};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;
use url::Url;

use crate::close::CloseFrame;
use crate::endpoint::{Carrier, carrier};
use crate::error::{Error, ErrorKind};
use crate::framing::{Framing, is_one_line};
use crate::offered_url::check_offered_url;

/// Instructions from [`Sender`]s to the connection task.
#[derive(Debug)]
pub(crate) enum Command {
    /// Write a message on connection `connection` (and nowhere else).
    Send {
        connection: u64,
        message: Message,
        done: oneshot::Sender<Result<(), Error>>,
    },
    /// Close the current connection (if any) with `frame`, then do `then`.
    Close { frame: CloseFrame, then: AfterClose },
    /// Use this URL for every later connection.
    SetUrl(Url),
}

/// What follows a close the service asked for.
#[derive(Debug)]
pub(crate) enum AfterClose {
    /// Stop the client.
    Stop,
    /// Reconnect at once, optionally to another URL.
    Reconnect(Option<Url>),
}

/// Sends messages on the current connection and steers the client. Cheap to clone.
///
/// Sends go through the client's [`SendQueue`] (when a send limit is configured):
/// [`Priority::High`] traffic (heartbeats) may use the reserved slots and never waits behind
/// [`Priority::Normal`] traffic. A message belongs to the connection that was up when the
/// send was called: if that connection ends while the send waits for the rate limit, the send
/// fails with [`ErrorKind::NotConnected`] rather than reaching the next connection (where a
/// stale identify or heartbeat would be wrong).
#[derive(Debug, Clone)]
pub struct Sender {
    commands: mpsc::UnboundedSender<Command>,
    queue: Option<SendQueue>,
    connection: Arc<AtomicU64>,
    /// The URL the client was configured with: what offered URLs are checked against.
    configured: Arc<Url>,
    framing: Framing,
}

impl Sender {
    pub(crate) fn new(
        commands: mpsc::UnboundedSender<Command>,
        queue: Option<SendQueue>,
        connection: Arc<AtomicU64>,
        configured: Arc<Url>,
        framing: Framing,
    ) -> Self {
        Self {
            commands,
            queue,
            connection,
            configured,
            framing,
        }
    }

    /// Whether a connection is established right now.
    pub fn is_connected(&self) -> bool {
        self.connection.load(Ordering::Acquire) != 0
    }

    /// Sends a text message (in [`Framing::Lines`]: one line, without its line ending);
    /// returns once it is written to the socket.
    ///
    /// Fails with [`ErrorKind::NotConnected`] when no connection is up (or it changed while
    /// waiting for the rate limit), [`ErrorKind::Stopped`] when the client has stopped,
    /// [`ErrorKind::ConnectionLost`] when the write fails, or (before using the rate limit)
    /// [`ErrorKind::InvalidMessage`] when line framing is on and `text` holds a `\r` or `\n`.
    pub async fn send_text(
        &self,
        text: impl Into<String>,
        priority: Priority,
    ) -> Result<(), Error> {
        let text = text.into();
        if self.framing == Framing::Lines && !is_one_line(&text) {
            tracing::warn!("refusing to send a line holding a line break");
            return Err(Error::with_source(
                ErrorKind::InvalidMessage,
                "a line holds no \\r or \\n",
            ));
        }
        self.send(Message::text(text), priority).await
    }

    /// Sends a binary message; see [`send_text`](Self::send_text). A `tcp://` or `tls://`
    /// connection carries text lines only ([`ErrorKind::InvalidMessage`]).
    pub async fn send_binary(
        &self,
        data: impl Into<Vec<u8>>,
        priority: Priority,
    ) -> Result<(), Error> {
        if carrier(&self.configured) == Carrier::Tcp {
            return Err(Error::with_source(
                ErrorKind::InvalidMessage,
                "a line connection carries text only",
            ));
        }
        self.send(Message::binary(data.into()), priority).await
    }

    async fn send(&self, message: Message, priority: Priority) -> Result<(), Error> {
        if self.commands.is_closed() {
            return Err(Error::new(ErrorKind::Stopped));
        }
        let connection = self.connection.load(Ordering::Acquire);
        if connection == 0 {
            return Err(Error::new(ErrorKind::NotConnected));
        }
        if let Some(queue) = &self.queue {
            queue.acquire(priority).await;
        }
        let (done, result) = oneshot::channel();
        self.command(Command::Send {
            connection,
            message,
            done,
        })?;
        result
            .await
            .unwrap_or_else(|_| Err(Error::new(ErrorKind::Stopped)))
    }

    /// Closes the connection with `code` and `reason` and stops the client: no reconnect, the
    /// event stream ends after `Closed`.
    pub fn close(&self, code: u16, reason: impl Into<String>) -> Result<(), Error> {
        self.command(Command::Close {
            frame: CloseFrame {
                code,
                reason: reason.into(),
            },
            then: AfterClose::Stop,
        })
    }

    /// Closes the connection with `code` and reconnects at once, skipping the backoff (e.g.
    /// Discord: close with 4000 to resume after a zombied connection or an op 7 Reconnect).
    pub fn reconnect(&self, code: u16) -> Result<(), Error> {
        self.command(Command::Close {
            frame: CloseFrame {
                code,
                reason: String::new(),
            },
            then: AfterClose::Reconnect(None),
        })
    }

    /// Like [`reconnect`](Self::reconnect), to another URL that later reconnects keep using
    /// (e.g. Discord's `resume_gateway_url`).
    ///
    /// The URL is checked by [`check_offered_url`](crate::check_offered_url) against the
    /// configured one ([`ErrorKind::InsecureUrl`] for a clear-text URL the client must not
    /// follow) and must use the same carrier (WebSocket or TCP lines); a refused URL changes
    /// nothing.
    ///
    /// For a make-before-break switch (Twitch EventSub `session_reconnect`: the old socket
    /// stays open until the new one is welcomed) start a second
    /// [`WsClient`](crate::WsClient) on the new URL instead, then close this one.
    pub fn reconnect_to(&self, url: &str, code: u16) -> Result<(), Error> {
        let url = offered(&self.configured, url)?;
        self.command(Command::Close {
            frame: CloseFrame {
                code,
                reason: String::new(),
            },
            then: AfterClose::Reconnect(Some(url)),
        })
    }

    /// Uses `url` for every later connection, without touching the current one. Checked like
    /// [`reconnect_to`](Self::reconnect_to)'s.
    pub fn set_url(&self, url: &str) -> Result<(), Error> {
        let url = offered(&self.configured, url)?;
        self.command(Command::SetUrl(url))
    }

    fn command(&self, command: Command) -> Result<(), Error> {
        self.commands
            .send(command)
            .map_err(|_| Error::new(ErrorKind::Stopped))
    }
}

/// A URL offered for later connections: acceptable by
/// [`check_offered_url`](crate::check_offered_url), and on the configured carrier (the
/// framing of a connection cannot change between WebSocket and TCP).
pub(crate) fn offered(configured: &Url, url: &str) -> Result<Url, Error> {
    let url = check_offered_url(configured, url)?;
    if carrier(&url) != carrier(configured) {
        tracing::warn!(scheme = url.scheme(), "offered URL uses another carrier");
        return Err(Error::with_source(
            ErrorKind::InvalidUrl,
            format!(
                "a {}:// client cannot move to {}://",
                configured.scheme(),
                url.scheme()
            ),
        ));
    }
    Ok(url)
}
