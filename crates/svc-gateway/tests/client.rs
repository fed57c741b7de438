//! The bot client against the sandbox: three shards under the identify limit, events in
//! order with their shard id, ping/pong, cache, wait_for.

mod common;

use std::time::Duration;

use common::{Sandbox, message};
use futures_util::StreamExt;
use sandbox::discord::DiscordConfig;
use svc_gateway::model::{Id, Intents};
use svc_gateway::rest::CreateMessage;
use svc_gateway::{Client, Event, GuildCreate, MessageCreate, Ready};

const MINUTE: Duration = Duration::from_mins(1);

fn client(sandbox: &Sandbox) -> Client {
    Client::builder(sandbox.control.token())
        .intents(Intents::GUILDS | Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT)
        .api_url(sandbox.api_url())
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn three_shards_identify_within_concurrency_and_keep_order() {
    let sandbox = Sandbox::start(DiscordConfig::default().with_shards(3, 1)).await;
    let client = client(&sandbox);
    let mut events = client.events();
    let started = tokio::time::Instant::now();
    client.start().await.unwrap();
    let mut ready = Vec::new();
    while ready.len() < 3 {
        if let Some(Ok(event)) = tokio::time::timeout(MINUTE, events.next()).await.unwrap()
            && let Event::Ready(r) = &event.event
        {
            assert_eq!(r.shard.map(|s| s[0]), Some(event.shard_id));
            ready.push(event.shard_id);
        }
    }
    ready.sort_unstable();
    assert_eq!(ready, [0, 1, 2]);
    assert_eq!(sandbox.control.identify_violations(), 0);
    assert!(
        started.elapsed() >= Duration::from_secs(10),
        "max_concurrency 1: one identify per 5 s"
    );
    let mut shards = sandbox.control.identified_shards();
    shards.sort_unstable();
    assert_eq!(shards, [[0, 3], [1, 3], [2, 3]]);

    for i in 0..30u64 {
        sandbox.control.dispatch(
            Some((i % 3) as u32),
            "MESSAGE_CREATE",
            &message(&i.to_string(), 100 + i),
        );
    }
    let mut per_shard: [Vec<u64>; 3] = Default::default();
    while per_shard.iter().map(Vec::len).sum::<usize>() < 30 {
        let event = tokio::time::timeout(MINUTE, events.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Event::MessageCreate(m) = &event.event {
            per_shard[event.shard_id as usize].push(m.content.parse().unwrap());
        }
    }
    for (shard, got) in per_shard.iter().enumerate() {
        let expected: Vec<u64> = (0..30).filter(|i| i % 3 == shard as u64).collect();
        assert_eq!(got, &expected);
    }
    client.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn ping_pong_cache_and_wait_for() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let client = client(&sandbox);
    let rest = client.rest().clone();
    let _listener = client.on_async(move |message: MessageCreate| {
        let rest = rest.clone();
        async move {
            if message.content == "!ping" {
                rest.create_message(
                    message.channel_id,
                    &CreateMessage::text("pong").reply_to(&message),
                )
                .await
                .unwrap();
            }
        }
    });
    let ready = client.wait_for(|_: &Ready| true, MINUTE);
    let guilds = client.wait_for(
        |g: &GuildCreate| g.id.get() == 1_000_000_000_000_000_000,
        MINUTE,
    );
    let me = client.start().await.unwrap();
    assert_eq!(ready.await.unwrap().user.id, me.id);
    guilds.await.unwrap();

    let pong = client.wait_for(|m: &MessageCreate| m.content == "pong", MINUTE);
    sandbox
        .control
        .dispatch(Some(0), "MESSAGE_CREATE", &message("!ping", 5));
    let pong = pong.await.unwrap();
    assert_eq!(
        pong.message_reference.and_then(|r| r.message_id),
        Some(Id::new(5))
    );
    assert!(pong.author.bot);

    // The cache saw the guilds and the messages.
    tokio::task::yield_now().await;
    let guild = client
        .get_guild(Id::new(1_000_000_000_000_000_000))
        .expect("cached guild");
    assert_eq!(guild.name, "Guild 0");
    assert!(
        client
            .get_channel(Id::new(1_010_000_000_000_000_000))
            .is_some()
    );
    assert!(client.get_message(pong.channel_id, pong.id).is_some());
    let stats = client.cache().stats();
    assert_eq!(stats.guilds, 3);
    assert!(stats.members >= 36 && stats.approx_bytes > 0);
    assert_eq!(client.fetch_guild(guild.id).await.unwrap().name, "Guild 0");

    client
        .update_presence(&svc_gateway::model::UpdatePresence::online(None))
        .await
        .unwrap();
    assert_eq!(client.shard_stats().await.len(), 1);
    let timeout = client
        .wait_for(
            |m: &MessageCreate| m.content == "never",
            Duration::from_secs(1),
        )
        .await
        .unwrap_err();
    assert_eq!(timeout.kind(), &svc_gateway::ErrorKind::Timeout);
    client.shutdown().await.unwrap();
}
