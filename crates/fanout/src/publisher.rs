//! The gateway side: raw dispatch bytes into one stream per event group, trimmed by what
//! the consumer groups have processed.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use parking_lot::Mutex;
use redis::Script;
use redis::aio::ConnectionManager;
use svc_gateway::event::Envelope;
use tokio::time::Instant;

use crate::error::store_error;
use crate::{Error, ErrorKind, EventGroup};

/// The default key prefix (`switchboard:events:{group}`).
pub const DEFAULT_PREFIX: &str = "switchboard";

/// The default length cap of each stream: the safety valve that bounds Redis memory when a
/// consumer group stops consuming (see [`Publisher::max_len`]).
pub const DEFAULT_MAX_LEN: usize = 100_000;

/// How often, by default, the publisher trims a stream it publishes to.
pub const DEFAULT_TRIM_INTERVAL: Duration = Duration::from_secs(1);

/// Stream entry field holding the shard id (decimal).
pub(crate) const FIELD_SHARD: &str = "shard";
/// Stream entry field holding the payload bytes, exactly as received.
pub(crate) const FIELD_DATA: &str = "data";
/// Field of a packed entry ([`Publisher::publish_packed`]): how many events it carries.
/// Its other fields are `shards` and `lengths` (one decimal per event, comma-separated)
/// and `data` (the payloads one after the other): four values for a whole batch, where
/// an entry per field pair would make Redis and its client parse two per event.
pub(crate) const FIELD_EVENTS: &str = "events";
/// Packed entry field: each event's shard id.
pub(crate) const FIELD_SHARDS: &str = "shards";
/// Packed entry field: each event's payload length in bytes.
pub(crate) const FIELD_LENGTHS: &str = "lengths";

/// Trims one stream to what its groups still need, then to the cap (`lua/trim.lua`).
static TRIM: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("lua/trim.lua")));

/// Publishes gateway dispatches to Redis Streams.
///
/// Each payload is routed by its [`Envelope`] (`t` → [`EventGroup`] → stream) and stored as
/// the bytes the gateway received, never re-encoded, next to the shard id. Non-dispatch
/// payloads (hello, heartbeat ACKs…) are not published.
///
/// Streams are trimmed by what the consumer groups have processed, never by length alone:
/// at most once per [`trim_interval`](Self::trim_interval) per stream, an atomic script
/// removes the entries older than the oldest one any group still needs (its oldest pending
/// entry, or the first it has not read). A slow group therefore loses nothing while a fast
/// one runs far ahead. Only past [`max_len`](Self::max_len), the safety valve for a group
/// that stopped consuming, are entries dropped that a group may not have processed; each
/// such drop is logged as a warning and counted ([`dropped_unprocessed`](Self::dropped_unprocessed)).
/// While a stream has no consumer group, only the cap applies.
///
/// Cloning is cheap: clones share the connection, the trim schedule and the counter.
#[derive(Clone)]
pub struct Publisher {
    conn: ConnectionManager,
    prefix: String,
    max_len: usize,
    trim_interval: Duration,
    /// When each stream was last trimmed.
    trimmed: Arc<Mutex<HashMap<EventGroup, Instant>>>,
    dropped: Arc<AtomicU64>,
}

impl std::fmt::Debug for Publisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Publisher")
            .field("prefix", &self.prefix)
            .field("max_len", &self.max_len)
            .field("trim_interval", &self.trim_interval)
            .finish_non_exhaustive()
    }
}

impl Publisher {
    /// Connects to the Redis server at `url` with the default prefix and cap.
    pub async fn connect(url: &str) -> Result<Self, Error> {
        let conn = crate::connect::connect(url, Duration::from_secs(1)).await?;
        Ok(Self::new(conn))
    }

    /// Publishes through an existing connection.
    pub fn new(conn: ConnectionManager) -> Self {
        Self {
            conn,
            prefix: DEFAULT_PREFIX.to_owned(),
            max_len: DEFAULT_MAX_LEN,
            trim_interval: DEFAULT_TRIM_INTERVAL,
            trimmed: Arc::default(),
            dropped: Arc::default(),
        }
    }

