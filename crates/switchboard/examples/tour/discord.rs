//! Discord: a bot on three shards against the sandbox: identify under the concurrency limit,
//! a forced disconnect resumed without losing an event, a REST message echoed by the
//! gateway, a reaction announced over the gateway, the cache.

use std::time::Duration;

use switchboard::discord::gateway::ShardScheme;
use switchboard::discord::model::{Id, Intents};
use switchboard::discord::{
    Client,
    event::{MessageCreate, MessageReactionAdd, Resumed},
};

pub(crate) async fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("== discord ==");
    let discord = sandbox::discord::Discord::new(
        sandbox::discord::DiscordConfig::default().with_shards(2, 2),
    );
    let control = discord.control();
    let server = sandbox::Server::builder().serve(discord).await?;
    let client = Client::builder(control.token())
        .intents(
            Intents::GUILDS
                | Intents::GUILD_MESSAGES
                | Intents::GUILD_MESSAGE_REACTIONS
                | Intents::MESSAGE_CONTENT,
        )
        .api_url(format!("{}/api/v10", server.base_url()))
        .shards(ShardScheme::Auto)
        .build()?;
    let me = client.start().await?;
    let guild = Id::new(1_000_000_000_000_000_000);
    for _ in 0..50 {
        if client.get_guild(guild).is_some() && client.cache().stats().guilds == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stats = client.cache().stats();
    println!(
        "logged in as {} on 2 shards; cache: {} guilds, {} channels, {} members",
        me.username, stats.guilds, stats.channels, stats.members
    );

    let resumed = client.wait_for(|_: &Resumed| true, Duration::from_secs(10));
    control.close(Some(0), 4000);
    resumed.await?;
    println!(
        "shard 0 was disconnected by the sandbox and resumed ({} resume)",
        control.resumes()
    );

    let echoed = client.wait_for(
        |m: &MessageCreate| m.content == "hello from the tour",
        Duration::from_secs(10),
    );
    let sent = client
        .send_message(Id::new(1_010_000_000_000_000_000), "hello from the tour")
        .await?;
    let echoed = echoed.await?;
    println!(
        "sent message {} over REST; it came back over the gateway as MESSAGE_CREATE {}",
        sent.id, echoed.id
    );

    let reacted = client.wait_for(
        move |r: &MessageReactionAdd| r.message_id == sent.id,
        Duration::from_secs(10),
    );
    client
        .rest()
        .create_reaction(sent.channel_id, sent.id, "👍")
        .await?;
    reacted.await?;
    let stored = client.fetch_message(sent.channel_id, sent.id).await?;
    println!(
        "reacted 👍: MESSAGE_REACTION_ADD arrived; the fetched message (now cached) counts {}",
        stored.reactions.first().map_or(0, |r| r.count)
    );
    client.shutdown().await?;
    Ok(())
}
