//! Batches on a real Redis server: many events through a group of 4 workers reading and
//! acknowledging in batches, exactly once, as an entry per event and packed; a failure
//! inside a batch holds back only its own entry, inside a pack only its own event; an
//! undecodable event of a pack is dead-lettered alone; concurrent single publishes are each
//! confirmed, none lost when the publisher goes.
//!
//! No assertion depends on how long anything took: waits are bounded only so that a
//! broken build fails instead of hanging.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fanout::{EventGroup, Publisher, Worker, dead_letter_key};
use redis::aio::ConnectionManager;
use redis::streams::StreamRangeReply;
use redis_test_server::RedisServer;
use support::{message, raw_conn};
use svc_gateway::event::MessageCreate;

mod support;

const PREFIX: &str = "b";

async fn publisher(server: &RedisServer) -> Publisher {
    support::publisher(server, PREFIX).await.max_len(0)
}

/// Entries read by group `bot` on the messages stream and not acknowledged.
async fn pending(conn: &mut ConnectionManager) -> usize {
    let reply: (usize, redis::Value, redis::Value, redis::Value) = redis::cmd("XPENDING")
        .arg(EventGroup::Messages.stream_key(PREFIX))
        .arg("bot")
        .query_async(conn)
        .await
        .expect("xpending");
    reply.0
}