    /// Sets the key prefix (workers must use the same one).
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Sets the length cap of each stream (default [`DEFAULT_MAX_LEN`]; 0 for none): the
    /// safety valve for a consumer group that stopped consuming. Past it the oldest entries
    /// are dropped even if a group has not processed them, with a warning, and counted in
    /// [`dropped_unprocessed`](Self::dropped_unprocessed). Size it for the longest backlog
    /// a group may build up (an outage of its workers), within Redis's memory.
    #[must_use]
    pub fn max_len(mut self, max_len: usize) -> Self {
        self.max_len = max_len;
        self
    }

    /// Sets how often a stream is trimmed after a publish to it (default
    /// [`DEFAULT_TRIM_INTERVAL`]; zero trims after every publish).
    #[must_use]
    pub fn trim_interval(mut self, interval: Duration) -> Self {
        self.trim_interval = interval;
        self
    }

    /// Entries dropped by the length cap ([`max_len`](Self::max_len)) that a consumer
    /// group may not have processed, since this publisher (or a clone) was created.
    pub fn dropped_unprocessed(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Trims every group's stream now: entries all consumer groups have processed go, then
    /// whatever exceeds the length cap. Publishing does this on its own every
    /// [`trim_interval`](Self::trim_interval).
    pub async fn trim(&self) -> Result<(), Error> {
        for group in EventGroup::ALL {
            self.trim_stream(group).await?;
        }
        Ok(())
    }

    /// Trims the streams among `groups` whose trim is due. A failed trim is logged and
    /// left for the next publish: the entries are already stored.
    async fn trim_due(&self, groups: impl IntoIterator<Item = EventGroup>) {
        for group in groups {
            if !self.trim_is_due(group) {
                continue;
            }
            if let Err(error) = self.trim_stream(group).await {
                tracing::warn!(%error, stream = %group, "trimming the stream failed; retried later");
            }
        }
    }

    fn trim_is_due(&self, group: EventGroup) -> bool {
        let now = Instant::now();
        let mut trimmed = self.trimmed.lock();
        match trimmed.get(&group) {
            Some(last) if now.duration_since(*last) < self.trim_interval => false,
            _ => {
                trimmed.insert(group, now);
                true
            }
        }
    }

    async fn trim_stream(&self, group: EventGroup) -> Result<(), Error> {
        let key = group.stream_key(&self.prefix);
        let mut conn = self.conn.clone();
        let (processed, over_cap): (u64, u64) = TRIM
            .key(&key)
            .arg(self.max_len)
            .invoke_async(&mut conn)
            .await
            .map_err(store_error)?;
        tracing::trace!(stream = %key, processed, "trimmed entries every group processed");
        if over_cap > 0 {
            self.dropped.fetch_add(over_cap, Ordering::Relaxed);
            tracing::warn!(
                stream = %key,
                dropped = over_cap,
                max_len = self.max_len,
                "stream over its length cap: dropped entries a consumer group may not have processed"
            );
        }
        Ok(())
    }

    /// Publishes one payload received by shard `shard_id`.
    ///
    /// Returns the group it went to, or `None` if it is not a dispatch (nothing published).
    /// A payload without a readable envelope is [`ErrorKind::Malformed`]; Redis trouble is
    /// [`ErrorKind::StoreUnavailable`] (retry later) or [`ErrorKind::StoreReply`].
    pub async fn publish(&self, shard_id: u32, raw: &[u8]) -> Result<Option<EventGroup>, Error> {
        let mut pipe = redis::pipe();
        let group = self.add(&mut pipe, shard_id, raw)?;
        if let Some(group) = group {
            let mut conn = self.conn.clone();
            pipe.exec_async(&mut conn).await.map_err(store_error)?;
            self.trim_due([group]).await;
        }
        Ok(group)
    }

    /// Publishes many payloads in one round trip, returning how many were dispatches.
    ///
    /// Malformed payloads are logged and skipped; the rest are still published.
    pub async fn publish_batch<'a, I>(&self, payloads: I) -> Result<usize, Error>
    where
        I: IntoIterator<Item = (u32, &'a [u8])>,
    {
        let mut pipe = redis::pipe();
        let mut published = 0;
        let mut groups = Vec::new();
        for (shard_id, raw) in payloads {
            if let Ok(Some(group)) = self.add(&mut pipe, shard_id, raw) {
                published += 1;
                if !groups.contains(&group) {
                    groups.push(group);
                }
            }
        }
        if published > 0 {
            let mut conn = self.conn.clone();
            pipe.exec_async(&mut conn).await.map_err(store_error)?;
            self.trim_due(groups).await;
        }
        Ok(published)
    }

    /// Publishes many payloads in one round trip, packed: one stream entry per event group
    /// holding all of this batch's dispatches of that group, in order. Returns how many
    /// were dispatches; malformed payloads are logged and skipped.
    ///
    /// Workers handle each event of a packed entry as if it had its own: every handler
    /// runs once per event, a failed handler makes only its event run again (the entry
    /// stays pending until all of them finished), an undecodable event is dead-lettered
    /// alone. What is shared is Redis's bookkeeping, which is most of the cost of a small
    /// event: one `XADD`, one pending entry and one acknowledgement per pack instead of
    /// per event. The price: one consumer handles the whole pack (choose packs well
    /// below the events per second a worker handles), [`max_len`](Self::max_len) counts
    /// packs, and a pack that stays poison past [`WorkerBuilder::max_deliveries`](crate::WorkerBuilder::max_deliveries)
    /// is dead-lettered whole.
    pub async fn publish_packed<'a, I>(&self, payloads: I) -> Result<usize, Error>
    where
        I: IntoIterator<Item = (u32, &'a [u8])>,
    {
        // Per group, its events in order.
        type Pack<'a> = (EventGroup, Vec<(u32, &'a [u8])>);
        let mut packs: Vec<Pack<'a>> = Vec::new();
        for (shard_id, raw) in payloads {
            let Ok(Some(group)) = route(shard_id, raw) else {
                continue;
            };
            match packs.iter_mut().find(|(g, _)| *g == group) {
                Some((_, events)) => events.push((shard_id, raw)),
                None => packs.push((group, vec![(shard_id, raw)])),
            }
        }
        if packs.is_empty() {
            return Ok(0);
        }
        let mut pipe = redis::pipe();
        let mut published = 0;
        for (group, events) in &packs {
            let mut shards = String::with_capacity(events.len() * 2);
            let mut lengths = String::with_capacity(events.len() * 4);
            let mut data = Vec::with_capacity(events.iter().map(|(_, raw)| raw.len()).sum());
            for (index, (shard_id, raw)) in events.iter().enumerate() {
                if index > 0 {
                    shards.push(',');
                    lengths.push(',');
                }
                let _ = write!(shards, "{shard_id}");
                let _ = write!(lengths, "{}", raw.len());
                data.extend_from_slice(raw);
            }
            pipe.cmd("XADD")
                .arg(group.stream_key(&self.prefix))
                .arg("*")
                .arg(FIELD_EVENTS)
                .arg(events.len())
                .arg(FIELD_SHARDS)
                .arg(shards)
                .arg(FIELD_LENGTHS)
                .arg(lengths)
                .arg(FIELD_DATA)
                .arg(data)
                .ignore();
            published += events.len();
        }
        let mut conn = self.conn.clone();
        pipe.exec_async(&mut conn).await.map_err(store_error)?;
        self.trim_due(packs.iter().map(|(group, _)| *group)).await;
        Ok(published)
    }

    /// Queues the `XADD` for one payload on `pipe`.
    fn add(
        &self,
        pipe: &mut redis::Pipeline,
        shard_id: u32,
        raw: &[u8],
    ) -> Result<Option<EventGroup>, Error> {
        let Some(group) = route(shard_id, raw)? else {
            return Ok(None);
        };
        // No MAXLEN here: trimming by length alone would drop entries a slow group has
        // not read. `trim_due` trims by the groups' positions instead.
        pipe.cmd("XADD")
            .arg(group.stream_key(&self.prefix))
            .arg("*")
            .arg(FIELD_SHARD)
            .arg(shard_id)
            .arg(FIELD_DATA)
            .arg(raw)
            .ignore();
        Ok(Some(group))
    }
}

/// The group a payload goes to, `None` if it is not a dispatch.
fn route(shard_id: u32, raw: &[u8]) -> Result<Option<EventGroup>, Error> {
    let envelope = Envelope::from_slice(raw).map_err(|source| {
        tracing::warn!(
            shard_id,
            len = raw.len(),
            "not publishing a malformed payload"
        );
        Error::with_source(ErrorKind::Malformed, source)
    })?;
    let Some(name) = envelope
        .t
        .as_deref()
        .filter(|_| envelope.op == svc_gateway::event::opcode::DISPATCH)
    else {
        return Ok(None);
    };
    Ok(Some(EventGroup::of(name)))
}
