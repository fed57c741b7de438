//! [`MeshClient`]: the handle applications use to talk through the mesh.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use core_events::{EventHub, Extract};
use futures_core::Stream;
use parking_lot::Mutex;
use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::oneshot;
use transport_ws::{Priority, WsClient, WsConfig};

use crate::config::MeshConfig;
use crate::driver::Driver;
use crate::error::{Error, ErrorKind};
use crate::event::{MeshEvent, Message, QueuedMessage};
use crate::metadata::{Metadata, MetadataValue};
use crate::nonce::ReplyAddress;
use crate::packet::{self, OpCode};
use crate::pending::Pending;
use crate::query::Query;
use crate::stream::{MeshStream, StreamOptions};

/// Connection state shared by the handle and the connection task.
#[derive(Debug, Default)]
pub(crate) struct Session {
    /// READY received on the current connection.
    pub(crate) ready: bool,
    pub(crate) restricted: bool,
    /// Every metadata value set so far: sent again at each identify.
    pub(crate) metadata: Metadata,
    pub(crate) latency: Option<Duration>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) config: MeshConfig,
    pub(crate) ws: transport_ws::Sender,
    pub(crate) hub: EventHub<MeshEvent>,
    pub(crate) session: Mutex<Session>,
    pub(crate) pending: Pending,
    pub(crate) http: transport_http::Client,
    seq: AtomicU64,
    pub(crate) closed: AtomicBool,
}

/// A connection to a singyeong server: identify, heartbeats, reconnects (metadata
/// restored), routed messages, requests with replies, queues, and the HTTP API.
///
/// Cheap to clone. Events (messages, queue deliveries, client updates, connection changes)
/// are published on [`events`](Self::events), a [`core_events::EventHub`].
///
/// ```no_run
/// use std::time::Duration;
/// use svc_mesh::{MeshClient, MeshConfig, Message, Metadata, Query};
///
/// # async fn run() -> Result<(), svc_mesh::Error> {
/// let config = MeshConfig::builder("singyeong://orders:secret@127.0.0.1:4567")
///     .metadata(Metadata::new().with("region", "eu")?)
///     .build()?;
/// let mesh = MeshClient::connect(config).await?;
/// let replies = mesh.clone();
/// mesh.events().on(move |message: Message| {
///     let replies = replies.clone();
///     tokio::spawn(async move { replies.reply(&message, "pong").await });
/// });
/// let target = Query::builder("billing").eq("/region", "eu").build()?;
/// let answer = mesh.request(&target, "ping", Duration::from_secs(5)).await?;
/// println!("billing said {answer}");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct MeshClient {
    inner: Arc<Inner>,
}

impl MeshClient {
    /// Connects, identifies and waits for READY (up to the configured connect timeout).
    ///
    /// Fails with [`ErrorKind::Invalid`] / [`ErrorKind::Server`] when the server refuses the
    /// identify (bad password, duplicate client id), [`ErrorKind::Timeout`] when READY does
    /// not come in time.
    pub async fn connect(config: MeshConfig) -> Result<Self, Error> {
        let ws_config = WsConfig::builder(config.dsn.gateway_url())
            .backoff(config.reconnect.clone())
            .connect_timeout(config.connect_timeout)
            .build()
            .map_err(|e| Error::with_source(ErrorKind::Transport, e))?;
        let mut http = transport_http::Client::builder().base_url(config.dsn.http_base_url());
        if let Some(password) = config.dsn.password() {
            http = http.default_secret_header("authorization", password);
        }
        let http = http
            .build()
            .map_err(|e| Error::with_source(ErrorKind::Http, e))?;
        let (ws, events) = WsClient::start(ws_config).into_parts();
        let session = Session {
            metadata: config.metadata.clone(),
            ..Session::default()
        };
        let connect_timeout = config.connect_timeout;
        let inner = Arc::new(Inner {
            config,
            ws,
            hub: EventHub::new(),
            session: Mutex::new(session),
            pending: Pending::default(),
            http,
            seq: AtomicU64::new(0),
            closed: AtomicBool::new(false),
        });
        let (ready_tx, ready_rx) = oneshot::channel();
        let driver = Driver::new(Arc::downgrade(&inner), inner.ws.clone(), events, ready_tx);
        tokio::spawn(driver.run());
        let client = Self { inner };
        match tokio::time::timeout(connect_timeout, ready_rx).await {
            Ok(Ok(Ok(()))) => Ok(client),
            Ok(Ok(Err(error))) => {
                client.close();
                Err(error)
            }
            Ok(Err(_)) => Err(Error::new(ErrorKind::Closed)),
            Err(_) => {
                client.close();
                Err(Error::new(ErrorKind::Timeout {
                    after: connect_timeout,
                }))
            }
        }
    }

