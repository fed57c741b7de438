//! One gateway connection's session: HELLO → jittered heartbeats, IDENTIFY (through the
//! identify queue) or RESUME, sequence tracking, zombie detection, op 7 / op 9 handling and
//! close-code policy, on top of a [`transport_ws::WsClient`].
//!
//! Against a hostile or broken gateway:
//! - Heartbeats run on [`transport_ws::Heartbeat`], which clamps HELLO's interval to
//!   1 s..10 min; every reconnect (op 7, zombie, server close) goes through the transport,
//!   whose backoff grows while connections stay short, so a gateway that never ACKs or
//!   sends op 7 after every IDENTIFY gets a few logins a minute, not a loop.
//! - A dispatch whose `d` does not fit its type still counts: its sequence number is
//!   recorded (a resume neither replays nor skips it), it is published as
//!   [`Event::Unknown`] (and raw, when raw dispatches are on), and the decode error is
//!   counted in [`ShardStats::decode_errors`] and logged.
//! - A message too large for the transport (it closes with 1009) would come back with the
//!   resume's replay, forever: the shard forgets the session and identifies afresh instead
//!   (what it missed is lost, but READY and the GUILD_CREATEs rebuild the state).
//! - A READY's `resume_gateway_url` that is not `wss://` (unless it and the configured URL
//!   are loopback) is ignored with a warning: the token would travel in clear.

use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use core_events::EventHub;
use parking_lot::Mutex;
use rand::Rng;
use serde::Serialize;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use transport_ws::{
    Beat, CloseAction, CloseFrame, CloseInitiator, Compression, Heartbeat, Priority, WsClient,
    WsConfig, WsEvent, WsMessage,
};
use url::Url;

use super::close_code::{CloseBehaviour, close_behaviour};
use super::commands::{Identify, Properties, RequestGuildMembers, Resume, UpdateVoiceState};
use super::config::{GatewayCompression, ShardConfig};
use super::encoding::{GatewayEncoding, send};
use super::handle::ShardHandle;
use super::offered_url::check_offered_url;
use super::raw::RawDispatch;
use crate::error::{Error, ErrorKind};
use crate::event::{Event, ShardEvent, ShardPayload, opcode};
use crate::model::UpdatePresence;

/// Sends per connection per minute, heartbeats included, and the share kept for heartbeats.
const SEND_LIMIT: u32 = 120;
const HEARTBEAT_RESERVE: u32 = 3;
/// A close code that ends the connection but keeps the session resumable (1000 and 1001
/// would invalidate it).
const RESUME_CLOSE: u16 = 4000;
/// [`Shared::latency`] before any ACK was measured.
pub(super) const NO_LATENCY: u64 = u64::MAX;

/// The session a shard can resume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// Session id from READY.
    pub session_id: String,
    /// The last sequence number received.
    pub seq: u64,
    /// Where a resume connects (READY's `resume_gateway_url` with the query the shard
    /// adds), or `None` for the configured gateway (an insecure offer is refused).
    pub resume_url: Option<String>,
}

/// Counters of what a shard went through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShardStats {
    /// IDENTIFYs sent.
    pub identifies: u64,
    /// RESUMEs sent.
    pub resumes: u64,
    /// Zombied connections detected (no ACK before the next heartbeat).
    pub zombies: u64,
    /// Dispatches received (after duplicate removal).
    pub dispatches: u64,
    /// Dispatches dropped as duplicates (sequence already seen).
    pub duplicates: u64,
    /// Payloads that failed to decode. A dispatch whose data did not fit its type is counted
    /// here and still delivered, as [`Event::Unknown`].
    pub decode_errors: u64,
}

