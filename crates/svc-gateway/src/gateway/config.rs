//! Everything a [`Shard`](super::Shard) needs, built with [`ShardConfig::builder`].

use core_ratelimit::IdentifyQueue;
use transport_http::Secret;
use transport_ws::Backoff;

use super::encoding::GatewayEncoding;
use super::raw::RawHub;
use crate::error::{Error, ErrorKind};
use crate::model::{Intents, UpdatePresence};

/// Discord's production gateway, used when `GET /gateway/bot` was not asked.
pub const DEFAULT_GATEWAY_URL: &str = "wss://gateway.discord.gg";

/// How the gateway compresses what it sends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum GatewayCompression {
    /// Plain JSON text frames.
    None,
    /// `compress=zlib-stream` (the default: the biggest saving on large guilds).
    #[default]
    ZlibStream,
    /// `compress=zstd-stream`.
    ZstdStream,
}

/// A validated shard configuration. Cheap to clone; the token never shows in `Debug`.
#[derive(Debug, Clone)]
pub struct ShardConfig {
    pub(crate) token: Secret,
    pub(crate) shard: [u32; 2],
    pub(crate) intents: Intents,
    pub(crate) gateway_url: String,
    pub(crate) compression: GatewayCompression,
    pub(crate) encoding: GatewayEncoding,
    pub(crate) large_threshold: u8,
    pub(crate) presence: Option<UpdatePresence>,
    pub(crate) identify_queue: Option<IdentifyQueue>,
    pub(crate) reconnect: Backoff,
    pub(crate) raw: Option<RawHub>,
}

impl ShardConfig {
    /// Starts a configuration for shard 0 of 1.
    pub fn builder(token: impl Into<String>, intents: Intents) -> ShardConfigBuilder {
        ShardConfigBuilder {
            config: ShardConfig {
                token: Secret::new(token.into()),
                shard: [0, 1],
                intents,
                gateway_url: DEFAULT_GATEWAY_URL.to_owned(),
                compression: GatewayCompression::default(),
                encoding: GatewayEncoding::default(),
                large_threshold: 50,
                presence: None,
                identify_queue: None,
                reconnect: Backoff::new().max_delay(std::time::Duration::from_secs(30)),
                raw: None,
            },
        }
    }

    /// `[shard_id, shard_count]`.
    pub fn shard(&self) -> [u32; 2] {
        self.shard
    }

    /// The intents.
    pub fn intents(&self) -> Intents {
        self.intents
    }
}

/// Builds a [`ShardConfig`].
///
/// ```
/// use svc_gateway::gateway::{GatewayCompression, ShardConfig};
/// use svc_gateway::model::Intents;
///
/// let config = ShardConfig::builder("my.token", Intents::GUILDS | Intents::GUILD_MESSAGES)
///     .shard(1, 4)
///     .gateway_url("ws://127.0.0.1:9000")
///     .compression(GatewayCompression::ZstdStream)
///     .build()
///     .unwrap();
/// assert_eq!(config.shard(), [1, 4]);
/// assert!(!format!("{config:?}").contains("my.token"));
/// assert!(ShardConfig::builder("t", Intents::GUILDS).shard(4, 4).build().is_err());
/// ```
#[derive(Debug)]
#[must_use]
pub struct ShardConfigBuilder {
    pub(crate) config: ShardConfig,
}

impl ShardConfigBuilder {
    /// Which shard of how many.
    pub fn shard(mut self, id: u32, count: u32) -> Self {
        self.config.shard = [id, count];
        self
    }

    /// The gateway URL (from `GET /gateway/bot`); the shard adds `?v=10&encoding=json…`.
    pub fn gateway_url(mut self, url: impl Into<String>) -> Self {
        self.config.gateway_url = url.into();
        self
    }

    /// Transport compression.
    pub fn compression(mut self, compression: GatewayCompression) -> Self {
        self.config.compression = compression;
        self
    }

    /// Payload encoding (`encoding=json` by default; `etf` with the `etf` feature).
    pub fn encoding(mut self, encoding: GatewayEncoding) -> Self {
        self.config.encoding = encoding;
        self
    }

    /// Members above which a guild counts as large (50–250).
    pub fn large_threshold(mut self, threshold: u8) -> Self {
        self.config.large_threshold = threshold;
        self
    }

    /// The presence sent with IDENTIFY.
    pub fn presence(mut self, presence: UpdatePresence) -> Self {
        self.config.presence = Some(presence);
        self
    }

    /// Shares an identify queue with other shards (the manager does this).
    pub fn identify_queue(mut self, queue: IdentifyQueue) -> Self {
        self.config.identify_queue = Some(queue);
        self
    }

    /// The reconnect backoff.
    pub fn backoff(mut self, policy: Backoff) -> Self {
        self.config.reconnect = policy;
        self
    }

    /// Also publishes every dispatch's original bytes into `hub` (see [`RawDispatch`]), for
    /// forwarding without re-encoding. Typed events still go to the shard's event hub.
    ///
    /// [`RawDispatch`]: super::RawDispatch
    pub fn raw_dispatches(mut self, hub: core_events::EventHub<super::RawDispatch>) -> Self {
        self.config.raw = Some(hub);
        self
    }

    /// Checks and builds.
    pub fn build(self) -> Result<ShardConfig, Error> {
        let [id, count] = self.config.shard;
        if count == 0 || id >= count {
            return Err(Error::new(ErrorKind::Config(format!(
                "shard {id} of {count} does not exist"
            ))));
        }
        if !(50..=250).contains(&self.config.large_threshold) {
            return Err(Error::new(ErrorKind::Config(
                "large_threshold must be within 50..=250".into(),
            )));
        }
        if self.config.token.expose().is_empty() {
            return Err(Error::new(ErrorKind::Config("the token is empty".into())));
        }
        url::Url::parse(&self.config.gateway_url)
            .map_err(|e| Error::with_source(ErrorKind::Config("invalid gateway URL".into()), e))?;
        Ok(self.config)
    }
}
