//! A conduit app with many shards against the sandbox.

mod common;

use std::collections::HashSet;

use common::{next_matching, sandbox};
use svc_eventsub::{AccessToken, ConduitApp, EventSubEvent, SubscriptionRequest};

fn assigned(env: &common::Env, conduit_id: &str) -> Vec<(u32, String)> {
    env.control
        .conduits()
        .into_iter()
        .find(|(id, ..)| id == conduit_id)
        .map(|(_, _, shards)| shards)
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_shards_survive_reconnects_and_scale() {
    let env = sandbox().await;
    let mut app = ConduitApp::builder("client-id", AccessToken::new("app-token"))
        .mock_url(&env.server.base_url())
        .unwrap()
        .shard_count(10)
        .start()
        .await
        .expect("conduit starts");
    let mut events = app.events();
    let conduit_id = app.conduit_id().to_owned();
    assert_eq!(assigned(&env, &conduit_id).len(), 10);
    app.subscribe(&SubscriptionRequest::broadcaster(
        "channel.raid",
        "1",
        "1337",
    ))
    .await
    .unwrap();

    let mut ids = HashSet::new();
    let mut shards_seen = HashSet::new();
    let mut emitted = 0;
    for _ in 0..20 {
        emitted += env.control.notify("channel.raid");
    }
    while ids.len() < emitted {
        if let EventSubEvent::Notification {
            message_id, shard, ..
        } = next_matching(&mut events, |e| {
            matches!(e, EventSubEvent::Notification { .. })
        })
        .await
        {
            assert!(ids.insert(message_id));
            shards_seen.insert(shard);
        }
    }
    assert!(shards_seen.len() > 1, "notifications spread over shards");

    // Half the shards get session_reconnect, the other half are dropped.
    for shard in 0..10 {
        let session = app.shard_session(shard).expect("shard session");
        if shard % 2 == 0 {
            assert!(env.control.reconnect(&session));
            next_matching(
                &mut events,
                |e| matches!(e, EventSubEvent::Reconnected { shard: Some(s), .. } if *s == shard),
            )
            .await;
        } else {
            assert!(env.control.drop_session(&session));
            next_matching(
                &mut events,
                |e| matches!(e, EventSubEvent::Connected { shard: Some(s), .. } if *s == shard),
            )
            .await;
            assert_ne!(app.shard_session(shard).as_deref(), Some(session.as_str()));
        }
    }
    // Every shard is assigned to its current session again.
    let now = assigned(&env, &conduit_id);
    assert_eq!(now.len(), 10);
    for (shard, session) in &now {
        assert_eq!(app.shard_session(*shard).as_deref(), Some(session.as_str()));
    }
    for _ in 0..10 {
        emitted += env.control.notify("channel.raid");
    }
    while ids.len() < emitted {
        if let EventSubEvent::Notification { message_id, .. } = next_matching(&mut events, |e| {
            matches!(e, EventSubEvent::Notification { .. })
        })
        .await
        {
            assert!(ids.insert(message_id));
        }
    }

    app.set_shard_count(12).await.unwrap();
    assert_eq!(assigned(&env, &conduit_id).len(), 12);
    app.set_shard_count(4).await.unwrap();
    assert_eq!(app.shard_count(), 4);
    assert_eq!(assigned(&env, &conduit_id).len(), 4);
    assert!(app.shard_session(5).is_none());
    app.close().await;
}

#[tokio::test]
async fn an_existing_conduit_is_reused_and_resized() {
    let env = sandbox().await;
    let first = ConduitApp::builder("client-id", AccessToken::new("app-token"))
        .mock_url(&env.server.base_url())
        .unwrap()
        .shard_count(2)
        .start()
        .await
        .unwrap();
    let id = first.conduit_id().to_owned();
    first.close().await;
    let second = ConduitApp::builder("client-id", AccessToken::new("app-token"))
        .mock_url(&env.server.base_url())
        .unwrap()
        .conduit_id(&id)
        .shard_count(3)
        .start()
        .await
        .unwrap();
    assert_eq!(second.conduit_id(), id);
    assert_eq!(second.shard_count(), 3);
    assert_eq!(env.control.conduits().len(), 1);
    second.close().await;
}

/// The app token comes from svc-helix's client-credentials flow (sandbox OAuth) and is
/// validated before the conduit starts.
#[tokio::test]
async fn app_token_from_svc_helix_is_validated_and_used() {
    let env = sandbox().await;
    let twitch = sandbox::twitch::Twitch::new();
    twitch.helix().add_client("tokens-client", "tokens-secret");
    let oauth = sandbox::Server::builder().serve(twitch).await.unwrap();
    let tokens = svc_helix::TokenManager::app(&oauth.base_url(), "tokens-client", "tokens-secret")
        .await
        .expect("client credentials");
    let app = ConduitApp::with_tokens(tokens)
        .mock_url(&env.server.base_url())
        .unwrap()
        .shard_count(2)
        .start()
        .await
        .expect("conduit starts");
    assert!(oauth.log().count(|r| r.path.ends_with("/oauth2/validate")) >= 1);
    assert_eq!(assigned(&env, app.conduit_id()).len(), 2);
    app.close().await;
}
