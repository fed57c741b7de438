//! `stream()`: in-order delivery and exact lag reports.

use core_events::{Error, ErrorKind, EventHub, Lagged, Listener, MAX_CAPACITY};
use tokio_stream::StreamExt;

#[tokio::test]
async fn stream_yields_events_in_order_and_ends_with_the_hub() {
    let hub = EventHub::<u32>::new();
    let stream = hub.stream();
    for n in 0..5 {
        hub.publish(n);
    }
    drop(hub);
    let items: Vec<_> = stream.collect().await;
    assert_eq!(items, (0..5).map(Ok).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_slow_stream_learns_exactly_how_many_events_it_missed_then_continues() {
    let hub = EventHub::<u32>::with_capacity(4).unwrap();
    let mut stream = hub.stream();
    for n in 0..10 {
        hub.publish(n);
    }
    assert_eq!(stream.next().await, Some(Err(Lagged { missed: 6 })));
    for n in 6..10 {
        assert_eq!(stream.next().await, Some(Ok(n)));
    }
    hub.publish(10);
    assert_eq!(stream.next().await, Some(Ok(10)));
    assert_eq!(hub.stats().missed, 6);
}

#[tokio::test]
async fn streams_are_independent() {
    let hub = EventHub::<u32>::with_capacity(2).unwrap();
    let mut slow = hub.stream();
    let mut fast = hub.stream();
    for n in 0..3 {
        hub.publish(n);
        assert_eq!(fast.next().await, Some(Ok(n)));
    }
    assert_eq!(slow.next().await, Some(Err(Lagged { missed: 1 })));
    assert_eq!(slow.next().await, Some(Ok(1)));
}

#[test]
fn capacity_is_validated_and_rounded_to_a_power_of_two() {
    assert_eq!(EventHub::<u8>::with_capacity(1).unwrap().capacity(), 1);
    assert_eq!(EventHub::<u8>::with_capacity(5).unwrap().capacity(), 8);
    assert_eq!(
        EventHub::<u8>::new().capacity(),
        core_events::DEFAULT_CAPACITY
    );
    for bad in [0, MAX_CAPACITY + 1, usize::MAX] {
        let err = EventHub::<u8>::with_capacity(bad).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::InvalidCapacity { requested: bad });
        let (kind, source) = err.into_parts();
        assert!(matches!(kind, ErrorKind::InvalidCapacity { .. }));
        assert!(source.is_none());
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    fn assert_send<T: Send>() {}
    assert_send_sync::<EventHub<String>>();
    assert_send_sync::<Listener>();
    assert_send_sync::<Error>();
    assert_send_sync::<Lagged>();
    assert_send::<core_events::EventStream<String>>();
}