#[derive(Debug, Default)]
pub(super) struct Shared {
    pub(super) session: Mutex<Option<SessionInfo>>,
    pub(super) identifies: AtomicU64,
    pub(super) resumes: AtomicU64,
    pub(super) zombies: AtomicU64,
    pub(super) dispatches: AtomicU64,
    pub(super) duplicates: AtomicU64,
    pub(super) decode_errors: AtomicU64,
    /// The last heartbeat round trip in nanoseconds, or [`NO_LATENCY`].
    pub(super) latency: AtomicU64,
    /// Set at the first READY and kept (a resume continues the same readiness).
    pub(super) ready: AtomicBool,
    /// The close code and reason the gateway refused the session with for good.
    fatal: Mutex<Option<(u16, String)>>,
    /// Set when the shard's task ends.
    stopped: AtomicBool,
    /// Woken whenever `ready`, `fatal` or `stopped` changes.
    changed: tokio::sync::Notify,
}

impl Shared {
    fn mark(&self, flag: &AtomicBool) {
        flag.store(true, Ordering::SeqCst);
        self.changed.notify_waiters();
    }
}

/// A handle that waits for one shard's first READY; what [`Client::ready`] waits on.
///
/// [`Client::ready`]: crate::Client::ready
#[derive(Debug, Clone)]
pub(crate) struct Readiness(pub(super) Arc<Shared>);

impl Readiness {
    /// Whether the shard has had its READY.
    pub(crate) fn is_ready(&self) -> bool {
        self.0.ready.load(Ordering::SeqCst)
    }

    /// Resolves at the shard's first READY (at once if it already came: nothing to miss),
    /// or fails with its fatal close ([`ErrorKind::FatalClose`]), or with
    /// [`ErrorKind::Stopped`] when it stopped before READY.
    pub(crate) async fn wait(self) -> Result<(), Error> {
        loop {
            // Registered before the state is read, so a change in between still wakes us.
            let notified = self.0.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some((code, reason)) = self.0.fatal.lock().clone() {
                return Err(Error::new(ErrorKind::FatalClose { code, reason }));
            }
            if self.is_ready() {
                return Ok(());
            }
            if self.0.stopped.load(Ordering::SeqCst) {
                return Err(Error::new(ErrorKind::Stopped));
            }
            notified.await;
        }
    }
}

/// A running shard. Its events go to the hub it was started with; [`Shard::join`] reports
/// why it stopped (a fatal close code is an error).
#[derive(Debug)]
pub struct Shard {
    handle: ShardHandle,
    task: JoinHandle<Result<(), Error>>,
}

impl Shard {
    /// Connects and runs the shard in a background task, publishing into `hub`.
    pub fn start(config: ShardConfig, hub: EventHub<ShardEvent>) -> Result<Self, Error> {
        let url = connect_url(&config.gateway_url, config.encoding, config.compression)?;
        let ws_config = WsConfig::builder(&url)
            .compression(match config.compression {
                GatewayCompression::None => Compression::None,
                GatewayCompression::ZlibStream => Compression::ZlibStream,
                GatewayCompression::ZstdStream => Compression::ZstdStream,
            })
            .send_limit(
                NonZeroU32::new(SEND_LIMIT).unwrap_or(NonZeroU32::MIN),
                Duration::from_mins(1),
                HEARTBEAT_RESERVE,
            )
            .backoff(config.reconnect.clone())
            .close_classifier(|close: Option<&CloseFrame>| {
                match close_behaviour(close.map(|c| c.code)) {
                    CloseBehaviour::Fatal => CloseAction::Stop,
                    CloseBehaviour::Resume | CloseBehaviour::NewSession => CloseAction::Reconnect,
                }
            })
            .build()
            .map_err(|e| Error::with_source(ErrorKind::Config("gateway connection".into()), e))?;
        let client = WsClient::start(ws_config);
        let (sender, events) = client.into_parts();
        let shared = Arc::new(Shared {
            latency: AtomicU64::new(NO_LATENCY),
            ..Shared::default()
        });
        let [id, total] = config.shard;
        let encoding = config.encoding;
        let base = Url::parse(&url)
            .map_err(|e| Error::with_source(ErrorKind::Config("invalid gateway URL".into()), e))?;
        let runner = Runner {
            base_url: url,
            base,
            config,
            hub,
            sender: sender.clone(),
            shared: Arc::clone(&shared),
            generation: 0,
            heartbeat: Heartbeat::default(),
            session: None,
            resume_url: None,
            seq: None,
            unread: None,
            fatal: None,
        };
        let task = tokio::spawn(runner.run(events));
        Ok(Self {
            handle: ShardHandle {
                id,
                total,
                encoding,
                sender,
                shared,
            },
            task,
        })
    }

