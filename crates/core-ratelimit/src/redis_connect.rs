//! Connecting to Redis, and telling "the store is down" apart from "the store said no".

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::{Error, ErrorKind};

/// How long one connection attempt or one reply may take before the call fails as
/// [`ErrorKind::StoreUnavailable`] (callers of `acquire` then back off and retry).
const IO_TIMEOUT: Duration = Duration::from_secs(1);

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
pub async fn connect_redis(url: &str) -> Result<ConnectionManager, Error> {
    let client = redis::Client::open(url).map_err(|source| {
        tracing::warn!("invalid Redis address");
        Error::new(ErrorKind::StoreReply, Some(Box::new(source)))
    })?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(IO_TIMEOUT)
        .set_response_timeout(IO_TIMEOUT)
        .set_number_of_retries(2)
        .set_max_delay(500);
    client
        .get_connection_manager_with_config(config)
        .await
        .map_err(store_error)
}

/// Classifies a Redis error: transport trouble (retry later) or a reply we cannot use.
pub(crate) fn store_error(source: redis::RedisError) -> Error {
    let unavailable = source.is_io_error()
        || source.is_connection_refusal()
        || source.is_connection_dropped()
        || source.is_timeout()
        || source.is_unrecoverable_error()
        || matches!(
            source.code(),
            Some("LOADING" | "BUSY" | "MASTERDOWN" | "TRYAGAIN" | "CLUSTERDOWN")
        );
    let kind = if unavailable {
        ErrorKind::StoreUnavailable
    } else {
        ErrorKind::StoreReply
    };
    Error::new(kind, Some(Box::new(source)))
}
