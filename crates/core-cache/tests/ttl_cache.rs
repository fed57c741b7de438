//! `TtlCache`: per-entry TTL on the Tokio clock, capacity, weights, stats.

use std::time::Duration;

use core_cache::{CacheStats, TtlCache};
use tokio::time::{Instant, advance};

const MINUTE: Duration = Duration::from_mins(1);
const SECOND: Duration = Duration::from_secs(1);

#[tokio::test(start_paused = true)]
async fn an_entry_lives_exactly_its_ttl() {
    let cache = TtlCache::new(100);
    cache.insert_with_ttl("clan".to_owned(), 1, MINUTE).await;

    advance(Duration::from_millis(59_999)).await;
    assert_eq!(cache.get("clan").await, Some(1));
    advance(Duration::from_millis(1)).await;
    assert_eq!(cache.get("clan").await, None);
}

#[tokio::test(start_paused = true)]
async fn entries_expire_independently() {
    let cache = TtlCache::new(100);
    cache.insert_with_ttl(1_u32, "short", 10 * SECOND).await;
    cache.insert_with_ttl(2_u32, "long", MINUTE).await;
    advance(10 * SECOND).await;
    assert_eq!(cache.get(&1).await, None);
    assert_eq!(cache.get(&2).await, Some("long"));
}

#[tokio::test(start_paused = true)]
async fn replacing_a_value_replaces_its_ttl() {
    let cache = TtlCache::new(100);
    cache.insert_with_ttl("k".to_owned(), 1, 10 * SECOND).await;
    advance(8 * SECOND).await;
    cache.insert_with_ttl("k".to_owned(), 2, 10 * SECOND).await;
    advance(8 * SECOND).await;
    assert_eq!(
        cache.get("k").await,
        Some(2),
        "the new TTL counts from the replacement"
    );

    cache.insert_with_ttl("k".to_owned(), 3, SECOND).await;
    advance(SECOND).await;
    assert_eq!(cache.get("k").await, None, "a shorter TTL shortens it too");
}

#[tokio::test(start_paused = true)]
async fn insert_uses_the_default_ttl_or_keeps_forever_without_one() {
    let with_default = TtlCache::builder(100).default_ttl(MINUTE).build();
    let without = TtlCache::new(100);
    with_default.insert("k".to_owned(), 1).await;
    without.insert("k".to_owned(), 1).await;

    advance(MINUTE).await;
    assert_eq!(with_default.get("k").await, None);
    advance(Duration::from_hours(24 * 365)).await;
    assert_eq!(without.get("k").await, Some(1));
}

#[tokio::test(start_paused = true)]
async fn a_zero_ttl_stores_nothing_and_drops_the_previous_value() {
    let cache = TtlCache::new(100);
    cache.insert_with_ttl("k".to_owned(), 1, MINUTE).await;
    cache
        .insert_with_ttl("k".to_owned(), 2, Duration::ZERO)
        .await;
    assert_eq!(cache.get("k").await, None);
    cache.run_pending_tasks().await;
    assert_eq!(cache.entry_count(), 0);

    let zero_default = TtlCache::builder(100).default_ttl(Duration::ZERO).build();
    zero_default.insert("k".to_owned(), 1).await;
    advance(Duration::from_hours(1)).await;
    assert_eq!(
        zero_default.get("k").await,
        Some(1),
        "a zero default TTL is ignored"
    );
}

#[tokio::test(start_paused = true)]
async fn get_with_deadline_reports_when_to_refetch() {
    let cache = TtlCache::new(100);
    let inserted_at = Instant::now();
    cache
        .insert_with_ttl("war".to_owned(), "state", 5 * MINUTE)
        .await;
    cache.insert("forever".to_owned(), "x").await;
    advance(MINUTE).await;

    assert_eq!(
        cache.get_with_deadline("war").await,
        Some(("state", Some(inserted_at + 5 * MINUTE)))
    );
    assert_eq!(cache.get_with_deadline("forever").await, Some(("x", None)));
    assert_eq!(cache.get_with_deadline("absent").await, None);
}

#[tokio::test(start_paused = true)]
async fn a_huge_ttl_does_not_overflow() {
    let cache = TtlCache::new(100);
    cache
        .insert_with_ttl("k".to_owned(), 1, Duration::MAX)
        .await;
    advance(Duration::from_hours(24 * 365 * 100)).await;
    assert_eq!(cache.get("k").await, Some(1));
}

#[tokio::test(start_paused = true)]
async fn reading_an_expired_entry_removes_it() {
    let cache = TtlCache::new(100);
    for key in 0..10_u32 {
        cache
            .insert_with_ttl(key, key, if key < 4 { SECOND } else { MINUTE })
            .await;
    }
    cache.run_pending_tasks().await;
    assert_eq!(cache.entry_count(), 10);

    advance(SECOND).await;
    for key in 0..10_u32 {
        let expected = (key >= 4).then_some(key);
        assert_eq!(cache.get(&key).await, expected);
    }
    cache.run_pending_tasks().await;
    let stats = cache.stats();
    assert_eq!((stats.entries, stats.weighted_size), (6, 6));
}

