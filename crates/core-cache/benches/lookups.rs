//! Hot-path costs: parsing a `Cache-Control` header, cache hits, index hits.

#![allow(missing_docs)]

use std::{hint::black_box, sync::Arc, time::Duration};

use core_cache::{CacheControl, Index, TtlCache};
use criterion::{Criterion, criterion_group, criterion_main};

fn cache_control(c: &mut Criterion) {
    let mut group = c.benchmark_group("cache_control");
    for header in [
        "max-age=600",
        "public, max-age=600",
        "private, no-cache=\"Set-Cookie\", must-revalidate, max-age=0",
    ] {
        group.bench_function(header, |b| {
            b.iter(|| black_box(CacheControl::parse(black_box(header))));
        });
    }
    group.finish();
}

fn hits(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let cache: TtlCache<String, Arc<str>> = TtlCache::new(10_000);
    runtime.block_on(async {
        for n in 0..1_000 {
            cache
                .insert_with_ttl(format!("#TAG{n}"), "{}".into(), Duration::from_hours(1))
                .await;
        }
    });
    c.bench_function("ttl_cache/get_hit", |b| {
        b.to_async(&runtime)
            .iter(|| async { black_box(cache.get("#TAG500").await) });
    });

    let index: Index<u64, u64> = Index::new();
    for n in 0..1_000 {
        index.insert(n, n);
    }
    c.bench_function("index/get_hit", |b| {
        b.iter(|| black_box(index.get(black_box(&500))));
    });
}

criterion_group!(benches, cache_control, hits);
criterion_main!(benches);
