//! The shared cache tier on a real Redis server: two "processes" (caches on separate
//! connections) see each other's entries, for exactly the TTL given.
//!
//! Redis keeps its own clock, so the expiry test waits a few hundred real milliseconds.
#![cfg(feature = "redis")]

use std::time::Duration;

use core_cache::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use core_cache::{ErrorKind, SharedCache};
use redis_test_server::RedisServer;

async fn process(server: &RedisServer) -> ConnectionManager {
    // Short timeouts and few reconnect retries, as a service would configure: a down Redis
    // must fail a call quickly, not stall it.
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Duration::from_millis(500))
        .set_response_timeout(Duration::from_millis(500))
        .set_number_of_retries(1);
    core_cache::redis::Client::open(server.url())
        .expect("url")
        .get_connection_manager_with_config(config)
        .await
        .expect("redis reachable")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn process_b_sees_process_a_entry_for_its_ttl() {
    let server = RedisServer::start();
    let a = SharedCache::builder(process(&server).await, "t:players", 1 << 20).build();
    let b = SharedCache::builder(process(&server).await, "t:players", 1 << 20).build();

    assert_eq!(b.get("#8YQ").await.expect("reachable"), None);
    a.insert("#8YQ", &b"{\"name\":\"x\"}"[..], Duration::from_millis(400))
        .await
        .expect("write");
    let body = b
        .get("#8YQ")
        .await
        .expect("reachable")
        .expect("shared entry");
    assert_eq!(&body[..], b"{\"name\":\"x\"}");
    // B now holds it locally, for the TTL Redis had left.
    b.local().run_pending_tasks().await;
    assert_eq!(b.local().entry_count(), 1);

    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        b.get("#8YQ").await.expect("reachable"),
        None,
        "expired in both tiers"
    );
    assert_eq!(a.get("#8YQ").await.expect("reachable"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalidation_reaches_redis_and_other_local_tiers_lag_at_most_the_cap() {
    let server = RedisServer::start();
    let a = SharedCache::builder(process(&server).await, "t:clans", 1 << 20).build();
    let b = SharedCache::builder(process(&server).await, "t:clans", 1 << 20)
        .local_max_ttl(Duration::from_millis(200))
        .build();
    a.insert("#2PP", &b"v1"[..], Duration::from_mins(1))
        .await
        .expect("write");
    assert!(b.get("#2PP").await.expect("reachable").is_some());

    a.invalidate("#2PP").await.expect("delete");
    assert_eq!(a.get("#2PP").await.expect("reachable"), None);
    // B's local copy may lag, but no longer than its cap.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(b.get("#2PP").await.expect("reachable"), None);

    // A zero TTL (max-age=0) removes the entry.
    a.insert("#2PP", &b"v2"[..], Duration::from_mins(1))
        .await
        .expect("write");
    a.insert("#2PP", &b"v3"[..], Duration::ZERO)
        .await
        .expect("write");
    assert_eq!(b.get("#2PP").await.expect("reachable"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_down_is_a_typed_error_and_local_hits_still_answer() {
    let mut server = RedisServer::start();
    let a = SharedCache::builder(process(&server).await, "t:down", 1 << 20).build();
    a.insert("hot", &b"body"[..], Duration::from_mins(1))
        .await
        .expect("write");
    server.stop();

    assert_eq!(
        &a.get("hot").await.expect("local hit").expect("present")[..],
        b"body"
    );
    let error = a.get("cold").await.expect_err("Redis is down");
    assert_eq!(*error.kind(), ErrorKind::StoreUnavailable);
    let error = a
        .insert("new", &b"x"[..], Duration::from_mins(1))
        .await
        .expect_err("Redis is down");
    assert_eq!(*error.kind(), ErrorKind::StoreUnavailable);
    assert!(
        a.get("new").await.expect("local hit").is_some(),
        "kept locally"
    );
}
