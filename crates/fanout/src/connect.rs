//! Connecting to Redis with a connection manager that reconnects on its own.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::Error;
use crate::ErrorKind;
use crate::error::store_error;

/// How long one connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Connects to `url` (`redis://host:port/db`); replies may take up to `response_timeout`
/// (workers pass their blocking-read time plus a margin).
pub(crate) async fn connect(
    url: &str,
    response_timeout: Duration,
) -> Result<ConnectionManager, Error> {
    let client = redis::Client::open(url).map_err(|source| {
        tracing::warn!("invalid Redis address");
        Error::new(ErrorKind::StoreReply, Some(Box::new(source)))
    })?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(CONNECT_TIMEOUT)
        .set_response_timeout(response_timeout)
        .set_number_of_retries(2)
        .set_max_delay(500);
    client
        .get_connection_manager_with_config(config)
        .await
        .map_err(store_error)
}
