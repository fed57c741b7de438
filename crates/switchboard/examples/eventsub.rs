//! Twitch EventSub against the sandbox: a user session that subscribes, receives typed
//! events, survives a `session_reconnect` and a drop, then a conduit with three shards.
//! `cargo run --example eventsub`.
//!
//! Against Twitch, drop `mock_url` and pass a real user token (and an app token for the
//! conduit).

use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use sandbox::twitch::eventsub::EventSub;
use switchboard::eventsub::{
    AccessToken, ConduitApp, Event, EventSubClient, EventSubEvent, SubscriptionRequest,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let eventsub = EventSub::new();
    let control = eventsub.control();
    let server = sandbox::Server::builder().serve(eventsub).await?;

    let client = EventSubClient::builder("my-client-id", AccessToken::new("user-token"))
        .mock_url(&server.base_url())?
        .subscribe(SubscriptionRequest::chat_message("1337", "1337"))
        .subscribe(SubscriptionRequest::broadcaster(
            "stream.online",
            "1",
            "1337",
        ))
        .connect()
        .await?;
    let mut events = client.events();
    println!("session {}", client.session_id().unwrap_or_default());

    control.notify("channel.chat.message");
    control.reconnect(&client.session_id().unwrap_or_default());
    control.notify("stream.online");
    let mut seen = 0;
    let mut reconnected = false;
    while seen < 2 || !reconnected {
        let Some(Ok(event)) = tokio::time::timeout(Duration::from_secs(5), events.next()).await?
        else {
            break;
        };
        match event {
            EventSubEvent::Notification { notification, .. } => {
                seen += 1;
                match notification.event {
                    Event::ChatMessage(message) => {
                        println!(
                            "chat: {}: {}",
                            message.chatter_user_name, message.message.text
                        );
                    }
                    Event::StreamOnline(online) => {
                        println!("{} went live", online.broadcaster_user_name);
                    }
                    other => println!("event: {other:?}"),
                }
            }
            EventSubEvent::Reconnected { session_id, .. } => {
                reconnected = true;
                println!("reconnected make-before-break (session {session_id})");
            }
            _ => {}
        }
    }
    println!("stats: {:?}", client.stats());
    client.close().await;

    let conduit = ConduitApp::builder("my-client-id", AccessToken::new("app-token"))
        .mock_url(&server.base_url())?
        .shard_count(3)
        .start()
        .await?;
    let mut conduit_events = conduit.events();
    conduit
        .subscribe(&SubscriptionRequest::broadcaster(
            "channel.raid",
            "1",
            "1337",
        ))
        .await?;
    control.notify("channel.raid");
    if let Ok(Some(Ok(EventSubEvent::Notification { shard, .. }))) =
        tokio::time::timeout(Duration::from_secs(5), conduit_events.next()).await
    {
        println!(
            "conduit {} delivered a raid on shard {shard:?}",
            conduit.conduit_id()
        );
    }
    // The conduit as Twitch reports it, through svc-helix's REST client.
    let shards: Vec<_> = conduit
        .helix()
        .conduit_shards(conduit.conduit_id(), None)
        .try_collect()
        .await?;
    for shard in shards {
        println!(
            "shard {} {} on session {}",
            shard.id,
            shard.status,
            shard.transport.session_id.unwrap_or_default()
        );
    }
    conduit.close().await;
    Ok(())
}
