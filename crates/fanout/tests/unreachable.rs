//! Without a Redis server: connecting is a typed error, for the publisher and the worker.

use fanout::{ErrorKind, Publisher, Worker};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_redis_is_a_typed_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("port")
        .port();
    let url = format!("redis://127.0.0.1:{port}/");
    let error = Publisher::connect(&url).await.expect_err("nothing listens");
    assert_eq!(error.kind(), &ErrorKind::StoreUnavailable);
    let error = Worker::builder(url)
        .connect()
        .await
        .expect_err("nothing listens");
    assert_eq!(error.kind(), &ErrorKind::StoreUnavailable);
}
