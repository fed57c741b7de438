//! A user session against the sandbox EventSub server over real sockets.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{builder, next_matching, online, sandbox};
use svc_eventsub::{ErrorKind, Event, EventSubEvent, LimitKind, SubscriptionRequest};

fn is_notification(event: &EventSubEvent) -> bool {
    matches!(event, EventSubEvent::Notification { .. })
}

#[tokio::test]
async fn subscribes_in_the_welcome_window_and_receives_typed_events() {
    let env = sandbox().await;
    let client = builder(&env, "token-typed")
        .subscribe(online())
        .subscribe(SubscriptionRequest::channel_follow("1337", "1337"))
        .connect()
        .await
        .expect("connects");
    let mut events = client.events();
    assert_eq!(client.subscriptions().await.unwrap().len(), 2);
    assert_eq!(env.control.subscriptions().len(), 2);

    assert_eq!(env.control.notify("channel.follow"), 1);
    let EventSubEvent::Notification { notification, .. } =
        next_matching(&mut events, is_notification).await
    else {
        unreachable!()
    };
    let Event::ChannelFollow(follow) = notification.event else {
        panic!("typed follow, got {:?}", notification.event)
    };
    assert_eq!(follow.broadcaster_user_id, "1337");
    assert_eq!(notification.subscription.kind, "channel.follow");
    assert_eq!(
        notification.subscription.transport.session_id.as_deref(),
        client.session_id().as_deref()
    );
    client.close().await;
}

/// 100 reconnects, half `session_reconnect` (make-before-break) and half hard drops, with
/// notifications emitted before, during and after each. Delivery is defined by the sandbox's
/// default hold policy: notifications for a dropped session are held and handed to the
/// re-created subscription, so every emitted notification must arrive exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_reconnects_lose_nothing_and_double_nothing() {
    let env = sandbox().await;
    let client = builder(&env, "token-hundred")
        .subscribe(online())
        .connect()
        .await
        .expect("connects");
    let mut events = client.events();
    let mut emitted = 0;
    let mut ids = HashSet::new();
    let record = |event: &EventSubEvent, ids: &mut HashSet<String>| {
        if let EventSubEvent::Notification { message_id, .. } = event {
            assert!(
                ids.insert(message_id.clone()),
                "a notification was delivered twice"
            );
        }
    };
    for round in 0..100 {
        let session = client.session_id().expect("session");
        emitted += env.control.notify("stream.online");
        let reconnect = round % 2 == 0;
        if reconnect {
            assert!(env.control.reconnect(&session), "round {round}");
        } else {
            assert!(env.control.drop_session(&session), "round {round}");
        }
        // In flight during the reconnect, or held while disconnected.
        emitted += env.control.notify("stream.online");
        next_matching(&mut events, |e| {
            record(e, &mut ids);
            if reconnect {
                matches!(e, EventSubEvent::Reconnected { .. })
            } else {
                matches!(e, EventSubEvent::Connected { .. })
            }
        })
        .await;
        emitted += env.control.notify("stream.online");
    }
    assert_eq!(emitted, 300);
    while ids.len() < emitted {
        let before = ids.len();
        let wait = tokio::time::timeout(
            Duration::from_secs(10),
            next_matching(&mut events, |e| {
                record(e, &mut ids);
                is_notification(e)
            }),
        )
        .await;
        assert!(
            wait.is_ok(),
            "stuck at {before}/{emitted}: stats {:?}, held {}",
            client.stats(),
            env.control.held()
        );
    }
    let stats = client.stats();
    assert_eq!(stats.notifications, 300);
    assert_eq!(stats.reconnects, 50);
    assert_eq!(stats.fresh_sessions, 50);
    assert_eq!(env.control.held(), 0);
    client.close().await;
}

