//! The Discord REST limiter against its peers, in the same run (issue 19, "Rate limiter").
//!
//! * `rate_limiter/uncontended`: one acquire on a bucket the limiter already knows, plus
//!   completing the ticket with the response's headers — what every REST request pays when
//!   no limit is near. Ours is [`BucketLimiter`] as svc-gateway's REST client drives it;
//!   twilight-http-ratelimiting 0.18 is twilight-http's limiter (an actor task; a permit is
//!   completed with the headers); governor's keyed limiter has no completion step, so its
//!   figure is one `check_key` on a known key (a floor rather than a like-for-like peer).
//! * `rate_limiter/contended_8_tasks`: eight tokio tasks on a two-worker runtime acquiring
//!   (and completing) on one bucket; throughput in acquires per second.
//!
//! Inputs a real client builds per request anyway (the parsed headers; twilight's owned
//! `Endpoint`) are made outside the timed region in the uncontended group, and inside it,
//! for every contender alike, in the contended one. The route is a webhook's: twilight
//! exempts webhooks from its global limit, which would otherwise bind at 65,535 per second
//! and stall its figure; ours is measured without a global limit (Discord's is 50 per
//! second, which no bench can run under), and `core_ratelimit_with_global` shows what a
//! global window that never binds adds.

#![allow(missing_docs)]

use std::hint::black_box;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use core_ratelimit::{BucketConfig, BucketLimiter, Outcome, RateLimitHeaders, RouteKey};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use governor::{DefaultKeyedRateLimiter, Quota};
use tokio::runtime::Runtime;

const TEMPLATE: &str = "POST /webhooks/{webhook_id}/{webhook_token}";
const WEBHOOK: &str = "223704706495545344";
const TWILIGHT_PATH: &str = "webhooks/223704706495545344/a0b1c2d3e4f5";
const BUCKET: &str = "80c17d2f203122d936070c88c8d10f33";
/// Contending tasks.
const TASKS: u64 = 8;

fn current_thread() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime")
}

fn two_workers() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .expect("runtime")
}

fn route() -> RouteKey {
    RouteKey::new(TEMPLATE, Some(WEBHOOK))
}

/// A known bucket that never runs out during a bench: the window is huge and long.
fn outcome() -> Outcome {
    Outcome::new(
        200,
        RateLimitHeaders {
            limit: Some(u32::MAX),
            remaining: Some(u32::MAX - 1),
            reset_after: Some(Duration::from_mins(50)),
            reset_at_epoch: Some(1_700_000_000.0),
            bucket: Some(BUCKET.to_owned()),
            ..RateLimitHeaders::default()
        },
    )
}

/// Our limiter with the bucket of [`route`] learned.
fn ours(runtime: &Runtime, config: BucketConfig) -> BucketLimiter {
    let limiter = BucketLimiter::new(config);
    runtime.block_on(async {
        limiter.acquire(&route()).await.complete(outcome());
    });
    limiter
}

fn twilight_endpoint() -> twilight_http_ratelimiting::Endpoint {
    twilight_http_ratelimiting::Endpoint {
        method: twilight_http_ratelimiting::Method::Post,
        path: TWILIGHT_PATH.to_owned(),
    }
}

fn twilight_headers() -> twilight_http_ratelimiting::RateLimitHeaders {
    twilight_http_ratelimiting::RateLimitHeaders {
        bucket: BUCKET.as_bytes().to_vec(),
        limit: u16::MAX,
        remaining: u16::MAX - 1,
        reset_at: std::time::Instant::now() + Duration::from_mins(50),
    }
}

/// twilight's limiter (its actor runs on `runtime`) with the bucket learned.
fn twilight(runtime: &Runtime) -> twilight_http_ratelimiting::RateLimiter {
    runtime.block_on(async {
        let limiter = twilight_http_ratelimiting::RateLimiter::new(u16::MAX);
        let headers = twilight_headers();
        limiter
            .acquire(twilight_endpoint())
            .await
            .complete(Some(headers));
        // Let the actor file the headers before the first measured acquire.
        tokio::task::yield_now().await;
        limiter
    })
}

