//! Fan-out on a real Redis server: routing, exactly-once between workers, a killed worker's
//! entries claimed by another, dead letters, failing and panicking handlers and poison
//! entries, trimming by the consumer groups' positions, a restarting server.
//!
//! Redis keeps its own clock (idle times for XAUTOCLAIM), so these run in real time, each
//! bounded to a few seconds.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fanout::{ErrorKind, EventGroup, Publisher, Worker, dead_letter_key};
use redis::aio::ConnectionManager;
use redis::streams::StreamRangeReply;
use redis_test_server::RedisServer;
use support::{message, raw_conn};
use svc_gateway::event::MessageCreate;

mod support;

const PREFIX: &str = "t";

async fn publisher(server: &RedisServer) -> Publisher {
    support::publisher(server, PREFIX).await
}

async fn xlen(conn: &mut ConnectionManager, key: &str) -> usize {
    redis::cmd("XLEN")
        .arg(key)
        .query_async(conn)
        .await
        .expect("xlen")
}

/// Entries read by group `bot` but not acknowledged.
async fn pending(conn: &mut ConnectionManager, key: &str) -> usize {
    pending_in(conn, key, "bot").await
}

/// Entries read by `group` but not acknowledged.
async fn pending_in(conn: &mut ConnectionManager, key: &str, group: &str) -> usize {
    let reply: redis::Value = redis::cmd("XPENDING")
        .arg(key)
        .arg(group)
        .query_async(conn)
        .await
        .expect("xpending");
    match reply {
        redis::Value::Array(items) => match items.first() {
            Some(redis::Value::Int(n)) => *n as usize,
            other => panic!("unexpected XPENDING reply {other:?}"),
        },
        other => panic!("unexpected XPENDING reply {other:?}"),
    }
}

/// Polls `done` (real time: Redis's clock drives claims), failing after 10 s.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    tokio::time::timeout(Duration::from_secs(10), async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("timed out waiting for {what}"));
}

/// A worker of group `bot` on the messages stream recording message ids into `seen`.
fn recording_worker(
    server: &RedisServer,
    name: &str,
    seen: &Arc<Mutex<Vec<u64>>>,
) -> fanout::WorkerBuilder {
    group_worker(server, "bot", name, seen)
}