#[tokio::test]
async fn invalidate_and_invalidate_all() {
    let cache: TtlCache<String, u32> = TtlCache::new(100);
    cache.insert("a".to_owned(), 1).await;
    cache.insert("b".to_owned(), 2).await;
    cache.insert("c".to_owned(), 3).await;

    cache.invalidate("a").await;
    assert_eq!(cache.get("a").await, None);
    assert_eq!(cache.get("b").await, Some(2));

    cache.invalidate_all();
    assert_eq!(cache.get("b").await, None);
    assert_eq!(cache.get("c").await, None);
    cache.run_pending_tasks().await;
    assert_eq!(cache.entry_count(), 0);
}

#[tokio::test]
async fn capacity_bounds_the_entry_count() {
    let cache = TtlCache::new(10);
    for key in 0..500_u32 {
        cache.insert(key, key).await;
    }
    cache.run_pending_tasks().await;
    let stats = cache.stats();
    assert!(stats.entries <= 10, "{stats:?}");
    assert!(stats.entries > 0, "{stats:?}");
}

#[tokio::test]
async fn a_weigher_sets_weighted_size_and_bounds_it() {
    let cache = TtlCache::builder(1_000)
        .weigher(|_key: &u32, body: &String| body.len() as u32)
        .build();
    cache.insert(1, "x".repeat(100)).await;
    cache.insert(2, "y".repeat(250)).await;
    cache.run_pending_tasks().await;
    let stats = cache.stats();
    assert_eq!((stats.entries, stats.weighted_size), (2, 350));

    for key in 3..50 {
        cache.insert(key, "z".repeat(100)).await;
    }
    cache.run_pending_tasks().await;
    assert!(cache.weighted_size() <= 1_000, "{:?}", cache.stats());
}

/// Bytes and entries are capped at once: many large values stay within the
/// byte capacity...
#[tokio::test]
async fn with_max_entries_large_values_stay_within_the_weight_cap() {
    let cache = TtlCache::builder(10_000)
        .weigher(|_key: &u32, body: &Vec<u8>| u32::try_from(body.len()).unwrap_or(u32::MAX))
        .max_entries(100)
        .build();
    for key in 0..200 {
        cache.insert(key, vec![0_u8; 1_500]).await;
    }
    cache.run_pending_tasks().await;
    let stats = cache.stats();
    assert!(stats.weighted_size <= 10_000, "{stats:?}");
    assert!(stats.entries <= 6, "{stats:?}");
    assert!(stats.entries > 0, "{stats:?}");
}

/// ...and many tiny values stay within the entry cap, though their bytes
/// alone would fit many times over.
#[tokio::test]
async fn with_max_entries_tiny_values_stay_within_the_entry_cap() {
    let cache = TtlCache::builder(1_000_000)
        .weigher(|_key: &u32, body: &Vec<u8>| u32::try_from(body.len()).unwrap_or(u32::MAX))
        .max_entries(50)
        .build();
    for key in 0..1_000 {
        cache.insert(key, vec![0_u8; 10]).await;
    }
    cache.run_pending_tasks().await;
    let stats = cache.stats();
    assert!(stats.entries <= 50, "{stats:?}");
    assert!(stats.entries > 0, "{stats:?}");
    assert!(stats.weighted_size <= 1_000_000, "{stats:?}");

    let unweighed = TtlCache::builder(1_000).max_entries(20).build();
    for key in 0..100_u32 {
        unweighed.insert(key, key).await;
    }
    unweighed.run_pending_tasks().await;
    assert!(unweighed.entry_count() <= 20, "{:?}", unweighed.stats());
}

#[tokio::test]
async fn without_a_weigher_every_entry_weighs_one() {
    let cache = TtlCache::new(100);
    for key in 0..7_u8 {
        cache.insert(key, vec![0_u8; 1000]).await;
    }
    cache.run_pending_tasks().await;
    assert_eq!(cache.weighted_size(), 7);
    assert_eq!(cache.entry_count(), 7);
}

#[tokio::test]
async fn clones_share_entries() {
    let cache = TtlCache::new(10);
    let clone = cache.clone();
    clone.insert(1_u8, "shared").await;
    assert_eq!(cache.get(&1).await, Some("shared"));
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<TtlCache<String, String>>();
    assert_send_sync::<core_cache::Index<u64, Vec<u64>>>();
    assert_send_sync::<core_cache::CacheControl>();
    assert_send_sync::<CacheStats>();
}