    /// A cloneable handle on this shard: its commands (presence, voice state, request guild
    /// members), session, readiness and stats, usable while the shard runs elsewhere.
    pub fn handle(&self) -> ShardHandle {
        self.handle.clone()
    }

    /// The shard id.
    pub fn id(&self) -> u32 {
        self.handle.id()
    }

    /// How many shards the bot runs.
    pub fn total(&self) -> u32 {
        self.handle.total()
    }

    /// The resumable session, if any (see [`ShardHandle::session`]).
    pub fn session(&self) -> Option<SessionInfo> {
        self.handle.session()
    }

    /// What the shard went through so far.
    pub fn stats(&self) -> ShardStats {
        self.handle.stats()
    }

    /// Whether the shard has received READY (see [`ShardHandle::is_ready`]).
    pub fn is_ready(&self) -> bool {
        self.handle.is_ready()
    }

    /// The last heartbeat round trip, once one was measured.
    pub fn latency(&self) -> Option<Duration> {
        self.handle.latency()
    }

    /// Op 3: changes the bot's presence.
    pub async fn update_presence(&self, presence: &UpdatePresence) -> Result<(), Error> {
        self.handle.update_presence(presence).await
    }

    /// Op 4: joins, moves or leaves a voice channel.
    pub async fn update_voice_state(&self, state: &UpdateVoiceState) -> Result<(), Error> {
        self.handle.update_voice_state(state).await
    }

    /// Op 8: asks for guild members (answers arrive as `GUILD_MEMBERS_CHUNK`).
    pub async fn request_guild_members(&self, request: &RequestGuildMembers) -> Result<(), Error> {
        self.handle.request_guild_members(request).await
    }

    /// Sends any payload (`{"op": op, "d": data}`); fails with
    /// [`ErrorKind::PayloadTooLarge`] past 4096 bytes.
    pub async fn send<T: Serialize>(&self, op: u8, data: &T) -> Result<(), Error> {
        self.handle.send(op, data).await
    }

    /// Closes with 1000 (ending the session) and stops.
    pub fn close(&self) {
        let _ = self.handle.sender.close(1000, "");
    }

    /// Waits for the shard to stop: `Ok` after [`close`](Self::close), an
    /// [`ErrorKind::FatalClose`] error when the gateway refused the session for good.
    pub async fn join(self) -> Result<(), Error> {
        self.task
            .await
            .unwrap_or_else(|e| Err(Error::with_source(ErrorKind::Stopped, e)))
    }
}

/// `url` with `/?v=10&encoding=json|etf[&compress=…]`.
fn connect_url(
    url: &str,
    encoding: GatewayEncoding,
    compression: GatewayCompression,
) -> Result<String, Error> {
    let mut parsed = url::Url::parse(url)
        .map_err(|e| Error::with_source(ErrorKind::Config("invalid gateway URL".into()), e))?;
    let compress = match compression {
        GatewayCompression::None => "",
        GatewayCompression::ZlibStream => "&compress=zlib-stream",
        GatewayCompression::ZstdStream => "&compress=zstd-stream",
    };
    parsed.set_query(Some(&format!(
        "v=10&encoding={}{compress}",
        encoding.query()
    )));
    Ok(parsed.into())
}

/// What a delayed step does once its wait is over.
enum Step {
    Identify,
    Resume,
}

type Pending = Pin<Box<dyn Future<Output = (u64, Step)> + Send>>;

enum Wake {
    Ws(Option<WsEvent>),
    Beat,
    Step(u64, Step),
}

