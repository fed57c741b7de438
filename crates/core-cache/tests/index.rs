//! `Index`: a concurrent map with a size estimate.

use std::{collections::BTreeSet, mem::size_of};

use core_cache::Index;

#[test]
fn insert_get_remove_and_len() {
    let index: Index<String, u64> = Index::new();
    assert!(index.is_empty());
    assert_eq!(index.insert("general".to_owned(), 1), None);
    assert_eq!(index.insert("general".to_owned(), 2), Some(1));
    index.insert("random".to_owned(), 3);

    assert_eq!(index.len(), 2);
    assert_eq!(index.get("general"), Some(2));
    assert!(index.contains_key("random"));
    assert_eq!(index.read("random", |v| v * 10), Some(30));
    assert_eq!(index.remove("general"), Some(2));
    assert_eq!(index.get("general"), None);
    assert_eq!(index.read("general", |v| *v), None);
    assert_eq!(index.len(), 1);

    index.clear();
    assert!(index.is_empty());
}

#[test]
fn retain_keeps_only_matching_entries() {
    let index = Index::new();
    for n in 0..10_u32 {
        index.insert(n, n * n);
    }
    index.retain(|key, value| {
        *value += 1;
        key % 2 == 0
    });
    assert_eq!(index.len(), 5);
    assert_eq!(index.get(&4), Some(17));
    assert_eq!(index.get(&3), None);
}

#[test]
fn modify_changes_only_present_entries() {
    let index: Index<u64, Vec<u64>> = Index::new();
    index.insert(1, vec![10]);
    assert_eq!(
        index.modify(&1, |ids| {
            ids.push(11);
            ids.len()
        }),
        Some(2)
    );
    assert_eq!(index.modify(&2, |ids| ids.push(20)), None);
    assert!(!index.contains_key(&2), "modify never creates an entry");
    assert_eq!(index.get(&1), Some(vec![10, 11]));
}

#[test]
fn for_each_visits_every_entry_under_shared_locks() {
    let index: Index<u64, u64> = Index::new();
    for n in 0..1_000 {
        index.insert(n, n * 2);
    }
    let mut seen = Vec::new();
    index.for_each(|key, value| seen.push((*key, *value)));
    seen.sort_unstable();
    assert_eq!(seen, (0..1_000).map(|n| (n, n * 2)).collect::<Vec<_>>());

    // Shared locks: walking the index while a read of one of its keys is in progress
    // (here on the same thread) completes. A walk that write-locked its shards (as
    // `retain` does) would wait forever on that read, so it runs on a thread and the
    // test fails after a generous timeout instead of hanging.
    let index = std::sync::Arc::new(index);
    let (done, finished) = std::sync::mpsc::channel();
    let walker = std::sync::Arc::clone(&index);
    std::thread::spawn(move || {
        let visited = walker.read(&500, |_| {
            let mut n = 0;
            walker.for_each(|_, _| n += 1);
            n
        });
        let _ = done.send(visited);
    });
    let visited = finished
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("for_each completed inside a read of the same index");
    assert_eq!(visited, Some(1_000));
}

#[test]
fn concurrent_upserts_lose_no_writes() {
    const THREADS: u64 = 8;
    const PER_THREAD: u64 = 500;
    let channels_by_guild: Index<u64, BTreeSet<u64>> = Index::new();

    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let index = &channels_by_guild;
            scope.spawn(move || {
                for n in 0..PER_THREAD {
                    // Every thread writes into the same 4 guilds.
                    index.upsert(n % 4, |channels| {
                        channels.insert(thread * PER_THREAD + n);
                    });
                }
            });
        }
    });

    assert_eq!(channels_by_guild.len(), 4);
    let total: usize = (0..4)
        .map(|guild| channels_by_guild.read(&guild, BTreeSet::len).unwrap())
        .sum();
    assert_eq!(total, (THREADS * PER_THREAD) as usize);
    assert_eq!(channels_by_guild.get(&0).unwrap().first(), Some(&0));
}

#[test]
fn approx_memory_tracks_growth_and_is_at_least_the_slots() {
    let index: Index<u64, [u64; 4]> = Index::new();
    let empty = index.approx_memory_bytes();
    for n in 0..1_000 {
        index.insert(n, [n; 4]);
    }
    let full = index.approx_memory_bytes();
    assert!(full > empty);
    assert!(full >= 1_000 * size_of::<(u64, [u64; 4])>(), "{full}");

    let presized: Index<u64, u64> = Index::with_capacity(4_096);
    assert!(presized.approx_memory_bytes() >= 4_096 * size_of::<(u64, u64)>());
}
