//! Token lifetime: svc-helix's [`TokenManager`] keeps the user token of a session and the
//! app token of a conduit valid while they run. The EventSub sandbox checks every REST
//! call's token against the Twitch sandbox's OAuth (`/oauth2/validate`, `/oauth2/token`), so
//! a stale token would be refused. Paused clock: hours pass in milliseconds.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{Env, next_matching, online, raid};
use core_events::EventStream;
use sandbox::Server;
use sandbox::twitch::eventsub::{EventSub, EventSubConfig};
use sandbox::twitch::{HelixControl, Twitch};
use svc_eventsub::{
    AccessToken, ConduitApp, EventSubClient, EventSubEvent, SubscriptionRequest, TokenManager,
};

const CLIENT_ID: &str = "token-client";
const SECRET: &str = "token-secret";

struct Sandboxes {
    oauth: Server,
    helix: HelixControl,
    eventsub: Env,
}

/// A Twitch sandbox for OAuth and an EventSub sandbox that accepts only the tokens it issued.
async fn sandboxes() -> Sandboxes {
    let twitch = Twitch::new();
    let helix = twitch.helix();
    helix.add_client(CLIENT_ID, SECRET);
    let oauth = Server::builder().serve(twitch).await.unwrap();
    let eventsub = EventSub::with_config(EventSubConfig::default().check_tokens(helix.clone()));
    let control = eventsub.control();
    let server = Server::builder().serve(eventsub).await.unwrap();
    Sandboxes {
        oauth,
        helix,
        eventsub: Env { server, control },
    }
}

impl Sandboxes {
    /// A user token living `lifetime` with its refresh token, in a svc-helix manager.
    fn user_tokens(&self, token: &str, refresh: &str, lifetime: Duration) -> TokenManager {
        self.helix
            .add_user_token(token, CLIENT_ID, "dallas", "1337", lifetime, Some(refresh));
        TokenManager::user(
            &self.oauth.base_url(),
            CLIENT_ID,
            AccessToken::new(token),
            Some(refresh),
            Some(SECRET),
        )
        .unwrap()
    }
}

fn token_grants(sandboxes: &Sandboxes) -> usize {
    sandboxes
        .oauth
        .log()
        .count(|r| r.path.ends_with("/oauth2/token"))
}

/// Reads notifications until `ids` holds `emitted` distinct message ids; a repeat fails.
async fn collect(
    events: &mut EventStream<EventSubEvent>,
    ids: &mut HashSet<String>,
    emitted: usize,
) {
    while ids.len() < emitted {
        if let EventSubEvent::Notification { message_id, .. } =
            next_matching(events, |e| matches!(e, EventSubEvent::Notification { .. })).await
        {
            assert!(ids.insert(message_id), "a notification arrived twice");
        }
    }
}

/// The user token expires an hour in: svc-helix refreshes it five minutes before, the
/// session keeps delivering throughout, and a subscription created after the old token
/// expired goes through with the new one.
#[tokio::test(start_paused = true)]
async fn user_token_expiring_mid_session_is_refreshed_and_used() {
    let sandboxes = sandboxes().await;
    let tokens = sandboxes.user_tokens("user-token-1", "refresh-1", Duration::from_hours(1));
    let client = EventSubClient::with_tokens(tokens.clone())
        .mock_url(&sandboxes.eventsub.server.base_url())
        .unwrap()
        .keepalive(Duration::from_mins(10))
        .subscribe(online())
        .connect()
        .await
        .expect("connects");
    let mut events = client.events();
    let control = &sandboxes.eventsub.control;
    let (mut emitted, mut ids) = (0, HashSet::new());
    for _ in 0..14 {
        tokio::time::sleep(Duration::from_mins(5)).await;
        emitted += control.notify("stream.online");
        collect(&mut events, &mut ids, emitted).await;
    }
    // 70 minutes in: the first token is dead, the session never noticed.
    assert!(!sandboxes.helix.is_valid("user-token-1"));
    assert_ne!(tokens.token(), AccessToken::new("user-token-1"));
    assert!(sandboxes.helix.is_valid(tokens.token().expose()));
    assert_eq!(token_grants(&sandboxes), 1, "one proactive refresh");
    let follow = client
        .subscribe(SubscriptionRequest::channel_follow("1337", "1337"))
        .await
        .expect("subscribes with the refreshed token");
    assert_eq!(follow.kind, "channel.follow");
    emitted += control.notify("channel.follow") + control.notify("stream.online");
    collect(&mut events, &mut ids, emitted).await;
    assert_eq!(client.stats().notifications, 16);
    assert_eq!(client.stats().fresh_sessions, 0);
    client.close().await;
}

