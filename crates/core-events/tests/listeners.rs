//! `on` / `on_async`: ordering, typing, lag, panics, unsubscribing.

mod common;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use common::{Event, Message, message, settle};
use core_events::EventHub;
use tokio::sync::{Notify, mpsc};

#[tokio::test]
async fn on_runs_once_per_event_in_publish_order() {
    let hub = EventHub::<u32>::new();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let _listener = hub.on(move |n: u32| tx.send(n).unwrap());

    for n in 0..100 {
        assert_eq!(hub.publish(n), 1);
    }
    let mut seen = Vec::new();
    while seen.len() < 100 {
        seen.push(rx.recv().await.unwrap());
    }
    assert_eq!(seen, (0..100).collect::<Vec<_>>());
    settle().await;
    assert!(rx.try_recv().is_err(), "each event handled exactly once");
}

#[tokio::test]
async fn typed_on_only_sees_its_payload_type() {
    let hub = EventHub::<Event>::new();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let _listener = hub.on::<Message>(move |m| tx.send(m).unwrap());

    hub.publish(Event::Ready { session: 1 });
    hub.publish(message(7, 1));
    hub.publish(Event::Ready { session: 2 });
    hub.publish(message(8, 2));
    drop(hub);

    let mut seen = Vec::new();
    while let Some(m) = rx.recv().await {
        seen.push(m);
    }
    assert_eq!(
        seen,
        vec![
            Message { channel: 7, seq: 1 },
            Message { channel: 8, seq: 2 }
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn on_async_awaits_each_handler_before_the_next_event() {
    let hub = EventHub::<u64>::new();
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    let _listener = hub.on_async(move |n: u64| {
        let sink = Arc::clone(&sink);
        async move {
            sink.lock().unwrap().push(("start", n));
            // Later events sleep less: without sequencing they would finish first.
            tokio::time::sleep(Duration::from_secs(10 - n)).await;
            sink.lock().unwrap().push(("end", n));
        }
    });

    for n in 0..3 {
        hub.publish(n);
    }
    tokio::time::sleep(Duration::from_mins(1)).await;

    assert_eq!(
        *log.lock().unwrap(),
        vec![
            ("start", 0),
            ("end", 0),
            ("start", 1),
            ("end", 1),
            ("start", 2),
            ("end", 2)
        ]
    );
}

#[tokio::test]
async fn typed_on_async_with_turbofish() {
    let hub = EventHub::<Event>::new();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let _listener = hub.on_async::<Message, _>(move |m| {
        let tx = tx.clone();
        async move { tx.send(m.seq).unwrap() }
    });
    hub.publish(Event::Ready { session: 3 });
    hub.publish(message(1, 42));
    assert_eq!(rx.recv().await, Some(42));
}

#[tokio::test]
async fn publish_with_no_subscribers_is_fine() {
    let hub = EventHub::<String>::new();
    assert_eq!(hub.publish("nobody listens".to_owned()), 0);
    assert_eq!(hub.stats().receivers, 0);

    // A later subscriber starts from "now", not from the unheard event.
    let mut stream = hub.stream();
    assert_eq!(hub.publish("heard".to_owned()), 1);
    drop(hub);
    let items: Vec<_> = tokio_stream::StreamExt::collect(&mut stream).await;
    assert_eq!(items, vec![Ok("heard".to_owned())]);
}

#[tokio::test]
async fn publish_never_blocks_on_a_stalled_listener_and_lag_is_counted_exactly() {
    const CAPACITY: usize = 8;
    const BURST: u32 = 10 * CAPACITY as u32;
    let hub = EventHub::<u32>::with_capacity(CAPACITY).unwrap();
    let gate = Arc::new(Notify::new());
    let (started_tx, mut started_rx) = mpsc::unbounded_channel();
    let (seen_tx, mut seen_rx) = mpsc::unbounded_channel();
    let wait_gate = Arc::clone(&gate);
    let listener = hub.on_async(move |n: u32| {
        let (gate, started, seen) = (Arc::clone(&wait_gate), started_tx.clone(), seen_tx.clone());
        async move {
            if n == 0 {
                started.send(()).unwrap();
                gate.notified().await;
            }
            seen.send(n).unwrap();
        }
    });

    hub.publish(0);
    started_rx.recv().await.unwrap(); // the handler is now stuck inside event 0

    // Ten times the buffer, synchronously, with the only consumer stalled: this
    // loop finishing at all is the "never blocks" assertion.
    for n in 1..=BURST {
        assert_eq!(hub.publish(n), 1);
    }

    gate.notify_one();
    let mut seen = Vec::new();
    while seen.len() < 1 + CAPACITY {
        seen.push(seen_rx.recv().await.unwrap());
    }
    let expected_tail: Vec<u32> = (BURST - CAPACITY as u32 + 1..=BURST).collect();
    assert_eq!(seen[0], 0);
    assert_eq!(&seen[1..], expected_tail.as_slice());

    let missed = u64::from(BURST) - CAPACITY as u64;
    assert_eq!(listener.missed(), missed);
    assert_eq!(hub.stats().missed, missed);

    // And it keeps going after the lag.
    hub.publish(1000);
    assert_eq!(seen_rx.recv().await, Some(1000));
}

#[tokio::test]
async fn a_panicking_handler_keeps_its_listener_and_the_hub_alive() {
    let hub = EventHub::<u32>::new();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let listener = hub.on(move |n: u32| {
        assert!(n != 13, "unlucky event");
        tx.send(n).unwrap();
    });
    let (async_tx, mut async_rx) = mpsc::unbounded_channel();
    let async_listener = hub.on_async(move |n: u32| {
        let tx = async_tx.clone();
        async move {
            tokio::task::yield_now().await;
            assert!(n != 13, "unlucky async event");
            tx.send(n).unwrap();
        }
    });

    for n in [12, 13, 14] {
        hub.publish(n);
    }
    assert_eq!(rx.recv().await, Some(12));
    assert_eq!(rx.recv().await, Some(14));
    assert_eq!(async_rx.recv().await, Some(12));
    assert_eq!(async_rx.recv().await, Some(14));

    assert_eq!(listener.panics(), 1);
    assert_eq!(async_listener.panics(), 1);
    assert_eq!(hub.stats().handler_panics, 2);
    assert!(!listener.is_finished());
    assert_eq!(hub.publish(15), 2);
}

#[tokio::test]
async fn dropping_or_cancelling_a_listener_unsubscribes_it() {
    let hub = EventHub::<u32>::new();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let tx2 = tx.clone();
    let dropped = hub.on(move |n: u32| tx.send(("dropped", n)).unwrap());
    let cancelled = hub.on(move |n: u32| tx2.send(("cancelled", n)).unwrap());
    assert_eq!(hub.stats().receivers, 2);

    drop(dropped);
    cancelled.cancel();
    settle().await;
    assert_eq!(hub.stats().receivers, 0);
    assert_eq!(hub.publish(1), 0);
    settle().await;
    assert!(rx.try_recv().is_err());
}

#[tokio::test]
async fn a_detached_listener_runs_until_the_hub_closes() {
    let hub = EventHub::<u32>::new();
    let (tx, mut rx) = mpsc::unbounded_channel();
    hub.on(move |n: u32| tx.send(n).unwrap()).detach();

    hub.publish(5);
    assert_eq!(rx.recv().await, Some(5));
    drop(hub);
    // The task ends and drops its sender once every hub handle is gone.
    assert_eq!(rx.recv().await, None);
}

#[tokio::test]
async fn a_listener_finishes_when_every_hub_clone_is_dropped() {
    let hub = EventHub::<u32>::new();
    let clone = hub.clone();
    let listener = hub.on(|_: u32| {});
    drop(hub);
    settle().await;
    assert!(!listener.is_finished(), "a clone still holds the hub open");
    clone.publish(1);
    drop(clone);
    settle().await;
    assert!(listener.is_finished());
}
