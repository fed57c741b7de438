//! The bot API: one object with REST, shards, cache and the event hub.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use core_events::{EventHub, EventStream, Extract, Listener};
use tokio::sync::Mutex;

use crate::cache::{Cache, CacheConfig};
use crate::error::{Error, ErrorKind};
use crate::event::ShardEvent;
use crate::gateway::{
    GatewayCompression, GatewayEncoding, RawDispatch, Readiness, ShardHandle, ShardManager,
    ShardScheme,
};
use crate::model::{
    ApplicationMarker, Channel, ChannelMarker, Command, CommandMarker, Guild, GuildMarker, Id,
    Intents, Member, Message, MessageMarker, Role, RoleMarker, StageInstance, UpdatePresence, User,
    UserMarker,
};
use crate::rest::{CreateMessage, DEFAULT_API_URL, RestClient};

/// Events buffered per listener before a slow one starts losing the oldest (and is told).
const HUB_CAPACITY: usize = 4096;

/// A Discord bot: `Client::builder(token).intents(..).build()`, register listeners with
/// [`on`](Self::on), then [`start`](Self::start).
///
/// ```no_run
/// use svc_gateway::{Client, event::MessageCreate};
/// use svc_gateway::model::Intents;
/// use svc_gateway::rest::CreateMessage;
///
/// # async fn run() -> Result<(), svc_gateway::Error> {
/// let client = Client::builder(std::env::var("DISCORD_TOKEN").unwrap())
///     .intents(Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT)
///     .build()?;
/// let rest = client.rest().clone();
/// let _listener = client.on_async(move |message: MessageCreate| {
///     let rest = rest.clone();
///     async move {
///         if message.content == "!ping" {
///             let _ = rest.create_message(message.channel_id, &CreateMessage::text("pong").reply_to(&message)).await;
///         }
///     }
/// });
/// client.start().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    token: transport_http::Secret,
    intents: Intents,
    scheme: ShardScheme,
    compression: GatewayCompression,
    encoding: GatewayEncoding,
    presence: Option<UpdatePresence>,
    rest: RestClient,
    hub: EventHub<ShardEvent>,
    cache: Arc<Cache>,
    manager: Mutex<Option<ShardManager>>,
    /// One per started shard, so readiness and [`Client::shard`] need no manager lock.
    shards: parking_lot::Mutex<Vec<ShardHandle>>,
    /// Where shards publish raw dispatches, when the builder asked for them.
    raw: Option<EventHub<RawDispatch>>,
    application: std::sync::OnceLock<Id<ApplicationMarker>>,
    cache_listener: parking_lot::Mutex<Option<Listener>>,
}

/// Configures a [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    token: String,
    intents: Intents,
    scheme: ShardScheme,
    api_url: String,
    compression: GatewayCompression,
    encoding: GatewayEncoding,
    presence: Option<UpdatePresence>,
    cache: CacheConfig,
    raw_dispatches: bool,
}

