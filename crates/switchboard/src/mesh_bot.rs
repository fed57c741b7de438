//! A Discord bot on the singyeong mesh: every shard is also a mesh client that publishes the
//! guilds it owns, so other services can reach "the shard that owns guild X".

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use core_events::Listener;
use serde_json::Value;
use svc_gateway::model::User;
use svc_gateway::{
    Client,
    event::{Event, ShardEvent},
};
use svc_mesh::{Backoff, MeshClient, MeshConfig, Message, Metadata, MetadataValue, Query};

/// Metadata key holding the guild ids (strings) a shard owns.
#[cfg_attr(docsrs, doc(cfg(all(feature = "gateway", feature = "mesh"))))]
pub const GUILDS_KEY: &str = "guilds";
/// Metadata key holding a shard's id (integer).
#[cfg_attr(docsrs, doc(cfg(all(feature = "gateway", feature = "mesh"))))]
pub const SHARD_ID_KEY: &str = "shard_id";

type BoxFuture = Pin<Box<dyn Future<Output = Value> + Send>>;
type Handler = Arc<dyn Fn(MeshRequest) -> BoxFuture + Send + Sync>;

/// The query for "the client of `application` whose `guilds` metadata contains `guild_id`",
/// i.e. the [`MeshBot`] shard that owns the guild.
///
/// ```
/// let query = switchboard::guild_query("discord-bot", 1_000_000_000_000_000_000)?;
/// assert_eq!(query.application_id(), Some("discord-bot"));
/// # Ok::<(), switchboard::mesh::Error>(())
/// ```
#[cfg_attr(docsrs, doc(cfg(all(feature = "gateway", feature = "mesh"))))]
pub fn guild_query(application: &str, guild_id: u64) -> Result<Query, svc_mesh::Error> {
    Query::builder(application)
        .contains(format!("/{GUILDS_KEY}"), guild_id.to_string())
        .build()
}

/// A mesh message routed to one of the bot's shards.
#[derive(Debug, Clone)]
#[non_exhaustive]
#[cfg_attr(docsrs, doc(cfg(all(feature = "gateway", feature = "mesh"))))]
pub struct MeshRequest {
    /// The shard whose mesh client received it.
    pub shard_id: u32,
    /// The message (payload, nonce, delivery).
    pub message: Message,
    /// The Discord client (REST, cache).
    pub discord: Client,
}

/// What went wrong in a [`MeshBot`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[cfg_attr(docsrs, doc(cfg(all(feature = "gateway", feature = "mesh"))))]
pub enum MeshBotErrorKind {
    /// The Discord client failed (login, shards); the source is a [`svc_gateway::Error`].
    #[error("the Discord client failed")]
    Discord,
    /// The mesh configuration or connection failed; the source is a [`svc_mesh::Error`].
    #[error("the mesh client failed")]
    Mesh,
    /// No shard has joined the mesh yet, so there is no mesh client to send through.
    #[error("no shard has joined the mesh yet")]
    NotJoined,
}

core_error::error_type! {
    /// A [`MeshBot`] error: a kind and the underlying client error.
    #[cfg_attr(docsrs, doc(cfg(all(feature = "gateway", feature = "mesh"))))]
    pub struct MeshBotError(MeshBotErrorKind);
}

impl From<svc_gateway::Error> for MeshBotError {
    fn from(error: svc_gateway::Error) -> Self {
        Self::with_source(MeshBotErrorKind::Discord, error)
    }
}

impl From<svc_mesh::Error> for MeshBotError {
    fn from(error: svc_mesh::Error) -> Self {
        Self::with_source(MeshBotErrorKind::Mesh, error)
    }
}

