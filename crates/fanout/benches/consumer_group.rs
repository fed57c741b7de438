//! Fan-out end to end on one machine (issue 19): events per second from one [`Publisher`]
//! through a Redis stream to a consumer group of 4 [`Worker`]s, every event handled exactly
//! once (counted and checked), with the p99 latency from publish to handler.
//!
//! Criterion does not fit (a stream of events through five concurrent parties, not one
//! repeated call), so this is a measuring program: it prints `bench-report fanout/… ours=…
//! peer=…` lines for `cargo xtask bench-report`. The peer is the ceiling on the same
//! server: the raw `redis` crate, one connection each, pipelined `XADD`s, `XREADGROUP COUNT`
//! and one multi-id `XACK` per batch, no envelope routing, decoding, handler bookkeeping or
//! retries. Both sides keep at most [`IN_FLIGHT`] events published but not yet handled, so
//! the latency is that of a loaded system, not of an ever-growing backlog.
#![allow(missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fanout::{EventGroup, Publisher, Worker};
use redis::streams::StreamReadReply;
use svc_gateway::event::MessageCreate;
use tokio::sync::Notify;

/// Events per run.
const EVENTS: usize = 300_000;
/// Events per publish batch (one pipelined round trip of `XADD`s).
const PUBLISH_BATCH: usize = 256;
/// Entries per worker read.
const READ_BATCH: usize = 256;
/// Consumers in the group.
const WORKERS: usize = 4;
/// Events published but not yet handled, at most (bounds the backlog, hence the latency).
const IN_FLIGHT: usize = 8_192;

fn message(id: usize) -> Vec<u8> {
    format!(
        r#"{{"t":"MESSAGE_CREATE","s":{id},"op":0,"d":{{"id":"{id}","channel_id":"2","author":{{"id":"3","username":"ana"}},"content":"ping","timestamp":"2024-01-01T00:00:00+00:00"}}}}"#
    )
    .into_bytes()
}

/// What every run shares: when each event was published, how often and how late it was
/// handled.
struct Ledger {
    start: Instant,
    published_ns: Vec<AtomicU64>,
    handled: Vec<AtomicU64>,
    latency_ns: Vec<AtomicU64>,
    total: AtomicUsize,
    progress: Notify,
}

impl Ledger {
    fn new() -> Arc<Self> {
        let zeros = || (0..=EVENTS).map(|_| AtomicU64::new(0)).collect();
        Arc::new(Self {
            start: Instant::now(),
            published_ns: zeros(),
            handled: zeros(),
            latency_ns: zeros(),
            total: AtomicUsize::new(0),
            progress: Notify::new(),
        })
    }

    fn now_ns(&self) -> u64 {
        self.start.elapsed().as_nanos() as u64
    }

    fn published(&self, ids: std::ops::Range<usize>) {
        let now = self.now_ns();
        for id in ids {
            self.published_ns[id].store(now, Ordering::Relaxed);
        }
    }

    fn handle(&self, id: usize) {
        let now = self.now_ns();
        self.latency_ns[id].store(
            now.saturating_sub(self.published_ns[id].load(Ordering::Relaxed)),
            Ordering::Relaxed,
        );
        self.handled[id].fetch_add(1, Ordering::Relaxed);
        let total = self.total.fetch_add(1, Ordering::Relaxed) + 1;
        if total.is_multiple_of(1024) || total == EVENTS {
            self.progress.notify_waiters();
        }
    }

    /// Waits until no more than `IN_FLIGHT` of the first `published` events are unhandled.
    async fn window(&self, published: usize, limit: usize) {
        loop {
            let notified = self.progress.notified();
            if published - self.total.load(Ordering::Relaxed) <= limit {
                return;
            }
            // Checked again after a short nap too: a notification between the load and
            // the await is not lost, but cheap insurance against a missed one.
            let _ = tokio::time::timeout(Duration::from_millis(5), notified).await;
        }
    }

    /// Events per second and p99 latency in µs; panics unless every event (ids 1..=EVENTS)
    /// was handled exactly once.
    fn result(&self, elapsed: Duration) -> (f64, f64) {
        let mut latencies = Vec::with_capacity(EVENTS);
        for id in 1..=EVENTS {
            let times = self.handled[id].load(Ordering::Relaxed);
            assert_eq!(times, 1, "event {id} handled {times} times");
            latencies.push(self.latency_ns[id].load(Ordering::Relaxed));
        }
        latencies.sort_unstable();
        let p99 = latencies[latencies.len() * 99 / 100] as f64 / 1_000.0;
        (EVENTS as f64 / elapsed.as_secs_f64(), p99)
    }
}

/// How the publisher writes a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Publish {
    /// `Publisher::publish_batch`: one entry per event.
    Batch,
    /// `Publisher::publish_packed`: one entry per batch.
    Packed,
}

