//! A Discord bot on the singyeong mesh: every shard is also a mesh client that publishes the
//! guilds it owns, so other services can reach "the shard that owns guild X".

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use core_events::Listener;
use serde_json::Value;
use svc_gateway::model::User;
use svc_gateway::{
    Client,
    event::{Event, ShardEvent},
};
use svc_mesh::{MeshClient, MeshConfig, Message, Metadata, MetadataValue, Query};
use tokio::sync::Mutex;

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
    shards: Mutex<BTreeMap<u32, ShardMesh>>,
    listener: parking_lot::Mutex<Option<Listener>>,
}

struct ShardMesh {
    mesh: MeshClient,
    guilds: BTreeSet<u64>,
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
}

impl fmt::Debug for MeshBotBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MeshBotBuilder")
            .field("discord", &self.discord)
            .field("client_id_prefix", &self.client_id_prefix)
            .field("handler", &self.handler.is_some())
            .finish_non_exhaustive()
    }
}

impl MeshBotBuilder {
    /// Client ids are `{prefix}-{shard_id}` (default prefix `bot-shard`).
    pub fn client_id_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.client_id_prefix = prefix.into();
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
                shards: Mutex::new(BTreeMap::new()),
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
        }
    }

    /// Starts the Discord shards; each shard joins the mesh at its `READY`.
    pub async fn start(&self) -> Result<User, MeshBotError> {
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

    /// Closes the shards and their mesh clients.
    pub async fn shutdown(&self) -> Result<(), MeshBotError> {
        if let Some(listener) = self.inner.listener.lock().take() {
            listener.cancel();
        }
        let result = self.inner.discord.shutdown().await;
        for (_, shard) in std::mem::take(&mut *self.inner.shards.lock().await) {
            shard.mesh.close();
        }
        Ok(result?)
    }

    /// The Discord client.
    pub fn discord(&self) -> &Client {
        &self.inner.discord
    }

    /// The mesh client of a shard, once it joined the mesh.
    pub async fn mesh(&self, shard_id: u32) -> Option<MeshClient> {
        let shards = self.inner.shards.lock().await;
        shards.get(&shard_id).map(|shard| shard.mesh.clone())
    }

    /// The guild ids a shard owns (what its `guilds` metadata says).
    pub async fn guilds(&self, shard_id: u32) -> Vec<u64> {
        let shards = self.inner.shards.lock().await;
        shards
            .get(&shard_id)
            .map(|shard| shard.guilds.iter().copied().collect())
            .unwrap_or_default()
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

impl Inner {
    async fn handle(&self, event: ShardEvent) {
        let shard_id = event.shard_id;
        let mut shards = self.shards.lock().await;
        let mut guilds = shards
            .get(&shard_id)
            .map(|shard| shard.guilds.clone())
            .unwrap_or_default();
        match &event.event {
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
            _ => return,
        }
        if let Some(shard) = shards.get_mut(&shard_id) {
            if shard.guilds == guilds {
                return;
            }
            shard.guilds = guilds;
            let result = match Metadata::new().with(GUILDS_KEY, guilds_value(&shard.guilds)) {
                Ok(metadata) => shard.mesh.update_metadata(&metadata).await,
                Err(error) => Err(error),
            };
            if let Err(error) = result {
                tracing::warn!(shard_id, %error, "could not update the shard's mesh metadata");
            }
            return;
        }
        match self.join(shard_id, &guilds).await {
            Ok(shard) => {
                shards.insert(shard_id, shard);
            }
            Err(error) => {
                tracing::warn!(shard_id, %error, "the shard could not join the mesh; retrying at its next guild event");
            }
        }
    }

    async fn join(&self, shard_id: u32, guilds: &BTreeSet<u64>) -> Result<ShardMesh, MeshBotError> {
        let metadata = Metadata::new()
            .with(SHARD_ID_KEY, shard_id)?
            .with(GUILDS_KEY, guilds_value(guilds))?;
        let config = MeshConfig::builder(&self.dsn)
            .client_id(format!("{}-{shard_id}", self.client_id_prefix))
            .metadata(metadata)
            .build()?;
        let mesh = MeshClient::connect(config).await?;
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
        tracing::debug!(shard_id, guilds = guilds.len(), "shard joined the mesh");
        Ok(ShardMesh {
            mesh,
            guilds: guilds.clone(),
            _requests: requests,
        })
    }
}
