//! What the Redis-backed fan-out tests share: a gateway payload, a raw connection to look
//! at the streams, and a publisher with a test's key prefix.

use fanout::Publisher;
use redis::aio::ConnectionManager;
use redis_test_server::RedisServer;

/// A MESSAGE_CREATE dispatch whose sequence and message id are `id`.
pub(crate) fn message(id: u64) -> Vec<u8> {
    format!(
        r#"{{"t":"MESSAGE_CREATE","s":{id},"op":0,"d":{{"id":"{id}","channel_id":"2","author":{{"id":"3","username":"ana"}},"content":"ping","timestamp":"2024-01-01T00:00:00+00:00"}}}}"#
    )
    .into_bytes()
}

/// A plain connection, for reading streams and groups behind fanout's back.
pub(crate) async fn raw_conn(server: &RedisServer) -> ConnectionManager {
    redis::Client::open(server.url())
        .expect("url")
        .get_connection_manager()
        .await
        .expect("redis")
}

/// A publisher whose keys start with `prefix`.
pub(crate) async fn publisher(server: &RedisServer, prefix: &str) -> Publisher {
    Publisher::connect(&server.url())
        .await
        .expect("redis")
        .prefix(prefix)
}