struct Runner {
    /// The configured gateway URL (with the query), where new sessions connect.
    base_url: String,
    /// `base_url` parsed: what offered URLs are checked against.
    base: Url,
    config: ShardConfig,
    hub: EventHub<ShardEvent>,
    sender: transport_ws::Sender,
    shared: Arc<Shared>,
    /// Bumped on every new connection, so steps scheduled for an old one are dropped.
    generation: u64,
    heartbeat: Heartbeat,
    session: Option<String>,
    resume_url: Option<String>,
    seq: Option<u64>,
    /// The sequence number of the last dispatch that could not be read at all (a truncated
    /// frame): its number counts, but a readable copy of it is still delivered.
    unread: Option<u64>,
    fatal: Option<Error>,
}

impl Runner {
    async fn run(mut self, mut events: transport_ws::Events) -> Result<(), Error> {
        let mut pending: Option<Pending> = None;
        loop {
            let beat_at = self.heartbeat.due();
            let wake = tokio::select! {
                event = events.recv() => Wake::Ws(event),
                () = sleep_until(beat_at), if beat_at.is_some() => Wake::Beat,
                (generation, step) = poll_pending(&mut pending), if pending.is_some() => Wake::Step(generation, step),
            };
            match wake {
                Wake::Ws(None) => break,
                Wake::Ws(Some(event)) => {
                    if let Some(next) = self.on_ws(event).await {
                        pending = next;
                    }
                }
                Wake::Beat => self.beat().await,
                Wake::Step(generation, step) => {
                    pending = None;
                    if generation == self.generation {
                        match step {
                            Step::Identify => self.identify().await,
                            Step::Resume => self.resume().await,
                        }
                    }
                }
            }
        }
        self.shared.mark(&self.shared.stopped);
        self.fatal.take().map_or(Ok(()), Err)
    }

    /// Handles a transport event; `Some(x)` replaces the pending step with `x`.
    async fn on_ws(&mut self, event: WsEvent) -> Option<Option<Pending>> {
        match event {
            WsEvent::Connected { url } => {
                self.generation += 1;
                self.heartbeat.stop();
                tracing::debug!(shard = self.config.shard[0], %url, "gateway connected");
                Some(None)
            }
            WsEvent::Message(message) => {
                let mut bytes = match message {
                    WsMessage::Text(text) => text.into_bytes(),
                    WsMessage::Binary(bytes) => bytes,
                };
                // The typed decode unescapes in place: copy first if the bytes are wanted.
                let raw = self
                    .config
                    .raw
                    .as_ref()
                    .map(|_| bytes::Bytes::copy_from_slice(&bytes));
                match self.config.encoding.decode(&mut bytes) {
                    Ok(payload) => self.on_payload(payload, raw).await,
                    Err(error) => {
                        self.shared.decode_errors.fetch_add(1, Ordering::SeqCst);
                        tracing::warn!(shard = self.config.shard[0], %error, "undecodable gateway payload");
                        None
                    }
                }
            }
            WsEvent::Closed {
                code,
                reason,
                initiator,
            } => {
                self.heartbeat.stop();
                tracing::info!(shard = self.config.shard[0], ?code, %reason, ?initiator, "gateway connection closed");
                if initiator == CloseInitiator::Server {
                    match close_behaviour(code) {
                        CloseBehaviour::Fatal => {
                            let code = code.unwrap_or_default();
                            *self.shared.fatal.lock() = Some((code, reason.clone()));
                            self.shared.changed.notify_waiters();
                            self.fatal = Some(Error::new(ErrorKind::FatalClose { code, reason }));
                        }
                        CloseBehaviour::NewSession => self.forget_session(),
                        CloseBehaviour::Resume => {}
                    }
                }
                Some(None)
            }
            WsEvent::Error(error) => {
                if matches!(
                    error.kind(),
                    transport_ws::ErrorKind::MessageTooLarge { .. }
                ) {
                    // The transport closes with 1009. Resuming would have the gateway replay
                    // the same message, and close again, forever: start a new session.
                    tracing::warn!(
                        shard = self.config.shard[0],
                        %error,
                        "gateway message too large: identifying afresh instead of resuming"
                    );
                    self.forget_session();
                } else {
                    tracing::debug!(shard = self.config.shard[0], %error, "gateway transport error");
                }
                None
            }
            _ => None,
        }
    }

