//! [`RawDispatch`]: a dispatch exactly as the gateway sent it, for processes that forward
//! payloads (to Redis Streams, a queue, another service) without re-encoding them.

use bytes::Bytes;
use core_events::EventHub;

/// One dispatch as received: the payload's bytes after transport decompression and before
/// decoding, in the shard's delivery order, after duplicate removal (a replayed sequence
/// number is dropped here exactly as it is from the typed events). Dispatches whose data
/// did not decode are published here too.
///
/// With [`GatewayEncoding::Json`](super::GatewayEncoding::Json) (the default) `payload` is the
/// JSON text of the whole payload (`op`, `d`, `s`, `t`), ready for
/// [`Envelope::from_slice`](crate::Envelope::from_slice); with `encoding=etf` it is the ETF term.
///
/// Enable with [`ShardConfigBuilder::raw_dispatches`](super::ShardConfigBuilder::raw_dispatches).
/// Each dispatch costs one copy of its bytes (the typed decode unescapes in place).
#[derive(Debug, Clone)]
pub struct RawDispatch {
    /// The shard that received it.
    pub shard_id: u32,
    /// The sequence number.
    pub seq: u64,
    /// The event name (`t`).
    pub name: String,
    /// The payload as the gateway sent it.
    pub payload: Bytes,
}

/// Where a shard publishes raw dispatches, when asked to.
pub(crate) type RawHub = EventHub<RawDispatch>;