/// Publisher → stream → 4 fanout workers.
async fn ours(url: &str, payloads: &[Vec<u8>], how: Publish) -> (f64, f64) {
    let ledger = Ledger::new();
    let publisher = Publisher::connect(url)
        .await
        .expect("redis")
        .prefix(format!("{how:?}"))
        .max_len(0);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut workers = Vec::new();
    for n in 0..WORKERS {
        let seen = Arc::clone(&ledger);
        let worker = Worker::builder(url)
            .prefix(format!("{how:?}"))
            .group("bench")
            .consumer(format!("w{n}"))
            .streams([EventGroup::Messages])
            .batch(match how {
                Publish::Batch => READ_BATCH,
                // Entries of PUBLISH_BATCH events each.
                Publish::Packed => READ_BATCH.div_ceil(PUBLISH_BATCH).max(2),
            })
            .block(Duration::from_millis(100))
            .on::<MessageCreate>(move |message| {
                seen.handle(message.id.get() as usize);
                async {}
            })
            .connect()
            .await
            .expect("worker");
        let mut stopped = stopped.clone();
        workers.push(tokio::spawn(worker.run_until(async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        })));
    }
    let started = Instant::now();
    for first in (1..=EVENTS).step_by(PUBLISH_BATCH) {
        let ids = first..(first + PUBLISH_BATCH).min(EVENTS + 1);
        ledger.window(first - 1, IN_FLIGHT - ids.len()).await;
        ledger.published(ids.clone());
        let batch = ids.clone().map(|id| (0, payloads[id].as_slice()));
        let published = match how {
            Publish::Batch => publisher.publish_batch(batch).await,
            Publish::Packed => publisher.publish_packed(batch).await,
        }
        .expect("publish");
        assert_eq!(published, ids.len());
    }
    ledger.window(EVENTS, 0).await;
    let elapsed = started.elapsed();
    let _ = stop.send(true);
    for worker in workers {
        worker.await.expect("worker task").expect("worker");
    }
    ledger.result(elapsed)
}

/// The same traffic with the raw `redis` crate and nothing else: the ceiling.
async fn raw_redis(url: &str, payloads: &[Vec<u8>]) -> (f64, f64) {
    const KEY: &str = "raw:events";
    const GROUP: &str = "bench";
    let ledger = Ledger::new();
    let client = redis::Client::open(url).expect("url");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("redis");
    let () = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(KEY)
        .arg(GROUP)
        .arg("0")
        .arg("MKSTREAM")
        .query_async(&mut conn)
        .await
        .expect("group");
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut consumers = Vec::new();
    for n in 0..WORKERS {
        let mut conn = client
            .get_multiplexed_async_connection()
            .await
            .expect("redis");
        let seen = Arc::clone(&ledger);
        let stopped = stopped.clone();
        consumers.push(tokio::spawn(async move {
            while !*stopped.borrow() {
                let reply: Option<StreamReadReply> = redis::cmd("XREADGROUP")
                    .arg("GROUP")
                    .arg(GROUP)
                    .arg(format!("r{n}"))
                    .arg("COUNT")
                    .arg(READ_BATCH)
                    .arg("BLOCK")
                    .arg(100)
                    .arg("STREAMS")
                    .arg(KEY)
                    .arg(">")
                    .query_async(&mut conn)
                    .await
                    .expect("xreadgroup");
                let Some(reply) = reply else { continue };
                for stream in reply.keys {
                    let mut ack = redis::cmd("XACK");
                    ack.arg(KEY).arg(GROUP);
                    for entry in &stream.ids {
                        let id: usize = entry.get("n").expect("n");
                        seen.handle(id);
                        ack.arg(&entry.id);
                    }
                    let _: usize = ack.query_async(&mut conn).await.expect("xack");
                }
            }
        }));
    }
    let started = Instant::now();
    for first in (1..=EVENTS).step_by(PUBLISH_BATCH) {
        let ids = first..(first + PUBLISH_BATCH).min(EVENTS + 1);
        ledger.window(first - 1, IN_FLIGHT - ids.len()).await;
        ledger.published(ids.clone());
        let mut pipe = redis::pipe();
        for id in ids {
            pipe.cmd("XADD")
                .arg(KEY)
                .arg("*")
                .arg("n")
                .arg(id)
                .arg("data")
                .arg(&payloads[id])
                .ignore();
        }
        pipe.exec_async(&mut conn).await.expect("xadd");
    }
    ledger.window(EVENTS, 0).await;
    let elapsed = started.elapsed();
    let _ = stop.send(true);
    for consumer in consumers {
        consumer.await.expect("consumer task");
    }
    ledger.result(elapsed)
}

fn main() {
    let server = redis_test_server::RedisServer::start();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let payloads: Vec<Vec<u8>> = (0..=EVENTS).map(message).collect();
    // `FANOUT_BENCH_ONLY=packed` runs that side alone (for a profiler).
    if std::env::var("FANOUT_BENCH_ONLY").as_deref() == Ok("packed") {
        let (rate, p99) = runtime.block_on(ours(&server.url(), &payloads, Publish::Packed));
        println!(
            "fanout, an entry per batch (publish_packed): {rate:.0} events/s, p99 {p99:.0} µs"
        );
        return;
    }
    let (peer_rate, peer_p99) = runtime.block_on(raw_redis(&server.url(), &payloads));
    println!("raw redis: {peer_rate:.0} events/s, p99 {peer_p99:.0} µs");
    let (batch_rate, batch_p99) = runtime.block_on(ours(&server.url(), &payloads, Publish::Batch));
    println!(
        "fanout, an entry per event (publish_batch): {batch_rate:.0} events/s, p99 {batch_p99:.0} µs"
    );
    let (rate, p99) = runtime.block_on(ours(&server.url(), &payloads, Publish::Packed));
    println!("fanout, an entry per batch (publish_packed): {rate:.0} events/s, p99 {p99:.0} µs");
    println!("bench-report fanout/events_per_s ours={rate:.0} peer={peer_rate:.0}");
    println!("bench-report fanout/p99_latency_us ours={p99:.0} peer={peer_p99:.0}");
}
