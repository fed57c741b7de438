//! What `publish` costs the socket read loop that calls it.

#![allow(missing_docs)]

use std::hint::black_box;

use core_events::EventHub;
use criterion::{Criterion, criterion_group, criterion_main};

#[derive(Clone)]
struct Payload {
    _id: u64,
    _body: std::sync::Arc<str>,
}

fn publish(c: &mut Criterion) {
    let mut group = c.benchmark_group("publish");
    let payload = Payload {
        _id: 7,
        _body: "{\"content\":\"hello\"}".into(),
    };

    let hub = EventHub::<Payload>::new();
    group.bench_function("no_receivers", |b| {
        b.iter(|| black_box(hub.publish(payload.clone())));
    });

    // Receivers that never read: the ring is full and every publish overwrites the
    // oldest slot — the steady state with a stalled consumer.
    let hub = EventHub::<Payload>::with_capacity(1024).expect("valid capacity");
    let _streams: Vec<_> = (0..4).map(|_| hub.stream()).collect();
    group.bench_function("4_stalled_receivers", |b| {
        b.iter(|| black_box(hub.publish(payload.clone())));
    });
    group.finish();
}

criterion_group!(benches, publish);
criterion_main!(benches);
