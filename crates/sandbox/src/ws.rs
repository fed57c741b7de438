//! WebSocket upgrades on a platform's listener: the handshake answer, then a task running
//! the platform's socket handler until it returns or the server shuts down.

use std::future::Future;

use http::header::{CONNECTION, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_KEY, UPGRADE};
use http::{HeaderMap, HeaderValue, StatusCode};
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

use crate::platform::SandboxRequest;
use crate::response::{self, HttpResponse};

/// The server side of an accepted WebSocket.
pub type ServerSocket = WebSocketStream<TokioIo<Upgraded>>;

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
    tokio::spawn(async move {
        let upgraded = match upgrade.await {
            Ok(upgraded) => upgraded,
            Err(error) => {
                tracing::debug!(%remote, %error, "WebSocket upgrade failed");
                return;
            }
        };
        let socket =
            WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, config).await;
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