impl Client {
    /// Starts a configuration: no intents, all recommended shards, the production API.
    pub fn builder(token: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            token: token.into(),
            intents: Intents::empty(),
            scheme: ShardScheme::Auto,
            api_url: DEFAULT_API_URL.to_owned(),
            compression: GatewayCompression::default(),
            encoding: GatewayEncoding::default(),
            presence: None,
            cache: CacheConfig::default(),
            raw_dispatches: false,
        }
    }

    /// Logs in (`GET /users/@me`), asks `GET /gateway/bot` and starts the shards. Returns once
    /// they are started, before they identify; events then flow to the listeners. Await
    /// [`ready`](Self::ready) next to know when every shard has its session.
    pub async fn start(&self) -> Result<User, Error> {
        let mut manager = self.inner.manager.lock().await;
        if manager.is_some() {
            return Err(Error::new(ErrorKind::Config(
                "the client is already started".into(),
            )));
        }
        let user = self.inner.rest.current_user().await?;
        let compression = self.inner.compression;
        let encoding = self.inner.encoding;
        let presence = self.inner.presence.clone();
        let raw = self.inner.raw.clone();
        *manager = Some(
            ShardManager::start(
                &self.inner.rest,
                self.inner.token.expose(),
                self.inner.intents,
                self.inner.scheme.clone(),
                self.inner.hub.clone(),
                move |builder| {
                    let mut builder = builder.compression(compression).encoding(encoding);
                    if let Some(raw) = &raw {
                        builder = builder.raw_dispatches(raw.clone());
                    }
                    match &presence {
                        Some(presence) => builder.presence(presence.clone()),
                        None => builder,
                    }
                },
            )
            .await?,
        );
        *self.inner.shards.lock() = manager
            .iter()
            .flat_map(|m| m.shards().iter().map(crate::gateway::Shard::handle))
            .collect();
        Ok(user)
    }

    /// Resolves once every shard [`start`](Self::start) started has received READY, or fails
    /// with the first fatal close among them ([`ErrorKind::FatalClose`]: 4004 authentication
    /// failed, 4014 disallowed intents…). [`ErrorKind::NotConnected`] before `start`.
    ///
    /// Why a future of its own rather than a `start` that waits: readiness is a state, not
    /// an event. `ready()` answers from each shard's state, so it cannot be missed whenever
    /// it is awaited (a `wait_for::<Ready>` registered after the READY came would wait
    /// forever), and `start` stays quick for bots that register listeners between the two.
    ///
    /// ```no_run
    /// # async fn run(client: svc_gateway::Client) -> Result<(), svc_gateway::Error> {
    /// client.start().await?;
    /// client.ready().await?;
    /// assert!(client.is_ready());
    /// # Ok(()) }
    /// ```
    pub async fn ready(&self) -> Result<(), Error> {
        let shards: Vec<Readiness> = self
            .inner
            .shards
            .lock()
            .iter()
            .map(ShardHandle::readiness)
            .collect();
        if shards.is_empty() {
            return Err(Error::new(ErrorKind::NotConnected));
        }
        // All at once: the first fatal close fails the whole wait, whichever shard it hit.
        futures_util::future::try_join_all(shards.into_iter().map(Readiness::wait)).await?;
        Ok(())
    }

    /// Whether every started shard has received READY (false before [`start`](Self::start)
    /// and after [`shutdown`](Self::shutdown)).
    pub fn is_ready(&self) -> bool {
        let shards = self.inner.shards.lock();
        !shards.is_empty() && shards.iter().all(ShardHandle::is_ready)
    }

    /// One of the shards this process runs, by id: its presence (op 3), voice state (op 4)
    /// and request guild members (op 8) commands, session, readiness and stats. `None`
    /// before [`start`](Self::start) or for a shard another process runs.
    pub fn shard(&self, id: u32) -> Option<ShardHandle> {
        self.inner
            .shards
            .lock()
            .iter()
            .find(|s| s.id() == id)
            .cloned()
    }

    /// Every raw dispatch from now on, as a stream (see [`RawDispatch`]); `None` unless
    /// the builder asked for them with [`ClientBuilder::raw_dispatches`].
    pub fn raw_dispatches(&self) -> Option<EventStream<RawDispatch>> {
        self.inner.raw.as_ref().map(EventHub::stream)
    }

    /// Calls `handler` for every raw dispatch; `None` unless the builder asked for them.
    pub fn on_raw(&self, handler: impl FnMut(RawDispatch) + Send + 'static) -> Option<Listener> {
        self.inner.raw.as_ref().map(|hub| hub.on(handler))
    }

    /// Closes every shard and waits for them.
    pub async fn shutdown(&self) -> Result<(), Error> {
        let manager = self.inner.manager.lock().await.take();
        self.inner.shards.lock().clear();
        match manager {
            Some(manager) => manager.shutdown().await,
            None => Ok(()),
        }
    }

    /// Op 3 on every shard: changes the bot's presence.
    pub async fn update_presence(&self, presence: &UpdatePresence) -> Result<(), Error> {
        let manager = self.inner.manager.lock().await;
        let manager = manager
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::NotConnected))?;
        for shard in manager.shards() {
            shard.update_presence(presence).await?;
        }
        Ok(())
    }

    /// Stats of every running shard, by shard id.
    pub async fn shard_stats(&self) -> Vec<(u32, crate::gateway::ShardStats)> {
        let manager = self.inner.manager.lock().await;
        manager
            .iter()
            .flat_map(|m| m.shards().iter().map(|s| (s.id(), s.stats())))
            .collect()
    }

    /// Calls `handler` for every event that extracts as `T` (`MessageCreate`, `Ready`,
    /// `ShardEvent` for everything).
    pub fn on<T>(&self, handler: impl FnMut(T) + Send + 'static) -> Listener
    where
        T: Extract<ShardEvent> + Send + 'static,
    {
        self.inner.hub.on(handler)
    }

    /// Like [`on`](Self::on) with an async handler, awaited before the next event.
    pub fn on_async<T, Fut>(&self, handler: impl FnMut(T) -> Fut + Send + 'static) -> Listener
    where
        T: Extract<ShardEvent> + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.inner.hub.on_async(handler)
    }

    /// The next `T` matching `predicate`.
    pub fn once<T>(
        &self,
        predicate: impl FnMut(&T) -> bool + Send + 'static,
    ) -> impl Future<Output = Result<T, Error>> + Send + 'static
    where
        T: Extract<ShardEvent> + Send + 'static,
    {
        let waiting = self.inner.hub.once(predicate);
        async move {
            waiting
                .await
                .map_err(|e| Error::with_source(ErrorKind::Stopped, e))
        }
    }

    /// The next `T` matching `predicate` within `timeout` ([`ErrorKind::Timeout`] otherwise).
    pub fn wait_for<T>(
        &self,
        predicate: impl FnMut(&T) -> bool + Send + 'static,
        timeout: Duration,
    ) -> impl Future<Output = Result<T, Error>> + Send + 'static
    where
        T: Extract<ShardEvent> + Send + 'static,
    {
        let waiting = self.inner.hub.wait_for(predicate, timeout);
        async move {
            waiting.await.map_err(|e| {
                let kind = if matches!(e.kind(), core_events::ErrorKind::Timeout { .. }) {
                    ErrorKind::Timeout
                } else {
                    ErrorKind::Stopped
                };
                Error::with_source(kind, e)
            })
        }
    }

    /// Publishes an event to the listeners as if a shard had received it (custom events,
    /// tests); returns how many listeners it reached.
    pub fn dispatch(&self, event: ShardEvent) -> usize {
        self.inner.hub.publish(event)
    }

    /// Every event from now on, as a stream.
    pub fn events(&self) -> EventStream<ShardEvent> {
        self.inner.hub.stream()
    }

    /// The REST client.
    pub fn rest(&self) -> &RestClient {
        &self.inner.rest
    }

    /// The cache (updated from events by its own listener).
    pub fn cache(&self) -> &Cache {
        &self.inner.cache
    }

    /// A guild from the cache.
    pub fn get_guild(&self, id: Id<GuildMarker>) -> Option<Guild> {
        self.inner.cache.guild(id)
    }

    /// A channel from the cache.
    pub fn get_channel(&self, id: Id<ChannelMarker>) -> Option<Arc<Channel>> {
        self.inner.cache.channel(id)
    }

    /// A user from the cache.
    pub fn get_user(&self, id: Id<UserMarker>) -> Option<User> {
        self.inner.cache.user(id)
    }

    /// A message from the cache.
    pub fn get_message(
        &self,
        channel: Id<ChannelMarker>,
        id: Id<MessageMarker>,
    ) -> Option<Arc<Message>> {
        self.inner.cache.message(channel, id)
    }

    /// A guild from the API (with approximate counts), stored in the cache.
    pub async fn fetch_guild(&self, id: Id<GuildMarker>) -> Result<Guild, Error> {
        let guild = self.inner.rest.guild(id, true).await?;
        self.inner.cache.insert_guild(&guild);
        Ok(guild)
    }

    /// A channel from the API, stored in the cache.
    pub async fn fetch_channel(&self, id: Id<ChannelMarker>) -> Result<Channel, Error> {
        let channel = self.inner.rest.channel(id).await?;
        self.inner.cache.insert_channel(&channel);
        Ok(channel)
    }

    /// A user from the API, stored in the cache.
    pub async fn fetch_user(&self, id: Id<UserMarker>) -> Result<User, Error> {
        let user = self.inner.rest.user(id).await?;
        self.inner.cache.insert_user(&user);
        Ok(user)
    }

    /// A message from the API, stored in the cache.
    pub async fn fetch_message(
        &self,
        channel: Id<ChannelMarker>,
        id: Id<MessageMarker>,
    ) -> Result<Message, Error> {
        let message = self.inner.rest.message(channel, id).await?;
        self.inner.cache.insert_message(&message);
        Ok(message)
    }

    /// A guild member from the cache.
    pub fn get_member(&self, guild: Id<GuildMarker>, user: Id<UserMarker>) -> Option<Member> {
        self.inner.cache.member(guild, user)
    }

    /// A guild member from the API, stored in the cache.
    pub async fn fetch_member(
        &self,
        guild: Id<GuildMarker>,
        user: Id<UserMarker>,
    ) -> Result<Member, Error> {
        let member = self.inner.rest.guild_member(guild, user).await?;
        self.inner.cache.insert_member(guild, &member);
        Ok(member)
    }

    /// A role from the cache.
    pub fn get_role(&self, id: Id<RoleMarker>) -> Option<Role> {
        self.inner.cache.role(id)
    }

    /// A role from the API, stored in the cache.
    pub async fn fetch_role(
        &self,
        guild: Id<GuildMarker>,
        id: Id<RoleMarker>,
    ) -> Result<Role, Error> {
        let role = self.inner.rest.role(guild, id).await?;
        self.inner.cache.insert_role(guild, &role);
        Ok(role)
    }

    /// The bot user, from the cache (READY).
    pub fn current_user(&self) -> Option<User> {
        self.inner.cache.current_user()
    }

    /// The ids of the guilds in the cache.
    pub fn guild_ids(&self) -> Vec<Id<GuildMarker>> {
        self.inner.cache.guild_ids()
    }

    /// The id of the shard that receives a guild's events (`(guild_id >> 22) % shards`);
    /// `None` before [`start`](Self::start) or when this process does not run that shard.
    pub async fn shard_id_for(&self, guild: Id<GuildMarker>) -> Option<u32> {
        let manager = self.inner.manager.lock().await;
        manager
            .as_ref()?
            .shard_for_guild(guild)
            .map(crate::gateway::Shard::id)
    }

    /// The bot's application id (`GET /oauth2/applications/@me` once, then remembered).
    pub async fn application_id(&self) -> Result<Id<ApplicationMarker>, Error> {
        if let Some(id) = self.inner.application.get() {
            return Ok(*id);
        }
        let id = self.inner.rest.current_application().await?.id;
        Ok(*self.inner.application.get_or_init(|| id))
    }

    /// The application's commands: global ones, or a guild's with `guild`.
    pub async fn fetch_commands(
        &self,
        guild: Option<Id<GuildMarker>>,
    ) -> Result<Vec<Command>, Error> {
        let application = self.application_id().await?;
        self.inner.rest.commands(application, guild).await
    }

    /// One application command, global or of `guild`.
    pub async fn fetch_command(
        &self,
        guild: Option<Id<GuildMarker>>,
        id: Id<CommandMarker>,
    ) -> Result<Command, Error> {
        let application = self.application_id().await?;
        self.inner.rest.command(application, guild, id).await
    }

    /// Creates (or replaces by name) one application command, global or in `guild`.
    pub async fn create_command(
        &self,
        guild: Option<Id<GuildMarker>>,
        command: &Command,
    ) -> Result<Command, Error> {
        let application = self.application_id().await?;
        self.inner
            .rest
            .create_command(application, guild, command)
            .await
    }

    /// Replaces every application command (global, or of `guild`) at once.
    pub async fn bulk_overwrite_commands(
        &self,
        guild: Option<Id<GuildMarker>>,
        commands: &[Command],
    ) -> Result<Vec<Command>, Error> {
        let application = self.application_id().await?;
        self.inner
            .rest
            .bulk_overwrite_commands(application, guild, commands)
            .await
    }

    /// Opens a stage in a stage channel.
    pub async fn create_stage_instance(
        &self,
        channel: Id<ChannelMarker>,
        topic: &str,
    ) -> Result<StageInstance, Error> {
        self.inner.rest.create_stage_instance(channel, topic).await
    }

    /// Sends a text message.
    pub async fn send_message(
        &self,
        channel: Id<ChannelMarker>,
        content: impl Into<String>,
    ) -> Result<Message, Error> {
        self.inner
            .rest
            .create_message(channel, &CreateMessage::text(content))
            .await
    }
}

