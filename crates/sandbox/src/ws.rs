//! WebSocket upgrades on a platform's listener: the handshake answer, then a task running
//! the platform's socket handler until it returns or the server shuts down. With a traffic
//! feed, every frame in and out is recorded on it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::{Sink, Stream};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use http::header::{CONNECTION, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_KEY, UPGRADE};
use http::{HeaderMap, HeaderValue, StatusCode};
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

use crate::platform::SandboxRequest;
use crate::response::{self, HttpResponse};

/// The server side of an accepted WebSocket: a `Stream` of messages and a `Sink` for them,
/// like tokio-tungstenite's `WebSocketStream`, which also records frames on the traffic feed.
#[derive(Debug)]
pub struct ServerSocket {
    inner: WebSocketStream<TokioIo<Upgraded>>,
    tap: Option<crate::feed::Tap>,
}

impl ServerSocket {
    /// Sends a close frame (`None`: no code) and flushes, as `WebSocketStream::close`.
    pub async fn close(&mut self, frame: Option<CloseFrame>) -> Result<(), WsError> {
        if let Some(tap) = &self.tap {
            tap.frame("out", &Message::Close(frame.clone()));
        }
        self.inner.close(frame).await
    }

    /// Sends a text or binary message as one unmasked frame written straight to the socket
    /// in `pieces` parts, `gap` apart (a slow-loris server); other messages are sent whole.
    pub(crate) async fn send_trickled(
        &mut self,
        message: Message,
        pieces: usize,
        gap: std::time::Duration,
    ) -> Result<(), WsError> {
        use futures_util::SinkExt;
        use tokio::io::AsyncWriteExt;
        let opcode = match &message {
            Message::Text(_) => 0x1,
            Message::Binary(_) => 0x2,
            _ => return self.send(message).await,
        };
        if let Some(tap) = &self.tap {
            tap.frame("out", &message);
        }
        self.inner.flush().await?;
        let payload = message.into_data();
        let mut frame = vec![0x80 | opcode];
        match u16::try_from(payload.len()) {
            Ok(len) if len < 126 => frame.push(len as u8),
            Ok(len) => {
                frame.push(126);
                frame.extend_from_slice(&len.to_be_bytes());
            }
            Err(_) => {
                frame.push(127);
                frame.extend_from_slice(&(payload.len() as u64).to_be_bytes());
            }
        }
        frame.extend_from_slice(&payload);
        let socket = self.inner.get_mut();
        for piece in frame.chunks(frame.len().div_ceil(pieces.max(1))) {
            socket.write_all(piece).await?;
            socket.flush().await?;
            tokio::time::sleep(gap).await;
        }
        Ok(())
    }
}

impl Stream for ServerSocket {
    type Item = Result<Message, WsError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = Pin::new(&mut self.inner).poll_next(cx);
        if let (Poll::Ready(Some(Ok(message))), Some(tap)) = (&polled, &self.tap) {
            tap.frame("in", message);
        }
        polled
    }
}

impl Sink<Message> for ServerSocket {
    type Error = WsError;

    fn poll_ready(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), WsError>> {
        Pin::new(&mut self.inner).poll_ready(cx)
    }

    fn start_send(mut self: Pin<&mut Self>, message: Message) -> Result<(), WsError> {
        if let Some(tap) = &self.tap {
            tap.frame("out", &message);
        }
        Pin::new(&mut self.inner).start_send(message)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), WsError>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), WsError>> {
        Pin::new(&mut self.inner).poll_close(cx)
    }
}

/// Whether the headers ask for a WebSocket upgrade.
pub fn is_upgrade(headers: &HeaderMap) -> bool {
    let has_token = |name, token: &str| {
        headers.get_all(name).iter().any(|value| {
            value.to_str().is_ok_and(|v| {
                v.split(',')
                    .any(|part| part.trim().eq_ignore_ascii_case(token))
            })
        })
    };
    has_token(UPGRADE, "websocket")
        && has_token(CONNECTION, "upgrade")
        && headers.contains_key(SEC_WEBSOCKET_KEY)
}

/// Answers a WebSocket handshake with 101 and runs `handler` on the socket in its own task.
/// A request that is not a valid upgrade gets 400. The handler's task ends when the server
/// shuts down.
pub fn accept<F, Fut>(
    request: &mut SandboxRequest,
    config: Option<WebSocketConfig>,
    handler: F,
) -> HttpResponse
where
    F: FnOnce(ServerSocket) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (Some(upgrade), Some(key)) = (
        request.upgrade.take(),
        request.headers.get(SEC_WEBSOCKET_KEY),
    ) else {
        return response::text(StatusCode::BAD_REQUEST, "expected a WebSocket upgrade");
    };
    let accept_key = derive_accept_key(key.as_bytes());
    let mut shutdown = request.shutdown.clone();
    let remote = request.remote;
    let tap = request.tap.clone();
    tokio::spawn(async move {
        let upgraded = match upgrade.await {
            Ok(upgraded) => upgraded,
            Err(error) => {
                tracing::debug!(%remote, %error, "WebSocket upgrade failed");
                return;
            }
        };
        let socket = ServerSocket {
            inner: WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, config)
                .await,
            tap,
        };
        tokio::select! {
            () = handler(socket) => {}
            _ = shutdown.wait_for(|stopped| *stopped) => {}
        }
    });
    let mut response = response::empty(StatusCode::SWITCHING_PROTOCOLS);
    let headers = response.headers_mut();
    headers.insert(UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(CONNECTION, HeaderValue::from_static("Upgrade"));
    if let Ok(value) = HeaderValue::from_str(&accept_key) {
        headers.insert(SEC_WEBSOCKET_ACCEPT, value);
    }
    response
}
