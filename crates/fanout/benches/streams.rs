//! Events per second through Redis Streams on loopback: publish a batch (one pipelined
//! round trip), then one worker reads, decodes, handles and acknowledges every entry.
#![allow(missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fanout::{EventGroup, Publisher, Worker};
use svc_gateway::event::MessageCreate;

const BATCH: usize = 1_000;

fn message(id: usize) -> Vec<u8> {
    format!(
        r#"{{"t":"MESSAGE_CREATE","s":{id},"op":0,"d":{{"id":"{id}","channel_id":"2","author":{{"id":"3","username":"ana"}},"content":"ping","timestamp":"2024-01-01T00:00:00+00:00"}}}}"#
    )
    .into_bytes()
}

fn end_to_end(c: &mut Criterion) {
    let server = redis_test_server::RedisServer::start();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let handled = Arc::new(AtomicUsize::new(0));
    let (publisher, worker) = runtime.block_on(async {
        let publisher = Publisher::connect(&server.url())
            .await
            .expect("redis")
            .prefix("bench")
            .max_len(100_000);
        let counter = Arc::clone(&handled);
        let worker = Worker::builder(server.url())
            .prefix("bench")
            .group("bench")
            .consumer("w")
            .streams([EventGroup::Messages])
            .batch(256)
            .block(Duration::from_millis(50))
            .on::<MessageCreate>(move |_| {
                counter.fetch_add(1, Ordering::Relaxed);
                async {}
            })
            .connect()
            .await
            .expect("worker");
        (publisher, worker)
    });
    let worker = tokio::sync::Mutex::new(worker);
    let payloads: Vec<Vec<u8>> = (0..BATCH).map(message).collect();

    let mut group = c.benchmark_group("fanout");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.sample_size(10);
    group.bench_function("publish_consume_ack_1000", |b| {
        b.to_async(&runtime).iter(|| async {
            let start = handled.load(Ordering::Relaxed);
            publisher
                .publish_batch(payloads.iter().map(|raw| (0, raw.as_slice())))
                .await
                .expect("publish");
            let mut worker = worker.lock().await;
            while handled.load(Ordering::Relaxed) - start < BATCH {
                worker.step().await.expect("step");
            }
        });
    });
    group.finish();
}

criterion_group!(benches, end_to_end);
criterion_main!(benches);
