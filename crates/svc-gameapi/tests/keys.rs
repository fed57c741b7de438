//! The key manager against the sandbox's developer site.

mod common;

use common::sandbox;
use sandbox::clash::{DEFAULT_EMAIL, DEFAULT_PASSWORD};
use svc_gameapi::{Client, DEFAULT_KEY_NAME, ErrorKind};

fn login_builder(setup: &common::Setup) -> svc_gameapi::ClientBuilder {
    Client::builder()
        .base_url(format!("{}/v1", setup.server.base_url()))
        .developer_site(setup.server.base_url())
        .login(DEFAULT_EMAIL, DEFAULT_PASSWORD)
}

fn ours(setup: &common::Setup) -> Vec<sandbox::clash::SiteKey> {
    setup
        .control
        .keys()
        .into_iter()
        .filter(|k| k.name == DEFAULT_KEY_NAME)
        .collect()
}

#[tokio::test(start_paused = true)]
async fn creates_then_reuses() {
    let setup = sandbox().await;
    let client = login_builder(&setup)
        .key_count(3)
        .build()
        .await
        .expect("login works");
    assert_eq!(client.key_count(), 3);
    let keys = ours(&setup);
    assert_eq!(keys.len(), 3);
    assert!(keys.iter().all(|k| k.cidr_ranges == ["127.0.0.1"]));
    client
        .player(&setup.control.main_members()[0])
        .await
        .expect("a created key works");

    let again = login_builder(&setup).key_count(3).build().await.unwrap();
    assert_eq!(ours(&setup), keys, "matching keys are reused, none created");
    again
        .player(&setup.control.main_members()[1])
        .await
        .unwrap();

    let fewer = login_builder(&setup).key_count(1).build().await.unwrap();
    assert_eq!(fewer.key_count(), 1);
    assert_eq!(ours(&setup).len(), 3);
}

#[tokio::test(start_paused = true)]
async fn full_account_and_ip_change() {
    let setup = sandbox().await;
    // `setup` made one key named "tests"; fill the account to 8 foreign keys.
    for i in 0..7 {
        setup
            .control
            .create_key(&format!("someone else {i}"), "10.0.0.1");
    }
    let client = login_builder(&setup).key_count(2).build().await.unwrap();
    assert_eq!(setup.control.keys().len(), 10);

    // The bot moves: its keys no longer match. The next call re-runs the manager, which
    // revokes our two stale keys (the account is full) and creates two for the new IP.
    setup.control.set_caller_ip("198.51.100.4");
    let player = client
        .player(&setup.control.main_members()[0])
        .await
        .expect("recovered from the IP change");
    assert!(!player.name.is_empty());
    let keys = setup.control.keys();
    assert_eq!(keys.len(), 10);
    let ours = ours(&setup);
    assert_eq!(ours.len(), 2);
    assert!(
        ours.iter().all(|k| k.cidr_ranges == ["198.51.100.4"]),
        "{ours:?}"
    );
    assert_eq!(
        keys.iter()
            .filter(|k| k.name.starts_with("someone else"))
            .count(),
        7,
        "foreign keys are never revoked"
    );
    assert_eq!(setup.server.log().count(|r| r.path == "/api/login"), 2);

    // Moving again with many requests in flight: one login serves them all.
    setup.control.set_caller_ip("198.51.100.5");
    let members = setup.control.main_members();
    let calls: Vec<_> = (0..10)
        .map(|i| {
            let client = client.clone();
            let tag = members[10 + i].clone();
            tokio::spawn(async move { client.player(&tag).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().expect("every call recovers");
    }
    assert_eq!(setup.server.log().count(|r| r.path == "/api/login"), 3);
}

#[tokio::test(start_paused = true)]
async fn full_account_without_our_keys_is_an_error() {
    let setup = sandbox().await;
    for i in 0..9 {
        setup
            .control
            .create_key(&format!("someone else {i}"), "10.0.0.1");
    }
    let error = login_builder(&setup).build().await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::KeyManager { .. }),
        "{error:?}"
    );
    assert_eq!(setup.control.keys().len(), 10);
}

#[tokio::test(start_paused = true)]
async fn bad_credentials_never_leak() {
    let setup = sandbox().await;
    let builder = Client::builder()
        .base_url(format!("{}/v1", setup.server.base_url()))
        .developer_site(setup.server.base_url())
        .login("me@example.invalid", "hunter2-secret");
    assert!(!format!("{builder:?}").contains("hunter2-secret"));
    let error = builder.build().await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::KeyManager { .. }),
        "{error:?}"
    );
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains("hunter2-secret") && !shown.contains("me@example.invalid"),
        "{shown}"
    );

    let client = login_builder(&setup).build().await.unwrap();
    let key = setup
        .control
        .keys()
        .into_iter()
        .find(|k| k.name == DEFAULT_KEY_NAME)
        .unwrap()
        .key;
    assert!(!format!("{client:?}").contains(&key));
    assert!(!format!("{client:?}").contains(DEFAULT_PASSWORD));
}

#[tokio::test(start_paused = true)]
async fn key_manager_reports_what_it_did() {
    use svc_gameapi::KeyManager;
    let setup = sandbox().await;
    let manager = |count| {
        KeyManager::new(
            setup.server.base_url(),
            DEFAULT_EMAIL,
            DEFAULT_PASSWORD,
            "bot",
            count,
        )
        .unwrap()
    };
    let first = manager(2).sync().await.unwrap();
    assert_eq!(
        (
            first.ip.as_str(),
            first.reused,
            first.created,
            first.revoked
        ),
        ("127.0.0.1", 0, 2, 0)
    );
    let second = manager(3).sync().await.unwrap();
    assert_eq!((second.reused, second.created, second.revoked), (2, 1, 0));
    assert_eq!(second.keys.len(), 3);
    assert!(
        !format!("{second:?}").contains(&setup.control.keys()[1].key),
        "KeySync hides keys"
    );
    // Fill the account, move, and ask again: all three of ours are stale and make room.
    for i in 0..6 {
        setup.control.create_key(&format!("other {i}"), "10.0.0.1");
    }
    setup.control.set_caller_ip("192.0.2.1");
    let third = manager(3).sync().await.unwrap();
    assert_eq!(
        (
            third.ip.as_str(),
            third.reused,
            third.created,
            third.revoked
        ),
        ("192.0.2.1", 0, 3, 3)
    );
    let bots: Vec<_> = setup
        .control
        .keys()
        .into_iter()
        .filter(|k| k.name == "bot")
        .collect();
    assert_eq!(bots.len(), 3);
    assert!(bots.iter().all(|k| k.cidr_ranges == ["192.0.2.1"]));
}
