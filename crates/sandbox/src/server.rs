//! The listener: one hyper server (HTTP/1.1 and HTTP/2, with upgrades) per platform on a
//! local address, and the handle tests hold to reach and stop it.

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use http::{Request, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::chaos::{self, http::ChaosBody};
use crate::feed::Feed;
use crate::platform::{Platform, SandboxRequest};
use crate::request_log::RequestLog;
use crate::response;
use crate::{Error, ErrorKind};

/// Request bodies above this are refused with 413: real platforms cap bodies too, and a
/// sandbox must not be made to buffer without bound.
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Configures a [`Server`] before it starts.
#[derive(Debug, Clone)]
#[must_use]
pub struct ServerBuilder {
    addr: SocketAddr,
    feed: Option<Feed>,
}

impl Default for ServerBuilder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            feed: None,
        }
    }
}

impl ServerBuilder {
    /// Listen on `addr` instead of `127.0.0.1:0` (a free port).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Publishes every answered request on `feed`.
    pub fn feed(mut self, feed: Feed) -> Self {
        self.feed = Some(feed);
        self
    }

    /// Binds and starts serving `platform` in a background task.
    pub async fn serve<P: Platform>(self, platform: P) -> Result<Server, Error> {
        let listener = TcpListener::bind(self.addr).await.map_err(|e| {
            Error::with_source(
                ErrorKind::Bind {
                    addr: self.addr.to_string(),
                },
                e,
            )
        })?;
        let addr = listener.local_addr().map_err(|e| {
            Error::with_source(
                ErrorKind::Bind {
                    addr: self.addr.to_string(),
                },
                e,
            )
        })?;
        let log = RequestLog::new();
        let (shutdown, shutdown_rx) = watch::channel(false);
        let name = platform.name();
        tracing::info!(platform = name, %addr, "sandbox listening");
        let task = tokio::spawn(accept_loop(
            listener,
            Arc::new(platform),
            log.clone(),
            self.feed,
            shutdown_rx,
        ));
        Ok(Server {
            addr,
            name,
            log,
            shutdown,
            task: Some(task),
        })
    }
}

/// A running sandbox server. Dropping it stops the server and every connection it holds.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    name: &'static str,
    log: RequestLog,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Server {
    /// A builder listening on `127.0.0.1:0` by default.
    pub fn builder() -> ServerBuilder {
        ServerBuilder::default()
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The platform's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// `http://127.0.0.1:PORT`, to use as a client's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `ws://127.0.0.1:PORT{path}`.
    pub fn ws_url(&self, path: &str) -> String {
        format!("ws://{}{path}", self.addr)
    }

    /// Every request received so far.
    pub fn log(&self) -> &RequestLog {
        &self.log
    }

    /// Stops accepting, closes every connection and WebSocket, and waits for the server task.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

async fn accept_loop(
    listener: TcpListener,
    platform: Arc<dyn Platform>,
    log: RequestLog,
    feed: Option<Feed>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => {
                let (stream, remote) = match accepted {
                    Ok(pair) => pair,
                    Err(error) => {
                        tracing::warn!(%error, "sandbox accept failed");
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let platform = Arc::clone(&platform);
                let log = log.clone();
                let feed = feed.clone();
                let shutdown = shutdown.clone();
                connections.spawn(async move {
                    let service = service_fn(move |request| {
                        let context = Context { log: log.clone(), feed: feed.clone(), remote, shutdown: shutdown.clone() };
                        dispatch(Arc::clone(&platform), context, request)
                    });
                    let connection = auto::Builder::new(TokioExecutor::new());
                    if let Err(error) = connection
                        .serve_connection_with_upgrades(TokioIo::new(stream), service)
                        .await
                    {
                        tracing::debug!(%remote, %error, "sandbox connection ended with an error");
                    }
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

/// What every request on a connection shares.
struct Context {
    log: RequestLog,
    feed: Option<Feed>,
    remote: SocketAddr,
    shutdown: watch::Receiver<bool>,
}

async fn dispatch(
    platform: Arc<dyn Platform>,
    context: Context,
    mut request: Request<Incoming>,
) -> Result<http::Response<ChaosBody>, Infallible> {
    let Context {
        log,
        feed,
        remote,
        shutdown,
    } = context;
    let upgrade =
        crate::ws::is_upgrade(request.headers()).then(|| hyper::upgrade::on(&mut request));
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            tracing::warn!(%remote, %error, "sandbox could not read a request body");
            return Ok(chaos::http::apply(
                None,
                response::text(StatusCode::PAYLOAD_TOO_LARGE, "request body rejected"),
            ));
        }
    };
    log.record(&parts.method, &parts.uri, &parts.headers, &body);
    tracing::debug!(platform = platform.name(), method = %parts.method, path = parts.uri.path(), "sandbox request");
    let (method, path) = (parts.method.clone(), parts.uri.path().to_owned());
    let request = SandboxRequest {
        method: parts.method,
        uri: parts.uri,
        headers: parts.headers,
        body,
        remote,
        log,
        upgrade,
        tap: feed.clone().map(|feed| crate::feed::Tap {
            feed,
            platform: platform.name(),
            path: path.clone(),
        }),
        shutdown,
    };
    let response = platform.handle(request).await;
    if let Some(feed) = &feed {
        feed.http(
            platform.name(),
            &method,
            &path,
            response.status(),
            response.headers(),
        );
    }
    let chaos = platform.http_chaos(&path);
    Ok(chaos::http::apply(chaos.as_ref(), response))
}
