//! Twitch EventSub against the sandbox: a session subscribes, gets a typed follow, follows a
//! `session_reconnect` make-before-break, and a two-shard conduit delivers a raid.

use std::time::Duration;

use futures_util::StreamExt;
use switchboard::eventsub::{
    AccessToken, ConduitApp, Event, EventSubClient, EventSubEvent, SubscriptionRequest,
};

async fn next_where(
    events: &mut (impl futures_util::Stream<Item = Result<EventSubEvent, core_events::Lagged>> + Unpin),
    wanted: impl Fn(&EventSubEvent) -> bool,
) -> Option<EventSubEvent> {
    let wait = async {
        while let Some(Ok(event)) = events.next().await {
            if wanted(&event) {
                return Some(event);
            }
        }
        None
    };
    tokio::time::timeout(Duration::from_secs(5), wait)
        .await
        .ok()
        .flatten()
}

async fn next_notification(
    events: &mut (impl futures_util::Stream<Item = Result<EventSubEvent, core_events::Lagged>> + Unpin),
) -> Option<EventSubEvent> {
    next_where(events, |e| matches!(e, EventSubEvent::Notification { .. })).await
}

pub(crate) async fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("== Twitch EventSub");
    let eventsub = sandbox::twitch::eventsub::EventSub::new();
    let control = eventsub.control();
    let server = sandbox::Server::builder().serve(eventsub).await?;

    let client = EventSubClient::builder("tour-client", AccessToken::new("tour-user-token"))
        .mock_url(&server.base_url())?
        .subscribe(SubscriptionRequest::channel_follow("1337", "1337"))
        .connect()
        .await?;
    let mut events = client.events();
    println!(
        "session welcomed, {} subscription(s) created",
        client.subscriptions().await?.len()
    );

    control.notify("channel.follow");
    if let Some(EventSubEvent::Notification { notification, .. }) =
        next_notification(&mut events).await
        && let Event::ChannelFollow(follow) = notification.event
    {
        println!(
            "{} followed {}",
            follow.user_name, follow.broadcaster_user_name
        );
    }
    control.reconnect(&client.session_id().unwrap_or_default());
    next_where(&mut events, |e| {
        matches!(e, EventSubEvent::Reconnected { .. })
    })
    .await;
    control.notify("channel.follow");
    next_notification(&mut events).await;
    println!("after session_reconnect: {:?}", client.stats());
    client.close().await;

    let conduit = ConduitApp::builder("tour-client", AccessToken::new("tour-app-token"))
        .mock_url(&server.base_url())?
        .shard_count(2)
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
    if let Some(EventSubEvent::Notification { shard, .. }) =
        next_notification(&mut conduit_events).await
    {
        println!(
            "conduit with {} shards delivered a raid on shard {shard:?}",
            conduit.shard_count()
        );
    }
    conduit.close().await;
    Ok(())
}
