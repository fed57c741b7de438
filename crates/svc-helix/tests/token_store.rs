//! [`TokenStore`] against the sandbox's OAuth and Helix over real sockets, on a paused
//! clock: many users beside the app token, each picked by id for Helix calls, validated
//! hourly, refreshed with the rotated refresh token handed to the persistence hook, and
//! dropped once their token is gone for good.

use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use sandbox::Server;
use sandbox::twitch::{HelixControl, Twitch};
use svc_helix::{AccessToken, ErrorKind, HelixClient, RenewedToken, TokenStore, UserId};

const CLIENT_ID: &str = "store-client";
const SECRET: &str = "store-secret";

async fn sandbox() -> (Server, HelixControl) {
    let twitch = Twitch::new();
    let control = twitch.helix();
    control.add_client(CLIENT_ID, SECRET);
    control.add_user("1", "dallas");
    control.add_user("2", "ronni");
    let server = Server::builder().serve(twitch).await.unwrap();
    (server, control)
}

/// Waits (paused clock: no real time) until `done`, a second at a time, at most a minute:
/// a background task's HTTP round trip may still be under way when the clock jumps.
async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..60 {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    done()
}

#[tokio::test(start_paused = true)]
async fn many_users_beside_the_app_token_each_picked_by_id() {
    let (server, control) = sandbox().await;
    control.add_user_token(
        "tok-dallas",
        CLIENT_ID,
        "dallas",
        "1",
        Duration::from_hours(4),
        None,
    );
    control.add_user_token(
        "tok-ronni",
        CLIENT_ID,
        "ronni",
        "2",
        Duration::from_hours(4),
        None,
    );
    control.grant_scopes("tok-ronni", &["moderator:read:followers"]);
    let store = TokenStore::new(&server.base_url(), CLIENT_ID, Some(SECRET));
    store.fetch_app_token().await.expect("app token");
    let dallas = store
        .add_user(AccessToken::new("tok-dallas"), None)
        .await
        .unwrap();
    assert_eq!(dallas.user_id, Some(UserId::from("1")));
    store
        .add_user(AccessToken::new("tok-ronni"), None)
        .await
        .unwrap();
    assert_eq!(store.user_ids(), vec![UserId::from("1"), UserId::from("2")]);
    assert!(
        store
            .scopes(&UserId::from("2"))
            .unwrap()
            .contains(&"moderator:read:followers".to_owned())
    );
    let statuses = store.statuses();
    assert_eq!(statuses.len(), 2);
    assert!(
        statuses
            .iter()
            .all(|s| s.last_validated.is_some() && s.expires_at.is_some())
    );
    assert_eq!(statuses[0].login.as_deref(), Some("dallas"));

    // The same Helix client, as each user: `GET /users` without filters names the token's user.
    let helix =
        HelixClient::with_store(&format!("{}/helix", server.base_url()), store.clone()).unwrap();
    for (id, login) in [("1", "dallas"), ("2", "ronni")] {
        let me = helix
            .as_user(&UserId::from(id))
            .unwrap()
            .get_users(&[], &[])
            .await
            .unwrap();
        assert_eq!(me.len(), 1);
        assert_eq!(me[0].login, login);
    }
    let error = helix.as_user(&UserId::from("3")).unwrap_err();
    assert_eq!(
        error.kind(),
        &ErrorKind::UnknownUser {
            user_id: "3".into()
        }
    );
    // The app token cannot name "me".
    assert!(helix.get_users(&[], &[]).await.is_err());

    assert!(store.remove_user(&UserId::from("1")).is_some());
    assert_eq!(store.user_ids(), vec![UserId::from("2")]);
    assert!(!format!("{store:?}").contains("tok-"), "no secret in Debug");
}

#[tokio::test(start_paused = true)]
async fn refresh_rotates_the_refresh_token_and_the_hook_gets_it() {
    let (server, control) = sandbox().await;
    control.add_user_token(
        "tok-old",
        CLIENT_ID,
        "dallas",
        "1",
        Duration::from_mins(30),
        Some("refresh-old"),
    );
    let store = TokenStore::new(&server.base_url(), CLIENT_ID, Some(SECRET));
    let saved: Arc<Mutex<Vec<RenewedToken>>> = Arc::default();
    let sink = Arc::clone(&saved);
    store.on_renewed(move |renewed| sink.lock().push(renewed.clone()));
    store
        .add_user(AccessToken::new("tok-old"), Some("refresh-old"))
        .await
        .unwrap();
    let id = UserId::from("1");

    // Five minutes before expiry the background task refreshes (paused clock).
    tokio::time::sleep(Duration::from_mins(26)).await;
    assert!(eventually(|| !saved.lock().is_empty()).await, "refreshed");
    let saved = saved.lock().clone();
    assert_eq!(saved.len(), 1, "one refresh, saved once");
    let renewed = &saved[0];
    assert_eq!(renewed.user_id, Some(id.clone()));
    let refresh = renewed
        .refresh_token
        .clone()
        .expect("a rotated refresh token");
    assert_ne!(refresh.expose(), "refresh-old");
    let tokens = store.user(&id).unwrap();
    assert_eq!(tokens.refresh_token(), Some(refresh.clone()));
    assert_eq!(tokens.token(), renewed.access_token);
    assert!(control.is_valid(renewed.access_token.expose()));
    assert!(
        !format!("{renewed:?}").contains(refresh.expose()),
        "no secret in Debug"
    );

    // What the app saved is what it needs after a restart: a new store starts from it.
    let restarted = TokenStore::new(&server.base_url(), CLIENT_ID, Some(SECRET));
    restarted
        .add_user(renewed.access_token.clone(), Some(refresh.expose()))
        .await
        .expect("the saved tokens work");
}

#[tokio::test(start_paused = true)]
async fn a_revoked_token_is_found_by_the_hourly_validation_and_dropped() {
    let (server, control) = sandbox().await;
    control.add_user_token(
        "tok-gone",
        CLIENT_ID,
        "dallas",
        "1",
        Duration::from_hours(24),
        None,
    );
    let store = TokenStore::new(&server.base_url(), CLIENT_ID, Some(SECRET));
    store
        .add_user(AccessToken::new("tok-gone"), None)
        .await
        .unwrap();
    let id = UserId::from("1");
    store.user(&id).unwrap().revoke().await.unwrap();
    assert_eq!(store.user_ids(), vec![id.clone()], "nobody noticed yet");
    tokio::time::sleep(Duration::from_mins(61)).await;
    assert!(
        eventually(|| store.user_ids().is_empty()).await,
        "the hourly validation dropped the user"
    );
    // A second user validated hourly stays, with a newer validation time.
    control.add_user_token(
        "tok-live",
        CLIENT_ID,
        "ronni",
        "2",
        Duration::from_hours(24),
        None,
    );
    store
        .add_user(AccessToken::new("tok-live"), None)
        .await
        .unwrap();
    let added = store.statuses()[0].last_validated.unwrap();
    tokio::time::sleep(Duration::from_mins(61)).await;
    let revalidated = || {
        store.statuses()[0]
            .last_validated
            .is_some_and(|at| at >= added + Duration::from_hours(1))
    };
    assert!(
        eventually(revalidated).await,
        "validated again an hour later"
    );
}
