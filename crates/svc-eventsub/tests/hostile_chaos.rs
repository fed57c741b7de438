//! The client against the sandbox's EventSub chaos mode (`sandbox::chaos`): frames that are
//! not UTF-8, of the wrong JSON types or past the client's cap, notifications sent twice or
//! late, sockets closed right after the welcome or dropped before it. Each test checks that
//! the client keeps running, that every notification the server delivered correctly arrives
//! exactly once, and that reconnect storms stay bounded. Real sockets on 127.0.0.1, paused
//! clock.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{Env, is_connected, next_matching, sandbox, subscribed};
use core_events::EventStream;
use futures_util::StreamExt;
use sandbox::chaos::Chaos;
use svc_eventsub::{EventSubClient, EventSubEvent};

/// Sends `count` `stream.online` notifications and returns the distinct message ids the
/// client delivered, failing if more than `count` notifications arrive within a minute.
async fn deliver_exactly(
    env: &Env,
    events: &mut EventStream<EventSubEvent>,
    count: usize,
) -> BTreeSet<String> {
    for _ in 0..count {
        assert_eq!(env.control.notify("stream.online"), 1);
    }
    let mut seen = Vec::new();
    let wait = tokio::time::timeout(Duration::from_mins(1), async {
        while let Some(event) = events.next().await {
            if let Ok(EventSubEvent::Notification { message_id, .. }) = event {
                seen.push(message_id);
            }
        }
    });
    let _ = wait.await;
    let distinct: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(seen.len(), count, "delivered {seen:?}");
    assert_eq!(distinct.len(), count, "a notification came twice: {seen:?}");
    distinct
}

async fn connected(env: &Env, token: &str) -> (EventSubClient, EventStream<EventSubEvent>) {
    let client = subscribed(env, token).await;
    let events = client.events();
    (client, events)
}

/// Duplicate-sequence and out-of-order together: every notification comes twice, and the
/// one before it comes again an hour late. The client delivers each exactly once.
#[tokio::test(start_paused = true)]
async fn duplicated_and_late_notifications_arrive_exactly_once() {
    let env = sandbox().await;
    let (client, mut events) = connected(&env, "token-chaos-dup").await;
    let session = client.session_id();
    env.control.chaos().on(Chaos::DuplicateSequence);
    env.control.chaos().on(Chaos::OutOfOrderSequence);
    deliver_exactly(&env, &mut events, 5).await;
    let stats = client.stats();
    assert_eq!(stats.notifications, 5);
    // Five second copies, four late ones (the last notification has no successor).
    assert_eq!(stats.duplicates, 9);
    assert_eq!(client.session_id(), session, "the session survived");
    client.close().await;
}

/// Binary frames that are not UTF-8 and notifications whose fields have the wrong types
/// before every message: each is skipped (counted malformed), the good ones all arrive,
/// and the session stays up.
#[tokio::test(start_paused = true)]
async fn frames_not_utf8_or_of_wrong_types_are_skipped() {
    let env = sandbox().await;
    let (client, mut events) = connected(&env, "token-chaos-garbage").await;
    let session = client.session_id();
    env.control.chaos().on(Chaos::InvalidUtf8);
    env.control.chaos().on(Chaos::WrongTypes);
    deliver_exactly(&env, &mut events, 5).await;
    let stats = client.stats();
    assert_eq!(stats.notifications, 5);
    assert!(stats.malformed >= 5, "{stats:?}");
    assert_eq!(stats.fresh_sessions, 0, "{stats:?}");
    assert_eq!(client.session_id(), session, "the session survived");
    client.close().await;
}