    /// Handles a payload whose envelope was readable: counts and logs a decode error, then
    /// hands on what is left.
    async fn on_payload(
        &mut self,
        payload: ShardPayload,
        raw: Option<bytes::Bytes>,
    ) -> Option<Option<Pending>> {
        let ShardPayload {
            envelope,
            event,
            error,
        } = payload;
        if let Some(error) = &error {
            self.shared.decode_errors.fetch_add(1, Ordering::SeqCst);
            tracing::warn!(
                shard = self.config.shard[0],
                op = envelope.op,
                seq = ?envelope.s,
                name = ?envelope.t,
                %error,
                kept = event.is_some(),
                "gateway payload did not decode as its type"
            );
        }
        let raw = raw.zip(envelope.t).map(|(payload, name)| (name, payload));
        if envelope.op != opcode::DISPATCH && event.is_none() {
            return None;
        }
        self.on_event(envelope.s, event, raw).await
    }

    /// Handles one decoded payload (`None`: a dispatch whose data was not even JSON, which
    /// still advances the sequence); `raw` is the dispatch's name and original bytes when
    /// raw dispatches were asked for.
    async fn on_event(
        &mut self,
        seq: Option<u64>,
        event: Option<Event>,
        raw: Option<(String, bytes::Bytes)>,
    ) -> Option<Option<Pending>> {
        // READY numbers a new session: its `s` is recorded as it is, never as a duplicate.
        let mut starts_session = false;
        match &event {
            Some(Event::Hello(hello)) => {
                // Clamped to 1 s..10 min whatever the gateway says; the first beat at a random
                // point of the interval, so a fleet reconnecting together does not beat in
                // lockstep.
                self.heartbeat.start_jittered(
                    Duration::from_millis(hello.heartbeat_interval),
                    Instant::now(),
                );
                if self.session.is_some() && self.seq.is_some() {
                    self.resume().await;
                    return Some(None);
                }
                return Some(Some(self.identify_after(Duration::ZERO)));
            }
            Some(Event::HeartbeatAck(_)) => {
                if let Some(latency) = self.heartbeat.on_ack(Instant::now()) {
                    let nanos = u64::try_from(latency.as_nanos()).unwrap_or(NO_LATENCY - 1);
                    self.shared.latency.store(nanos, Ordering::SeqCst);
                }
                return None;
            }
            Some(Event::HeartbeatRequest(_)) => {
                self.send_heartbeat().await;
                self.heartbeat.on_sent(Instant::now());
                return None;
            }
            Some(Event::Reconnect(_)) => {
                tracing::info!(
                    shard = self.config.shard[0],
                    "gateway asked for a reconnect"
                );
                // Through the transport, which backs off when connections stay short.
                let _ = self.sender.reconnect(RESUME_CLOSE);
            }
            Some(Event::InvalidSession(invalid)) => {
                let invalid = *invalid;
                let wait = Duration::from_millis(rand::rng().random_range(1_000..=5_000));
                let generation = self.generation;
                let pending: Pending = if invalid.resumable && self.session.is_some() {
                    Box::pin(async move {
                        tokio::time::sleep(wait).await;
                        (generation, Step::Resume)
                    })
                } else {
                    self.forget_session();
                    self.identify_after(wait)
                };
                self.publish(Event::InvalidSession(invalid));
                return Some(Some(pending));
            }
            // The READY of the session already running, sent again with an old sequence
            // number: a duplicate like any other, not a new session.
            Some(Event::Ready(ready)) if self.is_stale_ready(seq, &ready.session_id) => {
                self.shared.duplicates.fetch_add(1, Ordering::SeqCst);
                return None;
            }
            Some(Event::Ready(ready)) => {
                self.on_ready(seq, &ready.session_id, &ready.resume_gateway_url);
                starts_session = true;
            }
            Some(Event::Unknown { name, raw })
                if name == "READY"
                    && raw["session_id"]
                        .as_str()
                        .is_some_and(|id| self.is_stale_ready(seq, id)) =>
            {
                self.shared.duplicates.fetch_add(1, Ordering::SeqCst);
                return None;
            }
            // A READY that did not fit its type still starts the session.
            Some(Event::Unknown { name, raw }) if name == "READY" => {
                if let Some(session_id) = raw["session_id"].as_str() {
                    let resume_url = raw["resume_gateway_url"].as_str().unwrap_or_default();
                    self.on_ready(seq, session_id, resume_url);
                    starts_session = true;
                }
            }
            _ => {}
        }
        if let Some(s) = seq {
            if !starts_session {
                if self.seq.is_some_and(|last| s <= last) && self.unread != Some(s) {
                    self.shared.duplicates.fetch_add(1, Ordering::SeqCst);
                    return None;
                }
                self.unread = event.is_none().then_some(s);
                self.seq = Some(s);
                self.store_session();
            }
            self.shared.dispatches.fetch_add(1, Ordering::SeqCst);
            if let (Some(hub), Some((name, payload))) = (&self.config.raw, raw) {
                hub.publish(RawDispatch {
                    shard_id: self.config.shard[0],
                    seq: s,
                    name,
                    payload,
                });
            }
        }
        if let Some(event) = event {
            self.publish(event);
        }
        None
    }