    /// The event hub: `on`, `once`, `wait_for`, `stream`.
    pub fn events(&self) -> &EventHub<MeshEvent> {
        &self.inner.hub
    }

    /// Matching events of type `T` as a `Stream` (shinkei's `stream(event, timeout, check,
    /// limit)`): the type picks the event (`Message`, `QueuedMessage`, or `MeshEvent` for all),
    /// `check` filters, and `options` bound how many and how long. See [`MeshStream`].
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use svc_mesh::{MeshClient, Message, StreamOptions};
    ///
    /// # async fn run(mesh: MeshClient) {
    /// use futures_util::StreamExt;
    /// let mut jobs = mesh.stream(
    ///     |m: &Message| m.payload.get("job").is_some(),
    ///     StreamOptions::new().limit(3).timeout(Duration::from_secs(30)),
    /// );
    /// while let Some(job) = jobs.next().await {
    ///     match job {
    ///         Ok(message) => println!("job {}", message.payload["job"]),
    ///         Err(error) => eprintln!("{error}"),
    ///     }
    /// }
    /// # }
    /// ```
    pub fn stream<T>(
        &self,
        check: impl FnMut(&T) -> bool + Send + 'static,
        options: StreamOptions,
    ) -> MeshStream<T>
    where
        T: Extract<MeshEvent>,
    {
        MeshStream::new(
            self.inner.hub.stream(),
            Arc::downgrade(&self.inner),
            Box::new(check),
            options,
        )
    }

