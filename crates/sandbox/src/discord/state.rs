//! Shared state of the Discord sandbox: configuration, the guild data REST serves, gateway
//! sessions with their replay buffers, control commands and counters.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use parking_lot::{Mutex, MutexGuard};
use serde_json::Value;
use tokio::sync::{broadcast, mpsc};
use tokio::time::Instant;

use super::intents::Subscription;
use super::ratelimit::RateLimits;
use super::session_starts::SessionStarts;

/// The guilds, bot user and application [`Discord::new`](super::Discord::new) serves.
pub(crate) const STATE_FIXTURE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/discord/sandbox-state.json"
));

/// Dispatches kept per session for replay on resume.
const HISTORY: usize = 50_000;

/// How the Discord sandbox behaves.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DiscordConfig {
    /// The bot token clients must present (without `Bot `).
    pub token: String,
    /// The shard count `GET /gateway/bot` recommends and IDENTIFY must use.
    pub shards: u32,
    /// `session_start_limit.max_concurrency`.
    pub max_concurrency: u32,
    /// `session_start_limit.total` (and the starting `remaining`).
    pub session_start_total: u32,
    /// How long after the first IDENTIFY of a window `remaining` returns to `total`
    /// (`session_start_limit.reset_after`; Discord: 24 hours).
    pub session_start_reset: Duration,
    /// The heartbeat interval HELLO announces.
    pub heartbeat_interval: Duration,
    /// Privileged intents the application has enabled (bits of 1<<1, 1<<8, 1<<15).
    pub allowed_privileged_intents: u64,
    /// Requests per route bucket per window.
    pub bucket_limit: u32,
    /// A route bucket's window.
    pub bucket_window: Duration,
    /// Requests per second across all routes.
    pub global_limit: u32,
}

impl Default for DiscordConfig {
    fn default() -> Self {
        Self {
            token: "MTEwMDAwMDAwMDAwMDAwMDAwMQ.sandbox.discord-bot-token".to_owned(),
            shards: 1,
            max_concurrency: 1,
            session_start_total: 1000,
            session_start_reset: Duration::from_hours(24),
            heartbeat_interval: Duration::from_millis(41_250),
            allowed_privileged_intents: (1 << 1) | (1 << 8) | (1 << 15),
            bucket_limit: 5,
            bucket_window: Duration::from_secs(1),
            global_limit: 50,
        }
    }
}

impl DiscordConfig {
    /// The default configuration with another shard count.
    #[must_use]
    pub fn with_shards(mut self, shards: u32, max_concurrency: u32) -> Self {
        self.shards = shards.max(1);
        self.max_concurrency = max_concurrency.max(1);
        self
    }

    /// The default configuration with another token.
    #[must_use]
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }
}

/// Ways the gateway misbehaves, for tests of clients against hostile servers (all off by
/// default). They apply to every connection, those made later included.
///
/// ```
/// let mut faults = sandbox::discord::GatewayFaults::default();
/// faults.never_ack = true;
/// assert!(!faults.reconnect_after_login);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct GatewayFaults {
    /// Never answer heartbeats: every connection zombies.
    pub never_ack: bool,
    /// Send op 7 Reconnect right after every accepted IDENTIFY (after READY) and RESUME
    /// (after RESUMED).
    pub reconnect_after_login: bool,
    /// The `resume_gateway_url` READY offers instead of the sandbox's own.
    pub resume_gateway_url: Option<String>,
}

/// A control command for gateway connections.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Command {
    Close(u16),
    Drop,
    Zombie(bool),
    Reconnect,
    InvalidSession(bool),
}

pub(crate) struct Session {
    pub(crate) shard: [u32; 2],
    subscription: Subscription,
    pub(crate) seq: u64,
    history: VecDeque<(u64, Arc<str>)>,
    live: Option<(u64, mpsc::UnboundedSender<Arc<str>>)>,
}