/// A user token revoked mid-session: the next REST call is refused with 401, svc-helix
/// refreshes the token and retries, and the subscription is created.
#[tokio::test(start_paused = true)]
async fn revoked_user_token_is_refreshed_on_the_401() {
    let sandboxes = sandboxes().await;
    let tokens = sandboxes.user_tokens("user-token-2", "refresh-2", Duration::from_hours(4));
    let client = EventSubClient::with_tokens(tokens.clone())
        .mock_url(&sandboxes.eventsub.server.base_url())
        .unwrap()
        .subscribe(online())
        .connect()
        .await
        .expect("connects");
    let mut events = client.events();
    tokens.revoke().await.expect("revoked");
    assert!(!sandboxes.helix.is_valid("user-token-2"));
    let (mut emitted, mut ids) = (
        sandboxes.eventsub.control.notify("stream.online"),
        HashSet::new(),
    );
    client
        .subscribe(SubscriptionRequest::channel_follow("1337", "1337"))
        .await
        .expect("subscribes after the refresh");
    assert_eq!(token_grants(&sandboxes), 1);
    assert!(sandboxes.helix.is_valid(tokens.token().expose()));
    emitted += sandboxes.eventsub.control.notify("channel.follow");
    collect(&mut events, &mut ids, emitted).await;
    client.close().await;
}

/// The conduit's app token (client credentials, four hours) is renewed by svc-helix before
/// it expires; shards keep delivering; subscribing through the conduit later uses the new
/// token; a revoked app token is renewed on the 401.
#[tokio::test(start_paused = true)]
async fn conduit_app_token_is_renewed_by_client_credentials() {
    let sandboxes = sandboxes().await;
    let tokens = TokenManager::app(&sandboxes.oauth.base_url(), CLIENT_ID, SECRET)
        .await
        .expect("client credentials");
    let first = tokens.token();
    let app = ConduitApp::with_tokens(tokens.clone())
        .mock_url(&sandboxes.eventsub.server.base_url())
        .unwrap()
        .shard_count(2)
        .session(|s| s.keepalive(Duration::from_mins(10)))
        .start()
        .await
        .expect("conduit starts");
    let mut events = app.events();
    app.subscribe(&raid()).await.unwrap();
    let control = &sandboxes.eventsub.control;
    let (mut emitted, mut ids) = (0, HashSet::new());
    for _ in 0..25 {
        tokio::time::sleep(Duration::from_mins(10)).await;
        emitted += control.notify("channel.raid");
        collect(&mut events, &mut ids, emitted).await;
    }
    // 4 h 10 min in: the first app token has expired, a renewed one is in use.
    assert!(!sandboxes.helix.is_valid(first.expose()));
    assert_ne!(tokens.token(), first);
    assert_eq!(
        token_grants(&sandboxes),
        2,
        "the initial grant and one renewal"
    );
    app.subscribe(&online())
        .await
        .expect("subscribes with the renewed app token");

    tokens.revoke().await.expect("revoked");
    app.subscribe(&SubscriptionRequest::broadcaster(
        "stream.offline",
        "1",
        "1337",
    ))
    .await
    .expect("subscribes after renewing on the 401");
    assert_eq!(token_grants(&sandboxes), 3);
    emitted += control.notify("stream.online") + control.notify("stream.offline");
    collect(&mut events, &mut ids, emitted).await;
    assert_eq!(app.stats().notifications, 27);
    app.close().await;
}