/// A 2 MiB frame is past the client's 1 MiB cap: the socket fails (no 2 MiB buffer), a
/// fresh session follows, and once the server behaves every notification arrives once.
#[tokio::test(start_paused = true)]
async fn a_frame_past_the_cap_fails_the_socket_and_a_fresh_session_delivers() {
    let env = sandbox().await;
    let (client, mut events) = connected(&env, "token-chaos-endless").await;
    let first = client.session_id();
    env.control.chaos().on(Chaos::EndlessLine);
    env.control.notify("stream.online");
    next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::Disconnected { .. })
    })
    .await;
    env.control.chaos().clear();
    next_matching(&mut events, is_connected).await;
    assert_ne!(client.session_id(), first);
    assert_eq!(client.stats().fresh_sessions, 1);
    // Let the new subscription settle before counting.
    tokio::time::sleep(Duration::from_secs(1)).await;
    deliver_exactly(&env, &mut events, 5).await;
    client.close().await;
}

/// Sockets that close right after the welcome (quick-close) or drop before it
/// (drop-mid-handshake) make a reconnect storm: the client backs off, opening few sockets
/// per minute, and recovers once the server behaves.
#[tokio::test(start_paused = true)]
async fn reconnect_storms_are_bounded_per_minute() {
    for (chaos, token) in [
        (Chaos::QuickClose, "token-chaos-quick"),
        (Chaos::DropMidHandshake, "token-chaos-drop"),
    ] {
        let env = sandbox().await;
        let (client, mut events) = connected(&env, token).await;
        let session = client.session_id().expect("a session");
        env.control.chaos().on(chaos);
        let before = env.control.accepted();
        assert!(env.control.drop_session(&session));
        tokio::time::sleep(Duration::from_mins(5)).await;
        let opened = env.control.accepted() - before;
        assert!(opened >= 2, "{chaos}: the client stopped trying ({opened})");
        assert!(
            opened <= 5 * 12,
            "{chaos}: {opened} sockets in five minutes"
        );
        // The last minute, with backoff grown, is calmer still.
        let minute_start = env.control.accepted();
        tokio::time::sleep(Duration::from_mins(1)).await;
        let last_minute = env.control.accepted() - minute_start;
        assert!(
            last_minute <= 6,
            "{chaos}: {last_minute} sockets in a minute"
        );

        // Cleared: the client is back within its longest backoff delay (a minute, plus
        // jitter) and delivers.
        env.control.chaos().clear();
        tokio::time::sleep(Duration::from_mins(2)).await;
        assert!(client.session_id().is_some(), "{chaos}: back in a session");
        deliver_exactly(&env, &mut events, 3).await;
        client.close().await;
    }
}

/// Chaos numbers in the welcome's keepalive (as large as JSON allows, negative, 1) do not
/// stop a session from working.
#[tokio::test(start_paused = true)]
async fn chaos_keepalive_numbers_keep_a_working_session() {
    for (chaos, token) in [
        (Chaos::HugeNumbers, "token-chaos-huge"),
        (Chaos::NegativeNumbers, "token-chaos-negative"),
        (Chaos::TinyHeartbeat, "token-chaos-tiny"),
    ] {
        let env = sandbox().await;
        env.control.chaos().on(chaos);
        let (client, mut events) = connected(&env, token).await;
        deliver_exactly(&env, &mut events, 2).await;
        assert_eq!(client.stats().keepalive_timeouts, 0, "{chaos}");
        client.close().await;
    }
}

/// A `session_reconnect` offering a clear-text URL to a foreign host is refused: no socket
/// opens there, the session keeps delivering.
#[tokio::test(start_paused = true)]
async fn a_foreign_reconnect_url_is_not_followed() {
    let env = sandbox().await;
    let (client, mut events) = connected(&env, "token-chaos-foreign").await;
    let session = client.session_id().expect("a session");
    env.control.chaos().on(Chaos::ForeignReconnectUrl);
    let accepted = env.control.accepted();
    assert!(env.control.reconnect(&session));
    next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::Malformed { .. })
    })
    .await;
    assert_eq!(env.control.accepted(), accepted, "no socket was opened");
    assert_eq!(client.session_id().as_deref(), Some(session.as_str()));
    // The server closes the unfollowed session after its 30 s grace (4004); a fresh one
    // on the configured URL delivers.
    deliver_exactly(&env, &mut events, 2).await;
    client.close().await;
}
