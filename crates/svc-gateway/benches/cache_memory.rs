//! Bytes the Discord cache retains, against twilight-cache-inmemory fed the same events, in
//! the same run: a counting allocator (`cap`) reads what each cache holds after the events.
//!
//! Each resource is measured alone (only its switch on, on both sides) and divided by the
//! number of entries both caches then hold (checked equal): guilds, channels, roles and
//! members (each with its user) from `guild-creates-large.txt` (10 GUILD_CREATEs of 1,000
//! members and 300 channels), messages from the MESSAGE_CREATEs of `cache-updates.txt`.
//! `all` is everything on, after the 10 GUILD_CREATEs. An empty cache's own allocations
//! (its tables' shard arrays) are measured apart and left out.
//!
//! Prints a table, and one `bench-report` line per row for `cargo xtask bench-report`.
#![allow(missing_docs)]

mod common;

use std::alloc::System;

use cap::Cap;
use svc_gateway::cache::{Cache, CacheConfig, ResourceType};
use twilight_cache_inmemory::{DefaultInMemoryCache, ResourceType as TwilightResource};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// Messages kept per channel on both sides (twilight's default).
const MESSAGES_PER_CHANNEL: usize = 100;

struct Scenario {
    name: &'static str,
    ours: CacheConfig,
    twilight: TwilightResource,
    /// Entries the bytes are divided by, read from each side.
    ours_count: fn(&Cache) -> usize,
    twilight_count: fn(&DefaultInMemoryCache) -> usize,
}

fn scenarios() -> Vec<Scenario> {
    let only = |resources: ResourceType| CacheConfig {
        messages_per_channel: MESSAGES_PER_CHANNEL,
        ..CacheConfig::new(resources)
    };
    vec![
        Scenario {
            name: "guild",
            ours: only(ResourceType::GUILD),
            twilight: TwilightResource::GUILD,
            ours_count: |c| c.stats().guilds,
            twilight_count: |c| c.stats().guilds(),
        },
        Scenario {
            name: "channel",
            ours: only(ResourceType::CHANNEL),
            twilight: TwilightResource::CHANNEL,
            ours_count: |c| c.stats().channels,
            twilight_count: |c| c.stats().channels(),
        },
        Scenario {
            name: "role",
            ours: only(ResourceType::ROLE),
            twilight: TwilightResource::ROLE,
            ours_count: |c| c.stats().roles,
            twilight_count: |c| c.stats().roles(),
        },
        Scenario {
            name: "member",
            ours: only(ResourceType::MEMBER | ResourceType::USER),
            twilight: TwilightResource::MEMBER | TwilightResource::USER,
            ours_count: |c| c.stats().members,
            twilight_count: |c| c.stats().members(),
        },
        Scenario {
            name: "message",
            ours: only(ResourceType::MESSAGE),
            twilight: TwilightResource::MESSAGE,
            ours_count: |c| c.stats().messages,
            twilight_count: |c| c.iter().messages().count(),
        },
        Scenario {
            name: "all",
            ours: only(ResourceType::all()),
            twilight: TwilightResource::all(),
            ours_count: |_| 1,
            twilight_count: |_| 1,
        },
    ]
}

/// Bytes still allocated after `fill` built a value (kept alive until measured).
fn retained<T>(fill: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATOR.allocated();
    let value = fill();
    let after = ALLOCATOR.allocated();
    (after.saturating_sub(before), value)
}

fn twilight_cache(resources: TwilightResource) -> DefaultInMemoryCache {
    DefaultInMemoryCache::builder()
        .resource_types(resources)
        .message_cache_size(MESSAGES_PER_CHANNEL)
        .build()
}

fn main() {
    let guild_lines = common::lines("guild-creates-large.txt");
    let message_lines: Vec<String> = common::lines("cache-updates.txt")
        .into_iter()
        .filter(|line| common::event_name(line) == "MESSAGE_CREATE")
        .collect();
    println!(
        "cache memory: bytes retained per entry, each resource alone (`all`: the whole cache)"
    );
    println!(
        "{:<8} {:>7} {:>14} {:>14} {:>7}",
        "entry", "count", "svc-gateway", "twilight", "ratio"
    );
    for scenario in scenarios() {
        let lines = if scenario.name == "message" {
            &message_lines
        } else {
            &guild_lines
        };
        // Both decodes happen before measuring: only what the caches keep is counted.
        let ours_events: Vec<_> = lines.iter().map(|l| common::ours(l)).collect();
        let twilight_events: Vec<_> = lines.iter().map(|l| common::twilight(l)).collect();

        // What an empty cache holds (its tables' shard arrays) is not any entry's cost.
        let (ours_empty, _) = retained(|| Cache::new(scenario.ours));
        let (twilight_empty, _) = retained(|| twilight_cache(scenario.twilight));
        let (ours_bytes, ours) = retained(|| {
            let cache = Cache::new(scenario.ours);
            for event in &ours_events {
                cache.update(event);
            }
            cache
        });
        let (twilight_bytes, twilight) = retained(|| {
            let cache = twilight_cache(scenario.twilight);
            for event in &twilight_events {
                cache.update(event);
            }
            cache
        });
        let (count, twilight_count) = (
            (scenario.ours_count)(&ours),
            (scenario.twilight_count)(&twilight),
        );
        assert_eq!(
            count, twilight_count,
            "{}: both caches must hold the same entries",
            scenario.name
        );
        assert!(count > 0, "{}: nothing cached", scenario.name);
        let ours_each = ours_bytes.saturating_sub(ours_empty) as f64 / count as f64;
        let twilight_each = twilight_bytes.saturating_sub(twilight_empty) as f64 / count as f64;
        println!(
            "{:<8} {:>7} {:>14.1} {:>14.1} {:>7.3}",
            scenario.name,
            count,
            ours_each,
            twilight_each,
            ours_each / twilight_each
        );
        println!(
            "bench-report cache_memory/{} ours={ours_each:.1} peer={twilight_each:.1}",
            scenario.name
        );
        drop((ours, twilight));
    }
}
