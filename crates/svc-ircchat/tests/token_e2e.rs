//! The chat client keeping its OAuth token valid with svc-helix's `TokenManager`, against the
//! sandbox's chat and OAuth endpoints over real sockets on 127.0.0.1, on a paused clock:
//! validated before login, hourly while running, refreshed before it expires, and the
//! refreshed token used on the next login.

use std::time::Duration;

mod common;

use common::eventually;
use sandbox::Server;
use sandbox::twitch::{ChatControl, HelixControl, Twitch};
use svc_helix::{AccessToken, TokenManager, VALIDATE_EVERY};
use svc_ircchat::{ChatClient, ChatConfig, ChatEvent, ErrorKind};

const CLIENT_ID: &str = "chat-client";
const SECRET: &str = "chat-secret";

async fn sandbox() -> (Server, ChatControl, HelixControl) {
    let twitch = Twitch::new();
    let chat = twitch.chat();
    let helix = twitch.helix();
    helix.add_client(CLIENT_ID, SECRET);
    let server = Server::builder().serve(twitch).await.unwrap();
    (server, chat, helix)
}

fn manager(server: &Server, token: &str, refresh: Option<&str>) -> TokenManager {
    TokenManager::user(
        &server.base_url(),
        CLIENT_ID,
        AccessToken::new(token),
        refresh,
        refresh.map(|_| SECRET),
    )
    .unwrap()
}

fn config(server: &Server, tokens: TokenManager) -> ChatConfig {
    ChatConfig::builder()
        .websocket(server.ws_url("/"))
        .oauth_managed("bot", tokens)
        .channels(["dallas"])
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_bad_token_fails_connect_before_any_chat_connection() {
    let (server, chat, helix) = sandbox().await;
    let err = ChatClient::connect(config(&server, manager(&server, "unknown-token", None)))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::InvalidToken);
    assert!(!format!("{err} {err:?}").contains("unknown-token"));
    assert_eq!(chat.accepted(), 0, "no chat connection was opened");

    // A valid token of another user is refused too.
    helix.add_user_token(
        "ronni-token",
        CLIENT_ID,
        "ronni",
        "7",
        Duration::from_hours(4),
        None,
    );
    let err = ChatClient::connect(config(&server, manager(&server, "ronni-token", None)))
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Config(m) if m.contains("ronni")));
    assert_eq!(chat.accepted(), 0);

    // So is an app token (no user) from the client-credentials grant.
    let app = TokenManager::app(&server.base_url(), CLIENT_ID, SECRET)
        .await
        .unwrap();
    let err = ChatClient::connect(config(&server, app)).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Config(_)), "{err}");
    assert_eq!(chat.accepted(), 0);
    assert_eq!(server.log().count(|r| r.path == "/oauth2/validate"), 3);
}

#[tokio::test(start_paused = true)]
async fn validated_hourly_refreshed_before_expiry_and_used_on_the_next_login() {
    let (server, chat, helix) = sandbox().await;
    // Expires in 90 minutes; refreshable.
    helix.add_user_token(
        "bot-token-1",
        CLIENT_ID,
        "bot",
        "4242",
        Duration::from_mins(90),
        Some("bot-refresh-1"),
    );
    let tokens = manager(&server, "bot-token-1", Some("bot-refresh-1"));
    let client = ChatClient::connect(config(&server, tokens.clone()))
        .await
        .unwrap();
    eventually(Duration::from_secs(30), || chat.members("dallas") == 1).await;
    let validations = || server.log().count(|r| r.path == "/oauth2/validate");
    let refreshes = || server.log().count(|r| r.path == "/oauth2/token");
    assert_eq!(
        (validations(), refreshes()),
        (1, 0),
        "validated once, on start"
    );

    tokio::time::sleep(VALIDATE_EVERY + Duration::from_secs(1)).await;
    assert_eq!(
        (validations(), refreshes()),
        (2, 0),
        "and again an hour later"
    );

    // Five minutes before the 90 have passed the token is refreshed.
    tokio::time::sleep(Duration::from_mins(25)).await;
    assert_eq!(refreshes(), 1);
    let renewed = tokens.token();
    assert_ne!(renewed.expose(), "bot-token-1");
    assert!(helix.is_valid(renewed.expose()));

    // Past the old token's expiry a forced disconnect logs in again: only the refreshed
    // token can have done it.
    tokio::time::sleep(Duration::from_mins(10)).await;
    assert!(!helix.is_valid("bot-token-1"));
    let ready = client.events().wait_for(
        |e: &ChatEvent| matches!(e, ChatEvent::Ready { .. }),
        Duration::from_mins(1),
    );
    chat.disconnect_all();
    ready.await.unwrap();
    eventually(Duration::from_secs(30), || chat.members("dallas") == 1).await;
    assert!(chat.accepted() >= 2);
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn an_expired_token_is_renewed_when_the_login_is_refused() {
    let (server, chat, helix) = sandbox().await;
    helix.add_user_token(
        "bot-token-2",
        CLIENT_ID,
        "bot",
        "4242",
        Duration::from_mins(30),
        Some("bot-refresh-2"),
    );
    // `start`: validation happens in the background; the first login uses the token as is.
    let tokens = manager(&server, "bot-token-2", Some("bot-refresh-2"));
    let client = ChatClient::start(config(&server, tokens.clone()));
    eventually(Duration::from_secs(30), || chat.members("dallas") == 1).await;
    let refreshes = || server.log().count(|r| r.path == "/oauth2/token");
    assert_eq!(refreshes(), 0);
    // The upkeep refreshes 5 minutes before expiry; a revoked (here: expired behind the
    // manager's back) token is caught at the next login instead.
    helix.add_user_token(
        "bot-token-2",
        CLIENT_ID,
        "bot",
        "4242",
        Duration::ZERO,
        Some("bot-refresh-2"),
    );
    let ready = client.events().wait_for(
        |e: &ChatEvent| matches!(e, ChatEvent::Ready { .. }),
        Duration::from_mins(1),
    );
    chat.disconnect_all();
    ready.await.unwrap();
    assert_eq!(refreshes(), 1, "renewed after the refused login");
    assert_ne!(tokens.token().expose(), "bot-token-2");
    eventually(Duration::from_secs(30), || chat.members("dallas") == 1).await;
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_revoked_token_without_refresh_is_announced() {
    let (server, chat, helix) = sandbox().await;
    helix.add_user_token(
        "bot-token-3",
        CLIENT_ID,
        "bot",
        "4242",
        Duration::from_hours(4),
        None,
    );
    let tokens = manager(&server, "bot-token-3", None);
    let client = ChatClient::connect(config(&server, tokens.clone()))
        .await
        .unwrap();
    eventually(Duration::from_secs(30), || chat.members("dallas") == 1).await;
    tokens.revoke().await.unwrap();
    let expired = client.events().wait_for(
        |e: &ChatEvent| matches!(e, ChatEvent::TokenExpired { .. }),
        VALIDATE_EVERY + Duration::from_mins(1),
    );
    let ChatEvent::TokenExpired { reason, .. } = expired.await.unwrap() else {
        unreachable!("wait_for only yields TokenExpired");
    };
    assert!(!reason.contains("bot-token-3"));
    assert_eq!(server.log().count(|r| r.path == "/oauth2/validate"), 2);
    // The connection itself stays up until it drops.
    assert_eq!(chat.members("dallas"), 1);
    client.close().await;
}
