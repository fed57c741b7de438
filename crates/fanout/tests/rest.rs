//! REST calls from worker handlers go through the limiter shared in Redis: two worker
//! processes answering a burst of events with REST calls to the Discord sandbox (real
//! sockets on 127.0.0.1) oversubscribe its global 50 per second and get 0 × 429.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use fanout::{EventGroup, Publisher, Worker, shared_limiter};
use redis_test_server::{RedisServer, max_in_any_window};
use sandbox::discord::{Discord, DiscordConfig};
use svc_gateway::event::MessageCreate;
use svc_gateway::rest::RestClient;

const PREFIX: &str = "r";

/// A MESSAGE_CREATE in channel `channel`.
fn message(id: u64, channel: u64) -> Vec<u8> {
    format!(
        r#"{{"t":"MESSAGE_CREATE","s":{id},"op":0,"d":{{"id":"{id}","channel_id":"{channel}","author":{{"id":"3","username":"ana"}},"content":"ping","timestamp":"2024-01-01T00:00:00+00:00"}}}}"#
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_calls_from_two_workers_share_the_global_limit_with_zero_429s() {
    let server = RedisServer::start();
    let discord = Discord::new(DiscordConfig::default());
    let control = discord.control();
    let sandbox = sandbox::Server::builder()
        .serve(discord)
        .await
        .expect("sandbox");
    let api = format!("{}/api/v10", sandbox.base_url());

    let calls = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for name in ["a", "b"] {
        // Each worker process has its own Redis connection and REST client.
        let conn = core_ratelimit::connect_redis(&server.url())
            .await
            .expect("redis");
        let rest = RestClient::builder(control.token())
            .base_url(&api)
            .limiter(shared_limiter(conn, PREFIX))
            .build()
            .expect("rest");
        let calls = Arc::clone(&calls);
        let worker = Worker::builder(server.url())
            .prefix(PREFIX)
            .group("bot")
            .consumer(name)
            .streams([EventGroup::Messages])
            .batch(4)
            .block(Duration::from_millis(50))
            .rest(rest)
            .on_rest::<MessageCreate>(move |message, rest| {
                let calls = Arc::clone(&calls);
                async move {
                    // The channels do not exist (404), but each call takes its slot in the
                    // route's bucket and the global limit all the same.
                    let _ = rest.channel(message.channel_id).await;
                    calls.fetch_add(1, Ordering::SeqCst);
                }
            })
            .connect()
            .await
            .expect("worker");
        // Several handler tasks per process: one worker per task, same consumer group.
        workers.push(tokio::spawn(worker.run()));
    }

    // 120 events over 30 channels: the buckets allow 150 per second, the global 50.
    let publisher = Publisher::connect(&server.url())
        .await
        .expect("redis")
        .prefix(PREFIX);
    let payloads: Vec<Vec<u8>> = (1..=120).map(|id| message(id, 100 + id % 30)).collect();
    publisher
        .publish_batch(payloads.iter().map(|raw| (0, raw.as_slice())))
        .await
        .expect("publish");
    tokio::time::timeout(Duration::from_secs(30), async {
        while calls.load(Ordering::SeqCst) < 120 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("every event answered");
    for worker in workers {
        worker.abort();
    }

    assert_eq!(control.rate_limited(), 0, "the sandbox served 0 × 429");
    let arrivals: Vec<SystemTime> = sandbox.log().snapshot().iter().map(|r| r.at).collect();
    assert_eq!(arrivals.len(), 120, "one request per event, none retried");
    assert!(max_in_any_window(&arrivals, Duration::from_secs(1)) <= 50);
}
