//! A WebSocket connection: the upgrade over an already dialled stream, reading, writing,
//! and closing politely.

use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::error::CapacityError;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame as WireCloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use url::Url;

use crate::close::CloseFrame;
use crate::config::WsConfig;
use crate::connection::Incoming;
use crate::dial::is_tls_error;
use crate::error::{Error, ErrorKind};

/// tungstenite's read buffer: its initial capacity and the most read from the socket at
/// once. tungstenite's default, 128 KiB, is zero-filled at the first read and so resident
/// for the life of the connection: two thirds of an idle Discord shard's memory
/// (`svc-gateway/examples/idle_connections.rs`). A larger frame still grows the buffer to
/// its size; only the number of reads per large frame goes up (a 200 KiB GUILD_CREATE takes
/// 25 reads instead of 2, microseconds beside inflating and decoding it).
const READ_BUFFER_SIZE: usize = 8 * 1024;

/// An established WebSocket.
pub(crate) struct WebSocket {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    max_message_size: usize,
}

/// The WebSocket upgrade over `stream` (TCP, or TLS for `wss://`), with the headers and
/// size limits of `config`.
pub(crate) async fn handshake(
    config: &WsConfig,
    url: &Url,
    stream: MaybeTlsStream<TcpStream>,
) -> Result<WebSocket, Error> {
    let mut request = url.as_str().into_client_request().map_err(|source| {
        tracing::warn!(error = %source, "cannot build the upgrade request");
        Error::with_source(ErrorKind::InvalidUrl, source)
    })?;
    for (name, value) in &config.headers {
        request.headers_mut().insert(name.clone(), value.clone());
    }
    let ws_config = WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER_SIZE)
        .max_message_size(Some(config.max_message_size))
        .max_frame_size(Some(config.max_frame_size));
    let (socket, _response) =
        tokio_tungstenite::client_async_with_config(request, stream, Some(ws_config))
            .await
            .map_err(handshake_error)?;
    Ok(WebSocket {
        socket,
        max_message_size: config.max_message_size,
    })
}

/// Classifies a failed upgrade.
fn handshake_error(error: WsError) -> Error {
    let kind = match &error {
        WsError::Io(io) if is_tls_error(io) => ErrorKind::Tls,
        WsError::Tls(_) => ErrorKind::Tls,
        WsError::Io(_) | WsError::ConnectionClosed | WsError::AlreadyClosed => ErrorKind::Connect,
        WsError::Http(response) => ErrorKind::Handshake {
            status: Some(response.status().as_u16()),
        },
        WsError::Url(_) => ErrorKind::InvalidUrl,
        _ => ErrorKind::Handshake { status: None },
    };
    Error::with_source(kind, error)
}

impl WebSocket {
    /// The next inbound item. Cancel-safe.
    pub(crate) async fn next(&mut self) -> Incoming {
        match self.socket.next().await {
            Some(Ok(Message::Text(text))) => Incoming::Text(text.as_str().to_owned()),
            Some(Ok(Message::Binary(data))) => Incoming::Binary(data),
            Some(Ok(Message::Ping(_))) => Incoming::Ping,
            Some(Ok(Message::Pong(_) | Message::Frame(_))) => Incoming::Nothing,
            Some(Ok(Message::Close(frame))) => Incoming::Close(frame.as_ref().map(from_wire)),
            Some(Err(WsError::Capacity(capacity))) => {
                let max = if let CapacityError::MessageTooLong { max_size, .. } = capacity {
                    max_size
                } else {
                    self.max_message_size
                };
                tracing::warn!(%capacity, "inbound message too large");
                // tungstenite stops reading after this error (the rest of an oversize frame
                // is never buffered); the close frame still goes out.
                Incoming::Failed(Error::with_source(
                    ErrorKind::MessageTooLarge { max },
                    capacity,
                ))
            }
            Some(Err(error)) => Incoming::Failed(connection_error(error)),
            None => Incoming::End,
        }
    }

    /// Writes one message.
    pub(crate) async fn send(&mut self, message: Message) -> Result<(), Error> {
        self.socket.send(message).await.map_err(connection_error)
    }

    /// tungstenite queues pongs and would send them along with the next read or write;
    /// flushing sends them now.
    pub(crate) async fn flush(&mut self) -> Result<(), Error> {
        self.socket.flush().await.map_err(connection_error)
    }

    /// Sends a close frame and waits (bounded) for the server's answer, discarding any data
    /// that still arrives. Failures are irrelevant here: the connection is being dropped.
    pub(crate) async fn close_politely(&mut self, frame: &CloseFrame, timeout: Duration) {
        let wire = WireCloseFrame {
            code: CloseCode::from(frame.code),
            reason: frame.reason.as_str().into(),
        };
        let handshake = async {
            if self.socket.close(Some(wire)).await.is_err() {
                return;
            }
            // Read until the server's close frame (or the end): tungstenite then finishes the
            // handshake. After a read error the stream yields `None` at once.
            while let Some(Ok(message)) = self.socket.next().await {
                if message.is_close() {
                    break;
                }
            }
        };
        if tokio::time::timeout(timeout, handshake).await.is_err() {
            tracing::debug!("server did not answer the close frame in time");
        }
    }

    /// Keeps reading (bounded) after the server's close frame: tungstenite sends our answer
    /// on the next read, and the server then ends the TCP connection.
    pub(crate) async fn drain(&mut self, timeout: Duration) {
        let drain = async { while let Some(Ok(_)) = self.socket.next().await {} };
        let _ = tokio::time::timeout(timeout, drain).await;
    }
}

/// Converts tungstenite's close frame.
fn from_wire(frame: &WireCloseFrame) -> CloseFrame {
    CloseFrame {
        code: u16::from(frame.code),
        reason: frame.reason.as_str().to_owned(),
    }
}

/// Error of a connection that failed while established.
fn connection_error(error: tungstenite::Error) -> Error {
    let kind = match &error {
        WsError::Protocol(tungstenite::error::ProtocolError::ResetWithoutClosingHandshake)
        | WsError::Io(_)
        | WsError::ConnectionClosed
        | WsError::AlreadyClosed => ErrorKind::ConnectionLost,
        _ => ErrorKind::Protocol,
    };
    Error::with_source(kind, error)
}
