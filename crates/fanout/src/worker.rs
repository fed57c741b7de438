//! The worker side: consumer-group reads, handlers, acknowledgements, claims, dead letters.

use std::collections::HashMap;
use std::future::{Future, pending};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use core_ratelimit::Backoff;
use futures_util::FutureExt;
use redis::aio::ConnectionManager;
use redis::streams::{StreamAutoClaimReply, StreamId, StreamPendingCountReply, StreamReadReply};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::entry;
use crate::error::store_error;
use crate::group::dead_letter_key;
use crate::handler::{Handler, HandlerError};
use crate::progress::{self, Finished};
use crate::publisher::{FIELD_DATA, FIELD_SHARD};
use crate::{Error, ErrorKind, EventGroup, WorkerBuilder};

/// How a worker waits between attempts while Redis is unavailable: from 100 ms, doubling
/// up to 5 s, jittered so workers that lost Redis together do not return together.
fn redis_backoff() -> Backoff {
    Backoff::new()
        .initial_delay(Duration::from_millis(100))
        .max_delay(Duration::from_secs(5))
        .jitter(0.5)
}

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
/// A packed entry ([`crate::Publisher::publish_packed`]) is handled event by event: every
/// handler runs once per event, a failure leaves the entry pending but only the failed
/// (event, handler) pairs run on redelivery, and an event that cannot be decoded is copied
/// alone to the dead-letter stream (with its `index` in the pack) while the others go on.
///
/// A handler that returns `Err` or panics does not take the worker down: the failure is
/// logged, the other handlers still run, and the entry stays unacknowledged, so it is
/// claimed and delivered again after [`WorkerBuilder::min_idle`]. The handlers that did
/// finish are recorded with the entry (see the crate docs), so on redelivery only the
/// failed ones run again. An entry delivered more than [`WorkerBuilder::max_deliveries`]
/// times (a poison message that keeps failing handlers or crashing workers) is
/// dead-lettered and acknowledged instead of being retried forever.
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
        let mut backoff = redis_backoff();
        loop {
            let step = tokio::select! {
                biased;
                () = &mut shutdown => return Ok(()),
                step = self.step() => step,
            };
            match step {
                Ok(_) => backoff.reset(),
                Err(error) if *error.kind() == ErrorKind::StoreUnavailable => {
                    // Unlimited attempts: `next_delay` always has one.
                    let delay = backoff.next_delay().unwrap_or(Duration::from_secs(5));
                    tracing::warn!(?delay, %error, "Redis unavailable; retrying");
                    tokio::select! {
                        biased;
                        () = &mut shutdown => return Ok(()),
                        () = tokio::time::sleep(delay) => {}
                    }
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
                    self.forget(&key, &reply.deleted_ids).await?;
                }
                if !reply.claimed.is_empty() {
                    tracing::info!(stream = %key, count = reply.claimed.len(), "claimed idle entries");
                }
                let deliveries = self.deliveries(&key, &reply.claimed).await?;
                let mut finished = self.finished(&key, &reply.claimed).await?;
                for entry in reply.claimed {
                    let delivered = deliveries.get(&entry.id).copied().unwrap_or(0);
                    let finished = finished.remove(&entry.id).unwrap_or_default();
                    if delivered > self.config.max_deliveries {
                        let reason = format!(
                            "poison: delivered {delivered} times without being acknowledged"
                        );
                        self.dead_letter(&key, &entry, &reason).await?;
                    } else {
                        self.handle(&key, entry, finished).await?;
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

    /// Which handlers already finished each of `claimed` (one `HMGET`).
    async fn finished(
        &mut self,
        key: &str,
        claimed: &[StreamId],
    ) -> Result<HashMap<String, Finished>, Error> {
        if claimed.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<&str> = claimed.iter().map(|entry| entry.id.as_str()).collect();
        let records: Vec<Option<String>> = match redis::cmd("HMGET")
            .arg(progress::key(key, &self.config.group))
            .arg(&ids)
            .query_async(&mut self.conn)
            .await
        {
            Ok(records) => records,
            Err(error) => return Err(self.recover(error).await),
        };
        Ok(ids
            .into_iter()
            .zip(records)
            .filter(|(_, record)| record.is_some())
            .map(|(id, record)| (id.to_owned(), Finished::parse(record.as_deref())))
            .collect())
    }

    /// Drops the handler records of entries that no longer exist.
    async fn forget(&mut self, key: &str, ids: &[String]) -> Result<(), Error> {
        redis::cmd("HDEL")
            .arg(progress::key(key, &self.config.group))
            .arg(ids)
            .exec_async(&mut self.conn)
            .await
            .map_err(store_error)
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
                // New entries: no handler has seen them yet.
                self.handle(&stream.key, entry, Finished::default()).await?;
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

    /// Runs the handlers that have not finished this entry yet, then acknowledges it; if
    /// one failed or panicked, records which finished and leaves the entry pending.
    /// Undecodable entries are dead-lettered.
    async fn handle(
        &mut self,
        key: &str,
        entry: StreamId,
        mut finished: Finished,
    ) -> Result<(), Error> {
        let recorded = !finished.is_empty();
        let mut failed = false;
        match entry::packed(&entry) {
            Err(error) => return self.dead_letter(key, &entry, &error.reason()).await,
            Ok(None) => {
                let event = match entry::decode(&entry) {
                    Ok(event) => event,
                    Err(error) => return self.dead_letter(key, &entry, &error.reason()).await,
                };
                failed = self
                    .run_handlers(key, &entry.id, &event, 0, &mut finished)
                    .await;
            }
            // A packed entry: handler `h` of event `i` is recorded as `i × handlers + h`,
            // so a plain entry's record is the same as its only event's.
            Ok(Some(events)) => {
                let handlers = self.handlers.len();
                for (index, (shard_id, data)) in events.into_iter().enumerate() {
                    let first = index * handlers;
                    if (first..first + handlers).all(|done| finished.contains(done)) {
                        continue;
                    }
                    match entry::decode_packed(shard_id, data) {
                        Ok(event) => {
                            failed |= self
                                .run_handlers(key, &entry.id, &event, first, &mut finished)
                                .await;
                        }
                        Err(error) => {
                            self.dead_letter_event(
                                key,
                                &entry.id,
                                index,
                                (shard_id, data),
                                &error.reason(),
                            )
                            .await?;
                            for done in first..first + handlers {
                                finished.insert(done);
                            }
                        }
                    }
                }
            }
        }
        if failed {
            let records = progress::key(key, &self.config.group);
            if !finished.is_empty() {
                // Without the record a redelivery runs every handler again; that is still
                // at least once, so a failed write is logged, not fatal.
                let written: redis::RedisResult<()> = redis::cmd("HSET")
                    .arg(&records)
                    .arg(&entry.id)
                    .arg(finished.to_record())
                    .exec_async(&mut self.conn)
                    .await;
                if let Err(error) = written {
                    tracing::warn!(%error, id = %entry.id, "could not record finished handlers");
                }
            }
            return Ok(());
        }
        // Sent now, confirmed at the end of the batch: the multiplexed connection
        // pipelines the acknowledgements instead of waiting for each, and an entry whose
        // handlers finished is acknowledged even if a later one of the batch never ends.
        // A pack ([`crate::Publisher::publish_packed`]) needs one for all its events.
        let mut conn = self.conn.clone();
        let mut ack = redis::pipe();
        ack.atomic()
            .cmd("XACK")
            .arg(key)
            .arg(&self.config.group)
            .arg(&entry.id)
            .ignore();
        if recorded {
            ack.cmd("HDEL")
                .arg(progress::key(key, &self.config.group))
                .arg(&entry.id)
                .ignore();
        }
        self.acks
            .push(tokio::spawn(async move { ack.exec_async(&mut conn).await }));
        Ok(())
    }

    /// Runs the handlers that have not finished `event` (recorded from index `first` on);
    /// whether one failed.
    async fn run_handlers(
        &self,
        key: &str,
        id: &str,
        event: &svc_gateway::event::ShardEvent,
        first: usize,
        finished: &mut Finished,
    ) -> bool {
        let mut failed = false;
        for (index, handler) in self.handlers.iter().enumerate() {
            if finished.contains(first + index) {
                continue;
            }
            match run(handler, event).await {
                Ok(()) => finished.insert(first + index),
                Err(failure) => {
                    failed = true;
                    tracing::error!(
                        stream = %key,
                        id,
                        handler = index,
                        %failure,
                        "event handler failed; the entry will be delivered again"
                    );
                }
            }
        }
        failed
    }

    /// The start of an `XADD` to the dead-letter stream: where the entry came from and why;
    /// the caller adds what it copies.
    fn dead_letter_add(&self, key: &str, id: &str, reason: &str) -> redis::Cmd {
        let mut add = redis::cmd("XADD");
        add.arg(&self.dead_letter)
            .arg("MAXLEN")
            .arg("~")
            .arg(self.config.dead_letter_max_len)
            .arg("*")
            .arg("stream")
            .arg(key)
            .arg("id")
            .arg(id)
            .arg("reason")
            .arg(reason);
        add
    }

    /// Copies event `index` of a packed entry, which cannot be decoded, to the dead-letter
    /// stream; the entry's other events go on.
    async fn dead_letter_event(
        &self,
        key: &str,
        id: &str,
        index: usize,
        (shard_id, data): (u32, &[u8]),
        reason: &str,
    ) -> Result<(), Error> {
        tracing::warn!(stream = %key, id, index, reason, "malformed event in a packed entry; dead-lettered");
        let mut add = self.dead_letter_add(key, id, reason);
        add.arg("index")
            .arg(index)
            .arg(format!("field:{FIELD_SHARD}"))
            .arg(shard_id)
            .arg(format!("field:{FIELD_DATA}"))
            .arg(data);
        let mut conn = self.conn.clone();
        add.exec_async(&mut conn).await.map_err(store_error)
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
        let mut add = self.dead_letter_add(key, &entry.id, reason);
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
            .cmd("HDEL")
            .arg(progress::key(key, &self.config.group))
            .arg(&entry.id)
            .ignore()
            .exec_async(&mut self.conn)
            .await
            .map_err(store_error)
    }
}

/// Runs one handler on `event`: its outcome, with a panic (building its future or
/// running it) caught and turned into an error so the worker and the other handlers go on.
/// A handler for another event type counts as finished.
async fn run(
    handler: &Handler,
    event: &svc_gateway::event::ShardEvent,
) -> Result<(), HandlerError> {
    let future = match std::panic::catch_unwind(AssertUnwindSafe(|| handler(event))) {
        Ok(Some(future)) => future,
        Ok(None) => return Ok(()),
        Err(payload) => return Err(panicked(&*payload)),
    };
    match AssertUnwindSafe(future).catch_unwind().await {
        Ok(outcome) => outcome,
        Err(payload) => Err(panicked(&*payload)),
    }
}

fn panicked(payload: &(dyn std::any::Any + Send)) -> HandlerError {
    format!("panicked: {}", panic_message(payload)).into()
}

/// The text of a panic payload (`panic!` with a message), or a placeholder.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(non-text panic payload)")
}