impl ClientBuilder {
    /// Gateway intents.
    pub fn intents(mut self, intents: Intents) -> Self {
        self.intents = intents;
        self
    }

    /// Which shards to run.
    pub fn shards(mut self, scheme: ShardScheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// The API base (the sandbox's `http://127.0.0.1:PORT/api/v10`); the gateway URL comes
    /// from its `GET /gateway/bot`.
    pub fn api_url(mut self, url: impl Into<String>) -> Self {
        self.api_url = url.into();
        self
    }

    /// Gateway transport compression.
    pub fn compression(mut self, compression: GatewayCompression) -> Self {
        self.compression = compression;
        self
    }

    /// Gateway payload encoding (`json` by default; `etf` with the `etf` feature).
    pub fn encoding(mut self, encoding: GatewayEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// Presence sent with IDENTIFY.
    pub fn presence(mut self, presence: UpdatePresence) -> Self {
        self.presence = Some(presence);
        self
    }

    /// What the cache keeps.
    pub fn cache(mut self, config: CacheConfig) -> Self {
        self.cache = config;
        self
    }

    /// Also publishes every dispatch's original bytes as a [`RawDispatch`] (read them with
    /// [`Client::raw_dispatches`] or [`Client::on_raw`]), for forwarding without re-encoding.
    /// Off by default: each dispatch then costs one copy of its bytes.
    pub fn raw_dispatches(mut self, enabled: bool) -> Self {
        self.raw_dispatches = enabled;
        self
    }

    /// Builds the client (no connection yet).
    pub fn build(self) -> Result<Client, Error> {
        let rest = RestClient::builder(self.token.clone())
            .base_url(self.api_url)
            .build()?;
        let hub = EventHub::with_capacity(HUB_CAPACITY)
            .map_err(|e| Error::with_source(ErrorKind::Config("event hub".into()), e))?;
        let raw = if self.raw_dispatches {
            Some(
                EventHub::with_capacity(HUB_CAPACITY)
                    .map_err(|e| Error::with_source(ErrorKind::Config("raw hub".into()), e))?,
            )
        } else {
            None
        };
        let cache = Arc::new(Cache::new(self.cache));
        let feeder = Arc::clone(&cache);
        let listener = hub.on(move |event: ShardEvent| feeder.update(&event.event));
        Ok(Client {
            inner: Arc::new(Inner {
                token: transport_http::Secret::new(self.token),
                intents: self.intents,
                scheme: self.scheme,
                compression: self.compression,
                encoding: self.encoding,
                presence: self.presence,
                rest,
                hub,
                cache,
                manager: Mutex::new(None),
                shards: parking_lot::Mutex::new(Vec::new()),
                raw,
                application: std::sync::OnceLock::new(),
                cache_listener: parking_lot::Mutex::new(Some(listener)),
            }),
        })
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(listener) = self.cache_listener.get_mut().take() {
            listener.cancel();
        }
    }
}
