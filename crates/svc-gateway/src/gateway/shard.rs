//! One gateway connection's session: HELLO → jittered heartbeats, IDENTIFY (through the
//! identify queue) or RESUME, sequence tracking, zombie detection, op 7 / op 9 handling and
//! close-code policy, on top of a [`transport_ws::WsClient`].

use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use core_events::EventHub;
use parking_lot::Mutex;
use rand::Rng;
use serde::Serialize;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use transport_ws::{
    CloseAction, CloseFrame, CloseInitiator, Compression, Priority, WsClient, WsConfig, WsEvent,
    WsMessage,
};

use super::close_code::{CloseBehaviour, close_behaviour};
use super::commands::{Identify, Properties, RequestGuildMembers, Resume, UpdateVoiceState};
use super::config::{GatewayCompression, ShardConfig};
use super::encoding::{GatewayEncoding, send};
use super::raw::RawDispatch;
use crate::error::{Error, ErrorKind};
use crate::event::{Event, ShardEvent, opcode};
use crate::model::UpdatePresence;

/// Sends per connection per minute, heartbeats included, and the share kept for heartbeats.
const SEND_LIMIT: u32 = 120;
const HEARTBEAT_RESERVE: u32 = 3;
/// A close code that ends the connection but keeps the session resumable (1000 and 1001
/// would invalidate it).
const RESUME_CLOSE: u16 = 4000;

/// The session a shard can resume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// Session id from READY.
    pub session_id: String,
    /// The last sequence number received.
    pub seq: u64,
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
    /// Payloads that failed to decode.
    pub decode_errors: u64,
}

#[derive(Debug, Default)]
struct Shared {
    session: Mutex<Option<SessionInfo>>,
    identifies: AtomicU64,
    resumes: AtomicU64,
    zombies: AtomicU64,
    dispatches: AtomicU64,
    duplicates: AtomicU64,
    decode_errors: AtomicU64,
}

/// A running shard. Its events go to the hub it was started with; [`Shard::join`] reports
/// why it stopped (a fatal close code is an error).
#[derive(Debug)]
pub struct Shard {
    id: u32,
    total: u32,
    encoding: GatewayEncoding,
    sender: transport_ws::Sender,
    shared: Arc<Shared>,
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
        let shared = Arc::new(Shared::default());
        let [id, total] = config.shard;
        let encoding = config.encoding;
        let runner = Runner {
            base_url: url,
            config,
            hub,
            sender: sender.clone(),
            shared: Arc::clone(&shared),
            generation: 0,
            interval: None,
            next_beat: None,
            awaiting_ack: false,
            session: None,
            resume_url: None,
            seq: None,
            fatal: None,
        };
        let task = tokio::spawn(runner.run(events));
        Ok(Self {
            id,
            total,
            encoding,
            sender,
            shared,
            task,
        })
    }

    /// The shard id.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// How many shards the bot runs.
    pub fn total(&self) -> u32 {
        self.total
    }

    /// The resumable session, if any.
    pub fn session(&self) -> Option<SessionInfo> {
        self.shared.session.lock().clone()
    }

    /// What the shard went through so far.
    pub fn stats(&self) -> ShardStats {
        let load = |a: &AtomicU64| a.load(Ordering::SeqCst);
        ShardStats {
            identifies: load(&self.shared.identifies),
            resumes: load(&self.shared.resumes),
            zombies: load(&self.shared.zombies),
            dispatches: load(&self.shared.dispatches),
            duplicates: load(&self.shared.duplicates),
            decode_errors: load(&self.shared.decode_errors),
        }
    }

    /// Op 3: changes the bot's presence.
    pub async fn update_presence(&self, presence: &UpdatePresence) -> Result<(), Error> {
        send(
            &self.sender,
            self.encoding,
            opcode::PRESENCE_UPDATE,
            presence,
            Priority::Normal,
        )
        .await
    }

    /// Op 4: joins, moves or leaves a voice channel.
    pub async fn update_voice_state(&self, state: &UpdateVoiceState) -> Result<(), Error> {
        send(
            &self.sender,
            self.encoding,
            opcode::VOICE_STATE_UPDATE,
            state,
            Priority::Normal,
        )
        .await
    }

    /// Op 8: asks for guild members (answers arrive as `GUILD_MEMBERS_CHUNK`).
    pub async fn request_guild_members(&self, request: &RequestGuildMembers) -> Result<(), Error> {
        send(
            &self.sender,
            self.encoding,
            opcode::REQUEST_GUILD_MEMBERS,
            request,
            Priority::Normal,
        )
        .await
    }

    /// Sends any payload (`{"op": op, "d": data}`); fails with
    /// [`ErrorKind::PayloadTooLarge`] past 4096 bytes.
    pub async fn send<T: Serialize>(&self, op: u8, data: &T) -> Result<(), Error> {
        send(&self.sender, self.encoding, op, data, Priority::Normal).await
    }

    /// Closes with 1000 (ending the session) and stops.
    pub fn close(&self) {
        let _ = self.sender.close(1000, "");
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
    base_url: String,
    config: ShardConfig,
    hub: EventHub<ShardEvent>,
    sender: transport_ws::Sender,
    shared: Arc<Shared>,
    /// Bumped on every new connection, so steps scheduled for an old one are dropped.
    generation: u64,
    interval: Option<Duration>,
    next_beat: Option<Instant>,
    awaiting_ack: bool,
    session: Option<String>,
    resume_url: Option<String>,
    seq: Option<u64>,
    fatal: Option<Error>,
}

