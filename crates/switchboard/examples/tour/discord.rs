//! Discord: a bot on three shards against the sandbox: identify under the concurrency limit,
//! a forced disconnect resumed without losing an event, a REST message echoed by the
//! gateway, a reaction announced over the gateway, the cache, and a slash command synced
//! once and answered through the interaction router.

use std::time::Duration;

use switchboard::discord::gateway::ShardScheme;
use switchboard::discord::interactions::{
    CommandContext, CommandModel, CreateCommand, Router, SyncOptions,
};
use switchboard::discord::model::{Id, Intents};
use switchboard::discord::{
    Client,
    event::{MessageCreate, MessageReactionAdd, Resumed},
};

/// Greets someone
#[derive(CommandModel, CreateCommand)]
#[command(name = "hello", crate = "switchboard::discord")]
struct Hello {
    /// Who to greet
    #[option(max_length = 32)]
    name: String,
}

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
    // Every shard has its session once this resolves (a state: it cannot be missed).
    client.ready().await?;
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

    slash_command(&client, &control, &server).await?;
    client.shutdown().await?;
    Ok(())
}

/// `/hello name:…`: synced (a second sync writes nothing), then answered by the router.
async fn slash_command(
    client: &Client,
    control: &sandbox::discord::DiscordControl,
    server: &sandbox::Server,
) -> Result<(), Box<dyn std::error::Error>> {
    let router = || {
        Router::new().command(|ctx: CommandContext, hello: Hello| async move {
            ctx.respond_ephemeral(format!("Hello, {}!", hello.name))
                .await
        })
    };
    let application = client.application_id().await?;
    let first = router()
        .sync(client.rest(), application, &SyncOptions::default())
        .await?;
    let again = router()
        .sync(client.rest(), application, &SyncOptions::default())
        .await?;
    let _interactions = router().attach(client);
    control.dispatch(
        Some(0),
        "INTERACTION_CREATE",
        &serde_json::json!({
            "id": "7000", "application_id": application.to_string(), "type": 2,
            "token": "tour-token", "version": 1,
            "guild_id": "1000000000000000000", "channel_id": "1010000000000000000",
            "member": {"user": {"id": "42", "username": "ana", "discriminator": "0"}, "roles": []},
            "data": {"id": "1", "name": "hello", "type": 1,
                     "options": [{"name": "name", "type": 3, "value": "ana"}]},
        }),
    );
    let answer = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let log = server.log().snapshot();
            if let Some(r) = log.iter().find(|r| r.path.contains("/interactions/7000/")) {
                break r.body.clone();
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await?;
    let answer = String::from_utf8_lossy(&answer);
    if !answer.contains("Hello, ana!") || !again.written.is_empty() {
        return Err(format!("/hello went wrong: {answer}, second sync {again:?}").into());
    }
    println!(
        "/hello synced (first sync wrote {:?}, the second nothing); answered {answer}",
        first.written
    );
    Ok(())
}