/// A Discord bot whose shards are singyeong clients (what shinkei's `BotClient` is for
/// discord.py). Shard `n` connects to the mesh as client `bot-shard-n` of the DSN's
/// application, with metadata `shard_id` (integer) and `guilds` (the ids, as strings, of
/// the guilds it owns, kept current on `READY`, `GUILD_CREATE` and `GUILD_DELETE`). Mesh
/// messages are answered by the [`on_request`](MeshBotBuilder::on_request) handler, so
/// another service reaches the shard owning a guild with [`guild_query`].
///
/// A shard joins the mesh in a task of its own, started by its first guild event: Discord
/// events keep being handled while a connect is under way, and a shard that fails to join
/// tries again after the [`join_backoff`](MeshBotBuilder::join_backoff) delay (not at its
/// next guild event). [`send`](Self::send), [`broadcast`](Self::broadcast),
/// [`request`](Self::request) and [`discover`](Self::discover) go through any joined shard.
///
/// ```no_run
/// use switchboard::discord::Client;
/// use switchboard::MeshBot;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let discord = Client::builder(std::env::var("DISCORD_TOKEN")?).build()?;
/// let bot = MeshBot::builder(discord, "singyeong://discord-bot:password@localhost:4567")
///     .on_request(|request| async move {
///         serde_json::json!({ "shard": request.shard_id })
///     })
///     .build()?;
/// bot.start().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[cfg_attr(docsrs, doc(cfg(all(feature = "gateway", feature = "mesh"))))]
pub struct MeshBot {
    inner: Arc<Inner>,
}

struct Inner {
    discord: Client,
    dsn: String,
    client_id_prefix: String,
    handler: Option<Handler>,
    join_backoff: Backoff,
    connect_timeout: Option<Duration>,
    shards: parking_lot::Mutex<Shards>,
    listener: parking_lot::Mutex<Option<Listener>>,
}

#[derive(Default)]
struct Shards {
    by_id: BTreeMap<u32, Shard>,
    /// Set by `shutdown`: a join finishing afterwards closes its client at once.
    stopped: bool,
}

/// One shard's place on the mesh. Only plain data sits behind the bot's lock: connects and
/// metadata updates happen outside it.
#[derive(Default)]
struct Shard {
    /// What the shard owns now (updated by every guild event, joined or not).
    guilds: BTreeSet<u64>,
    /// The join task, while the shard is joining.
    joining: Option<tokio::task::AbortHandle>,
    joined: Option<Joined>,
}

struct Joined {
    mesh: MeshClient,
    /// The guilds last published; its lock orders a shard's metadata updates.
    sent: Arc<tokio::sync::Mutex<BTreeSet<u64>>>,
    _requests: Option<Listener>,
}

impl fmt::Debug for MeshBot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MeshBot")
            .field("discord", &self.inner.discord)
            .field("client_id_prefix", &self.inner.client_id_prefix)
            .field("handler", &self.inner.handler.is_some())
            .finish_non_exhaustive()
    }
}

/// Configures a [`MeshBot`].
#[must_use]
#[cfg_attr(docsrs, doc(cfg(all(feature = "gateway", feature = "mesh"))))]
pub struct MeshBotBuilder {
    discord: Client,
    dsn: String,
    client_id_prefix: String,
    handler: Option<Handler>,
    join_backoff: Backoff,
    connect_timeout: Option<Duration>,
}

impl fmt::Debug for MeshBotBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MeshBotBuilder")
            .field("discord", &self.discord)
            .field("client_id_prefix", &self.client_id_prefix)
            .field("handler", &self.handler.is_some())
            .field("join_backoff", &self.join_backoff)
            .finish_non_exhaustive()
    }
}

