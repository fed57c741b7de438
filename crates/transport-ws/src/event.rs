//! What a [`WsClient`](crate::WsClient) reports to its service.

use std::time::Duration;

use url::Url;

use crate::close::CloseInitiator;
use crate::error::Error;

/// One inbound message, after inflating; with [`Framing::Lines`](crate::Framing::Lines) one
/// line, without its line ending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WsMessage {
    /// A text message.
    Text(String),
    /// A binary message; with [`Compression::ZlibStream`](crate::Compression::ZlibStream) or
    /// [`Compression::ZstdStream`](crate::Compression::ZstdStream) the inflated payload
    /// (for Discord `encoding=json` that is UTF-8 JSON). Owned and mutable, ready for
    /// in-place parsers such as simd-json.
    Binary(Vec<u8>),
}

/// Something that happened on the connection.
///
/// A connection's life reads `Connected`, any number of `Message`s, optionally `Error`,
/// then `Closed`; between connections (and after a failed attempt, which reports `Error`)
/// comes `Reconnecting`. When the client stops (service close, [`CloseAction::Stop`],
/// attempts exhausted) the event stream ends.
///
/// [`CloseAction::Stop`]: crate::CloseAction::Stop
#[derive(Debug)]
#[non_exhaustive]
pub enum WsEvent {
    /// A connection is established (WebSocket handshake, or TCP and TLS for a line
    /// connection, done) to `url`.
    Connected {
        /// The URL connected to.
        url: Url,
    },
    /// A complete inbound message.
    Message(WsMessage),
    /// The connection ended.
    Closed {
        /// Close code sent or received; `None` when the connection dropped without one, and
        /// always for `tcp://` / `tls://` (TCP has no close codes).
        code: Option<u16>,
        /// Close reason (empty when none).
        reason: String,
        /// Which side closed.
        initiator: CloseInitiator,
    },
    /// Something failed: a connect attempt, inbound data, the connection. What follows is
    /// `Closed` (if a connection was up) and/or `Reconnecting`, or the end of the stream.
    Error(Error),
    /// The next connection attempt starts after `delay`.
    Reconnecting {
        /// Consecutive attempt number since the last healthy connection (1-based); `0` for a
        /// reconnect the service asked for, which skips the backoff.
        attempt: u32,
        /// How long until the attempt.
        delay: Duration,
    },
}