#[tokio::test]
async fn duplicated_deliveries_are_filtered() {
    let env = sandbox().await;
    let client = builder(&env, "token-dupes")
        .subscribe(online())
        .connect()
        .await
        .expect("connects");
    let mut events = client.events();
    env.control.duplicate_next(5);
    for _ in 0..6 {
        env.control.notify("stream.online");
    }
    let mut ids = HashSet::new();
    for _ in 0..6 {
        let EventSubEvent::Notification { message_id, .. } =
            next_matching(&mut events, is_notification).await
        else {
            unreachable!()
        };
        assert!(ids.insert(message_id));
    }
    // A keepalive-free round trip: a subscription listing proves the actor went past the copies.
    client.subscriptions().await.unwrap();
    assert_eq!(client.stats().duplicates, 5);
    assert_eq!(client.stats().notifications, 6);
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn silent_server_is_detected_within_keepalive_and_grace() {
    let env = sandbox().await;
    let client = builder(&env, "token-silent")
        .keepalive(Duration::from_secs(10))
        .grace(Duration::from_secs(2))
        .subscribe(online())
        .connect()
        .await
        .expect("connects");
    let mut events = client.events();
    let first = client.session_id().unwrap();
    // Keepalives keep a healthy session up well past the window.
    tokio::time::sleep(Duration::from_secs(35)).await;
    assert_eq!(client.stats().keepalive_timeouts, 0);

    let silenced = tokio::time::Instant::now();
    assert!(env.control.silence(&first));
    next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::Disconnected { code: None, .. })
    })
    .await;
    let waited = silenced.elapsed();
    assert!(
        waited <= Duration::from_secs(12),
        "detected after {waited:?}"
    );
    let EventSubEvent::Connected { session_id, .. } = next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::Connected { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert_ne!(session_id, first);
    assert_eq!(client.stats().keepalive_timeouts, 1);
    // Resubscribed on the fresh session.
    let subscriptions = env.control.subscriptions();
    assert!(
        subscriptions
            .iter()
            .any(|s| s["transport"]["session_id"] == session_id.as_str())
    );
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn unused_session_is_closed_4003_and_comes_back() {
    let env = sandbox().await;
    let client = builder(&env, "token-4003")
        .connect()
        .await
        .expect("connects");
    let mut events = client.events();
    next_matching(&mut events, |e| {
        matches!(
            e,
            EventSubEvent::Disconnected {
                code: Some(4003),
                ..
            }
        )
    })
    .await;
    next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::Connected { .. })
    })
    .await;
    client
        .subscribe(online())
        .await
        .expect("subscribes on the fresh session");
    client.close().await;
}

#[tokio::test]
async fn invalid_reconnect_4007_starts_a_fresh_session_and_resubscribes() {
    let env = sandbox().await;
    let client = builder(&env, "token-4007")
        .subscribe(online())
        .connect()
        .await
        .expect("connects");
    let mut events = client.events();
    let first = client.session_id().unwrap();
    assert!(env.control.close_session(&first, 4007));
    next_matching(&mut events, |e| {
        matches!(
            e,
            EventSubEvent::Disconnected {
                code: Some(4007),
                ..
            }
        )
    })
    .await;
    next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::Connected { .. })
    })
    .await;
    let subscriptions = client.subscriptions().await.unwrap();
    assert_eq!(subscriptions.len(), 1);
    assert_ne!(
        subscriptions[0].transport.session_id.as_deref(),
        Some(first.as_str())
    );
    assert_eq!(env.control.notify("stream.online"), 1);
    next_matching(&mut events, is_notification).await;
    client.close().await;
}

#[tokio::test]
async fn revocation_removes_the_subscription() {
    let env = sandbox().await;
    let client = builder(&env, "token-revoke")
        .connect()
        .await
        .expect("connects");
    let mut events = client.events();
    let follow = client
        .subscribe(SubscriptionRequest::channel_follow("1337", "1337"))
        .await
        .unwrap();
    client.subscribe(online()).await.unwrap();
    assert!(
        env.control
            .revoke(follow.id.as_str(), "authorization_revoked")
    );
    let EventSubEvent::Revoked { subscription, .. } =
        next_matching(&mut events, |e| matches!(e, EventSubEvent::Revoked { .. })).await
    else {
        unreachable!()
    };
    assert_eq!(subscription.id, follow.id);
    assert_eq!(subscription.status, "authorization_revoked");
    let left = client.subscriptions().await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].kind, "stream.online");
    client.close().await;
}