impl MeshBotBuilder {
    /// Client ids are `{prefix}-{shard_id}` (default prefix `bot-shard`).
    pub fn client_id_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.client_id_prefix = prefix.into();
        self
    }

    /// Delays between a shard's attempts to join the mesh (default [`Backoff::new`]: 1 s
    /// doubling to 60 s, jittered, unlimited). With an attempt limit, a shard that gives up
    /// tries again at its next guild event.
    pub fn join_backoff(mut self, backoff: Backoff) -> Self {
        self.join_backoff = backoff;
        self
    }

    /// How long one join attempt waits for the mesh's READY (default: svc-mesh's).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Answers mesh messages: the returned value is the reply to a
    /// [`request`](MeshClient::request) (plain sends and broadcasts get no reply).
    pub fn on_request<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(MeshRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Value> + Send + 'static,
    {
        self.handler = Some(Arc::new(move |request| Box::pin(handler(request))));
        self
    }

    /// Checks the DSN and builds the bot (nothing connects before
    /// [`start`](MeshBot::start)).
    pub fn build(self) -> Result<MeshBot, MeshBotError> {
        MeshConfig::builder(&self.dsn).build()?;
        Ok(MeshBot {
            inner: Arc::new(Inner {
                discord: self.discord,
                dsn: self.dsn,
                client_id_prefix: self.client_id_prefix,
                handler: self.handler,
                join_backoff: self.join_backoff,
                connect_timeout: self.connect_timeout,
                shards: parking_lot::Mutex::new(Shards::default()),
                listener: parking_lot::Mutex::new(None),
            }),
        })
    }
}

impl MeshBot {
    /// Starts a configuration from a built (not started) Discord client and a singyeong DSN
    /// (`singyeong://application:password@host:port`).
    pub fn builder(discord: Client, dsn: impl Into<String>) -> MeshBotBuilder {
        MeshBotBuilder {
            discord,
            dsn: dsn.into(),
            client_id_prefix: "bot-shard".to_owned(),
            handler: None,
            join_backoff: Backoff::new(),
            connect_timeout: None,
        }
    }

    /// Starts the Discord shards; each shard joins the mesh at its `READY`.
    pub async fn start(&self) -> Result<User, MeshBotError> {
        self.inner.shards.lock().stopped = false;
        let inner = Arc::clone(&self.inner);
        let listener = self.inner.discord.on_async(move |event: ShardEvent| {
            let inner = Arc::clone(&inner);
            async move { inner.handle(event).await }
        });
        match self.inner.discord.start().await {
            Ok(user) => {
                if let Some(old) = self.inner.listener.lock().replace(listener) {
                    old.cancel();
                }
                Ok(user)
            }
            Err(error) => {
                listener.cancel();
                Err(error.into())
            }
        }
    }

    /// Closes the shards, their mesh clients, and stops joins under way.
    pub async fn shutdown(&self) -> Result<(), MeshBotError> {
        if let Some(listener) = self.inner.listener.lock().take() {
            listener.cancel();
        }
        let result = self.inner.discord.shutdown().await;
        let shards = {
            let mut shards = self.inner.shards.lock();
            shards.stopped = true;
            std::mem::take(&mut shards.by_id)
        };
        for shard in shards.into_values() {
            if let Some(joining) = shard.joining {
                joining.abort();
            }
            if let Some(joined) = shard.joined {
                joined.mesh.close();
            }
        }
        Ok(result?)
    }

    /// The Discord client.
    pub fn discord(&self) -> &Client {
        &self.inner.discord
    }

    /// The mesh client of a shard, once it joined the mesh.
    pub fn mesh(&self, shard_id: u32) -> Option<MeshClient> {
        let shards = self.inner.shards.lock();
        shards
            .by_id
            .get(&shard_id)
            .and_then(|shard| shard.joined.as_ref())
            .map(|joined| joined.mesh.clone())
    }

    /// Whether a shard is trying to join the mesh right now.
    pub fn is_joining(&self, shard_id: u32) -> bool {
        let shards = self.inner.shards.lock();
        shards
            .by_id
            .get(&shard_id)
            .is_some_and(|shard| shard.joining.is_some())
    }

    /// The guild ids a shard owns (what its `guilds` metadata says once it is published).
    pub fn guilds(&self, shard_id: u32) -> Vec<u64> {
        let shards = self.inner.shards.lock();
        shards
            .by_id
            .get(&shard_id)
            .map(|shard| shard.guilds.iter().copied().collect())
            .unwrap_or_default()
    }

    /// A joined shard's mesh client to speak for the bot: a connected one first.
    fn any_mesh(&self) -> Result<MeshClient, MeshBotError> {
        let shards = self.inner.shards.lock();
        let joined: Vec<&MeshClient> = shards
            .by_id
            .values()
            .filter_map(|shard| shard.joined.as_ref().map(|joined| &joined.mesh))
            .collect();
        joined
            .iter()
            .find(|mesh| mesh.is_ready())
            .or_else(|| joined.first())
            .map(|mesh| (*mesh).clone())
            .ok_or_else(|| MeshBotError::new(MeshBotErrorKind::NotJoined))
    }

