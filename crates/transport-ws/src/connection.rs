//! Opening one WebSocket connection (TCP, TLS, upgrade) and closing it politely.

use std::time::Duration;

use futures_util::StreamExt as _;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame as WireCloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Error as WsError};
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};
use url::Url;

use crate::close::CloseFrame;
use crate::config::WsConfig;
use crate::error::{Error, ErrorKind};

/// An established connection.
pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Connects to `url` with the settings of `config`, within its connect timeout.
pub(crate) async fn connect(config: &WsConfig, url: &Url) -> Result<Socket, Error> {
    let mut request = url.as_str().into_client_request().map_err(|source| {
        tracing::warn!(error = %source, "cannot build the upgrade request");
        Error::with_source(ErrorKind::InvalidUrl, source)
    })?;
    for (name, value) in &config.headers {
        request.headers_mut().insert(name.clone(), value.clone());
    }
    let ws_config = WebSocketConfig::default()
        .max_message_size(Some(config.max_message_size))
        .max_frame_size(Some(config.max_frame_size));
    let connector = if url.scheme() == "wss" {
        Connector::Rustls(config.tls.clone())
    } else {
        Connector::Plain
    };
    let attempt = tokio_tungstenite::connect_async_tls_with_config(
        request,
        Some(ws_config),
        true,
        Some(connector),
    );
    match tokio::time::timeout(config.connect_timeout, attempt).await {
        Ok(Ok((socket, _response))) => Ok(socket),
        Ok(Err(error)) => Err(connect_error(error)),
        Err(elapsed) => Err(Error::with_source(ErrorKind::Connect, elapsed)),
    }
}

/// Classifies a failed connection attempt.
fn connect_error(error: WsError) -> Error {
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

/// tokio-rustls reports certificate and handshake failures as I/O errors wrapping a
/// `rustls::Error`.
fn is_tls_error(error: &std::io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(<dyn std::error::Error + Send + Sync>::is::<rustls::Error>)
}

/// Sends a close frame and waits (bounded) for the server's answer, discarding any data that
/// still arrives. Failures are irrelevant here: the connection is being dropped anyway.
pub(crate) async fn close_politely(socket: &mut Socket, frame: &CloseFrame, timeout: Duration) {
    let wire = WireCloseFrame {
        code: CloseCode::from(frame.code),
        reason: frame.reason.as_str().into(),
    };
    let handshake = async {
        if socket.close(Some(wire)).await.is_err() {
            return;
        }
        // Read until the server's close frame (or the end): tungstenite then finishes the
        // handshake. After a read error the stream yields `None` at once.
        while let Some(Ok(message)) = socket.next().await {
            if message.is_close() {
                break;
            }
        }
    };
    if tokio::time::timeout(timeout, handshake).await.is_err() {
        tracing::debug!("server did not answer the close frame in time");
    }
}

/// Converts tungstenite's close frame.
pub(crate) fn from_wire(frame: &WireCloseFrame) -> CloseFrame {
    CloseFrame {
        code: u16::from(frame.code),
        reason: frame.reason.as_str().to_owned(),
    }
}

/// Error of a connection that failed while established.
pub(crate) fn connection_error(error: tungstenite::Error) -> Error {
    let kind = match &error {
        WsError::Protocol(tungstenite::error::ProtocolError::ResetWithoutClosingHandshake)
        | WsError::Io(_)
        | WsError::ConnectionClosed
        | WsError::AlreadyClosed => ErrorKind::ConnectionLost,
        _ => ErrorKind::Protocol,
    };
    Error::with_source(kind, error)
}
