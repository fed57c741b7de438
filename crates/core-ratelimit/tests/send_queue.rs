//! SendQueue: heartbeats never wait behind normal sends; the total never exceeds the limit.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{max_in_any_window, nz};
use core_ratelimit::{Priority, SendQueue};
use tokio::time::{Instant, sleep};

const SECOND: Duration = Duration::from_secs(1);

type Log = Arc<Mutex<Vec<(Priority, Instant)>>>;

fn spawn_normal_flood(
    queue: &SendQueue,
    log: &Log,
    tasks: usize,
    sends: usize,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..tasks)
        .map(|_| {
            let queue = queue.clone();
            let log = Arc::clone(log);
            tokio::spawn(async move {
                for _ in 0..sends {
                    queue.acquire(Priority::Normal).await;
                    log.lock().unwrap().push((Priority::Normal, Instant::now()));
                }
            })
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_heartbeat_gets_through_while_normal_sends_saturate() {
    let queue = SendQueue::new(nz(10), SECOND, 2);
    let log: Log = Arc::default();
    let flood = spawn_normal_flood(&queue, &log, 6, 20);

    // Every 600 ms for 6 s (never more than 2 heartbeats in one window), with normal senders
    // queued the whole time, a heartbeat is admitted without waiting at all.
    for _ in 0..10 {
        sleep(Duration::from_millis(600)).await;
        assert!(
            queue.try_acquire(Priority::Normal).is_err(),
            "normal traffic saturates"
        );
        let before = Instant::now();
        queue.acquire(Priority::High).await;
        assert_eq!(before.elapsed(), Duration::ZERO, "heartbeat waited");
        log.lock().unwrap().push((Priority::High, Instant::now()));
    }
    for task in flood {
        task.await.unwrap();
    }

    let log = log.lock().unwrap();
    let all: Vec<Instant> = log.iter().map(|&(_, t)| t).collect();
    let normal: Vec<Instant> = log
        .iter()
        .filter(|(p, _)| *p == Priority::Normal)
        .map(|&(_, t)| t)
        .collect();
    assert_eq!(normal.len(), 120);
    assert!(max_in_any_window(&all, SECOND) <= 10);
    assert_eq!(max_in_any_window(&normal, SECOND), 8);
}

#[tokio::test(start_paused = true)]
async fn heartbeats_beyond_the_reservation_wait_only_for_the_window() {
    let queue = SendQueue::new(nz(10), SECOND, 2);
    let log: Log = Arc::default();
    let flood = spawn_normal_flood(&queue, &log, 4, 10);
    sleep(Duration::from_millis(250)).await;
    let start = Instant::now();
    queue.acquire(Priority::High).await;
    queue.acquire(Priority::High).await;
    assert_eq!(start.elapsed(), Duration::ZERO);
    // The window is full (8 normal + 2 high): the third waits for the t=0 sends to leave it,
    // and no longer, even though normal senders are queued for those slots too.
    queue.acquire(Priority::High).await;
    let waited = start.elapsed();
    assert!(
        waited > Duration::from_millis(750) && waited <= Duration::from_millis(752),
        "{waited:?}"
    );
    log.lock().unwrap().push((Priority::High, Instant::now()));
    for task in flood {
        task.await.unwrap();
    }
    let all: Vec<Instant> = log.lock().unwrap().iter().map(|&(_, t)| t).collect();
    assert!(max_in_any_window(&all, SECOND) <= 10);
}

#[tokio::test(start_paused = true)]
async fn normal_sends_use_only_the_unreserved_share() {
    let queue = SendQueue::new(nz(120), Duration::from_mins(1), 5);
    for _ in 0..115 {
        queue.try_acquire(Priority::Normal).unwrap();
    }
    let wait = queue.try_acquire(Priority::Normal).unwrap_err();
    assert!(wait.0 > Duration::from_secs(59));
    for _ in 0..5 {
        queue.try_acquire(Priority::High).unwrap();
    }
    assert!(queue.try_acquire(Priority::High).is_err());
}

#[tokio::test(start_paused = true)]
async fn a_reservation_of_the_whole_limit_leaves_normal_traffic_one_slot() {
    let queue = SendQueue::new(nz(3), SECOND, 7);
    assert_eq!(queue.reserved(), 2);
    assert_eq!(queue.limit(), 3);
    queue.acquire(Priority::Normal).await;
    let start = Instant::now();
    queue.acquire(Priority::Normal).await;
    assert!(start.elapsed() > SECOND && start.elapsed() < Duration::from_millis(1010));
}

#[test]
fn send_queue_is_send_sync_and_clone() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug>() {}
    check::<SendQueue>();
}