    /// Sends `payload` to one client matching `target`, through any joined shard (shinkei's
    /// `BotClient.send`).
    pub async fn send(
        &self,
        target: &Query,
        payload: impl Into<Value>,
        nonce: Option<&str>,
    ) -> Result<(), MeshBotError> {
        let mesh = self.any_mesh()?;
        Ok(mesh.send(target, payload.into(), nonce).await?)
    }

    /// Sends `payload` to every client matching `target`, through any joined shard
    /// (shinkei's `BotClient.broadcast`).
    pub async fn broadcast(
        &self,
        target: &Query,
        payload: impl Into<Value>,
        nonce: Option<&str>,
    ) -> Result<(), MeshBotError> {
        let mesh = self.any_mesh()?;
        Ok(mesh.broadcast(target, payload.into(), nonce).await?)
    }

    /// Sends `payload` to one client matching `target` and waits for its reply
    /// ([`MeshClient::request`]), through any joined shard.
    pub async fn request(
        &self,
        target: &Query,
        payload: impl Into<Value>,
        timeout: Duration,
    ) -> Result<Value, MeshBotError> {
        let mesh = self.any_mesh()?;
        Ok(mesh.request(target, payload.into(), timeout).await?)
    }

    /// Application ids whose clients carry every tag ([`MeshClient::discover`]; shinkei's
    /// `BotClient.discover`).
    pub async fn discover<S: AsRef<str>>(&self, tags: &[S]) -> Result<Vec<String>, MeshBotError> {
        let mesh = self.any_mesh()?;
        Ok(mesh.discover(tags).await?)
    }
}

fn guilds_value(guilds: &BTreeSet<u64>) -> MetadataValue {
    MetadataValue::List(
        guilds
            .iter()
            .map(|id| Value::String(id.to_string()))
            .collect(),
    )
}

/// The guilds a shard owns after `event`, or `None` when the event does not change them.
fn guilds_after(event: &Event, mut guilds: BTreeSet<u64>) -> Option<BTreeSet<u64>> {
    match event {
        Event::Ready(ready) => {
            guilds = ready.guilds.iter().map(|g| g.id.get()).collect();
        }
        Event::GuildCreate(guild) => {
            guilds.insert(guild.id.get());
        }
        // `unavailable` is an outage: the shard still owns the guild.
        Event::GuildDelete(guild) if !guild.unavailable => {
            guilds.remove(&guild.id.get());
        }
        _ => return None,
    }
    Some(guilds)
}

impl Inner {
    /// One Discord event: records the shard's guilds, starts its join, or publishes the
    /// change. Never waits for a connect.
    async fn handle(self: Arc<Self>, event: ShardEvent) {
        let shard_id = event.shard_id;
        let publish = {
            let mut shards = self.shards.lock();
            if shards.stopped {
                return;
            }
            let current = shards
                .by_id
                .get(&shard_id)
                .map(|shard| shard.guilds.clone())
                .unwrap_or_default();
            let Some(guilds) = guilds_after(&event.event, current) else {
                return;
            };
            let shard = shards.by_id.entry(shard_id).or_default();
            shard.guilds = guilds;
            if let Some(joined) = &shard.joined {
                Some((joined.mesh.clone(), Arc::clone(&joined.sent)))
            } else {
                if shard.joining.is_none() {
                    let task = tokio::spawn(Arc::clone(&self).join_with_retries(shard_id));
                    shard.joining = Some(task.abort_handle());
                }
                // A join under way publishes the latest guilds once it is in.
                None
            }
        };
        if let Some((mesh, sent)) = publish {
            self.publish_guilds(shard_id, &mesh, &sent).await;
        }
    }

