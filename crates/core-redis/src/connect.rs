//! Connecting with a connection manager that reconnects on its own.

use std::time::Duration;

use redis::RedisResult;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// How long one connection attempt may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Connects to the Redis server at `url` (`redis://host:port/db`) with a
/// [`ConnectionManager`] that reconnects on its own after the server restarts.
///
/// A connection attempt may take [`CONNECT_TIMEOUT`], a reply `response_timeout` (a caller
/// issuing blocking reads passes their blocking time plus a margin). The manager gives up a
/// reconnect after two retries: every caller does its own backoff and never treats a failed
/// call as success, so a short failure is cheaper than a stalled caller.
///
/// # Errors
///
/// The [`redis::RedisError`]: [`classify`](crate::classify) says
/// [`Unavailable`](crate::RedisFailure::Unavailable) if the server cannot be reached now,
/// [`Reply`](crate::RedisFailure::Reply) if `url` is not a valid Redis address.
pub async fn connect(url: &str, response_timeout: Duration) -> RedisResult<ConnectionManager> {
    let client = redis::Client::open(url).inspect_err(|_| {
        // The address itself is not logged: it may carry a password.
        tracing::warn!("invalid Redis address");
    })?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(CONNECT_TIMEOUT)
        .set_response_timeout(response_timeout)
        .set_number_of_retries(2)
        .set_max_delay(500);
    client.get_connection_manager_with_config(config).await
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[cfg(feature = "redis")]
    use redis_test_server::RedisServer;

    use super::connect;
    use crate::{RedisFailure, classify};

    #[tokio::test]
    async fn an_invalid_address_is_a_reply_failure() {
        let Err(error) = connect("http://not-redis", Duration::from_secs(1)).await else {
            panic!("not a redis URL, yet it connected");
        };
        assert_eq!(classify(&error), RedisFailure::Reply);
    }

    #[tokio::test]
    async fn a_closed_port_is_unavailable() {
        // Bind then drop: nothing listens on the port afterwards.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let url = format!("redis://127.0.0.1:{port}/");
        let Err(error) = connect(&url, Duration::from_secs(1)).await else {
            panic!("nothing listens on {url}, yet it connected");
        };
        assert_eq!(classify(&error), RedisFailure::Unavailable);
    }

    #[cfg(feature = "redis")]
    #[tokio::test]
    async fn a_real_wrongtype_reply_is_a_reply_failure() {
        let server = RedisServer::start();
        let mut conn = connect(&server.url(), Duration::from_secs(1))
            .await
            .expect("redis is up");
        redis::cmd("SET")
            .arg("k")
            .arg("v")
            .exec_async(&mut conn)
            .await
            .expect("SET");
        let error = redis::cmd("LPUSH")
            .arg("k")
            .arg("x")
            .exec_async(&mut conn)
            .await
            .expect_err("a string is not a list");
        assert_eq!(error.code(), Some("WRONGTYPE"));
        assert_eq!(classify(&error), RedisFailure::Reply);
    }
}
