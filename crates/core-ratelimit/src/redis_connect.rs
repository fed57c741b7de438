//! Connecting to Redis, and telling "the store is down" apart from "the store said no"
//! (both are `core-redis`'s; this maps them onto the crate's error).

use std::time::Duration;

use core_redis::RedisFailure;
use redis::aio::ConnectionManager;

use crate::{Error, ErrorKind};

/// How long one reply may take before the call fails as [`ErrorKind::StoreUnavailable`]
/// (callers of `acquire` then back off and retry).
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(1);

/// Connects to the Redis server at `url` (`redis://host:port/db`) with a
/// [`ConnectionManager`] that reconnects on its own after the server restarts.
///
/// Timeouts are short (one second per attempt and per reply) and the manager gives up a
/// reconnect after two retries: the limiters above it do their own backoff and never treat a
/// failed call as a granted slot, so a short failure is cheaper than a stalled caller.
///
/// # Errors
///
/// [`ErrorKind::StoreUnavailable`] if the server cannot be reached now,
/// [`ErrorKind::StoreReply`] if `url` is not a valid Redis address.
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub async fn connect_redis(url: &str) -> Result<ConnectionManager, Error> {
    core_redis::connect(url, RESPONSE_TIMEOUT)
        .await
        .map_err(store_error)
}

/// A failed Redis call as this crate's error, the Redis error kept as its source.
pub(crate) fn store_error(source: redis::RedisError) -> Error {
    let kind = match core_redis::classify(&source) {
        RedisFailure::Unavailable => ErrorKind::StoreUnavailable,
        RedisFailure::Reply => ErrorKind::StoreReply,
    };
    Error::with_source(kind, source)
}
