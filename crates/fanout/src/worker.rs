//! The worker side: consumer-group reads, handlers, acknowledgements, claims, dead letters.

use std::collections::HashMap;
use std::future::{Future, pending};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt;
use redis::aio::ConnectionManager;
use redis::streams::{StreamAutoClaimReply, StreamId, StreamPendingCountReply, StreamReadReply};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::entry;
use crate::error::store_error;
use crate::group::dead_letter_key;
use crate::handler::Handler;
use crate::{Error, ErrorKind, EventGroup, WorkerBuilder};

/// First wait after a failed Redis call; doubles up to [`MAX_BACKOFF`].
const MIN_BACKOFF: Duration = Duration::from_millis(100);
/// Longest wait between retries.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) group: String,
    pub(crate) consumer: String,
    pub(crate) prefix: String,
    pub(crate) streams: Vec<EventGroup>,
    pub(crate) batch: usize,
    pub(crate) block: Duration,
    pub(crate) min_idle: Duration,
    pub(crate) claim_interval: Duration,
    pub(crate) dead_letter_max_len: usize,
    pub(crate) max_deliveries: u64,
}

/// Consumes gateway events from Redis Streams with a consumer group.
///
/// Every entry goes to one worker of the group. It is acknowledged (`XACK`) only after all
/// matching handlers finished, so a worker that dies leaves its entries pending; live workers
/// claim entries idle longer than [`WorkerBuilder::min_idle`] with `XAUTOCLAIM` and handle
/// them. Entries that cannot be decoded are logged, copied to the dead-letter stream
/// (`{prefix}:events:dead`, with the reason) and acknowledged. Delivery is at least once: a
/// worker killed between a handler's end and its `XACK` has that entry handled again.
///
/// A handler that panics does not take the worker down: the panic is caught and logged, and
/// the entry stays unacknowledged, so it is claimed and handled again after
/// [`WorkerBuilder::min_idle`]. An entry delivered more than
/// [`WorkerBuilder::max_deliveries`] times (a poison message that keeps crashing handlers
/// or workers) is dead-lettered and acknowledged instead of being retried forever.
pub struct Worker {
    conn: ConnectionManager,
    config: Config,
    handlers: Arc<[Handler]>,
    keys: Vec<String>,
    dead_letter: String,
    last_claim: Option<Instant>,
    /// `XACK`s sent (each right after its entry's handlers finished) and not yet confirmed.
    acks: Vec<JoinHandle<redis::RedisResult<()>>>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("config", &self.config)
            .field("handlers", &self.handlers.len())
            .finish_non_exhaustive()
    }
}

impl Worker {
    /// Starts configuring a worker for the Redis server at `url`.
    pub fn builder(url: impl Into<String>) -> WorkerBuilder {
        WorkerBuilder::new(url)
    }

    pub(crate) async fn connect(
        url: &str,
        config: Config,
        handlers: Vec<Handler>,
    ) -> Result<Self, Error> {
        let conn = crate::connect::connect(url, config.block + Duration::from_secs(2)).await?;
        let keys = config
            .streams
            .iter()
            .map(|group| group.stream_key(&config.prefix))
            .collect();
        let dead_letter = dead_letter_key(&config.prefix);
        let mut worker = Self {
            conn,
            config,
            handlers: handlers.into(),
            keys,
            dead_letter,
            last_claim: None,
            acks: Vec::new(),
        };
        worker.ensure_groups().await?;
        Ok(worker)
    }

    /// Creates the consumer group on every stream (`MKSTREAM`; an existing group is fine).
    async fn ensure_groups(&mut self) -> Result<(), Error> {
        for key in &self.keys {
            let created: redis::RedisResult<()> = redis::cmd("XGROUP")
                .arg("CREATE")
                .arg(key)
                .arg(&self.config.group)
                .arg("0")
                .arg("MKSTREAM")
                .query_async(&mut self.conn)
                .await;
            match created {
                Ok(()) => {}
                Err(error) if error.code() == Some("BUSYGROUP") => {}
                Err(error) => return Err(store_error(error)),
            }
        }
        Ok(())
    }

    /// Runs until the task is dropped: reads, handles, acknowledges, claims. Transient Redis
    /// trouble is retried with backoff; only an unusable reply (for example a key holding
    /// another type) ends it with an error.
    pub async fn run(self) -> Result<(), Error> {
        self.run_until(pending::<()>()).await
    }

