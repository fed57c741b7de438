//! A conduit app with many shards against the sandbox.

mod common;

use std::collections::HashSet;

use common::{next_matching, raid, sandbox};
use futures_util::TryStreamExt;
use svc_eventsub::{AccessToken, ConduitApp, ConduitId, ConduitShard, EventSubEvent};

async fn start(env: &common::Env, shards: u32) -> ConduitApp {
    ConduitApp::builder("client-id", AccessToken::new("app-token"))
        .mock_url(&env.server.base_url())
        .unwrap()
        .shard_count(shards)
        .start()
        .await
        .expect("conduit starts")
}

/// `PATCH /eventsub/conduits/shards` requests the sandbox has seen.
fn shard_patches(env: &common::Env) -> usize {
    env.server
        .log()
        .count(|r| r.method == "PATCH" && r.path.ends_with("/eventsub/conduits/shards"))
}

/// The conduit's shards as Twitch reports them (`GET /eventsub/conduits/shards` through
/// svc-helix): `(id, status, session id)`.
async fn reported(app: &ConduitApp) -> Vec<(String, String, String)> {
    let shards: Vec<ConduitShard> = app
        .helix()
        .conduit_shards(app.conduit_id(), None)
        .try_collect()
        .await
        .unwrap();
    shards
        .into_iter()
        .map(|s| (s.id, s.status, s.transport.session_id.unwrap_or_default()))
        .collect()
}

/// Make-before-break keeps the session id, so the shard stays assigned without a PATCH; a
/// drop gives a new session, which the sandbox reports `websocket_disconnected` until the
/// client assigns the shard again (one PATCH).
#[tokio::test(start_paused = true)]
async fn shards_are_reassigned_only_when_their_session_changes() {
    let env = sandbox().await;
    let app = start(&env, 3).await;
    let mut events = app.events();
    assert_eq!(shard_patches(&env), 3);

    let kept = app.shard_session(0).unwrap();
    assert!(env.control.reconnect(&kept));
    next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::Reconnected { shard: Some(0), .. })
    })
    .await;
    assert_eq!(app.shard_session(0).as_deref(), Some(kept.as_str()));
    assert_eq!(shard_patches(&env), 3, "no PATCH for the same session");

    let dropped = app.shard_session(1).unwrap();
    assert!(env.control.drop_session(&dropped));
    let shard = env
        .control
        .conduit_shards(app.conduit_id().as_str())
        .into_iter()
        .find(|s| s.id == 1)
        .unwrap();
    assert_eq!(
        (shard.status, shard.session_id.as_str()),
        ("websocket_disconnected", dropped.as_str())
    );
    next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::Connected { shard: Some(1), .. })
    })
    .await;
    let fresh = app.shard_session(1).unwrap();
    assert_ne!(fresh, dropped);
    assert_eq!(shard_patches(&env), 4, "one PATCH for the new session");

    let shards = reported(&app).await;
    assert_eq!(shards.len(), 3);
    for (id, status, session) in shards {
        assert_eq!(status, "enabled", "shard {id}");
        let id: u32 = id.parse().unwrap();
        assert_eq!(app.shard_session(id), Some(session));
    }
    app.close().await;
}