/// Polls `done` until it holds, failing after 20 s (a hang, not a measure).
async fn until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    tokio::time::timeout(Duration::from_secs(20), async {
        while !done().await {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("timed out waiting for {what}"));
}

/// How many times each message id 1..=`count` was seen.
fn counts(seen: &Mutex<Vec<u64>>, count: u64) -> Vec<usize> {
    let mut counts = vec![0; count as usize + 1];
    for &id in seen.lock().unwrap().iter() {
        counts[id as usize] += 1;
    }
    counts
}

/// A worker of group `bot` reading 256 entries at a time, recording message ids.
fn worker(server: &RedisServer, name: &str, seen: &Arc<Mutex<Vec<u64>>>) -> fanout::WorkerBuilder {
    let seen = Arc::clone(seen);
    Worker::builder(server.url())
        .prefix(PREFIX)
        .group("bot")
        .consumer(name)
        .streams([EventGroup::Messages])
        .batch(256)
        .block(Duration::from_millis(50))
        .on::<MessageCreate>(move |message| {
            seen.lock().unwrap().push(message.id.get());
            async {}
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_workers_handle_20000_batched_events_exactly_once() {
    const EVENTS: u64 = 20_000;
    let server = RedisServer::start();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut workers = Vec::new();
    for name in ["a", "b", "c", "d"] {
        let worker = worker(&server, name, &seen).connect().await.expect(name);
        workers.push(tokio::spawn(worker.run()));
    }
    let publisher = publisher(&server).await;
    let payloads: Vec<Vec<u8>> = (1..=EVENTS).map(message).collect();
    for chunk in payloads.chunks(1_000) {
        let published = publisher
            .publish_batch(chunk.iter().map(|raw| (0, raw.as_slice())))
            .await
            .expect("publish");
        assert_eq!(published, chunk.len());
    }
    let mut conn = raw_conn(&server).await;
    until("every event handled and acknowledged", async || {
        seen.lock().unwrap().len() as u64 >= EVENTS && pending(&mut conn).await == 0
    })
    .await;
    for worker in &workers {
        assert!(!worker.is_finished(), "workers keep running");
        worker.abort();
    }
    let counts = counts(&seen, EVENTS);
    assert!(
        counts[1..].iter().all(|&n| n == 1),
        "every event handled exactly once"
    );
    assert_eq!(seen.lock().unwrap().len() as u64, EVENTS, "nothing else");
}

/// Messages 10 and 50 of one 100-entry batch always fail: the other 98 are acknowledged
/// with the batch and never seen again, the two stay pending, are retried, and become dead
/// letters.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_inside_a_batch_holds_back_only_its_own_entry() {
    const EVENTS: u64 = 100;
    let server = RedisServer::start();
    let handled = Arc::new(Mutex::new(Vec::new()));
    let attempts = Arc::new(AtomicUsize::new(0));
    let (seen, tries) = (Arc::clone(&handled), Arc::clone(&attempts));
    let worker = Worker::builder(server.url())
        .prefix(PREFIX)
        .group("bot")
        .consumer("a")
        .streams([EventGroup::Messages])
        .batch(256)
        .block(Duration::from_millis(50))
        .min_idle(Duration::from_millis(500))
        .claim_interval(Duration::from_millis(50))
        .max_deliveries(2)
        .on::<MessageCreate>(move |message| {
            let id = message.id.get();
            let (seen, tries) = (Arc::clone(&seen), Arc::clone(&tries));
            async move {
                if id == 10 || id == 50 {
                    tries.fetch_add(1, Ordering::SeqCst);
                    return Err(std::io::Error::other(format!("failure on {id}")));
                }
                seen.lock().unwrap().push(id);
                Ok(())
            }
        })
        .connect()
        .await
        .expect("worker");
    // Published before the worker runs: its first read takes all 100 as one batch.
    let payloads: Vec<Vec<u8>> = (1..=EVENTS).map(message).collect();
    publisher(&server)
        .await
        .publish_batch(payloads.iter().map(|raw| (0, raw.as_slice())))
        .await
        .expect("publish");
    let worker = tokio::spawn(worker.run());

    let mut conn = raw_conn(&server).await;
    let dead = dead_letter_key(PREFIX);
    until("both failures dead-lettered, nothing pending", async || {
        let dead: usize = redis::cmd("XLEN")
            .arg(&dead)
            .query_async(&mut conn)
            .await
            .expect("xlen");
        dead == 2 && pending(&mut conn).await == 0
    })
    .await;
    assert!(!worker.is_finished(), "the worker survived the failures");
    worker.abort();

    let counts = counts(&handled, EVENTS);
    for (id, &count) in counts.iter().enumerate().skip(1) {
        let expected = usize::from(id != 10 && id != 50);
        assert_eq!(count, expected, "message {id}");
    }
    // Delivered by the read, then once by a claim; the next delivery is over the cap.
    assert_eq!(attempts.load(Ordering::SeqCst), 4);
    let range: StreamRangeReply = redis::cmd("XRANGE")
        .arg(&dead)
        .arg("-")
        .arg("+")
        .query_async(&mut conn)
        .await
        .expect("xrange");
    let mut dead_data: Vec<Vec<u8>> = range
        .ids
        .iter()
        .map(|entry| entry.get("field:data").expect("original kept"))
        .collect();
    dead_data.sort();
    let mut expected = vec![message(10), message(50)];
    expected.sort();
    assert_eq!(dead_data, expected);
}

/// 2,000 concurrent `publish` calls from clones each get their own confirmation; once they
/// all returned and every clone is dropped, every event is in the stream and handled once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_publishes_are_each_confirmed_and_none_is_lost_on_drop() {
    const EVENTS: u64 = 2_000;
    let server = RedisServer::start();
    let publisher = publisher(&server).await;
    let mut publishes = Vec::new();
    for id in 1..=EVENTS {
        let publisher = publisher.clone();
        publishes.push(tokio::spawn(async move {
            publisher.publish(0, &message(id)).await
        }));
    }
    drop(publisher);
    for publish in publishes {
        let group = publish.await.expect("task").expect("published");
        assert_eq!(group, Some(EventGroup::Messages));
    }
    let mut conn = raw_conn(&server).await;
    let len: u64 = redis::cmd("XLEN")
        .arg(EventGroup::Messages.stream_key(PREFIX))
        .query_async(&mut conn)
        .await
        .expect("xlen");
    assert_eq!(len, EVENTS, "every confirmed event is stored");

    let seen = Arc::new(Mutex::new(Vec::new()));
    let worker = worker(&server, "a", &seen).connect().await.expect("worker");
    let worker = tokio::spawn(worker.run());
    until("every event handled and acknowledged", async || {
        seen.lock().unwrap().len() as u64 >= EVENTS && pending(&mut conn).await == 0
    })
    .await;
    worker.abort();
    assert!(counts(&seen, EVENTS)[1..].iter().all(|&n| n == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_workers_handle_20000_packed_events_exactly_once() {
    const EVENTS: u64 = 20_000;
    let server = RedisServer::start();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut workers = Vec::new();
    for name in ["a", "b", "c", "d"] {
        let worker = worker(&server, name, &seen)
            .batch(4)
            .connect()
            .await
            .expect(name);
        workers.push(tokio::spawn(worker.run()));
    }
    let publisher = publisher(&server).await;
    let payloads: Vec<Vec<u8>> = (1..=EVENTS).map(message).collect();
    for chunk in payloads.chunks(500) {
        let published = publisher
            .publish_packed(chunk.iter().map(|raw| (0, raw.as_slice())))
            .await
            .expect("publish");
        assert_eq!(published, chunk.len());
    }
    let mut conn = raw_conn(&server).await;
    let len: usize = redis::cmd("XLEN")
        .arg(EventGroup::Messages.stream_key(PREFIX))
        .query_async(&mut conn)
        .await
        .expect("xlen");
    assert_eq!(len, 40, "one entry per pack");
    until("every event handled and acknowledged", async || {
        seen.lock().unwrap().len() as u64 >= EVENTS && pending(&mut conn).await == 0
    })
    .await;
    for worker in &workers {
        assert!(!worker.is_finished(), "workers keep running");
        worker.abort();
    }
    let counts = counts(&seen, EVENTS);
    assert!(
        counts[1..].iter().all(|&n| n == 1),
        "every event handled exactly once"
    );
    assert_eq!(seen.lock().unwrap().len() as u64, EVENTS, "nothing else");
}

/// In one pack of 100, message 10 fails once and message 50 always: the redelivered pack
/// runs 10 and 50 again and nothing else; 50 makes it poison, so it is dead-lettered whole
/// after `max_deliveries`, and every other event was handled exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_inside_a_pack_reruns_only_its_own_event() {
    const EVENTS: u64 = 100;
    let server = RedisServer::start();
    let handled = Arc::new(Mutex::new(Vec::new()));
    let attempts_10 = Arc::new(AtomicUsize::new(0));
    let attempts_50 = Arc::new(AtomicUsize::new(0));
    let (seen, a10, a50) = (
        Arc::clone(&handled),
        Arc::clone(&attempts_10),
        Arc::clone(&attempts_50),
    );
    let worker = Worker::builder(server.url())
        .prefix(PREFIX)
        .group("bot")
        .consumer("a")
        .streams([EventGroup::Messages])
        .block(Duration::from_millis(50))
        .min_idle(Duration::from_millis(500))
        .claim_interval(Duration::from_millis(50))
        .max_deliveries(2)
        .on::<MessageCreate>(move |message| {
            let id = message.id.get();
            let (seen, a10, a50) = (Arc::clone(&seen), Arc::clone(&a10), Arc::clone(&a50));
            async move {
                let fails = match id {
                    10 => a10.fetch_add(1, Ordering::SeqCst) == 0,
                    50 => {
                        a50.fetch_add(1, Ordering::SeqCst);
                        true
                    }
                    _ => false,
                };
                if fails {
                    return Err(std::io::Error::other(format!("failure on {id}")));
                }
                seen.lock().unwrap().push(id);
                Ok(())
            }
        })
        .connect()
        .await
        .expect("worker");
    let payloads: Vec<Vec<u8>> = (1..=EVENTS).map(message).collect();
    let published = publisher(&server)
        .await
        .publish_packed(payloads.iter().map(|raw| (0, raw.as_slice())))
        .await
        .expect("publish");
    assert_eq!(published, 100);
    let worker = tokio::spawn(worker.run());

    let mut conn = raw_conn(&server).await;
    let dead = dead_letter_key(PREFIX);
    until(
        "the poison pack dead-lettered, nothing pending",
        async || {
            let dead: usize = redis::cmd("XLEN")
                .arg(&dead)
                .query_async(&mut conn)
                .await
                .expect("xlen");
            dead == 1 && pending(&mut conn).await == 0
        },
    )
    .await;
    assert!(!worker.is_finished(), "the worker survived the failures");
    worker.abort();

    let counts = counts(&handled, EVENTS);
    for (id, &count) in counts.iter().enumerate().skip(1) {
        assert_eq!(count, usize::from(id != 50), "message {id}");
    }
    assert_eq!(
        attempts_10.load(Ordering::SeqCst),
        2,
        "failed once, then done"
    );
    assert_eq!(
        attempts_50.load(Ordering::SeqCst),
        2,
        "one attempt per delivery"
    );
    let range: StreamRangeReply = redis::cmd("XRANGE")
        .arg(&dead)
        .arg("-")
        .arg("+")
        .query_async(&mut conn)
        .await
        .expect("xrange");
    let reason: String = range.ids[0].get("reason").expect("reason");
    assert!(reason.contains("poison"), "{reason}");
    let events: String = range.ids[0].get("field:events").expect("the pack kept");
    assert_eq!(events, "100");
}

/// A pack whose second event cannot be decoded: that event alone is dead-lettered (with
/// its index and bytes), the others are handled, the pack is acknowledged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_undecodable_event_in_a_pack_is_dead_lettered_alone() {
    let server = RedisServer::start();
    let mut conn = raw_conn(&server).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let worker = worker(&server, "a", &seen).connect().await.expect("worker");
    let garbage = b"{\"op\":0,".to_vec();
    let events = [message(1), garbage.clone(), message(3)];
    let lengths: Vec<String> = events.iter().map(|raw| raw.len().to_string()).collect();
    let _: String = redis::cmd("XADD")
        .arg(EventGroup::Messages.stream_key(PREFIX))
        .arg("*")
        .arg("events")
        .arg(3)
        .arg("shards")
        .arg("0,7,0")
        .arg("lengths")
        .arg(lengths.join(","))
        .arg("data")
        .arg(events.concat())
        .query_async(&mut conn)
        .await
        .expect("xadd");
    let worker = tokio::spawn(worker.run());
    until("both good events handled, nothing pending", async || {
        seen.lock().unwrap().len() >= 2 && pending(&mut conn).await == 0
    })
    .await;
    worker.abort();
    assert_eq!(*seen.lock().unwrap(), vec![1, 3]);
    let range: StreamRangeReply = redis::cmd("XRANGE")
        .arg(dead_letter_key(PREFIX))
        .arg("-")
        .arg("+")
        .query_async(&mut conn)
        .await
        .expect("xrange");
    assert_eq!(range.ids.len(), 1);
    let dead = &range.ids[0];
    assert_eq!(dead.get::<String>("index").as_deref(), Some("1"));
    assert_eq!(dead.get::<String>("field:shard").as_deref(), Some("7"));
    assert_eq!(dead.get::<Vec<u8>>("field:data"), Some(garbage));
    let reason: String = dead.get("reason").expect("reason");
    assert!(reason.contains("undecodable"), "{reason}");
}