fn governor() -> DefaultKeyedRateLimiter<RouteKey> {
    let limiter = governor::RateLimiter::keyed(Quota::per_second(NonZeroU32::MAX));
    // Known key: its state exists before the measured calls.
    black_box(limiter.check_key(&route()).is_ok());
    limiter
}

fn uncontended(c: &mut Criterion) {
    let runtime = current_thread();
    let mut group = c.benchmark_group("rate_limiter/uncontended");

    let limiter = ours(&runtime, BucketConfig::default());
    let route = route();
    group.bench_function("core_ratelimit", |b| {
        b.to_async(&runtime).iter_batched(
            outcome,
            |outcome| async {
                limiter.acquire(&route).await.complete(outcome);
            },
            BatchSize::SmallInput,
        );
    });

    let with_global = ours(
        &runtime,
        BucketConfig {
            global: Some((u32::MAX, Duration::from_secs(1))),
            ..BucketConfig::default()
        },
    );
    group.bench_function("core_ratelimit_with_global", |b| {
        b.to_async(&runtime).iter_batched(
            outcome,
            |outcome| async {
                with_global.acquire(&route).await.complete(outcome);
            },
            BatchSize::SmallInput,
        );
    });

    let keyed = governor();
    group.bench_function("governor_keyed", |b| {
        b.iter(|| black_box(keyed.check_key(&route).is_ok()));
    });

    let peer = twilight(&runtime);
    group.bench_function("twilight", |b| {
        b.to_async(&runtime).iter_batched(
            || (twilight_endpoint(), twilight_headers()),
            |(endpoint, headers)| async {
                peer.acquire(endpoint).await.complete(Some(headers));
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

/// Runs `task` on [`TASKS`] tasks at once, `iters` calls in all, and returns the wall time.
fn race<F, Fut>(runtime: &Runtime, iters: u64, task: F) -> Duration
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let per_task = iters.div_ceil(TASKS);
    runtime.block_on(async {
        let start = std::time::Instant::now();
        let handles: Vec<_> = (0..TASKS).map(|_| tokio::spawn(task(per_task))).collect();
        for handle in handles {
            handle.await.expect("bench task");
        }
        start.elapsed()
    })
}

fn contended(c: &mut Criterion) {
    let runtime = two_workers();
    let mut group = c.benchmark_group("rate_limiter/contended_8_tasks");
    group.throughput(Throughput::Elements(1));

    let limiter = ours(&runtime, BucketConfig::default());
    let route = route();
    group.bench_function("core_ratelimit", |b| {
        b.iter_custom(|iters| {
            race(&runtime, iters, |calls| {
                let (limiter, route) = (limiter.clone(), route.clone());
                async move {
                    for _ in 0..calls {
                        let outcome = outcome();
                        limiter.acquire(&route).await.complete(outcome);
                    }
                }
            })
        });
    });

    let keyed = Arc::new(governor());
    group.bench_function("governor_keyed", |b| {
        b.iter_custom(|iters| {
            race(&runtime, iters, |calls| {
                let (keyed, route) = (Arc::clone(&keyed), route.clone());
                async move {
                    for _ in 0..calls {
                        black_box(keyed.check_key(&route).is_ok());
                    }
                }
            })
        });
    });

    let peer = twilight(&runtime);
    group.bench_function("twilight", |b| {
        b.iter_custom(|iters| {
            race(&runtime, iters, |calls| {
                let peer = peer.clone();
                async move {
                    for _ in 0..calls {
                        let (endpoint, headers) = (twilight_endpoint(), twilight_headers());
                        peer.acquire(endpoint).await.complete(Some(headers));
                    }
                }
            })
        });
    });
    group.finish();
}

criterion_group!(benches, uncontended, contended);
criterion_main!(benches);
