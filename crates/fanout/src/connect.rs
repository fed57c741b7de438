//! Connecting to Redis with a connection manager that reconnects on its own
//! (`core-redis`'s, shared with the other Redis-backed crates).

use std::time::Duration;

use redis::aio::ConnectionManager;

use crate::Error;
use crate::error::store_error;

/// Connects to `url` (`redis://host:port/db`); replies may take up to `response_timeout`
/// (workers pass their blocking-read time plus a margin).
pub(crate) async fn connect(
    url: &str,
    response_timeout: Duration,
) -> Result<ConnectionManager, Error> {
    core_redis::connect(url, response_timeout)
        .await
        .map_err(store_error)
}
