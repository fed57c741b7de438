//! IdentifyQueue: max_concurrency buckets, one start per bucket per period.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::nz;
use core_ratelimit::IdentifyQueue;
use tokio::time::Instant;

const PERIOD: Duration = Duration::from_secs(5);

#[tokio::test(start_paused = true)]
async fn sixteen_shards_start_four_at_a_time_every_five_seconds() {
    let queue = IdentifyQueue::new(nz(4), PERIOD);
    let start = Instant::now();
    let starts = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = (0..16_u64)
        .map(|shard| {
            let queue = queue.clone();
            let starts = Arc::clone(&starts);
            tokio::spawn(async move {
                queue.acquire(shard).await;
                starts.lock().unwrap().push((shard, Instant::now()));
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let mut starts = starts.lock().unwrap().clone();
    starts.sort_by_key(|&(shard, at)| (at, shard));
    assert_eq!(starts.len(), 16);

    for (round, group) in starts.chunks(4).enumerate() {
        let at = group[0].1;
        // Four shards start together, one from each bucket...
        assert!(
            group.iter().all(|&(_, t)| t == at),
            "round {round}: {group:?}"
        );
        let mut buckets: Vec<u64> = group.iter().map(|&(shard, _)| shard % 4).collect();
        buckets.sort_unstable();
        assert_eq!(buckets, [0, 1, 2, 3]);
        // ...in arrival order within each bucket, every 5 s.
        let shards: Vec<u64> = group.iter().map(|&(shard, _)| shard).collect();
        assert_eq!(
            shards,
            (round as u64 * 4..round as u64 * 4 + 4).collect::<Vec<_>>()
        );
        let offset = at - start;
        let expected = PERIOD * round as u32;
        assert!(
            offset >= expected && offset <= expected + Duration::from_millis(5 * round as u64 + 5),
            "round {round} at {offset:?}"
        );
    }

    // Never two starts of one bucket within 5 s.
    let mut by_bucket: HashMap<u64, Vec<Instant>> = HashMap::new();
    for &(shard, at) in &starts {
        by_bucket.entry(shard % 4).or_default().push(at);
    }
    for (bucket, times) in by_bucket {
        for pair in times.windows(2) {
            assert!(pair[1] - pair[0] > PERIOD, "bucket {bucket}: {pair:?}");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn buckets_are_shard_id_modulo_max_concurrency() {
    let queue = IdentifyQueue::new(nz(16), PERIOD);
    assert_eq!(queue.max_concurrency(), 16);
    assert_eq!(queue.period(), PERIOD);
    assert_eq!(queue.bucket_of(0), 0);
    assert_eq!(queue.bucket_of(17), 1);
    assert_eq!(queue.bucket_of(u64::MAX), (u64::MAX % 16) as u32);
    // Shards 3 and 19 share bucket 3: the second waits a full period.
    let start = Instant::now();
    queue.acquire(3).await;
    queue.acquire(4).await;
    assert_eq!(start.elapsed(), Duration::ZERO);
    queue.acquire(19).await;
    assert!(start.elapsed() > PERIOD);
}

#[test]
fn identify_queue_is_send_sync_and_clone() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug>() {}
    check::<IdentifyQueue>();
}
