//! The gateway side: raw dispatch bytes into one capped stream per event group.

use std::time::Duration;

use redis::aio::ConnectionManager;
use svc_gateway::event::Envelope;

use crate::error::store_error;
use crate::{Error, ErrorKind, EventGroup};

/// The default key prefix (`switchboard:events:{group}`).
pub const DEFAULT_PREFIX: &str = "switchboard";

/// The default approximate length cap of each stream (`XADD MAXLEN ~`).
pub const DEFAULT_MAX_LEN: usize = 100_000;

/// Stream entry field holding the shard id (decimal).
pub(crate) const FIELD_SHARD: &str = "shard";
/// Stream entry field holding the payload bytes, exactly as received.
pub(crate) const FIELD_DATA: &str = "data";

/// Publishes gateway dispatches to Redis Streams.
///
/// Each payload is routed by its [`Envelope`] (`t` → [`EventGroup`] → stream) and stored as
/// the bytes the gateway received, never re-encoded, next to the shard id. Streams are capped
/// with `XADD MAXLEN ~`. Non-dispatch payloads (hello, heartbeat ACKs…) are not published.
///
/// Cloning is cheap: clones share the connection.
#[derive(Clone)]
pub struct Publisher {
    conn: ConnectionManager,
    prefix: String,
    max_len: usize,
}

impl std::fmt::Debug for Publisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Publisher")
            .field("prefix", &self.prefix)
            .field("max_len", &self.max_len)
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
        }
    }

    /// Sets the key prefix (workers must use the same one).
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Sets the approximate length cap of each stream.
    #[must_use]
    pub fn max_len(mut self, max_len: usize) -> Self {
        self.max_len = max_len;
        self
    }

    /// Publishes one payload received by shard `shard_id`.
    ///
    /// Returns the group it went to, or `None` if it is not a dispatch (nothing published).
    /// A payload without a readable envelope is [`ErrorKind::Malformed`]; Redis trouble is
    /// [`ErrorKind::StoreUnavailable`] (retry later) or [`ErrorKind::StoreReply`].
    pub async fn publish(&self, shard_id: u32, raw: &[u8]) -> Result<Option<EventGroup>, Error> {
        let mut pipe = redis::pipe();
        let group = self.add(&mut pipe, shard_id, raw)?;
        if group.is_some() {
            let mut conn = self.conn.clone();
            pipe.exec_async(&mut conn).await.map_err(store_error)?;
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
        for (shard_id, raw) in payloads {
            if matches!(self.add(&mut pipe, shard_id, raw), Ok(Some(_))) {
                published += 1;
            }
        }
        if published > 0 {
            let mut conn = self.conn.clone();
            pipe.exec_async(&mut conn).await.map_err(store_error)?;
        }
        Ok(published)
    }

    /// Queues the `XADD` for one payload on `pipe`.
    fn add(
        &self,
        pipe: &mut redis::Pipeline,
        shard_id: u32,
        raw: &[u8],
    ) -> Result<Option<EventGroup>, Error> {
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
        let group = EventGroup::of(name);
        pipe.cmd("XADD")
            .arg(group.stream_key(&self.prefix))
            .arg("MAXLEN")
            .arg("~")
            .arg(self.max_len)
            .arg("*")
            .arg(FIELD_SHARD)
            .arg(shard_id)
            .arg(FIELD_DATA)
            .arg(raw)
            .ignore();
        Ok(Some(group))
    }
}
