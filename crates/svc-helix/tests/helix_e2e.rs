//! The Helix client and token manager against the sandbox's Helix and OAuth, over real
//! sockets on 127.0.0.1, on a paused clock.

use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use sandbox::Server;
use sandbox::twitch::{HelixControl, Twitch};
use svc_helix::{
    AccessToken, ErrorKind, HelixClient, ModifyChannel, StreamFilter, TokenManager, UserId,
};

const CLIENT_ID: &str = "sandbox-client";
const SECRET: &str = "sandbox-secret";

async fn sandbox() -> (Server, HelixControl) {
    let twitch = Twitch::new();
    let control = twitch.helix();
    control.add_client(CLIENT_ID, SECRET);
    control.add_user("1", "dallas");
    control.add_user("2", "ronni");
    let server = Server::builder().serve(twitch).await.unwrap();
    (server, control)
}

async fn app_client(server: &Server) -> HelixClient {
    let tokens = TokenManager::app(&server.base_url(), CLIENT_ID, SECRET)
        .await
        .unwrap();
    HelixClient::new(&format!("{}/helix", server.base_url()), tokens).unwrap()
}

#[tokio::test(start_paused = true)]
async fn pages_through_every_stream_in_order() {
    let (server, control) = sandbox().await;
    control.add_streams(350);
    let helix = app_client(&server).await;
    let streams: Vec<_> = helix
        .streams(&StreamFilter::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streams.len(), 350);
    assert!(
        streams
            .iter()
            .enumerate()
            .all(|(n, s)| s.user_login == format!("stream{n}"))
    );
    // 100 per page: 4 pages.
    assert_eq!(server.log().count(|r| r.path == "/helix/streams"), 4);
    // A stream is lazy: taking 5 items fetches one page.
    let before = server.log().count(|r| r.path == "/helix/streams");
    let first: Vec<_> = helix
        .streams(&StreamFilter::default())
        .take(5)
        .collect()
        .await;
    assert_eq!(first.len(), 5);
    assert_eq!(
        server.log().count(|r| r.path == "/helix/streams"),
        before + 1
    );
}

#[tokio::test(start_paused = true)]
async fn ten_times_the_point_budget_sees_no_429() {
    let (server, control) = sandbox().await;
    control.set_points_per_minute(40);
    let helix = app_client(&server).await;
    let mut tasks = Vec::new();
    for n in 0..400 {
        let helix = helix.clone();
        tasks.push(tokio::spawn(async move {
            let login = if n % 2 == 0 { "dallas" } else { "ronni" };
            helix
                .get_users(&[], &[login])
                .await
                .map(|users| users.len())
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), 1);
    }
    assert_eq!(control.throttled(), 0, "no request may be answered 429");
    assert_eq!(control.served(), 400);
}

#[tokio::test(start_paused = true)]
async fn an_expired_user_token_is_refreshed() {
    let (server, control) = sandbox().await;
    control.add_user_token(
        "user-token-1",
        CLIENT_ID,
        "dallas",
        "1",
        Duration::from_mins(10),
        Some("refresh-1"),
    );
    control.grant_scopes("user-token-1", &["channel:manage:broadcast"]);
    let tokens = TokenManager::user(
        &server.base_url(),
        CLIENT_ID,
        AccessToken::new("user-token-1"),
        Some("refresh-1"),
        Some(SECRET),
    )
    .unwrap();
    let info = tokens.validate().await.unwrap();
    assert_eq!(
        (
            info.login.as_deref(),
            info.user_id.as_ref().map(UserId::as_str)
        ),
        (Some("dallas"), Some("1"))
    );
    let helix = HelixClient::new(&format!("{}/helix", server.base_url()), tokens.clone()).unwrap();

    // Within five minutes of expiry the token is renewed before the request goes out.
    tokio::time::advance(Duration::from_secs(400)).await;
    let users = helix.get_users(&[UserId::from("1")], &[]).await.unwrap();
    assert_eq!(users[0].login, "dallas");
    assert_ne!(tokens.token().expose(), "user-token-1");
    assert!(!control.is_valid("user-token-1") || control.is_valid(tokens.token().expose()));

    // Past expiry without warning (the manager's clock says fine): the 401 triggers a renewal.
    tokio::time::advance(Duration::from_hours(5)).await;
    let channels = helix.get_channels(&[UserId::from("1")]).await.unwrap();
    assert_eq!(channels[0].broadcaster_login, "dallas");
    helix
        .modify_channel(
            &UserId::from("1"),
            &ModifyChannel::default().title("new title"),
        )
        .await
        .unwrap();
    assert_eq!(
        helix.get_channels(&[UserId::from("1")]).await.unwrap()[0].title,
        "new title"
    );
    assert!(!format!("{tokens:?} {helix:?}").contains(tokens.token().expose()));
}

#[tokio::test(start_paused = true)]
async fn app_token_revoke_and_refused_tokens() {
    let (server, control) = sandbox().await;
    let helix = app_client(&server).await;
    let token = helix.tokens().token();
    assert!(control.is_valid(token.expose()));
    let info = helix.tokens().validate().await.unwrap();
    assert_eq!((info.client_id.as_str(), info.login), (CLIENT_ID, None));
    helix.tokens().revoke().await.unwrap();
    assert!(!control.is_valid(token.expose()));

    let bad = TokenManager::user(
        &server.base_url(),
        CLIENT_ID,
        AccessToken::new("nope"),
        None,
        None,
    )
    .unwrap();
    assert_eq!(
        bad.validate().await.unwrap_err().kind(),
        &ErrorKind::Unauthorized
    );
    let helix = HelixClient::new(&format!("{}/helix", server.base_url()), bad).unwrap();
    let err = helix
        .get_users(&[UserId::from("1")], &[])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Unauthorized);
    assert!(!format!("{err:?} {err}").contains("nope"));

    let wrong_secret = TokenManager::app(&server.base_url(), CLIENT_ID, "wrong")
        .await
        .unwrap_err();
    assert_eq!(wrong_secret.kind(), &ErrorKind::Unauthorized);
}

#[tokio::test(start_paused = true)]
async fn maintenance_validates_hourly_and_refreshes_before_expiry() {
    let (server, control) = sandbox().await;
    control.add_user_token(
        "user-token-2",
        CLIENT_ID,
        "ronni",
        "2",
        Duration::from_mins(150),
        Some("refresh-2"),
    );
    let tokens = TokenManager::user(
        &server.base_url(),
        CLIENT_ID,
        AccessToken::new("user-token-2"),
        Some("refresh-2"),
        Some(SECRET),
    )
    .unwrap();
    let task = tokens.spawn_maintenance();
    let validations = || server.log().count(|r| r.path == "/oauth2/validate");
    let refreshes = || server.log().count(|r| r.path == "/oauth2/token");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!((validations(), refreshes()), (1, 0), "validated on start");
    tokio::time::sleep(Duration::from_hours(1)).await;
    assert_eq!(validations(), 2, "validated again after an hour");
    // The token expires 150 minutes in: it is refreshed five minutes before.
    tokio::time::sleep(Duration::from_mins(85)).await;
    assert_eq!(refreshes(), 1);
    assert_ne!(tokens.token().expose(), "user-token-2");
    assert!(control.is_valid(tokens.token().expose()));
    task.abort();
}
