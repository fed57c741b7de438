//! Cache updates per second, against twilight-cache-inmemory in the same run: both caches
//! hold the 10 guilds of `guild-creates-large.txt` (everything cached, 100 messages per
//! channel), then apply the MESSAGE_CREATE, GUILD_MEMBER_UPDATE and PRESENCE_UPDATE
//! dispatches of `cache-updates.txt` (400 of each, about those guilds' members), decoded
//! beforehand: only the update is timed.
//!
//! Groups `cache_update/<event>`, functions `svc_gateway` and `twilight`; throughput in
//! events, so criterion reports updates per second.
#![allow(missing_docs)]

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use svc_gateway::cache::{Cache, CacheConfig};
use twilight_cache_inmemory::DefaultInMemoryCache;

const EVENTS: [(&str, &str); 3] = [
    ("message_create", "MESSAGE_CREATE"),
    ("guild_member_update", "GUILD_MEMBER_UPDATE"),
    ("presence_update", "PRESENCE_UPDATE"),
];

fn updates(c: &mut Criterion) {
    let guilds = common::lines("guild-creates-large.txt");
    let stream = common::lines("cache-updates.txt");

    let ours = Cache::new(CacheConfig::default());
    let twilight = DefaultInMemoryCache::builder()
        .message_cache_size(100)
        .build();
    for line in &guilds {
        ours.update(&common::ours(line));
        twilight.update(&common::twilight(line));
    }
    assert_eq!(ours.stats().members, twilight.stats().members());

    for (group, name) in EVENTS {
        let lines: Vec<&String> = stream
            .iter()
            .filter(|line| common::event_name(line) == name)
            .collect();
        let ours_events: Vec<_> = lines.iter().map(|l| common::ours(l)).collect();
        let twilight_events: Vec<_> = lines.iter().map(|l| common::twilight(l)).collect();

        let mut g = c.benchmark_group(format!("cache_update/{group}"));
        g.throughput(Throughput::Elements(lines.len() as u64));
        g.bench_function("svc_gateway", |b| {
            b.iter(|| {
                for event in &ours_events {
                    ours.update(event);
                }
            });
        });
        g.bench_function("twilight", |b| {
            b.iter(|| {
                for event in &twilight_events {
                    twilight.update(event);
                }
            });
        });
        g.finish();
    }
}

criterion_group!(benches, updates);
criterion_main!(benches);
