//! `once` and `wait_for`.

mod common;

use std::time::Duration;

use common::{Event, Message, message};
use core_events::{ErrorKind, EventHub};
use tokio::time::Instant;

#[tokio::test]
async fn once_resolves_to_the_first_matching_event() {
    let hub = EventHub::<u32>::new();
    let big = hub.once(|n: &u32| *n > 10);
    for n in [3, 11, 12] {
        hub.publish(n);
    }
    assert_eq!(big.await.unwrap(), 11);
}

#[tokio::test]
async fn once_subscribes_when_called_not_when_polled() {
    let hub = EventHub::<u32>::new();
    let first = hub.once(|_: &u32| true);
    hub.publish(1); // published before the future is ever polled
    assert_eq!(first.await.unwrap(), 1);
}

#[tokio::test]
async fn typed_once_picks_the_payload_out_of_the_enum() {
    let hub = EventHub::<Event>::new();
    let in_channel_9 = hub.once::<Message>(|m| m.channel == 9);
    hub.publish(Event::Ready { session: 1 });
    hub.publish(message(8, 1));
    hub.publish(message(9, 2));
    assert_eq!(in_channel_9.await.unwrap(), Message { channel: 9, seq: 2 });
}

#[tokio::test]
async fn once_fails_with_closed_when_the_hub_goes_away() {
    let hub = EventHub::<u32>::new();
    let never = hub.once(|n: &u32| *n == 99);
    hub.publish(1);
    drop(hub);
    let err = never.await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Closed);
    assert!(err.to_string().contains("closed"));
}

#[tokio::test(start_paused = true)]
async fn wait_for_returns_a_match_that_arrives_before_the_deadline() {
    let hub = EventHub::<Event>::new();
    let publisher = hub.clone();
    let start = Instant::now();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(4)).await;
        publisher.publish(Event::Ready { session: 1 });
        tokio::time::sleep(Duration::from_secs(1)).await;
        publisher.publish(Event::Ready { session: 2 });
    });

    let ready = hub
        .wait_for(
            |e: &Event| matches!(e, Event::Ready { session: 2 }),
            Duration::from_secs(30),
        )
        .await
        .unwrap();
    assert_eq!(ready, Event::Ready { session: 2 });
    assert_eq!(start.elapsed(), Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn wait_for_times_out_exactly_at_the_deadline() {
    let hub = EventHub::<u32>::new();
    let start = Instant::now();
    let _keep_publishing = {
        let hub = hub.clone();
        tokio::spawn(async move {
            for n in 0.. {
                hub.publish(n % 5); // never the awaited value
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let err = hub
        .wait_for(|n: &u32| *n == 7, Duration::from_secs(3))
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Timeout {
            after: Duration::from_secs(3)
        }
    );
    assert_eq!(start.elapsed(), Duration::from_secs(3));
}

#[tokio::test(start_paused = true)]
async fn wait_for_counts_from_the_call_not_the_first_poll() {
    let hub = EventHub::<u32>::new();
    let start = Instant::now();
    let waiting = hub.wait_for(|_: &u32| true, Duration::from_secs(2));
    tokio::time::sleep(Duration::from_secs(1)).await;
    let err = waiting.await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Timeout { .. }));
    assert_eq!(start.elapsed(), Duration::from_secs(2));
}

#[tokio::test]
async fn a_lagging_wait_is_counted_and_still_finds_a_later_match() {
    let hub = EventHub::<u32>::with_capacity(4).unwrap();
    let found = hub.once(|n: &u32| *n == 100);
    for n in 0..10 {
        hub.publish(n);
    }
    hub.publish(100);
    assert_eq!(found.await.unwrap(), 100);
    // 11 published, 4 buffered when the wait first looked: 7 dropped for it.
    assert_eq!(hub.stats().missed, 7);
}