#[tokio::test]
async fn malformed_messages_are_reported_not_fatal() {
    let env = sandbox().await;
    let client = builder(&env, "token-malformed")
        .subscribe(online())
        .connect()
        .await
        .expect("connects");
    let mut events = client.events();
    let session = client.session_id().unwrap();
    env.control.send_raw(&session, "{not json");
    env.control.send_raw(&session, r#"{"metadata":{"message_id":"x","message_type":"notification","message_timestamp":"t"},"payload":{}}"#);
    next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::Malformed { .. })
    })
    .await;
    next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::Malformed { .. })
    })
    .await;
    env.control.notify("stream.online");
    next_matching(&mut events, is_notification).await;
    assert_eq!(client.stats().malformed, 2);
    assert_eq!(client.session_id().as_deref(), Some(session.as_str()));
    client.close().await;
}

#[tokio::test]
async fn local_limits_fail_with_clear_errors() {
    let env = sandbox().await;
    let client = builder(&env, "token-limits")
        .connect()
        .await
        .expect("connects");
    for i in 0..300 {
        client
            .subscribe(SubscriptionRequest::broadcaster(
                "stream.online",
                "1",
                &i.to_string(),
            ))
            .await
            .expect("within the limit");
    }
    let error = client.subscribe(online()).await.unwrap_err();
    assert_eq!(
        error.kind(),
        &ErrorKind::Limit(LimitKind::SubscriptionsPerSession { max: 300 })
    );

    let second = builder(&env, "token-limits")
        .subscribe(online())
        .connect()
        .await
        .expect("second");
    let third = builder(&env, "token-limits")
        .subscribe(online())
        .connect()
        .await
        .expect("third");
    let error = builder(&env, "token-limits").connect().await.unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::Limit(LimitKind::SessionsPerToken { max: 3 })
    ));
    for client in [client, second, third] {
        client.close().await;
    }
}

#[tokio::test]
async fn bad_keepalive_is_a_config_error() {
    let env = sandbox().await;
    let error = builder(&env, "token-config")
        .keepalive(Duration::from_secs(5))
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Config { .. }));
}

/// twitch.py's `is_ready` / `is_closed`: ready once welcomed; closed once the task ended
/// (here: the server closed the socket and reconnecting is off).
#[tokio::test(start_paused = true)]
async fn is_ready_and_is_closed_follow_the_session() {
    let env = sandbox().await;
    let client = builder(&env, "token-ready")
        .reconnect(false)
        .subscribe(online())
        .connect()
        .await
        .expect("connects");
    assert!(client.is_ready());
    assert!(!client.is_closed());
    let mut events = client.events();
    let session = client.session_id().expect("a session");
    assert!(env.control.close_session(&session, 4000));
    next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::Disconnected { .. })
    })
    .await;
    // Paused clock: the task ends without real waiting; bounded so a bug fails, not hangs.
    for _ in 0..1000 {
        if client.is_closed() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(client.is_closed());
    assert!(!client.is_ready());
    let error = client.subscribe(online()).await.unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::Stopped);
    client.close().await;
}

/// Subscribing to what the session already has is Twitch's 409; the client answers with
/// the existing subscription (as conduits do) and keeps it once.
#[tokio::test(start_paused = true)]
async fn a_conflicting_subscribe_returns_the_existing_subscription() {
    let env = sandbox().await;
    let client = builder(&env, "token-conflict")
        .subscribe(online())
        .connect()
        .await
        .expect("connects");
    let first = client.subscriptions().await.unwrap();
    assert_eq!(first.len(), 1);
    let again = client
        .subscribe(online())
        .await
        .expect("409 is not an error");
    assert_eq!(again.id, first[0].id);
    assert_eq!(client.subscriptions().await.unwrap().len(), 1);
    assert_eq!(env.control.subscriptions().len(), 1);
    assert_eq!(
        env.server
            .log()
            .count(|r| r.method == "POST" && r.path.ends_with("/eventsub/subscriptions")),
        2,
        "the second create was sent and answered 409"
    );
    client.close().await;
}