#[derive(Default)]
pub(crate) struct Sessions {
    by_id: HashMap<String, Session>,
    current: BTreeMap<u32, String>,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    connected: AtomicUsize,
    identifies: AtomicUsize,
    resumes: AtomicUsize,
    resume_url: AtomicUsize,
    identify_violations: AtomicUsize,
    heartbeats: AtomicUsize,
    rate_limited: AtomicUsize,
}

macro_rules! counter {
    ($($get:ident / $bump:ident => $field:ident),*) => {
        impl Counters {
            $(
                pub(crate) fn $get(&self) -> usize {
                    self.$field.load(Ordering::SeqCst)
                }
                pub(crate) fn $bump(&self) {
                    self.$field.fetch_add(1, Ordering::SeqCst);
                }
            )*
            pub(crate) fn disconnected(&self) {
                self.connected.fetch_sub(1, Ordering::SeqCst);
            }
        }
    };
}

counter!(
    connected / connect => connected,
    identifies / identify => identifies,
    resumes / resume => resumes,
    resume_url_connections / resume_url_connection => resume_url,
    identify_violations / identify_violation => identify_violations,
    heartbeats / heartbeat => heartbeats,
    rate_limited / rate_limit => rate_limited
);

/// The REST-visible data.
pub(crate) struct Data {
    pub(crate) user: Value,
    pub(crate) application: Value,
    pub(crate) guilds: BTreeMap<u64, Value>,
    pub(crate) channels: BTreeMap<u64, Value>,
    pub(crate) messages: HashMap<u64, BTreeMap<u64, Value>>,
    pub(crate) bans: HashMap<u64, Vec<Value>>,
    pub(crate) commands: HashMap<Option<u64>, Vec<Value>>,
    pub(crate) stage_instances: HashMap<u64, Value>,
    /// Per message: each emoji (`name` or `name:id`) with the users who reacted, in order.
    pub(crate) reactions: HashMap<u64, Vec<(String, Vec<u64>)>>,
    /// Interaction token → (channel, message) of its original response.
    pub(crate) interaction_messages: HashMap<String, (u64, u64)>,
    /// Interactions already answered (a second callback is refused).
    pub(crate) acknowledged: std::collections::HashSet<String>,
    /// Interaction token → channel, for interactions the sandbox sent (their responses
    /// are posted where the interaction happened).
    pub(crate) issued: HashMap<String, u64>,
    /// Interaction token → the `interaction_metadata` its response messages carry.
    pub(crate) issued_metadata: HashMap<String, Value>,
    next_id: u64,
}

impl Data {
    /// A fresh snowflake made now (so its timestamp is the object's creation time, as
    /// Discord's are), increasing even within one millisecond.
    pub(crate) fn next_id(&mut self) -> u64 {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
            .saturating_sub(DISCORD_EPOCH_MS);
        self.next_id = (self.next_id + 1).max(now_ms << 22);
        self.next_id
    }

    /// New snowflakes come after `id` (restored objects keep their ids unique).
    pub(crate) fn raise_next_id(&mut self, id: u64) {
        self.next_id = self.next_id.max(id);
    }
}

/// Milliseconds from the Unix epoch to Discord's (2015-01-01T00:00:00Z).
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// When a snowflake was made.
pub(crate) fn snowflake_time(id: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis((id >> 22) + DISCORD_EPOCH_MS)
}

/// The numeric id of an object's `id` field (0 when absent).
pub(crate) fn id_of(value: &Value) -> u64 {
    value["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_default()
}

pub(crate) struct State {
    pub(crate) config: DiscordConfig,
    heartbeat_ms: AtomicU64,
    pub(crate) data: Mutex<Data>,
    sessions: Mutex<Sessions>,
    commands: broadcast::Sender<(Option<u32>, Command)>,
    pub(crate) counters: Counters,
    pub(crate) limits: RateLimits,
    faults: Mutex<GatewayFaults>,
    /// Chaos mode: hostile behaviours switched on by control.
    pub(crate) chaos: crate::chaos::ChaosSwitch,
    log: Mutex<Vec<Value>>,
    identify_times: Mutex<HashMap<u32, Instant>>,
    /// `[shard, count]` of each accepted IDENTIFY, in order.
    accepted_identifies: Mutex<Vec<[u32; 2]>>,
    connection_ids: AtomicU64,
    /// The bot user's id, for the MESSAGE_CONTENT exemptions.
    bot_id: String,
    session_starts: Mutex<SessionStarts>,
    /// Set once the session start budget was overrun: the configured token is void.
    token_reset: AtomicBool,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("shards", &self.config.shards)
            .field("counters", &self.counters)
            .finish_non_exhaustive()
    }
}