impl Runner {
    async fn run(mut self, mut events: transport_ws::Events) -> Result<(), Error> {
        let mut pending: Option<Pending> = None;
        loop {
            let beat_at = self.next_beat;
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
        self.fatal.take().map_or(Ok(()), Err)
    }

    /// Handles a transport event; `Some(x)` replaces the pending step with `x`.
    async fn on_ws(&mut self, event: WsEvent) -> Option<Option<Pending>> {
        match event {
            WsEvent::Connected { url } => {
                self.generation += 1;
                self.next_beat = None;
                self.awaiting_ack = false;
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
                    Ok((envelope, event)) => {
                        let raw = raw.zip(envelope.t).map(|(payload, name)| (name, payload));
                        self.on_event(envelope.s, event, raw).await
                    }
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
                self.next_beat = None;
                tracing::info!(shard = self.config.shard[0], ?code, %reason, ?initiator, "gateway connection closed");
                if initiator == CloseInitiator::Server {
                    match close_behaviour(code) {
                        CloseBehaviour::Fatal => {
                            self.fatal = Some(Error::new(ErrorKind::FatalClose {
                                code: code.unwrap_or_default(),
                                reason,
                            }));
                        }
                        CloseBehaviour::NewSession => self.forget_session(),
                        CloseBehaviour::Resume => {}
                    }
                }
                Some(None)
            }
            WsEvent::Error(error) => {
                tracing::debug!(shard = self.config.shard[0], %error, "gateway transport error");
                None
            }
            _ => None,
        }
    }

    /// Handles one decoded payload; `raw` is the dispatch's name and original bytes when
    /// raw dispatches were asked for.
    async fn on_event(
        &mut self,
        seq: Option<u64>,
        event: Event,
        raw: Option<(String, bytes::Bytes)>,
    ) -> Option<Option<Pending>> {
        match event {
            Event::Hello(hello) => {
                let interval = Duration::from_millis(hello.heartbeat_interval.max(1));
                self.interval = Some(interval);
                // The first beat at a random point of the interval, so a fleet reconnecting
                // together does not heartbeat in lockstep.
                let jitter: f64 = rand::rng().random();
                self.next_beat = Some(Instant::now() + interval.mul_f64(jitter));
                self.awaiting_ack = false;
                if self.session.is_some() && self.seq.is_some() {
                    self.resume().await;
                    return Some(None);
                }
                return Some(Some(self.identify_after(Duration::ZERO)));
            }
            Event::HeartbeatAck(_) => {
                self.awaiting_ack = false;
                return None;
            }
            Event::HeartbeatRequest(_) => {
                self.send_heartbeat().await;
                return None;
            }
            Event::Reconnect(_) => {
                tracing::info!(
                    shard = self.config.shard[0],
                    "gateway asked for a reconnect"
                );
                let _ = self.sender.reconnect(RESUME_CLOSE);
            }
            Event::InvalidSession(invalid) => {
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
            Event::Ready(ref ready) => {
                self.session = Some(ready.session_id.clone());
                self.resume_url = connect_url(
                    &ready.resume_gateway_url,
                    self.config.encoding,
                    self.config.compression,
                )
                .ok();
                if let Some(url) = &self.resume_url {
                    let _ = self.sender.set_url(url);
                }
                self.seq = seq;
                self.store_session();
            }
            _ => {}
        }
        if let Some(s) = seq {
            if !matches!(event, Event::Ready(_)) {
                if self.seq.is_some_and(|last| s <= last) {
                    self.shared.duplicates.fetch_add(1, Ordering::SeqCst);
                    return None;
                }
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
        self.publish(event);
        None
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
        let Some(interval) = self.interval else {
            self.next_beat = None;
            return;
        };
        if self.awaiting_ack {
            // No ACK since the last beat: the connection is a zombie. Close with a
            // non-1000 code so the session stays resumable, and reconnect.
            self.shared.zombies.fetch_add(1, Ordering::SeqCst);
            tracing::warn!(
                shard = self.config.shard[0],
                "no heartbeat ACK: reconnecting"
            );
            self.next_beat = None;
            let _ = self.sender.reconnect(RESUME_CLOSE);
            return;
        }
        self.next_beat = Some(Instant::now() + interval);
        self.send_heartbeat().await;
    }

    async fn send_heartbeat(&mut self) {
        self.awaiting_ack = true;
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