    /// The next event of type `T` that passes `check` (shinkei's `wait_for(event, timeout,
    /// check)`). Fails with [`ErrorKind::Timeout`] after `timeout`, [`ErrorKind::Closed`]
    /// when the client closes first. The wait starts at the call.
    pub fn wait_for<T>(
        &self,
        check: impl FnMut(&T) -> bool + Send + 'static,
        timeout: Duration,
    ) -> impl Future<Output = Result<T, Error>> + Send + 'static
    where
        T: Extract<MeshEvent> + Send + 'static,
    {
        let mut stream = self.stream(check, StreamOptions::new().limit(1).timeout(timeout));
        async move {
            loop {
                match std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
                    Some(Ok(event)) => return Ok(event),
                    // Lag is not the end of a wait: the match may still come.
                    Some(Err(error)) if matches!(error.kind(), ErrorKind::Lagged { .. }) => {
                        tracing::warn!(%error, "a mesh wait_for fell behind the event hub");
                    }
                    Some(Err(error)) => return Err(error),
                    None => return Err(Error::new(ErrorKind::Closed)),
                }
            }
        }
    }

    /// This client's id.
    pub fn client_id(&self) -> &str {
        &self.inner.config.client_id
    }

    /// The application id.
    pub fn application_id(&self) -> &str {
        self.inner.config.dsn.application_id()
    }

    /// Whether the server put this client in restricted mode (only metadata updates allowed).
    pub fn is_restricted(&self) -> bool {
        self.inner.session.lock().restricted
    }

    /// Whether the current connection is identified.
    pub fn is_ready(&self) -> bool {
        self.inner.session.lock().ready
    }

    /// Whether [`close`](Self::close) was called.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::Acquire)
    }

    /// The last heartbeat round trip, once one was acknowledged.
    pub fn latency(&self) -> Option<Duration> {
        self.inner.session.lock().latency
    }

    /// The metadata this client has set (restored after every reconnect).
    pub fn metadata(&self) -> Metadata {
        self.inner.session.lock().metadata.clone()
    }

    /// Closes the connection for good (close code 1000).
    pub fn close(&self) {
        self.inner.closed.store(true, Ordering::Release);
        self.inner.session.lock().ready = false;
        let _ = self.inner.ws.close(1000, "client closed");
    }

    /// Sets metadata: validated, cached for reconnects, and sent now when connected
    /// (otherwise at the next identify). Restricted clients may do this too.
    pub async fn update_metadata(&self, metadata: &Metadata) -> Result<(), Error> {
        let ready = {
            let mut session = self.inner.session.lock();
            session.metadata.merge(metadata);
            session.ready
        };
        if !ready || metadata.is_empty() {
            return Ok(());
        }
        self.write(
            OpCode::Dispatch,
            Some("UPDATE_METADATA"),
            &metadata.to_wire(),
        )
        .await
    }

    /// Sets metadata for the current connection only: not cached, so a reconnect does not
    /// restore it (shinkei's `update_metadata(data, cache=False)`). Fails with
    /// [`ErrorKind::NotConnected`] between connections.
    pub async fn update_metadata_transient(&self, metadata: &Metadata) -> Result<(), Error> {
        if metadata.is_empty() {
            return Ok(());
        }
        self.write(
            OpCode::Dispatch,
            Some("UPDATE_METADATA"),
            &metadata.to_wire(),
        )
        .await
    }

    /// Sets one metadata key (see [`update_metadata`](Self::update_metadata)).
    pub async fn set_metadata(
        &self,
        key: &str,
        value: impl Into<MetadataValue>,
    ) -> Result<(), Error> {
        let metadata = Metadata::new().with(key, value)?;
        self.update_metadata(&metadata).await
    }

    /// Sends `payload` to **one** client matching `target`.
    pub async fn send(
        &self,
        target: &Query,
        payload: impl Serialize,
        nonce: Option<&str>,
    ) -> Result<(), Error> {
        self.route("SEND", "send", target, &to_value(payload)?, nonce)
            .await
    }

    /// Sends `payload` to **every** client matching `target`.
    pub async fn broadcast(
        &self,
        target: &Query,
        payload: impl Serialize,
        nonce: Option<&str>,
    ) -> Result<(), Error> {
        self.route("BROADCAST", "broadcast", target, &to_value(payload)?, nonce)
            .await
    }

    /// Sends `payload` to one client matching `target` and waits for its
    /// [`reply`](Self::reply), matched by nonce. Fails with [`ErrorKind::Timeout`],
    /// [`ErrorKind::Invalid`] when the server cannot route the request, or
    /// [`ErrorKind::TooManyPending`] when 4096 requests already wait for replies.
    pub async fn request(
        &self,
        target: &Query,
        payload: impl Serialize,
        timeout: Duration,
    ) -> Result<Value, Error> {
        let payload = to_value(payload)?;
        let nonce = ReplyAddress {
            application: self.application_id().to_owned(),
            client_id: self.client_id().to_owned(),
            seq: self.inner.seq.fetch_add(1, Ordering::Relaxed),
        }
        .encode();
        // Forgotten when this returns, however it returns (the future may be dropped too).
        let mut wait = self.inner.pending.wait_reply(nonce.clone())?;
        self.route("SEND", "request", target, &payload, Some(&nonce))
            .await?;
        match tokio::time::timeout(timeout, &mut wait.reply).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(Error::new(ErrorKind::Closed)),
            Err(_) => Err(Error::new(ErrorKind::Timeout { after: timeout })),
        }
    }

    /// [`request`](Self::request) with the configured request timeout.
    pub async fn request_default(
        &self,
        target: &Query,
        payload: impl Serialize,
    ) -> Result<Value, Error> {
        let timeout = self.inner.config.request_timeout;
        self.request(target, payload, timeout).await
    }

    /// Answers a message sent with [`request`](Self::request): routed back to the requester
    /// with the same nonce. Fails with [`ErrorKind::Payload`] when the message expects no reply.
    pub async fn reply(&self, to: &Message, payload: impl Serialize) -> Result<(), Error> {
        let Some((nonce, address)) = to
            .nonce
            .as_deref()
            .and_then(|n| ReplyAddress::parse(n).map(|a| (n, a)))
        else {
            return Err(Error::new(ErrorKind::Payload {
                reason: "the message carries no reply address".into(),
            }));
        };
        let target = Query::client(address.application, address.client_id);
        self.route("SEND", "reply", &target, &to_value(payload)?, Some(nonce))
            .await
    }

    /// Pushes `payload` into `queue` for one client matching `target`, and waits until the
    /// server confirms it is queued (`QUEUE_CONFIRM`). Fails with [`ErrorKind::Timeout`],
    /// [`ErrorKind::NotConnected`] when the connection ends first (the push may or may not
    /// be queued), or [`ErrorKind::TooManyPending`] when 4096 pushes already wait for
    /// confirmations.
    pub async fn queue_push(
        &self,
        queue: &str,
        target: &Query,
        payload: impl Serialize,
    ) -> Result<(), Error> {
        self.check_can_route("queue push")?;
        let d = json!({ "queue": queue, "target": target, "nonce": Value::Null, "payload": to_value(payload)? });
        // Given up when this returns, however it returns (the future may be dropped too).
        let mut wait = self.inner.pending.wait_confirm(queue)?;
        self.write(OpCode::Dispatch, Some("QUEUE"), &d).await?;
        let timeout = self.inner.config.request_timeout;
        match tokio::time::timeout(timeout, &mut wait.confirmed).await {
            Ok(Ok(())) => Ok(()),
            // The connection ended before the confirmation: the push may or may not be queued.
            Ok(Err(_)) if !self.is_closed() => Err(Error::new(ErrorKind::NotConnected)),
            Ok(Err(_)) => Err(Error::new(ErrorKind::Closed)),
            Err(_) => Err(Error::new(ErrorKind::Timeout { after: timeout })),
        }
    }

    /// Asks for the next message of `queue` (one `QUEUE_REQUEST` = one delivery, published as
    /// [`MeshEvent::Queued`]).
    pub async fn queue_request(&self, queue: &str) -> Result<(), Error> {
        self.check_can_route("queue request")?;
        self.write(
            OpCode::Dispatch,
            Some("QUEUE_REQUEST"),
            &json!({ "queue": queue }),
        )
        .await
    }

    /// Withdraws a [`queue_request`](Self::queue_request).
    pub async fn queue_request_cancel(&self, queue: &str) -> Result<(), Error> {
        self.check_can_route("queue request cancel")?;
        self.write(
            OpCode::Dispatch,
            Some("QUEUE_REQUEST_CANCEL"),
            &json!({ "queue": queue }),
        )
        .await
    }

    /// Acknowledges a queued message so it is not redelivered.
    pub async fn queue_ack(&self, message: &QueuedMessage) -> Result<(), Error> {
        self.check_can_route("queue ack")?;
        self.write(
            OpCode::Dispatch,
            Some("QUEUE_ACK"),
            &json!({ "queue": message.queue, "id": message.id }),
        )
        .await
    }

    async fn route(
        &self,
        t: &str,
        action: &'static str,
        target: &Query,
        payload: &Value,
        nonce: Option<&str>,
    ) -> Result<(), Error> {
        self.check_can_route(action)?;
        let d = json!({ "target": target, "nonce": nonce, "payload": payload });
        self.write(OpCode::Dispatch, Some(t), &d).await
    }

    /// A dispatch that restricted clients may not send.
    pub(crate) async fn dispatch_checked(
        &self,
        action: &'static str,
        t: &str,
        d: &Value,
    ) -> Result<(), Error> {
        self.check_can_route(action)?;
        self.write(OpCode::Dispatch, Some(t), d).await
    }

    fn check_can_route(&self, action: &'static str) -> Result<(), Error> {
        if self.is_restricted() {
            tracing::warn!(
                action,
                "restricted singyeong clients may only update metadata"
            );
            return Err(Error::new(ErrorKind::Restricted { action }));
        }
        Ok(())
    }

    async fn write(&self, op: OpCode, t: Option<&str>, d: &Value) -> Result<(), Error> {
        if self.is_closed() {
            return Err(Error::new(ErrorKind::Closed));
        }
        if !self.is_ready() {
            return Err(Error::new(ErrorKind::NotConnected));
        }
        let text = packet::encode(op, t, d);
        self.inner
            .ws
            .send_text(text, Priority::Normal)
            .await
            .map_err(|e| {
                let kind = match e.kind() {
                    transport_ws::ErrorKind::NotConnected => ErrorKind::NotConnected,
                    transport_ws::ErrorKind::Stopped => ErrorKind::Closed,
                    _ => ErrorKind::Transport,
                };
                Error::with_source(kind, e)
            })
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

fn to_value(payload: impl Serialize) -> Result<Value, Error> {
    serde_json::to_value(payload).map_err(|e| {
        Error::with_source(
            ErrorKind::Payload {
                reason: "payload is not JSON-serialisable".into(),
            },
            e,
        )
    })
}