    /// Sends the shard's current guilds if they differ from the last ones sent. The `sent`
    /// lock orders updates, so the last to run always sends the newest set.
    async fn publish_guilds(
        &self,
        shard_id: u32,
        mesh: &MeshClient,
        sent: &tokio::sync::Mutex<BTreeSet<u64>>,
    ) {
        let mut sent = sent.lock().await;
        let current = {
            let shards = self.shards.lock();
            match shards.by_id.get(&shard_id) {
                Some(shard) => shard.guilds.clone(),
                None => return,
            }
        };
        if *sent == current {
            return;
        }
        let result = match Metadata::new().with(GUILDS_KEY, guilds_value(&current)) {
            Ok(metadata) => mesh.update_metadata(&metadata).await,
            Err(error) => Err(error),
        };
        match result {
            Ok(()) => *sent = current,
            Err(error) => {
                tracing::warn!(shard_id, %error, "could not update the shard's mesh metadata");
            }
        }
    }

    /// Joins the mesh for `shard_id`, trying again after each failure with the join backoff.
    async fn join_with_retries(self: Arc<Self>, shard_id: u32) {
        let mut backoff = self.join_backoff.clone();
        loop {
            let guilds = {
                let shards = self.shards.lock();
                match shards.by_id.get(&shard_id) {
                    Some(shard) if !shards.stopped => shard.guilds.clone(),
                    _ => return,
                }
            };
            let error = match self.join(shard_id, &guilds).await {
                Ok(joined) => {
                    self.install(shard_id, joined).await;
                    return;
                }
                Err(error) => error,
            };
            let Some(delay) = backoff.next_delay() else {
                tracing::error!(shard_id, %error, "the shard gave up joining the mesh; trying again at its next guild event");
                if let Some(shard) = self.shards.lock().by_id.get_mut(&shard_id) {
                    shard.joining = None;
                }
                return;
            };
            tracing::warn!(shard_id, %error, ?delay, "the shard could not join the mesh; retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// A join succeeded: the shard is on the mesh; guilds that changed while it connected
    /// are published now.
    async fn install(&self, shard_id: u32, joined: Joined) {
        let (mesh, sent) = (joined.mesh.clone(), Arc::clone(&joined.sent));
        let installed = {
            let mut shards = self.shards.lock();
            let stopped = shards.stopped;
            match shards.by_id.get_mut(&shard_id) {
                Some(shard) if !stopped => {
                    shard.joining = None;
                    shard.joined = Some(joined);
                    true
                }
                _ => false,
            }
        };
        if !installed {
            // The bot shut down while this shard was connecting.
            mesh.close();
            return;
        }
        tracing::debug!(shard_id, "shard joined the mesh");
        self.publish_guilds(shard_id, &mesh, &sent).await;
    }

    async fn join(&self, shard_id: u32, guilds: &BTreeSet<u64>) -> Result<Joined, MeshBotError> {
        let metadata = Metadata::new()
            .with(SHARD_ID_KEY, shard_id)?
            .with(GUILDS_KEY, guilds_value(guilds))?;
        let mut config = MeshConfig::builder(&self.dsn)
            .client_id(format!("{}-{shard_id}", self.client_id_prefix))
            .metadata(metadata);
        if let Some(timeout) = self.connect_timeout {
            config = config.connect_timeout(timeout);
        }
        let mesh = MeshClient::connect(config.build()?).await?;
        let requests = self.handler.clone().map(|handler| {
            let responder = mesh.clone();
            let discord = self.discord.clone();
            mesh.events().on(move |message: Message| {
                let (handler, responder) = (Arc::clone(&handler), responder.clone());
                let request = MeshRequest {
                    shard_id,
                    message: message.clone(),
                    discord: discord.clone(),
                };
                tokio::spawn(async move {
                    let answer = handler(request).await;
                    if message.expects_reply()
                        && let Err(error) = responder.reply(&message, answer).await
                    {
                        tracing::warn!(shard_id, %error, "could not reply to a mesh request");
                    }
                });
            })
        });
        Ok(Joined {
            mesh,
            sent: Arc::new(tokio::sync::Mutex::new(guilds.clone())),
            _requests: requests,
        })
    }
}