impl State {
    /// State over `seed`: `{user, application, guilds}` (the fixture's shape).
    pub(crate) fn new(config: DiscordConfig, fixture: &Value) -> Self {
        let mut guilds = BTreeMap::new();
        let mut channels = BTreeMap::new();
        for guild in fixture["guilds"].as_array().cloned().unwrap_or_default() {
            for channel in guild["channels"].as_array().into_iter().flatten() {
                channels.insert(id_of(channel), channel.clone());
            }
            guilds.insert(id_of(&guild), guild);
        }
        let bot_id = fixture["user"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let mut user = fixture["user"].clone();
        super::seed::complete_current_user(&mut user);
        let data = Data {
            user,
            application: fixture["application"].clone(),
            guilds,
            channels,
            messages: HashMap::new(),
            bans: HashMap::new(),
            commands: HashMap::new(),
            stage_instances: HashMap::new(),
            reactions: HashMap::new(),
            interaction_messages: HashMap::new(),
            acknowledged: std::collections::HashSet::new(),
            issued: HashMap::new(),
            issued_metadata: HashMap::new(),
            next_id: 0,
        };
        let (commands, _) = broadcast::channel(1024);
        let session_starts =
            SessionStarts::new(config.session_start_total, config.session_start_reset);
        Self {
            heartbeat_ms: AtomicU64::new(config.heartbeat_interval.as_millis() as u64),
            limits: RateLimits::new(&config),
            config,
            data: Mutex::new(data),
            sessions: Mutex::new(Sessions::default()),
            commands,
            counters: Counters::default(),
            faults: Mutex::new(GatewayFaults::default()),
            chaos: crate::chaos::ChaosSwitch::default(),
            log: Mutex::new(Vec::new()),
            identify_times: Mutex::new(HashMap::new()),
            accepted_identifies: Mutex::new(Vec::new()),
            connection_ids: AtomicU64::new(0),
            bot_id,
            session_starts: Mutex::new(session_starts),
            token_reset: AtomicBool::new(false),
        }
    }

    /// Whether `token` (with or without `Bot `) is the bot's token and still valid.
    pub(crate) fn token_accepted(&self, token: &str) -> bool {
        let token = token.strip_prefix("Bot ").unwrap_or(token);
        token == self.config.token && !self.token_reset.load(Ordering::SeqCst)
    }

    /// What Discord does to a bot that overran its session start budget: every session
    /// ends and the token stops working.
    pub(crate) fn reset_token(&self) {
        self.token_reset.store(true, Ordering::SeqCst);
        let mut sessions = self.sessions.lock();
        sessions.by_id.clear();
        sessions.current.clear();
        drop(sessions);
        self.command(None, Command::Close(4004));
    }

    /// Takes one session start from the daily budget; `false` when it is spent.
    pub(crate) fn take_session_start(&self) -> bool {
        self.session_starts.lock().take(Instant::now())
    }

    /// `(total, remaining, reset_after)` of the session start budget.
    pub(crate) fn session_start_limit(&self) -> (u32, u32, Duration) {
        self.session_starts.lock().limit(Instant::now())
    }

    /// Whether the token was reset for overrunning the session start budget.
    pub(crate) fn token_was_reset(&self) -> bool {
        self.token_reset.load(Ordering::SeqCst)
    }

    pub(crate) fn data(&self) -> MutexGuard<'_, Data> {
        self.data.lock()
    }