/// A shard whose client is gone is reported `websocket_disconnected`, by the control handle
/// and by `GET /eventsub/conduits/shards?status=websocket_disconnected`.
#[tokio::test(start_paused = true)]
async fn a_shard_whose_session_died_is_reported_websocket_disconnected() {
    let env = sandbox().await;
    let app = start(&env, 2).await;
    let conduit_id = app.conduit_id().to_owned();
    let helix = app.helix().clone();
    let sessions = [app.shard_session(0).unwrap(), app.shard_session(1).unwrap()];
    app.close().await;
    // The sandbox learns of each close from the socket; give it a moment (paused time).
    for _ in 0..100 {
        if sessions.iter().all(|s| !env.control.sessions().contains(s)) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let view = env.control.conduit_shards(conduit_id.as_str());
    assert_eq!(view.len(), 2);
    assert!(view.iter().all(|s| s.status == "websocket_disconnected"));
    let disconnected: Vec<ConduitShard> = helix
        .conduit_shards(&conduit_id, Some("websocket_disconnected"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(disconnected.len(), 2);
    for shard in disconnected {
        let id: usize = shard.id.parse().unwrap();
        assert_eq!(
            shard.transport.session_id.as_deref(),
            Some(sessions[id].as_str())
        );
        assert!(shard.transport.disconnected_at.is_some());
    }
    // Nothing is delivered to a disconnected shard.
    assert_eq!(env.control.conduits()[0].2.len(), 0);
}

/// Scaling up starts and assigns exactly the new shards; scaling down stops the shards past
/// the new count and the conduit forgets them.
#[tokio::test(start_paused = true)]
async fn scaling_the_shard_count_up_and_down() {
    let env = sandbox().await;
    let mut app = start(&env, 2).await;
    let mut events = app.events();
    app.subscribe(&raid()).await.unwrap();
    app.set_shard_count(5).await.unwrap();
    assert_eq!(shard_patches(&env), 5);
    let shards = reported(&app).await;
    assert_eq!(shards.len(), 5);
    for (id, status, session) in &shards {
        assert_eq!(status, "enabled");
        assert_eq!(
            app.shard_session(id.parse().unwrap()).as_ref(),
            Some(session)
        );
    }

    app.set_shard_count(1).await.unwrap();
    assert_eq!(app.shard_count(), 1);
    assert!((1..5).all(|id| app.shard_session(id).is_none()));
    let shards = reported(&app).await;
    assert_eq!(shards.len(), 1);
    assert_eq!(app.shard_session(0), Some(shards[0].2.clone()));
    // Every raid now goes to the one shard left.
    for _ in 0..4 {
        assert_eq!(env.control.notify("channel.raid"), 1);
        let EventSubEvent::Notification { shard, .. } = next_matching(&mut events, |e| {
            matches!(e, EventSubEvent::Notification { .. })
        })
        .await
        else {
            unreachable!()
        };
        assert_eq!(shard, Some(0));
    }
    app.close().await;
}

fn assigned(env: &common::Env, conduit_id: &ConduitId) -> Vec<(u32, String)> {
    env.control
        .conduits()
        .into_iter()
        .find(|(id, ..)| id == conduit_id.as_str())
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
    app.subscribe(&raid()).await.unwrap();

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
    let raid = raid();
    let created = first.subscribe(&raid).await.unwrap();
    first.close().await;
    let second = ConduitApp::builder("client-id", AccessToken::new("app-token"))
        .mock_url(&env.server.base_url())
        .unwrap()
        .conduit_id(&id)
        .shard_count(3)
        .start()
        .await
        .unwrap();
    assert_eq!(second.conduit_id(), &id);
    assert_eq!(second.shard_count(), 3);
    assert_eq!(env.control.conduits().len(), 1);
    // Subscribing again after the restart answers 409; the existing subscription comes back.
    let again = second
        .subscribe(&raid)
        .await
        .expect("existing subscription");
    assert_eq!(again.id, created.id);
    assert_eq!(env.control.subscriptions().len(), 1);
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

/// One conduit split over two apps (two processes in real life): each runs its own shard
/// ids, every shard ends up enabled on a session of the app running it, and notifications
/// reach both.
#[tokio::test(start_paused = true)]
async fn a_conduit_split_over_two_apps_by_shard_ids() {
    let env = sandbox().await;
    let split = |ids: [u32; 2]| {
        ConduitApp::builder("client-id", AccessToken::new("app-token"))
            .mock_url(&env.server.base_url())
            .unwrap()
            .shard_count(4)
            .shard_ids(ids)
    };
    let first = split([0, 1]).start().await.expect("first half");
    let second = split([3, 2])
        .conduit_id(first.conduit_id())
        .start()
        .await
        .expect("second half");
    assert_eq!(first.running_shards(), vec![0, 1]);
    assert_eq!(second.running_shards(), vec![2, 3]);
    assert_eq!(second.conduit_id(), first.conduit_id());
    let shards = reported(&first).await;
    assert_eq!(shards.len(), 4);
    for (id, status, session) in shards {
        let id: u32 = id.parse().unwrap();
        let app = if id < 2 { &first } else { &second };
        assert_eq!(status, "enabled");
        assert_eq!(app.shard_session(id), Some(session));
    }
    let (mut one, mut two) = (first.events(), second.events());
    first.subscribe(&raid()).await.unwrap();
    // The sandbox deals conduit notifications round-robin over the enabled shards.
    for _ in 0..4 {
        env.control.notify("channel.raid");
    }
    for events in [&mut one, &mut two] {
        for _ in 0..2 {
            next_matching(events, |e| matches!(e, EventSubEvent::Notification { .. })).await;
        }
    }
    let error = split([4, 0]).start().await.unwrap_err();
    assert!(matches!(
        error.kind(),
        svc_eventsub::ErrorKind::Config { .. }
    ));
    first.close().await;
    second.close().await;
}

/// A shard whose assignment is refused (here: the conduit was shrunk behind the app's back,
/// so the shard id is out of range) keeps trying every few seconds and is assigned once the
/// conduit has room again.
#[tokio::test(start_paused = true)]
async fn a_refused_shard_assignment_is_retried() {
    // No 4003 for the unassigned session: only the retry can assign it.
    let env = common::sandbox_with(
        sandbox::twitch::eventsub::EventSubConfig::default()
            .subscribe_window(std::time::Duration::from_hours(1)),
    )
    .await;
    let app = start(&env, 2).await;
    let mut events = app.events();
    let conduit_id = app.conduit_id().to_owned();
    app.helix().update_conduit(&conduit_id, 1).await.unwrap();
    let dropped = app.shard_session(1).unwrap();
    assert!(env.control.drop_session(&dropped));
    let EventSubEvent::SubscribeFailed { reason, .. } = next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::SubscribeFailed { shard: Some(1), .. })
    })
    .await
    else {
        unreachable!()
    };
    assert!(reason.contains("out of range"), "{reason}");
    let patches = shard_patches(&env);
    app.helix().update_conduit(&conduit_id, 2).await.unwrap();
    for _ in 0..100 {
        if env.control.conduits()[0].2.len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    let fresh = app.shard_session(1).unwrap();
    assert_ne!(fresh, dropped);
    assert_eq!(
        env.control.conduits()[0].2,
        vec![(0, app.shard_session(0).unwrap()), (1, fresh)]
    );
    assert!(shard_patches(&env) > patches);
    assert_eq!(
        app.stats().fresh_sessions,
        1,
        "the same session, assigned late"
    );
    app.close().await;
}

/// twitch.py's `ClientApp.connect(shard_ids=…)`: a second process offered shards 0, 1 and
/// 2 of a conduit whose shard 0 another app already runs takes shard 1 (the first the
/// sandbox does not report `enabled`); once every candidate is enabled the start fails with
/// the typed `ShardNotFound`.
#[tokio::test(start_paused = true)]
async fn the_first_shard_not_enabled_elsewhere_is_taken() {
    let env = sandbox().await;
    let builder = || {
        ConduitApp::builder("client-id", AccessToken::new("app-token"))
            .mock_url(&env.server.base_url())
            .unwrap()
            .shard_count(3)
    };
    let first = builder().shard_ids([0]).start().await.expect("first app");
    let second = builder()
        .conduit_id(first.conduit_id())
        .first_free_shard([0, 1, 2])
        .start()
        .await
        .expect("a free shard");
    assert_eq!(second.running_shards(), vec![1]);
    let third = builder()
        .conduit_id(first.conduit_id())
        .first_free_shard([1, 0])
        .start()
        .await
        .unwrap_err();
    assert_eq!(
        third.kind(),
        &svc_eventsub::ErrorKind::ShardNotFound { tried: vec![1, 0] }
    );
    let shards = reported(&first).await;
    let enabled: Vec<&str> = shards
        .iter()
        .filter(|(_, status, _)| status == "enabled")
        .map(|(id, _, _)| id.as_str())
        .collect();
    assert_eq!(enabled, ["0", "1"]);
    first.close().await;
    second.close().await;
}

/// The sandbox reports a shard whose session Twitch closed with the status Twitch gives the
/// close code (here 4002, a failed ping-pong), not a generic `websocket_disconnected`.
#[tokio::test(start_paused = true)]
async fn a_closed_shard_is_reported_with_the_reason() {
    let env = sandbox().await;
    let app = ConduitApp::builder("client-id", AccessToken::new("app-token"))
        .mock_url(&env.server.base_url())
        .unwrap()
        .session(|s| s.reconnect(false))
        .start()
        .await
        .expect("conduit starts");
    let mut events = app.events();
    let session = app.shard_session(0).unwrap();
    assert!(env.control.close_session(&session, 4002));
    next_matching(&mut events, |e| {
        matches!(e, EventSubEvent::Disconnected { shard: Some(0), .. })
    })
    .await;
    let shards = reported(&app).await;
    assert_eq!(shards.len(), 1);
    assert_eq!(shards[0].1, "websocket_failed_ping_pong");
    app.close().await;
}