/// A worker of `group` on the messages stream recording message ids into `seen`.
fn group_worker(
    server: &RedisServer,
    group: &str,
    name: &str,
    seen: &Arc<Mutex<Vec<u64>>>,
) -> fanout::WorkerBuilder {
    let seen = Arc::clone(seen);
    Worker::builder(server.url())
        .prefix(PREFIX)
        .group(group)
        .consumer(name)
        .streams([EventGroup::Messages])
        .batch(16)
        .block(Duration::from_millis(50))
        .on::<MessageCreate>(move |message| {
            seen.lock().unwrap().push(message.id.get());
            async {}
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn envelope_routing_puts_events_in_their_group_streams() {
    let server = RedisServer::start();
    let publisher = publisher(&server).await;
    let cases = [
        ("MESSAGE_CREATE", EventGroup::Messages),
        ("TYPING_START", EventGroup::Messages),
        ("GUILD_CREATE", EventGroup::Guilds),
        ("CHANNEL_UPDATE", EventGroup::Guilds),
        ("GUILD_MEMBER_ADD", EventGroup::Members),
        ("MESSAGE_REACTION_ADD", EventGroup::Reactions),
        ("PRESENCE_UPDATE", EventGroup::Presence),
        ("VOICE_STATE_UPDATE", EventGroup::Voice),
        ("INTERACTION_CREATE", EventGroup::Interactions),
        ("SOMETHING_NEW", EventGroup::Other),
    ];
    for (shard, (name, group)) in cases.iter().enumerate() {
        // `d` before `t`, odd spacing: stored byte for byte all the same.
        let raw = format!(r#"{{"d": {{"n": {shard}}}, "op":0,"s":{shard}, "t":"{name}"}}"#);
        let routed = publisher
            .publish(shard as u32, raw.as_bytes())
            .await
            .expect("publish");
        assert_eq!(routed, Some(*group), "{name}");
    }
    // Control opcodes are not dispatches: nothing published.
    assert_eq!(
        publisher
            .publish(0, br#"{"op":11,"d":null}"#)
            .await
            .expect("hb ack"),
        None
    );
    // Not a gateway payload at all: a typed error.
    let error = publisher
        .publish(0, b"not json")
        .await
        .expect_err("malformed");
    assert_eq!(error.kind(), &ErrorKind::Malformed);

    let mut conn = raw_conn(&server).await;
    for group in EventGroup::ALL {
        let key = group.stream_key(PREFIX);
        let expected: Vec<(usize, &str)> = cases
            .iter()
            .enumerate()
            .filter(|(_, (_, g))| *g == group)
            .map(|(shard, (name, _))| (shard, *name))
            .collect();
        let range: StreamRangeReply = redis::cmd("XRANGE")
            .arg(&key)
            .arg("-")
            .arg("+")
            .query_async(&mut conn)
            .await
            .expect("xrange");
        assert_eq!(range.ids.len(), expected.len(), "{key}");
        for (entry, (shard, name)) in range.ids.iter().zip(expected) {
            let data: Vec<u8> = entry.get("data").expect("data");
            let raw = format!(r#"{{"d": {{"n": {shard}}}, "op":0,"s":{shard}, "t":"{name}"}}"#);
            assert_eq!(data, raw.into_bytes(), "raw bytes kept");
            let stored_shard: u32 = entry.get("shard").expect("shard");
            assert_eq!(stored_shard as usize, shard);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_handle_500_events_exactly_once_between_them() {
    let server = RedisServer::start();
    let seen_a = Arc::new(Mutex::new(Vec::new()));
    let seen_b = Arc::new(Mutex::new(Vec::new()));
    let a = recording_worker(&server, "a", &seen_a)
        .connect()
        .await
        .expect("a");
    let b = recording_worker(&server, "b", &seen_b)
        .connect()
        .await
        .expect("b");
    let a = tokio::spawn(a.run());
    let b = tokio::spawn(b.run());

    let publisher = publisher(&server).await.max_len(10_000);
    let payloads: Vec<Vec<u8>> = (1..=500).map(message).collect();
    for chunk in payloads.chunks(50) {
        let published = publisher
            .publish_batch(chunk.iter().map(|raw| (1, raw.as_slice())))
            .await
            .expect("publish");
        assert_eq!(published, 50);
    }
    let total = || seen_a.lock().unwrap().len() + seen_b.lock().unwrap().len();
    until("500 events handled", || total() >= 500).await;
    let mut conn = raw_conn(&server).await;
    let key = EventGroup::Messages.stream_key(PREFIX);
    tokio::time::timeout(Duration::from_secs(10), async {
        while pending(&mut conn.clone(), &key).await > 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("every entry acknowledged");
    a.abort();
    b.abort();

    let mut all: Vec<u64> = seen_a.lock().unwrap().clone();
    all.extend(seen_b.lock().unwrap().iter());
    assert_eq!(all.len(), 500, "no event handled twice");
    let unique: BTreeSet<u64> = all.into_iter().collect();
    assert_eq!(unique, (1..=500).collect::<BTreeSet<u64>>(), "0 lost");
    assert_eq!(pending(&mut conn, &key).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_worker_loses_no_events_another_claims_them() {
    let server = RedisServer::start();
    let publisher = publisher(&server).await;
    let payloads: Vec<Vec<u8>> = (1..=100).map(message).collect();
    publisher
        .publish_batch(payloads.iter().map(|raw| (0, raw.as_slice())))
        .await
        .expect("publish");

    // Worker A handles ids until 25, where its handler never finishes: it has read a batch
    // and acknowledged only what it finished when it is killed.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (stuck_tx, stuck_rx) = tokio::sync::oneshot::channel::<()>();
    let stuck_tx = Arc::new(Mutex::new(Some(stuck_tx)));
    let seen_a = Arc::clone(&seen);
    let a = Worker::builder(server.url())
        .prefix(PREFIX)
        .group("bot")
        .consumer("a")
        .streams([EventGroup::Messages])
        .batch(10)
        .block(Duration::from_millis(50))
        .on::<MessageCreate>(move |message| {
            let id = message.id.get();
            let seen = Arc::clone(&seen_a);
            let stuck = Arc::clone(&stuck_tx);
            async move {
                if id == 25 {
                    if let Some(tx) = stuck.lock().unwrap().take() {
                        let _ = tx.send(());
                    }
                    std::future::pending::<()>().await;
                }
                seen.lock().unwrap().push(id);
            }
        })
        .connect()
        .await
        .expect("a");
    let a = tokio::spawn(a.run());
    tokio::time::timeout(Duration::from_secs(10), stuck_rx)
        .await
        .expect("worker a reaches id 25")
        .expect("signal");
    a.abort();
    let _ = a.await;

    let key = EventGroup::Messages.stream_key(PREFIX);
    let mut conn = raw_conn(&server).await;
    assert_eq!(seen.lock().unwrap().len(), 24, "a finished 1..=24");
    // a's acknowledgements of 21..=24 were sent before it got stuck; let them land.
    tokio::time::timeout(Duration::from_secs(10), async {
        while pending(&mut conn.clone(), &key).await > 6 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("acknowledgements land");
    assert_eq!(
        pending(&mut conn, &key).await,
        6,
        "25..=30 read by a, never acknowledged"
    );

    // Worker B claims a's idle entries and reads the rest.
    let b = recording_worker(&server, "b", &seen)
        .min_idle(Duration::from_millis(200))
        .claim_interval(Duration::from_millis(50))
        .connect()
        .await
        .expect("b");
    let b = tokio::spawn(b.run());
    until("all 100 handled", || seen.lock().unwrap().len() >= 100).await;
    tokio::time::timeout(Duration::from_secs(10), async {
        while pending(&mut conn.clone(), &key).await > 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("every entry acknowledged");
    b.abort();

    let all = seen.lock().unwrap().clone();
    assert_eq!(all.len(), 100, "none handled twice");
    let unique: BTreeSet<u64> = all.into_iter().collect();
    assert_eq!(unique, (1..=100).collect::<BTreeSet<u64>>(), "0 lost");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_entries_go_to_the_dead_letter_stream() {
    let server = RedisServer::start();
    let key = EventGroup::Messages.stream_key(PREFIX);
    let mut conn = raw_conn(&server).await;
    let bad: [&[(&str, &[u8])]; 4] = [
        &[("shard", b"1")],
        &[("shard", b"abc"), ("data", &message(7))],
        &[
            ("shard", b"1"),
            ("data", b"{\"op\":0,\"t\":\"MESSAGE_CREATE\",\"d\":{"),
        ],
        &[("shard", b"1"), ("data", br#"{"op":11,"d":null}"#)],
    ];
    for fields in bad {
        let mut cmd = redis::cmd("XADD");
        cmd.arg(&key).arg("*");
        for (field, value) in fields {
            cmd.arg(*field).arg(*value);
        }
        let _: String = cmd.query_async(&mut conn).await.expect("xadd");
    }
    let publisher = publisher(&server).await;
    publisher.publish(2, &message(1)).await.expect("publish");

    let seen = Arc::new(Mutex::new(Vec::new()));
    let worker = recording_worker(&server, "a", &seen)
        .connect()
        .await
        .expect("worker");
    let worker = tokio::spawn(worker.run());
    let dead = dead_letter_key(PREFIX);
    until("valid event handled", || seen.lock().unwrap().len() == 1).await;
    tokio::time::timeout(Duration::from_secs(10), async {
        while xlen(&mut conn.clone(), &dead).await < 4 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("4 dead letters");

    // The worker is still alive and handles what comes next.
    publisher.publish(2, &message(2)).await.expect("publish");
    until("next event handled", || seen.lock().unwrap().len() == 2).await;
    worker.abort();
    assert_eq!(*seen.lock().unwrap(), vec![1, 2]);
    assert_eq!(
        pending(&mut conn, &key).await,
        0,
        "dead letters are acknowledged"
    );

    let range: StreamRangeReply = redis::cmd("XRANGE")
        .arg(&dead)
        .arg("-")
        .arg("+")
        .query_async(&mut conn)
        .await
        .expect("xrange");
    let reasons: Vec<String> = range
        .ids
        .iter()
        .map(|entry| entry.get("reason").expect("reason"))
        .collect();
    assert_eq!(reasons.len(), 4);
    assert!(reasons[0].contains("data"), "{reasons:?}");
    assert!(reasons[1].contains("shard"), "{reasons:?}");
    assert!(reasons[2].contains("undecodable"), "{reasons:?}");
    assert!(reasons[3].contains("dispatch"), "{reasons:?}");
    for entry in &range.ids {
        let stream: String = entry.get("stream").expect("stream");
        assert_eq!(stream, key);
    }
    let kept: Vec<u8> = range.ids[1].get("field:data").expect("original data kept");
    assert_eq!(kept, message(7));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_recovers_after_redis_restarts() {
    let mut server = RedisServer::start();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let worker = recording_worker(&server, "a", &seen)
        .connect()
        .await
        .expect("worker");
    let worker = tokio::spawn(worker.run());
    let publisher = publisher(&server).await;
    publisher.publish(0, &message(1)).await.expect("publish");
    until("first event", || seen.lock().unwrap().len() == 1).await;

    // The restarted server is empty: no stream, no group. The worker backs off, recreates
    // its group and goes on.
    server.restart();
    tokio::time::timeout(Duration::from_secs(10), async {
        while seen.lock().unwrap().len() < 2 {
            let _ = publisher.publish(0, &message(2)).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await
    .expect("the worker handles events after the restart");
    assert!(!worker.is_finished(), "the worker keeps running");
    worker.abort();
    assert_eq!(seen.lock().unwrap()[..2], [1, 2]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_on_rest_handler_without_a_client_is_a_config_error() {
    let server = RedisServer::start();
    let error = Worker::builder(server.url())
        .on_rest::<MessageCreate>(|_, _| async {})
        .connect()
        .await
        .expect_err("no REST client");
    assert_eq!(error.kind(), &ErrorKind::Config);
}

/// Publishes messages 1..=`count` in one batch, from shard 0.
async fn publish_messages(server: &RedisServer, count: u64) {
    let payloads: Vec<Vec<u8>> = (1..=count).map(message).collect();
    publisher(server)
        .await
        .publish_batch(payloads.iter().map(|raw| (0, raw.as_slice())))
        .await
        .expect("publish");
}

/// Waits (real time, bounded) until `group` has nothing pending on `key`.
async fn drained(conn: &ConnectionManager, key: &str, group: &str) {
    tokio::time::timeout(Duration::from_secs(10), async {
        while pending_in(&mut conn.clone(), key, group).await > 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{group} acknowledged everything"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_group_loses_nothing_while_a_fast_one_runs_far_ahead() {
    let server = RedisServer::start();
    let key = EventGroup::Messages.stream_key(PREFIX);
    let mut conn = raw_conn(&server).await;
    // Both groups exist from the start; only the fast one consumes.
    let seen_fast = Arc::new(Mutex::new(Vec::new()));
    let seen_slow = Arc::new(Mutex::new(Vec::new()));
    let fast = group_worker(&server, "fast", "f", &seen_fast)
        .connect()
        .await
        .expect("fast");
    let slow = group_worker(&server, "slow", "s", &seen_slow)
        .connect()
        .await
        .expect("slow");
    let fast = tokio::spawn(fast.run());

    // Trimming after every publish, with the length cap far away: the old `MAXLEN ~`
    // rule would have had to choose between memory and the slow group's entries.
    let publisher = publisher(&server).await.trim_interval(Duration::ZERO);
    let payloads: Vec<Vec<u8>> = (1..=1_000).map(message).collect();
    for chunk in payloads.chunks(50) {
        publisher
            .publish_batch(chunk.iter().map(|raw| (0, raw.as_slice())))
            .await
            .expect("publish");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    until("the fast group handled 1000", || {
        seen_fast.lock().unwrap().len() >= 1_000
    })
    .await;
    drained(&conn, &key, "fast").await;
    publisher.trim().await.expect("trim");
    assert_eq!(
        xlen(&mut conn, &key).await,
        1_000,
        "nothing the slow group has not read is trimmed"
    );

    let slow = tokio::spawn(slow.run());
    until("the slow group handled 1000", || {
        seen_slow.lock().unwrap().len() >= 1_000
    })
    .await;
    drained(&conn, &key, "slow").await;
    fast.abort();
    slow.abort();
    let handled: BTreeSet<u64> = seen_slow.lock().unwrap().iter().copied().collect();
    assert_eq!(handled, (1..=1_000).collect::<BTreeSet<u64>>(), "0 lost");
    assert_eq!(seen_slow.lock().unwrap().len(), 1_000);

    // Now every group has processed everything: trimming frees it (the last delivered
    // entry stays as the groups' position).
    publisher.trim().await.expect("trim");
    assert!(
        xlen(&mut conn, &key).await <= 1,
        "processed entries are trimmed"
    );
    assert_eq!(publisher.dropped_unprocessed(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_length_cap_is_a_reported_safety_valve() {
    let server = RedisServer::start();
    let key = EventGroup::Messages.stream_key(PREFIX);
    let mut conn = raw_conn(&server).await;
    // A group that never consumes (its workers are down).
    let seen = Arc::new(Mutex::new(Vec::new()));
    let _stalled = group_worker(&server, "stalled", "s", &seen)
        .connect()
        .await
        .expect("group");
    let publisher = publisher(&server)
        .await
        .max_len(200)
        .trim_interval(Duration::ZERO);
    let payloads: Vec<Vec<u8>> = (1..=500).map(message).collect();
    for chunk in payloads.chunks(100) {
        publisher
            .publish_batch(chunk.iter().map(|raw| (0, raw.as_slice())))
            .await
            .expect("publish");
    }
    assert_eq!(xlen(&mut conn, &key).await, 200, "memory stays bounded");
    assert_eq!(
        publisher.dropped_unprocessed(),
        300,
        "every entry the stalled group lost is counted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_handler_does_not_make_the_others_see_the_event_twice() {
    let server = RedisServer::start();
    let first = Arc::new(Mutex::new(Vec::new()));
    let last = Arc::new(Mutex::new(Vec::new()));
    let flaky_done = Arc::new(Mutex::new(Vec::new()));
    let flaky_attempts = Arc::new(Mutex::new(std::collections::HashMap::<u64, usize>::new()));
    let record = |into: &Arc<Mutex<Vec<u64>>>| {
        let into = Arc::clone(into);
        move |message: MessageCreate| {
            into.lock().unwrap().push(message.id.get());
            async {}
        }
    };
    let (done, attempts) = (Arc::clone(&flaky_done), Arc::clone(&flaky_attempts));
    let worker = Worker::builder(server.url())
        .prefix(PREFIX)
        .group("bot")
        .consumer("a")
        .streams([EventGroup::Messages])
        .block(Duration::from_millis(50))
        .min_idle(Duration::from_millis(100))
        .claim_interval(Duration::from_millis(50))
        .on::<MessageCreate>(record(&first))
        // Between the two: panics on message 5's first attempt, fails on message 6's.
        .on::<MessageCreate>(move |message| {
            let id = message.id.get();
            let attempt = {
                let mut attempts = attempts.lock().unwrap();
                let n = attempts.entry(id).or_default();
                *n += 1;
                *n
            };
            let done = Arc::clone(&done);
            async move {
                assert!(!(id == 5 && attempt == 1), "handler bug on message 5");
                if id == 6 && attempt == 1 {
                    return Err("transient failure on message 6");
                }
                done.lock().unwrap().push(id);
                Ok(())
            }
        })
        .on::<MessageCreate>(record(&last))
        .connect()
        .await
        .expect("worker");
    let worker = tokio::spawn(worker.run());
    publish_messages(&server, 10).await;

    let key = EventGroup::Messages.stream_key(PREFIX);
    let mut conn = raw_conn(&server).await;
    until("the flaky handler finished all 10", || {
        flaky_done.lock().unwrap().len() >= 10
    })
    .await;
    drained(&conn, &key, "bot").await;
    worker.abort();

    let everything: Vec<u64> = (1..=10).collect();
    for (name, seen) in [("first", &first), ("last", &last)] {
        let mut seen = seen.lock().unwrap().clone();
        seen.sort_unstable();
        assert_eq!(
            seen, everything,
            "the {name} handler saw each event exactly once"
        );
    }
    let attempts = flaky_attempts.lock().unwrap().clone();
    assert_eq!((attempts[&5], attempts[&6], attempts[&1]), (2, 2, 1));
    let records: usize = redis::cmd("EXISTS")
        .arg(format!("{key}:done:bot"))
        .query_async(&mut conn)
        .await
        .expect("exists");
    assert_eq!(
        records, 0,
        "finished-handler records go with the acknowledgement"
    );
}

/// How the handler of [`retried_then_dead_lettered`] fails.
#[derive(Clone, Copy)]
enum Failing {
    Panics,
    ReturnsErr,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_is_retried_then_poison_is_dead_lettered() {
    retried_then_dead_lettered(Failing::Panics).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_error_leaves_the_entry_pending_for_retry_then_dead_letters_it() {
    retried_then_dead_lettered(Failing::ReturnsErr).await;
}

/// Message 13 fails every time; message 7 fails on its first attempt only. Neither is
/// acknowledged while failing; 7 succeeds on redelivery, 13 is dead-lettered after
/// `max_deliveries` attempts, and the worker survives it all.
async fn retried_then_dead_lettered(how: Failing) {
    let server = RedisServer::start();
    let attempts_13 = Arc::new(AtomicUsize::new(0));
    let attempts_7 = Arc::new(AtomicUsize::new(0));
    let handled = Arc::new(Mutex::new(Vec::new()));
    let (a13, a7, seen) = (
        Arc::clone(&attempts_13),
        Arc::clone(&attempts_7),
        Arc::clone(&handled),
    );
    let worker = Worker::builder(server.url())
        .prefix(PREFIX)
        .group("bot")
        .consumer("a")
        .streams([EventGroup::Messages])
        .block(Duration::from_millis(50))
        .min_idle(Duration::from_millis(500))
        .claim_interval(Duration::from_millis(50))
        .max_deliveries(3)
        .on::<MessageCreate>(move |message| {
            let id = message.id.get();
            let (a13, a7, seen) = (Arc::clone(&a13), Arc::clone(&a7), Arc::clone(&seen));
            async move {
                let fails = match id {
                    13 => {
                        a13.fetch_add(1, Ordering::SeqCst);
                        true
                    }
                    7 => a7.fetch_add(1, Ordering::SeqCst) == 0,
                    _ => false,
                };
                if fails {
                    match how {
                        Failing::Panics => panic!("handler bug on message {id}"),
                        Failing::ReturnsErr => {
                            return Err(std::io::Error::other(format!("failure on {id}")));
                        }
                    }
                }
                seen.lock().unwrap().push(id);
                Ok(())
            }
        })
        .connect()
        .await
        .expect("worker");
    let worker = tokio::spawn(worker.run());
    publish_messages(&server, 20).await;

    let key = EventGroup::Messages.stream_key(PREFIX);
    let mut conn = raw_conn(&server).await;
    until("18 handled", || handled.lock().unwrap().len() >= 18).await;
    // Once the batch's acknowledgements landed, well before min_idle: the two failed
    // entries were not acknowledged.
    tokio::time::timeout(Duration::from_millis(400), async {
        while pending(&mut conn.clone(), &key).await > 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("acknowledgements land");
    assert_eq!(pending(&mut conn, &key).await, 2, "7 and 13 stay pending");

    let dead = dead_letter_key(PREFIX);
    tokio::time::timeout(Duration::from_secs(10), async {
        while xlen(&mut conn.clone(), &dead).await < 1 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the poison entry is dead-lettered");
    until("19 handled", || handled.lock().unwrap().len() >= 19).await;
    // Nothing is left pending: the poison entry was acknowledged with its dead letter.
    drained(&conn, &key, "bot").await;
    assert!(!worker.is_finished(), "the worker survived the failures");
    worker.abort();

    let mut seen = handled.lock().unwrap().clone();
    seen.sort_unstable();
    assert_eq!(seen, (1..=20).filter(|&id| id != 13).collect::<Vec<u64>>());
    assert_eq!(
        attempts_7.load(Ordering::SeqCst),
        2,
        "7 failed once, then succeeded"
    );
    // Delivered once by XREADGROUP and twice more by claims, then the fourth delivery is
    // over the cap: three attempts, never a fourth.
    assert_eq!(attempts_13.load(Ordering::SeqCst), 3);

    let range: StreamRangeReply = redis::cmd("XRANGE")
        .arg(&dead)
        .arg("-")
        .arg("+")
        .query_async(&mut conn)
        .await
        .expect("xrange");
    assert_eq!(range.ids.len(), 1);
    let reason: String = range.ids[0].get("reason").expect("reason");
    assert!(reason.contains("poison"), "{reason}");
    let data: Vec<u8> = range.ids[0].get("field:data").expect("original kept");
    assert_eq!(data, message(13));
}
