//! The EventSub REST endpoints (subscriptions and conduits) against the sandbox's EventSub
//! server over real sockets: each round-trips, totals and shard errors come back, refusals
//! are typed errors.

use futures_util::TryStreamExt;
use sandbox::Server;
use sandbox::twitch::eventsub::EventSub;
use svc_helix::{
    AccessToken, ConduitShard, ErrorKind, EventSubTransport, HelixClient, TWITCH_AUTH_URL,
    TokenManager,
};

async fn client() -> (Server, HelixClient) {
    let server = Server::builder().serve(EventSub::new()).await.unwrap();
    let tokens = TokenManager::user(
        TWITCH_AUTH_URL,
        "eventsub-client",
        AccessToken::new("app-token"),
        None,
        None,
    )
    .unwrap();
    let helix = HelixClient::new(&server.base_url(), tokens).unwrap();
    (server, helix)
}

#[tokio::test]
async fn conduits_and_their_shards_round_trip() {
    let (_server, helix) = client().await;
    let conduit = helix.create_conduit(3).await.unwrap();
    assert_eq!(conduit.shard_count, 3);
    assert_eq!(helix.get_conduits().await.unwrap(), vec![conduit.clone()]);
    let resized = helix.update_conduit(&conduit.id, 2).await.unwrap();
    assert_eq!(resized.shard_count, 2);

    // No session behind these: every shard is refused with Twitch's code.
    let update = helix
        .update_conduit_shards(
            &conduit.id,
            &[
                ConduitShard::websocket(0, "no-such-session"),
                ConduitShard::websocket(7, "no-such-session"),
            ],
        )
        .await
        .unwrap();
    assert!(update.updated.is_empty());
    let codes: Vec<&str> = update.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["websocket_session_not_found", "invalid_parameter"]);
    let shards: Vec<ConduitShard> = helix
        .conduit_shards(&conduit.id, None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(shards.len(), 2);
    assert!(shards.iter().all(|s| s.status == "websocket_disconnected"));

    helix.delete_conduit(&conduit.id).await.unwrap();
    assert!(helix.get_conduits().await.unwrap().is_empty());
    let error = helix.delete_conduit(&conduit.id).await.unwrap_err();
    assert_eq!(error.status(), Some(404));
}

#[tokio::test]
async fn subscriptions_round_trip_with_their_totals() {
    let (_server, helix) = client().await;
    let conduit = helix.create_conduit(1).await.unwrap();
    let transport = EventSubTransport::conduit(&conduit.id);
    let condition = serde_json::json!({ "broadcaster_user_id": "1337" });
    let (subscription, totals) = helix
        .create_subscription("channel.raid", "1", condition.clone(), &transport)
        .await
        .unwrap();
    assert_eq!(subscription.kind, "channel.raid");
    assert_eq!(subscription.status, "enabled");
    assert_eq!(
        subscription.transport.conduit_id.as_ref(),
        Some(&conduit.id)
    );
    assert_eq!(totals.total, 1);
    assert!(totals.max_total_cost > 0);

    let error = helix
        .create_subscription("channel.raid", "1", condition, &transport)
        .await
        .unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::Status { status: 409, .. }
    ));

    let page = helix
        .subscriptions_page(Some("enabled"), None)
        .await
        .unwrap();
    assert_eq!(page.data, vec![subscription.clone()]);
    assert_eq!(page.totals.total, 1);
    let all: Vec<_> = helix.subscriptions(None).try_collect().await.unwrap();
    assert_eq!(all.len(), 1);

    helix.delete_subscription(&subscription.id).await.unwrap();
    assert!(
        helix
            .subscriptions_page(None, None)
            .await
            .unwrap()
            .data
            .is_empty()
    );

    // A WebSocket transport needs a live session.
    let error = helix
        .create_subscription(
            "stream.online",
            "1",
            serde_json::json!({ "broadcaster_user_id": "1337" }),
            &EventSubTransport::websocket("gone"),
        )
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400));
}
