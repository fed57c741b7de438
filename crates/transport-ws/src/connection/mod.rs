//! One established connection, WebSocket or TCP lines, behind the one interface the driver
//! serves: inbound items, writes, and the polite ways to end.

mod lines;
mod websocket;

use std::time::Duration;

use bytes::Bytes;
use tokio_tungstenite::tungstenite::Message;

use crate::close::CloseFrame;
use crate::error::Error;

pub(crate) use lines::LineStream;
pub(crate) use websocket::{WebSocket, handshake};

/// An established connection.
pub(crate) enum Connection {
    /// A WebSocket (`ws://`, `wss://`).
    WebSocket(Box<WebSocket>),
    /// TCP (plain or TLS) framed by a capped line codec (`tcp://`, `tls://`).
    Lines(Box<LineStream>),
}

/// One thing read from a connection.
pub(crate) enum Incoming {
    /// A text message (WebSocket) or one line without its ending (TCP).
    Text(String),
    /// A binary WebSocket message, still compressed if the server compresses.
    Binary(Bytes),
    /// A WebSocket ping: its pong is queued and must be flushed.
    Ping,
    /// Nothing for the service (a pong, an empty line).
    Nothing,
    /// The server's WebSocket close frame (`None`: a close frame without a code).
    Close(Option<CloseFrame>),
    /// The connection ended without a close frame (TCP end of stream, a dropped socket).
    End,
    /// Reading failed: [`MessageTooLarge`](crate::ErrorKind::MessageTooLarge),
    /// [`Protocol`](crate::ErrorKind::Protocol) and
    /// [`ConnectionLost`](crate::ErrorKind::ConnectionLost) end the connection;
    /// [`InvalidUtf8`](crate::ErrorKind::InvalidUtf8) skips one line.
    Failed(Error),
}

impl Connection {
    /// The next inbound item. Cancel-safe: nothing is lost if the future is dropped.
    pub(crate) async fn next(&mut self) -> Incoming {
        match self {
            Self::WebSocket(socket) => socket.next().await,
            Self::Lines(lines) => lines.next().await,
        }
    }

    /// Writes one message (on TCP: one line, `\r\n` appended).
    pub(crate) async fn send(&mut self, message: Message) -> Result<(), Error> {
        match self {
            Self::WebSocket(socket) => socket.send(message).await,
            Self::Lines(lines) => lines.send(message).await,
        }
    }

    /// Writes what is queued (a WebSocket pong) without waiting for another write.
    pub(crate) async fn flush(&mut self) -> Result<(), Error> {
        match self {
            Self::WebSocket(socket) => socket.flush().await,
            Self::Lines(_) => Ok(()),
        }
    }

    /// Ends the connection from this side and waits (bounded) for the server to finish;
    /// returns the close frame that went out (`None` on TCP, which has no close frames).
    pub(crate) async fn close_politely(
        &mut self,
        frame: &CloseFrame,
        timeout: Duration,
    ) -> Option<CloseFrame> {
        match self {
            Self::WebSocket(socket) => {
                socket.close_politely(frame, timeout).await;
                Some(frame.clone())
            }
            Self::Lines(lines) => {
                lines.close_politely(timeout).await;
                None
            }
        }
    }

    /// After the server's close frame: keeps reading (bounded) so the close handshake
    /// completes.
    pub(crate) async fn finish_server_close(&mut self, timeout: Duration) {
        if let Self::WebSocket(socket) = self {
            socket.drain(timeout).await;
        }
    }
}
