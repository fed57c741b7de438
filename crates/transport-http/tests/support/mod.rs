//! A real hyper server on 127.0.0.1:0 (plain or TLS) for end-to-end tests, plus a
//! throwaway PKI made with rcgen.
#![allow(dead_code, unreachable_pub)]

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use transport_http::TooManyRequests;

/// What a handler sees of a request: already collected, so handlers stay simple.
#[derive(Debug, Clone)]
pub struct Seen {
    pub peer: SocketAddr,
    pub method: hyper::Method,
    pub uri: hyper::Uri,
    pub version: hyper::Version,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

pub type Reply = Response<Full<Bytes>>;

/// A server that answers every request with `handler` and counts hits.
pub struct TestServer {
    pub addr: SocketAddr,
    pub hits: Arc<AtomicUsize>,
    /// TCP connections accepted.
    pub connections: Arc<AtomicUsize>,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    task: JoinHandle<()>,
}

impl TestServer {
    pub async fn start<F, Fut>(handler: F) -> Self
    where
        F: Fn(Seen) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply> + Send + 'static,
    {
        Self::serve(handler, None).await
    }

    pub async fn start_tls<F, Fut>(handler: F, acceptor: TlsAcceptor) -> Self
    where
        F: Fn(Seen) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply> + Send + 'static,
    {
        Self::serve(handler, Some(acceptor)).await
    }

    async fn serve<F, Fut>(handler: F, tls: Option<TlsAcceptor>) -> Self
    where
        F: Fn(Seen) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let hits = Arc::new(AtomicUsize::new(0));
        let connections = Arc::new(AtomicUsize::new(0));
        let task_connections = connections.clone();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler = Arc::new(handler);
        let (task_hits, task_seen) = (hits.clone(), seen.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, peer)) = listener.accept().await else {
                    return;
                };
                task_connections.fetch_add(1, Ordering::SeqCst);
                let (handler, hits, seen, tls) = (
                    handler.clone(),
                    task_hits.clone(),
                    task_seen.clone(),
                    tls.clone(),
                );
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<Incoming>| {
                        let (handler, hits, seen) = (handler.clone(), hits.clone(), seen.clone());
                        async move {
                            hits.fetch_add(1, Ordering::SeqCst);
                            let (parts, body) = request.into_parts();
                            let body = body
                                .collect()
                                .await
                                .map(http_body_util::Collected::to_bytes)
                                .unwrap_or_default();
                            let request = Seen {
                                peer,
                                method: parts.method,
                                uri: parts.uri,
                                version: parts.version,
                                headers: parts.headers,
                                body,
                            };
                            seen.lock().unwrap().push(request.clone());
                            Ok::<_, Infallible>(handler(request).await)
                        }
                    });
                    serve_connection(stream, tls, service).await;
                });
            }
        });
        Self {
            addr,
            hits,
            connections,
            seen,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn https_url(&self) -> String {
        format!("https://{}", self.addr)
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_connection<S>(stream: TcpStream, tls: Option<TlsAcceptor>, service: S)
where
    S: hyper::service::Service<Request<Incoming>, Response = Reply, Error = Infallible>
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let builder = auto::Builder::new(TokioExecutor::new());
    // Connection errors (a client giving up mid-request) are part of some tests.
    match tls {
        None => {
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        }
        Some(acceptor) => {
            let Ok(stream) = acceptor.accept(stream).await else {
                return;
            };
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        }
    }
}

/// A 429 body parser for `{"retry_after": <seconds>, "global": <bool>}` bodies (the shape
/// Discord sends; svc-gateway sets the real one), set with `rate_limit_body`.
pub fn json_retry_after(body: &[u8]) -> TooManyRequests {
    use simd_json::prelude::*;
    let mut bytes = body.to_vec();
    let Ok(value) = simd_json::to_owned_value(&mut bytes) else {
        return TooManyRequests::default();
    };
    let seconds = value.get("retry_after").and_then(ValueAsScalar::cast_f64);
    TooManyRequests::new(
        seconds.and_then(|s| Duration::try_from_secs_f64(s).ok()),
        value.get("global").and_then(ValueAsScalar::as_bool) == Some(true),
    )
}

pub fn reply(status: u16, body: impl Into<Bytes>) -> Reply {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap())
        .header("content-type", "application/json")
        .body(Full::new(body.into()))
        .unwrap()
}

/// A port on which nothing listens (bound, then released).
pub fn closed_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// A CA and a server certificate signed by it.
pub struct Pki {
    pub ca: CertificateDer<'static>,
    pub server_chain: Vec<CertificateDer<'static>>,
    server_key: Vec<u8>,
}

impl Pki {
    /// For 127.0.0.1 and localhost.
    pub fn new() -> Self {
        Self::for_names(&["127.0.0.1", "localhost"])
    }

    /// A CA and a server certificate for `names` (IP addresses or DNS names).
    pub fn for_names(names: &[&str]) -> Self {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "switchboard test CA");
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);

        let server_key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
        let server_params = CertificateParams::new(names).unwrap();
        let server_cert = server_params.signed_by(&server_key, &issuer).unwrap();
        Self {
            ca: ca_cert.der().clone(),
            server_chain: vec![server_cert.der().clone()],
            server_key: server_key.serialize_der(),
        }
    }

    /// A TLS acceptor offering h2 and http/1.1, ring provider.
    pub fn acceptor(&self) -> TlsAcceptor {
        self.acceptor_with_alpn(&[b"h2", b"http/1.1"])
    }

    /// A TLS acceptor offering exactly `protocols` by ALPN.
    pub fn acceptor_with_alpn(&self, protocols: &[&[u8]]) -> TlsAcceptor {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.server_key.clone()));
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(self.server_chain.clone(), key)
            .unwrap();
        config.alpn_protocols = protocols.iter().map(|p| p.to_vec()).collect();
        TlsAcceptor::from(Arc::new(config))
    }
}

/// Captures everything a tracing subscriber writes, for secret-leak checks.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
