//! How a user session handles each of EventSub's close codes (4000–4007), the 4004 that
//! follows an unreachable reconnect URL, and pings, against the sandbox on a paused clock.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{builder, next_matching, next_matching_within, online, sandbox};
use svc_eventsub::EventSubEvent;

/// Every close code Twitch documents ends the session; the client reports the code, opens
/// a fresh session, re-creates its subscription there, and notifications flow again.
#[tokio::test(start_paused = true)]
async fn every_close_code_leads_to_a_fresh_session_with_the_subscription_recreated() {
    let env = sandbox().await;
    let client = builder(&env, "token-close-codes")
        .subscribe(online())
        .connect()
        .await
        .expect("connects");
    let mut events = client.events();
    for code in 4000..=4007 {
        // Each session lives a while: sessions closed right after their welcome would be
        // a storm, and the client would back off.
        tokio::time::sleep(Duration::from_secs(10)).await;
        let old = client.session_id().expect("session");
        assert!(env.control.close_session(&old, code), "close {code}");
        next_matching(
            &mut events,
            |e| matches!(e, EventSubEvent::Disconnected { code: Some(c), .. } if *c == code),
        )
        .await;
        let EventSubEvent::Connected { session_id, .. } = next_matching(&mut events, |e| {
            matches!(e, EventSubEvent::Connected { .. })
        })
        .await
        else {
            unreachable!()
        };
        assert_ne!(session_id, old, "after {code}");
        let subscriptions = client.subscriptions().await.unwrap();
        assert_eq!(subscriptions.len(), 1, "after {code}");
        assert_eq!(
            subscriptions[0].transport.session_id.as_deref(),
            Some(session_id.as_str())
        );
        assert_eq!(env.control.notify("stream.online"), 1);
        next_matching(&mut events, |e| {
            matches!(e, EventSubEvent::Notification { .. })
        })
        .await;
    }
    assert_eq!(client.stats().fresh_sessions, 8);
    client.close().await;
}

/// A `session_reconnect` whose URL cannot be reached: the client stays on the old socket
/// (notifications keep coming), Twitch closes it with 4004 after 30 s, and the client opens
/// a fresh session and re-subscribes. Nothing emitted meanwhile is lost (sandbox hold policy).
#[tokio::test(start_paused = true)]
async fn unreachable_reconnect_url_ends_in_4004_then_a_fresh_session() {
    let env = sandbox().await;
    let client = builder(&env, "token-4004")
        .subscribe(online())
        .connect()
        .await
        .expect("connects");
    let mut events = client.events();
    let first = client.session_id().unwrap();
    let mut ids = HashSet::new();
    let mut emitted = env.control.notify("stream.online");
    // Port 9 (discard) is closed on loopback: the reconnect socket is refused at once.
    assert!(
        env.control
            .reconnect_to(&first, "ws://127.0.0.1:9/ws?reconnect=x")
    );
    emitted += env.control.notify("stream.online");
    let asked = tokio::time::Instant::now();
    let record = |e: &EventSubEvent, ids: &mut HashSet<String>| {
        if let EventSubEvent::Notification { message_id, .. } = e {
            assert!(ids.insert(message_id.clone()), "delivered twice");
        }
    };
    next_matching_within(&mut events, Duration::from_mins(1), |e| {
        record(e, &mut ids);
        matches!(
            e,
            EventSubEvent::Disconnected {
                code: Some(4004),
                ..
            }
        )
    })
    .await;
    assert!(asked.elapsed() >= Duration::from_secs(30));
    emitted += env.control.notify("stream.online");
    let EventSubEvent::Connected { session_id, .. } = next_matching(&mut events, |e| {
        record(e, &mut ids);
        matches!(e, EventSubEvent::Connected { .. })
    })
    .await
    else {
        unreachable!()
    };
    assert_ne!(session_id, first);
    emitted += env.control.notify("stream.online");
    while ids.len() < emitted {
        next_matching(&mut events, |e| {
            record(e, &mut ids);
            matches!(e, EventSubEvent::Notification { .. })
        })
        .await;
    }
    assert_eq!(client.stats().notifications, 4);
    assert_eq!(client.stats().reconnects, 0);
    assert_eq!(env.control.held(), 0);
    client.close().await;
}

/// Twitch pings; an unanswered ping is closed with 4002. transport-ws answers every ping, so
/// the session survives well past the pong deadline.
#[tokio::test(start_paused = true)]
async fn pings_are_answered_so_no_4002() {
    let env = sandbox().await;
    let client = builder(&env, "token-ping")
        .subscribe(online())
        .connect()
        .await
        .expect("connects");
    let session = client.session_id().unwrap();
    for _ in 0..3 {
        assert!(env.control.ping(&session));
        tokio::time::sleep(Duration::from_secs(15)).await;
    }
    assert_eq!(client.session_id().as_deref(), Some(session.as_str()));
    assert_eq!(client.stats().fresh_sessions, 0);
    assert!(env.control.sessions().contains(&session));
    client.close().await;
}
