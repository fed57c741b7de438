//! Configuring a [`Worker`]: group, consumer, streams, handlers, timings.

use std::time::Duration;

use core_events::Extract;
use svc_gateway::event::ShardEvent;
use svc_gateway::rest::RestClient;

use crate::handler::{EventHandler, Handler, RestHandler, erase, erase_rest};
use crate::publisher::{DEFAULT_MAX_LEN, DEFAULT_PREFIX};
use crate::worker::Config;
use crate::{Error, ErrorKind, EventGroup, Worker};

/// Builds a [`Worker`]; start with [`Worker::builder`].
#[must_use]
pub struct WorkerBuilder {
    url: String,
    pub(crate) config: Config,
    handlers: Vec<Handler>,
    rest: Option<RestClient>,
    /// An `on_rest` handler was registered before any [`WorkerBuilder::rest`].
    rest_missing: bool,
}

impl std::fmt::Debug for WorkerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerBuilder")
            .field("config", &self.config)
            .field("handlers", &self.handlers.len())
            .finish_non_exhaustive()
    }
}

impl WorkerBuilder {
    pub(crate) fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            config: Config {
                group: "switchboard".to_owned(),
                consumer: format!("worker-{}", std::process::id()),
                prefix: DEFAULT_PREFIX.to_owned(),
                streams: EventGroup::ALL.to_vec(),
                batch: 64,
                block: Duration::from_secs(1),
                min_idle: Duration::from_secs(30),
                claim_interval: Duration::from_secs(5),
                dead_letter_max_len: DEFAULT_MAX_LEN,
                max_deliveries: 5,
            },
            handlers: Vec::new(),
            rest: None,
            rest_missing: false,
        }
    }

    /// The consumer group (workers of one bot share it; default `switchboard`).
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.config.group = group.into();
        self
    }

    /// This worker's consumer name, unique within the group (default `worker-<pid>`).
    pub fn consumer(mut self, consumer: impl Into<String>) -> Self {
        self.config.consumer = consumer.into();
        self
    }

    /// The key prefix, the same as the publisher's (default `switchboard`).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.config.prefix = prefix.into();
        self
    }

    /// The event groups to consume (default: all).
    pub fn streams(mut self, streams: impl IntoIterator<Item = EventGroup>) -> Self {
        self.config.streams = streams.into_iter().collect();
        self.config.streams.sort_unstable();
        self.config.streams.dedup();
        self
    }

    /// Runs `handler` for every event carrying a `T` (any payload type of
    /// [`svc_gateway`], [`svc_gateway::event::Event`] for all, or [`ShardEvent`] with the shard
    /// id). Its future returns `()` or `Result<(), E>` ([`crate::HandlerOutput`]).
    /// Handlers of one entry run in registration order; the entry is acknowledged after
    /// the last one finished. If one returns `Err` or panics, the entry is delivered again
    /// later and only the handlers that did not finish run again, so every worker of a
    /// group must register the same handlers in the same order.
    pub fn on<T>(mut self, handler: impl EventHandler<T>) -> Self
    where
        T: Extract<ShardEvent> + Send + 'static,
    {
        self.handlers.push(erase::<T>(handler));
        self
    }

    /// The REST client [`on_rest`](Self::on_rest) handlers get (a clone each call). Build
    /// it with [`crate::shared_limiter`] so REST calls from every worker process share
    /// Discord's limits through Redis. Set it before registering `on_rest` handlers.
    pub fn rest(mut self, rest: RestClient) -> Self {
        self.rest = Some(rest);
        self
    }

    /// Like [`on`](Self::on), for handlers that call Discord's REST API: `handler` gets the
    /// payload and the client set with [`rest`](Self::rest). Registered before `rest`, the
    /// builder's [`connect`](Self::connect) fails with [`ErrorKind::Config`].
    pub fn on_rest<T>(mut self, handler: impl RestHandler<T>) -> Self
    where
        T: Extract<ShardEvent> + Send + 'static,
    {
        match &self.rest {
            Some(rest) => self.handlers.push(erase_rest::<T>(handler, rest.clone())),
            None => self.rest_missing = true,
        }
        self
    }

    /// How many times an entry may be delivered (read, then claimed again after a handler
    /// failed or panicked or its worker died) before it counts as poison: it is then copied to the
    /// dead-letter stream and acknowledged instead of handled again (default 5, at least 1).
    pub fn max_deliveries(mut self, max: u64) -> Self {
        self.config.max_deliveries = max.max(1);
        self
    }

    /// Entries read per round trip (default 64).
    pub fn batch(mut self, batch: usize) -> Self {
        self.config.batch = batch.max(1);
        self
    }

    /// How long one read waits for new entries (default 1 s).
    pub fn block(mut self, block: Duration) -> Self {
        self.config.block = block.max(Duration::from_millis(1));
        self
    }

    /// How long an entry must sit unacknowledged before a worker claims it (default 30 s:
    /// longer than any handler should take). This is also the delay before an entry whose
    /// handler failed is delivered again.
    pub fn min_idle(mut self, min_idle: Duration) -> Self {
        self.config.min_idle = min_idle;
        self
    }

    /// How often the worker looks for entries to claim (default 5 s).
    pub fn claim_interval(mut self, interval: Duration) -> Self {
        self.config.claim_interval = interval;
        self
    }

    /// The approximate length cap of the dead-letter stream.
    pub fn dead_letter_max_len(mut self, max_len: usize) -> Self {
        self.config.dead_letter_max_len = max_len;
        self
    }

    /// Connects and creates the consumer groups (with their streams if missing).
    ///
    /// [`crate::ErrorKind::StoreUnavailable`] if Redis cannot be reached now,
    /// [`crate::ErrorKind::Config`] if an `on_rest` handler has no REST client.
    pub async fn connect(self) -> Result<Worker, Error> {
        if self.rest_missing {
            tracing::warn!("an on_rest handler was registered before WorkerBuilder::rest");
            return Err(Error::new(ErrorKind::Config));
        }
        Worker::connect(&self.url, self.config, self.handlers).await
    }
}