    /// Like [`Worker::run`], returning `Ok` when `shutdown` completes. Entries being handled
    /// at that moment stay pending and are claimed later by another worker.
    pub async fn run_until(mut self, shutdown: impl Future<Output = ()>) -> Result<(), Error> {
        let mut shutdown = std::pin::pin!(shutdown);
        let mut backoff = MIN_BACKOFF;
        loop {
            let step = tokio::select! {
                biased;
                () = &mut shutdown => return Ok(()),
                step = self.step() => step,
            };
            match step {
                Ok(_) => backoff = MIN_BACKOFF,
                Err(error) if *error.kind() == ErrorKind::StoreUnavailable => {
                    tracing::warn!(?backoff, %error, "Redis unavailable; retrying");
                    tokio::select! {
                        biased;
                        () = &mut shutdown => return Ok(()),
                        () = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// One round: claims idle entries if a claim is due, then reads and handles one batch of
    /// new entries (waiting up to [`WorkerBuilder::block`]). Returns how many entries were
    /// handled or dead-lettered.
    pub async fn step(&mut self) -> Result<usize, Error> {
        let mut done = 0;
        let due = self
            .last_claim
            .is_none_or(|last| last.elapsed() >= self.config.claim_interval);
        if due {
            done += self.claim().await?;
            self.last_claim = Some(Instant::now());
        }
        done += self.read().await?;
        Ok(done)
    }

    /// Claims and handles entries other consumers left unacknowledged for longer than
    /// [`WorkerBuilder::min_idle`] (`XAUTOCLAIM` over every stream). Returns how many.
    pub async fn claim(&mut self) -> Result<usize, Error> {
        let mut done = 0;
        for index in 0..self.keys.len() {
            let key = self.keys[index].clone();
            let mut cursor = "0-0".to_owned();
            loop {
                let reply: StreamAutoClaimReply = match redis::cmd("XAUTOCLAIM")
                    .arg(&key)
                    .arg(&self.config.group)
                    .arg(&self.config.consumer)
                    .arg(self.config.min_idle.as_millis() as u64)
                    .arg(&cursor)
                    .arg("COUNT")
                    .arg(self.config.batch)
                    .query_async(&mut self.conn)
                    .await
                {
                    Ok(reply) => reply,
                    Err(error) => return Err(self.recover(error).await),
                };
                if !reply.deleted_ids.is_empty() {
                    tracing::warn!(
                        stream = %key,
                        count = reply.deleted_ids.len(),
                        "pending entries were trimmed from the stream before anyone handled them"
                    );
                }
                if !reply.claimed.is_empty() {
                    tracing::info!(stream = %key, count = reply.claimed.len(), "claimed idle entries");
                }
                let deliveries = self.deliveries(&key, &reply.claimed).await?;
                for entry in reply.claimed {
                    let delivered = deliveries.get(&entry.id).copied().unwrap_or(0);
                    if delivered > self.config.max_deliveries {
                        let reason = format!(
                            "poison: delivered {delivered} times without being acknowledged"
                        );
                        self.dead_letter(&key, &entry, &reason).await?;
                    } else {
                        self.handle(&key, entry).await?;
                    }
                    done += 1;
                }
                if reply.next_stream_id == "0-0" {
                    break;
                }
                cursor = reply.next_stream_id;
            }
        }
        self.confirm_acks().await?;
        Ok(done)
    }

    /// How many times each of `claimed` (now this consumer's) has been delivered, from the
    /// group's pending list (`XPENDING` over their id range, one round trip).
    async fn deliveries(
        &mut self,
        key: &str,
        claimed: &[StreamId],
    ) -> Result<HashMap<String, u64>, Error> {
        let (Some(first), Some(last)) = (claimed.first(), claimed.last()) else {
            return Ok(HashMap::new());
        };
        let reply: StreamPendingCountReply = match redis::cmd("XPENDING")
            .arg(key)
            .arg(&self.config.group)
            .arg(&first.id)
            .arg(&last.id)
            .arg(claimed.len())
            .arg(&self.config.consumer)
            .query_async(&mut self.conn)
            .await
        {
            Ok(reply) => reply,
            Err(error) => return Err(self.recover(error).await),
        };
        Ok(reply
            .ids
            .into_iter()
            .map(|pending| (pending.id, pending.times_delivered as u64))
            .collect())
    }

    /// Reads one batch of new entries (`XREADGROUP … >`) and handles them.
    async fn read(&mut self) -> Result<usize, Error> {
        let mut cmd = redis::cmd("XREADGROUP");
        cmd.arg("GROUP")
            .arg(&self.config.group)
            .arg(&self.config.consumer)
            .arg("COUNT")
            .arg(self.config.batch)
            .arg("BLOCK")
            .arg(self.config.block.as_millis() as u64)
            .arg("STREAMS")
            .arg(&self.keys);
        for _ in &self.keys {
            cmd.arg(">");
        }
        let reply: Option<StreamReadReply> = match cmd.query_async(&mut self.conn).await {
            Ok(reply) => reply,
            Err(error) => return Err(self.recover(error).await),
        };
        let mut done = 0;
        for stream in reply.map(|reply| reply.keys).unwrap_or_default() {
            for entry in stream.ids {
                self.handle(&stream.key, entry).await?;
                done += 1;
            }
        }
        self.confirm_acks().await?;
        Ok(done)
    }

    /// Turns a failed call into an error; a missing group (Redis restarted empty) is
    /// recreated and reported as transient so the caller retries.
    async fn recover(&mut self, error: redis::RedisError) -> Error {
        if error.code() == Some("NOGROUP") {
            tracing::warn!("consumer group missing (Redis restarted?); recreating it");
            if let Err(error) = self.ensure_groups().await {
                return error;
            }
            return Error::with_source(ErrorKind::StoreUnavailable, error);
        }
        store_error(error)
    }

    /// Runs the handlers for one entry and acknowledges it, or dead-letters it.
    async fn handle(&mut self, key: &str, entry: StreamId) -> Result<(), Error> {
        match entry::decode(&entry) {
            Ok(event) => {
                let mut panicked = false;
                for handler in self.handlers.iter() {
                    // A panicking handler (building its future or running it) must not end
                    // the worker: catch it, run the other handlers, leave the entry pending.
                    let future = std::panic::catch_unwind(AssertUnwindSafe(|| handler(&event)));
                    let finished = match future {
                        Ok(Some(future)) => AssertUnwindSafe(future).catch_unwind().await,
                        Ok(None) => Ok(()),
                        Err(payload) => Err(payload),
                    };
                    if let Err(payload) = finished {
                        panicked = true;
                        tracing::error!(
                            stream = %key,
                            id = %entry.id,
                            panic = panic_message(&*payload),
                            "event handler panicked; the entry will be retried"
                        );
                    }
                }
                if panicked {
                    return Ok(());
                }
                // Sent now, confirmed at the end of the batch: the multiplexed connection
                // pipelines the acknowledgements instead of waiting for each.
                let mut conn = self.conn.clone();
                let mut ack = redis::cmd("XACK");
                ack.arg(key).arg(&self.config.group).arg(&entry.id);
                self.acks
                    .push(tokio::spawn(async move { ack.exec_async(&mut conn).await }));
                Ok(())
            }
            Err(reason) => self.dead_letter(key, &entry, &reason).await,
        }
    }

    /// Waits for the acknowledgements sent so far. A failed one leaves its entry pending: it
    /// is claimed and handled again later (at least once, never lost).
    async fn confirm_acks(&mut self) -> Result<(), Error> {
        let mut result = Ok(());
        for ack in self.acks.drain(..) {
            match ack.await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => result = Err(store_error(error)),
                Err(join) => {
                    result = Err(Error::with_source(ErrorKind::StoreUnavailable, join));
                }
            }
        }
        result
    }

    /// Copies an unusable entry to the dead-letter stream and acknowledges it, atomically.
    async fn dead_letter(
        &mut self,
        key: &str,
        entry: &StreamId,
        reason: &str,
    ) -> Result<(), Error> {
        tracing::warn!(stream = %key, id = %entry.id, reason, "malformed stream entry; dead-lettered");
        let mut add = redis::cmd("XADD");
        add.arg(&self.dead_letter)
            .arg("MAXLEN")
            .arg("~")
            .arg(self.config.dead_letter_max_len)
            .arg("*")
            .arg("stream")
            .arg(key)
            .arg("id")
            .arg(&entry.id)
            .arg("reason")
            .arg(reason);
        let mut fields: Vec<&String> = entry.map.keys().collect();
        fields.sort_unstable();
        for field in fields {
            if let Some(value) = entry::bytes(entry, field) {
                add.arg(format!("field:{field}")).arg(value);
            }
        }
        redis::pipe()
            .atomic()
            .add_command(add)
            .ignore()
            .cmd("XACK")
            .arg(key)
            .arg(&self.config.group)
            .arg(&entry.id)
            .ignore()
            .exec_async(&mut self.conn)
            .await
            .map_err(store_error)
    }
}

/// The text of a panic payload (`panic!` with a message), or a placeholder.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(non-text panic payload)")
}
