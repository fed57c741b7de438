//! The trait a platform module implements, and the request it is handed.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;

use bytes::Bytes;
use http::{HeaderMap, Method, Uri};
use hyper::upgrade::OnUpgrade;

use crate::request_log::RequestLog;
use crate::response::HttpResponse;

/// A boxed response future, what [`Platform::handle`] returns.
pub type ResponseFuture<'a> = Pin<Box<dyn Future<Output = HttpResponse> + Send + 'a>>;

/// One platform's server side: turns each request (HTTP, or a WebSocket upgrade) into a
/// response. Implementations keep their own state behind `&self` and hand out a control
/// handle of their own for tests.
pub trait Platform: Send + Sync + 'static {
    /// A short name for logs and the `sandbox` binary ("discord", "twitch-chat", …).
    fn name(&self) -> &'static str;

    /// Answers one request. The body is already read; for a WebSocket upgrade use
    /// [`crate::ws::accept`].
    fn handle(&self, request: SandboxRequest) -> ResponseFuture<'_>;

    /// The chaos switch ([`crate::chaos::ChaosSwitch`]) whose HTTP behaviours apply to the
    /// answer to a request for `path`; `None` (the default) answers as the handler did.
    fn http_chaos(&self, path: &str) -> Option<crate::chaos::ChaosSwitch> {
        let _ = path;
        None
    }
}

/// A request as a platform sees it: head, fully read body, peer address, and the upgrade
/// handle a WebSocket handshake needs.
#[derive(Debug)]
pub struct SandboxRequest {
    /// Request method.
    pub method: Method,
    /// Request URI (path and query).
    pub uri: Uri,
    /// Request headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
    /// The client's address.
    pub remote: SocketAddr,
    /// The server's request log, for platforms that count or inspect past requests.
    pub log: RequestLog,
    pub(crate) upgrade: Option<OnUpgrade>,
    /// Where an accepted WebSocket's frames are recorded, when the server has a feed.
    pub(crate) tap: Option<crate::feed::Tap>,
    pub(crate) shutdown: tokio::sync::watch::Receiver<bool>,
}

impl SandboxRequest {
    /// The path without the query string.
    pub fn path(&self) -> &str {
        self.uri.path()
    }

    /// The value of a query parameter, percent-decoding not applied.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.uri.query()?.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key == name).then_some(value)
        })
    }

    /// A header as UTF-8 text, if present and valid.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The path split on `/`, empty segments dropped: `/v1/clans/x` → `["v1", "clans", "x"]`.
    pub fn segments(&self) -> Vec<&str> {
        self.uri
            .path()
            .split('/')
            .filter(|s| !s.is_empty())
            .collect()
    }
}
