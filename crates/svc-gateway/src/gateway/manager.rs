//! Running many shards: shard count from `GET /gateway/bot` (or given), one identify queue
//! honouring `max_concurrency` and spending the daily session start budget, one task per
//! shard, every shard's events into one hub.

use std::num::NonZeroU32;
use std::ops::Range;
use std::time::Duration;

use core_events::EventHub;
use core_ratelimit::{IdentifyQueue, SessionBudget};

use super::config::ShardConfigBuilder;
use super::recommended::{DEFAULT_MAX_SHARDS, Recommended, SESSION_START_PERIOD};
use super::shard::Shard;
use crate::error::{Error, ErrorKind};
use crate::event::ShardEvent;
use crate::rest::RestClient;

/// Discord: one identify per concurrency bucket per 5 s.
const IDENTIFY_PERIOD: Duration = Duration::from_secs(5);

/// Which shards this process runs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ShardScheme {
    /// All shards, as many as `GET /gateway/bot` recommends, up to
    /// [`DEFAULT_MAX_SHARDS`].
    #[default]
    Auto,
    /// All shards, as many as `GET /gateway/bot` recommends, up to `max_shards`: a larger
    /// recommendation is refused ([`ErrorKind::InvalidGatewayBot`]) rather than started.
    AutoAtMost {
        /// The most shards to start.
        max_shards: u32,
    },
    /// Shards `ids` of `total` (for a bot split over processes).
    Range {
        /// The shard ids to run.
        ids: Range<u32>,
        /// The total shard count.
        total: u32,
    },
}

/// The running shards of one bot.
#[derive(Debug)]
pub struct ShardManager {
    shards: Vec<Shard>,
    hub: EventHub<ShardEvent>,
}

impl ShardManager {
    /// Asks `GET /gateway/bot`, then starts the shards `scheme` names, each configured by
    /// `configure(builder)` (token and intents already set), publishing into `hub`.
    ///
    /// Shards identify through one queue sized from `max_concurrency` that also spends the
    /// daily `session_start_limit` (once it is used up, identifies wait for its reset), unless
    /// `configure` sets its own [`identify_queue`](ShardConfigBuilder::identify_queue) (a
    /// queue shared by several processes, such as core-ratelimit's Redis one).
    ///
    /// The answer is checked first: zero shards, more than the scheme allows, a zero
    /// `max_concurrency` or more starts remaining than in total fail with
    /// [`ErrorKind::InvalidGatewayBot`], a gateway URL that is not `wss://` (unless the REST
    /// base and it are both loopback) with [`ErrorKind::InsecureUrl`]; `max_concurrency` is
    /// lowered to [`MAX_CONCURRENCY`](super::MAX_CONCURRENCY) and the shard count, and
    /// `reset_after` to 24 hours.
    pub async fn start(
        rest: &RestClient,
        token: &str,
        intents: crate::model::Intents,
        scheme: ShardScheme,
        hub: EventHub<ShardEvent>,
        configure: impl Fn(ShardConfigBuilder) -> ShardConfigBuilder,
    ) -> Result<Self, Error> {
        let answer = rest.gateway_bot().await?;
        let max_shards = match scheme {
            ShardScheme::Auto => DEFAULT_MAX_SHARDS,
            ShardScheme::AutoAtMost { max_shards } => max_shards,
            // The caller chose the shards: the recommended count starts nothing.
            ShardScheme::Range { .. } => u32::MAX,
        };
        let gateway = Recommended::check(&answer, rest.base_url(), max_shards)?;
        let (ids, total) = match scheme {
            ShardScheme::Auto | ShardScheme::AutoAtMost { .. } => {
                (0..gateway.shards, gateway.shards)
            }
            ShardScheme::Range { ids, total } => (ids, total),
        };
        if ids.is_empty() || ids.end > total {
            return Err(Error::new(ErrorKind::Config(format!(
                "shards {ids:?} of {total} do not exist"
            ))));
        }
        let needed = ids.end - ids.start;
        if gateway.remaining < needed {
            return Err(Error::new(ErrorKind::Config(format!(
                "session start limit: {needed} shards need to identify but {} starts remain (resets in {:?})",
                gateway.remaining, gateway.reset_after
            ))));
        }
        // Buckets past the shard count would never be used.
        let max_concurrency = gateway
            .max_concurrency
            .min(NonZeroU32::new(total).unwrap_or(NonZeroU32::MIN));
        // Every identify (re-identifies after invalid sessions too) spends the daily budget;
        // spent, they wait for its reset rather than get the token reset.
        let queue =
            IdentifyQueue::new(max_concurrency, IDENTIFY_PERIOD).with_budget(SessionBudget::new(
                gateway.total,
                gateway.remaining,
                gateway.reset_after,
                SESSION_START_PERIOD,
            ));
        let mut shards = Vec::with_capacity(ids.len());
        for id in ids {
            let mut builder = configure(super::ShardConfig::builder(token, intents))
                .shard(id, total)
                .gateway_url(gateway.url.clone());
            // A queue given by `configure` (e.g. one shared in Redis by several processes)
            // wins over this process's own.
            if builder.config.identify_queue.is_none() {
                builder = builder.identify_queue(queue.clone());
            }
            shards.push(Shard::start(builder.build()?, hub.clone())?);
        }
        tracing::info!(
            shards = shards.len(),
            total,
            max_concurrency = max_concurrency.get(),
            "shards started"
        );
        Ok(Self { shards, hub })
    }

    /// The shards.
    pub fn shards(&self) -> &[Shard] {
        &self.shards
    }

    /// The shard receiving a guild's events: `(guild_id >> 22) % total`.
    pub fn shard_for_guild(
        &self,
        guild_id: crate::model::Id<crate::model::GuildMarker>,
    ) -> Option<&Shard> {
        let total = u64::from(self.shards.first()?.total());
        let id = ((guild_id.get() >> 22) % total) as u32;
        self.shards.iter().find(|s| s.id() == id)
    }

    /// The hub every shard publishes into.
    pub fn hub(&self) -> &EventHub<ShardEvent> {
        &self.hub
    }

    /// Closes every shard and waits for them; the first error wins.
    pub async fn shutdown(self) -> Result<(), Error> {
        for shard in &self.shards {
            shard.close();
        }
        let mut result = Ok(());
        for shard in self.shards {
            if let Err(error) = shard.join().await
                && result.is_ok()
            {
                result = Err(error);
            }
        }
        result
    }
}