    pub(crate) fn faults(&self) -> GatewayFaults {
        self.faults.lock().clone()
    }

    pub(crate) fn set_faults(&self, faults: GatewayFaults) {
        *self.faults.lock() = faults;
    }

    pub(crate) fn heartbeat_interval(&self) -> u64 {
        self.heartbeat_ms.load(Ordering::SeqCst)
    }

    pub(crate) fn set_heartbeat_interval(&self, interval: Duration) {
        self.heartbeat_ms
            .store(interval.as_millis() as u64, Ordering::SeqCst);
    }

    pub(crate) fn next_connection_id(&self) -> u64 {
        self.connection_ids.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Which shard receives a guild's events: `(guild_id >> 22) % shards`.
    pub(crate) fn shard_of(&self, guild_id: u64) -> u32 {
        ((guild_id >> 22) % u64::from(self.config.shards)) as u32
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<(Option<u32>, Command)> {
        self.commands.subscribe()
    }

    pub(crate) fn command(&self, shard: Option<u32>, command: Command) {
        let _ = self.commands.send((shard, command));
    }

    pub(crate) fn record(&self, payload: Value) {
        let mut log = self.log.lock();
        if log.len() >= 100_000 {
            log.remove(0);
        }
        log.push(payload);
    }

    pub(crate) fn gateway_log(&self) -> Vec<Value> {
        self.log.lock().clone()
    }

    pub(crate) fn identified_shards(&self) -> Vec<[u32; 2]> {
        self.accepted_identifies.lock().clone()
    }

    /// Takes the identify slot of `shard`'s concurrency bucket (`shard % max_concurrency`,
    /// one identify per 5 s). `false` (and a counted violation) when the bucket identified
    /// less than 5 s ago: the identify is refused.
    pub(crate) fn take_identify_slot(&self, shard: u32) -> bool {
        let bucket = shard % self.config.max_concurrency;
        let now = Instant::now();
        let mut times = self.identify_times.lock();
        if let Some(last) = times.get(&bucket)
            && now.duration_since(*last) < Duration::from_secs(5)
        {
            self.counters.identify_violation();
            return false;
        }
        times.insert(bucket, now);
        true
    }

    /// Starts a session for a shard and attaches the connection; returns the id.
    pub(crate) fn new_session(
        &self,
        shard: [u32; 2],
        subscription: Subscription,
        connection: u64,
        live: mpsc::UnboundedSender<Arc<str>>,
    ) -> String {
        let session_id = format!("{:032x}", rand::random::<u128>());
        self.accepted_identifies.lock().push(shard);
        let mut sessions = self.sessions.lock();
        if let Some(old) = sessions.current.insert(shard[0], session_id.clone()) {
            sessions.by_id.remove(&old);
        }
        sessions.by_id.insert(
            session_id.clone(),
            Session {
                shard,
                subscription,
                seq: 0,
                history: VecDeque::new(),
                live: Some((connection, live)),
            },
        );
        session_id
    }

    /// Re-attaches a connection to a session: the dispatches after `seq`, to send before
    /// anything live. `None` when the session is unknown.
    pub(crate) fn resume_session(
        &self,
        session_id: &str,
        seq: u64,
        connection: u64,
        live: mpsc::UnboundedSender<Arc<str>>,
    ) -> Option<([u32; 2], Vec<Arc<str>>)> {
        let mut sessions = self.sessions.lock();
        let session = sessions.by_id.get_mut(session_id)?;
        let missed = session
            .history
            .iter()
            .filter(|(s, _)| *s > seq)
            .map(|(_, p)| Arc::clone(p))
            .collect();
        session.live = Some((connection, live));
        Some((session.shard, missed))
    }

    /// Detaches a connection from its session (the session stays resumable).
    pub(crate) fn detach(&self, session_id: &str, connection: u64) {
        let mut sessions = self.sessions.lock();
        if let Some(session) = sessions.by_id.get_mut(session_id)
            && session
                .live
                .as_ref()
                .is_some_and(|(id, _)| *id == connection)
        {
            session.live = None;
        }
    }

    /// Forgets a session (op 9 with `false`, or a close that ends the session).
    pub(crate) fn forget_session(&self, session_id: &str) {
        let mut sessions = self.sessions.lock();
        if let Some(session) = sessions.by_id.remove(session_id)
            && sessions
                .current
                .get(&session.shard[0])
                .is_some_and(|id| id == session_id)
        {
            sessions.current.remove(&session.shard[0]);
        }
    }

    /// Numbers and sends (or keeps for replay) a dispatch to the current session of
    /// `shard`, or of every shard.
    pub(crate) fn dispatch(&self, shard: Option<u32>, event: &str, data: &Value) {
        self.dispatch_counted(shard, event, data);
    }

    /// [`dispatch`](Self::dispatch), returning how many connected sessions it was sent to
    /// (sessions whose intents filter it out, or that are disconnected, do not count).
    pub(crate) fn dispatch_counted(&self, shard: Option<u32>, event: &str, data: &Value) -> usize {
        let mut sessions = self.sessions.lock();
        let targets: Vec<String> = match shard {
            Some(shard) => sessions.current.get(&shard).cloned().into_iter().collect(),
            None => sessions.current.values().cloned().collect(),
        };
        let mut sent = 0;
        for session_id in targets {
            if let Some(session) = sessions.by_id.get_mut(&session_id)
                && push(session, &self.bot_id, event, data)
            {
                sent += 1;
            }
        }
        sent
    }

    /// Every current session: `(shard, session id, last sequence, connected)`.
    pub(crate) fn session_views(&self) -> Vec<([u32; 2], String, u64, bool)> {
        let sessions = self.sessions.lock();
        sessions
            .current
            .values()
            .filter_map(|id| {
                let session = sessions.by_id.get(id)?;
                Some((
                    session.shard,
                    id.clone(),
                    session.seq,
                    session.live.is_some(),
                ))
            })
            .collect()
    }

    /// Connected sessions of `shard` (all shards when `None`).
    pub(crate) fn live_sessions(&self, shard: Option<u32>) -> usize {
        self.session_views()
            .iter()
            .filter(|(s, _, _, live)| *live && shard.is_none_or(|shard| s[0] == shard))
            .count()
    }

    /// Forgets the current session of `shard` (all when `None`): a resume of it fails.
    pub(crate) fn forget_shard(&self, shard: Option<u32>) {
        let mut sessions = self.sessions.lock();
        let ids: Vec<String> = match shard {
            Some(shard) => sessions.current.remove(&shard).into_iter().collect(),
            None => std::mem::take(&mut sessions.current)
                .into_values()
                .collect(),
        };
        for id in ids {
            sessions.by_id.remove(&id);
        }
    }

    /// Sends a dispatch into one session (READY, GUILD_CREATE after identify).
    pub(crate) fn dispatch_to(&self, session_id: &str, event: &str, data: &Value) {
        let mut sessions = self.sessions.lock();
        if let Some(session) = sessions.by_id.get_mut(session_id) {
            push(session, &self.bot_id, event, data);
        }
    }
}

/// Numbers and queues a dispatch for a session; `true` when it went to a live connection.
fn push(session: &mut Session, bot: &str, event: &str, data: &Value) -> bool {
    let Some(data) = super::intents::filter(session.subscription, bot, event, data) else {
        return false;
    };
    session.seq += 1;
    // Discord's key order: t, s, op, d.
    let payload: Arc<str> = Arc::from(format!(
        "{{\"t\":{},\"s\":{},\"op\":0,\"d\":{data}}}",
        Value::from(event),
        session.seq
    ));
    if session.history.len() >= HISTORY {
        session.history.pop_front();
    }
    session
        .history
        .push_back((session.seq, Arc::clone(&payload)));
    match &session.live {
        Some((_, live)) if live.send(payload).is_ok() => true,
        Some(_) => {
            session.live = None;
            false
        }
        None => false,
    }
}