    /// Whether a READY numbered `seq` for `session_id` repeats the running session's READY
    /// (same session, a sequence number already seen).
    fn is_stale_ready(&self, seq: Option<u64>, session_id: &str) -> bool {
        self.session.as_deref() == Some(session_id)
            && seq.zip(self.seq).is_some_and(|(seq, last)| seq <= last)
    }

    /// READY: the session to resume, where to resume it, and its first sequence number.
    fn on_ready(&mut self, seq: Option<u64>, session_id: &str, resume_gateway_url: &str) {
        self.session = Some(session_id.to_owned());
        self.resume_url = self.accept_resume_url(resume_gateway_url);
        let _ = self
            .sender
            .set_url(self.resume_url.as_deref().unwrap_or(&self.base_url));
        self.seq = seq;
        self.store_session();
        self.shared.mark(&self.shared.ready);
    }

    /// The connect URL for a READY's `resume_gateway_url`, if it is safe to send the token
    /// there (see [`check_offered_url`]); `None` keeps the configured URL.
    fn accept_resume_url(&self, offered: &str) -> Option<String> {
        let parsed = Url::parse(offered)
            .map_err(|error| {
                tracing::warn!(shard = self.config.shard[0], %error, "ignoring a resume_gateway_url that does not parse");
            })
            .ok()?;
        if check_offered_url(Some(&self.base), &parsed).is_err() {
            tracing::warn!(
                shard = self.config.shard[0],
                "ignoring an insecure resume_gateway_url; resuming on the configured gateway"
            );
            return None;
        }
        connect_url(offered, self.config.encoding, self.config.compression).ok()
    }

    fn publish(&self, event: Event) {
        self.hub.publish(ShardEvent {
            shard_id: self.config.shard[0],
            event,
        });
    }

    fn store_session(&self) {
        let info = match (&self.session, self.seq) {
            (Some(session_id), Some(seq)) => Some(SessionInfo {
                session_id: session_id.clone(),
                seq,
                resume_url: self.resume_url.clone(),
            }),
            _ => None,
        };
        *self.shared.session.lock() = info;
    }

    fn forget_session(&mut self) {
        self.session = None;
        self.seq = None;
        self.resume_url = None;
        self.store_session();
        let _ = self.sender.set_url(&self.base_url);
    }

    fn identify_after(&self, wait: Duration) -> Pending {
        let generation = self.generation;
        let queue = self.config.identify_queue.clone();
        let shard = u64::from(self.config.shard[0]);
        Box::pin(async move {
            tokio::time::sleep(wait).await;
            if let Some(queue) = queue {
                queue.acquire(shard).await;
            }
            (generation, Step::Identify)
        })
    }

    async fn identify(&mut self) {
        self.session = None;
        self.seq = None;
        self.store_session();
        let identify = Identify {
            token: self.config.token.expose(),
            properties: Properties::current(),
            intents: self.config.intents,
            shard: self.config.shard,
            large_threshold: self.config.large_threshold,
            presence: self.config.presence.as_ref(),
            compress: false,
        };
        match send(
            &self.sender,
            self.config.encoding,
            opcode::IDENTIFY,
            &identify,
            Priority::Normal,
        )
        .await
        {
            Ok(()) => {
                self.shared.identifies.fetch_add(1, Ordering::SeqCst);
            }
            Err(error) => tracing::warn!(shard = self.config.shard[0], %error, "identify not sent"),
        }
    }

    async fn resume(&mut self) {
        let (Some(session_id), Some(seq)) = (self.session.clone(), self.seq) else {
            self.identify().await;
            return;
        };
        let resume = Resume {
            token: self.config.token.expose(),
            session_id: &session_id,
            seq,
        };
        match send(
            &self.sender,
            self.config.encoding,
            opcode::RESUME,
            &resume,
            Priority::Normal,
        )
        .await
        {
            Ok(()) => {
                self.shared.resumes.fetch_add(1, Ordering::SeqCst);
            }
            Err(error) => tracing::warn!(shard = self.config.shard[0], %error, "resume not sent"),
        }
    }

    async fn beat(&mut self) {
        match self.heartbeat.on_due(Instant::now()) {
            Beat::Send => self.send_heartbeat().await,
            Beat::Zombie => {
                // No ACK since the last beat: the connection is a zombie. Close with a
                // non-1000 code so the session stays resumable, and reconnect (through the
                // transport, which backs off when connections stay short).
                self.shared.zombies.fetch_add(1, Ordering::SeqCst);
                tracing::warn!(
                    shard = self.config.shard[0],
                    "no heartbeat ACK: reconnecting"
                );
                let _ = self.sender.reconnect(RESUME_CLOSE);
            }
        }
    }

    async fn send_heartbeat(&mut self) {
        if let Err(error) = send(
            &self.sender,
            self.config.encoding,
            opcode::HEARTBEAT,
            &self.seq,
            Priority::High,
        )
        .await
        {
            tracing::debug!(shard = self.config.shard[0], %error, "heartbeat not sent");
        }
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

async fn poll_pending(pending: &mut Option<Pending>) -> (u64, Step) {
    match pending {
        Some(future) => future.await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::encoding::Frame;

    #[test]
    fn payloads_over_4096_bytes_are_refused() {
        let json = GatewayEncoding::Json;
        let Ok(Frame::Text(small)) =
            json.encode(opcode::PRESENCE_UPDATE, &UpdatePresence::online(None))
        else {
            panic!("small payloads encode as text");
        };
        assert!(small.starts_with("{\"op\":3,"));
        let big = "x".repeat(5000);
        let Err(error) = json.encode(opcode::PRESENCE_UPDATE, &big) else {
            panic!("big payloads are refused");
        };
        assert!(matches!(error.kind(), ErrorKind::PayloadTooLarge { size } if *size > 4096));
    }

    #[test]
    fn connect_urls_carry_version_encoding_and_compression() {
        assert_eq!(
            connect_url(
                "wss://gateway.discord.gg",
                GatewayEncoding::Json,
                GatewayCompression::ZlibStream
            )
            .unwrap(),
            "wss://gateway.discord.gg/?v=10&encoding=json&compress=zlib-stream"
        );
        assert_eq!(
            connect_url(
                "ws://127.0.0.1:1/resume",
                GatewayEncoding::default(),
                GatewayCompression::None
            )
            .unwrap(),
            "ws://127.0.0.1:1/resume?v=10&encoding=json"
        );
    }
}
