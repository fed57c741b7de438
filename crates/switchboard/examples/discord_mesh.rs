//! A Discord bot on the singyeong mesh (what shinkei's `BotClient` is for discord.py): every
//! shard of the bot is also a mesh client whose `guilds` metadata lists the guilds it owns.
//! A dashboard service asks "the shard that owns guild X" for the guild's name with a
//! `$contains` query, and the bot answers from that shard's cache. Both platforms are
//! sandboxes in this process.
//! `cargo run --example discord_mesh --features gateway,mesh`.

use std::time::Duration;

use sandbox::discord::{Discord, DiscordConfig};
use sandbox::singyeong::{Singyeong, SingyeongConfig};
use serde_json::json;
use switchboard::discord::Client;
use switchboard::discord::model::{Id, Intents};
use switchboard::mesh::{MeshClient, MeshConfig};
use switchboard::{MeshBot, guild_query};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let discord = Discord::new(DiscordConfig::default().with_shards(2, 2));
    let discord_control = discord.control();
    let discord_server = sandbox::Server::builder().serve(discord).await?;
    let singyeong = Singyeong::new(SingyeongConfig::default().password("s3cret"));
    let mesh_control = singyeong.control();
    let mesh_server = sandbox::Server::builder().serve(singyeong).await?;
    let dsn = |app: &str| format!("singyeong://{app}:s3cret@{}", mesh_server.addr());

    // The bot: two shards, each a mesh client `bot-shard-{id}` of application `discord-bot`.
    let client = Client::builder(discord_control.token())
        .intents(Intents::GUILDS)
        .api_url(format!("{}/api/v10", discord_server.base_url()))
        .build()?;
    let bot = MeshBot::builder(client, dsn("discord-bot"))
        .on_request(|request| async move {
            let guild = request.message.payload["guild_id"]
                .as_str()
                .and_then(|id| id.parse().ok())
                .and_then(|id| request.discord.get_guild(Id::new(id)));
            json!({
                "shard": request.shard_id,
                "name": guild.map(|guild| guild.name),
            })
        })
        .build()?;
    let me = bot.start().await?;
    println!("logged in to the sandbox as {}", me.username);

    // Wait (bounded) until both shards advertise their guilds on the mesh.
    let guild_id: u64 = 1_000_000_000_000_000_000;
    tokio::time::timeout(WAIT, async {
        while mesh_control
            .metadata("discord-bot", "bot-shard-1")
            .is_none_or(|m| {
                !m.get("guilds")
                    .is_some_and(|g| g.to_string().contains(&guild_id.to_string()))
            })
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await?;

    // Another service reaches "the shard that owns guild X".
    let dashboard = MeshClient::connect(MeshConfig::builder(&dsn("dashboard")).build()?).await?;
    let target = guild_query("discord-bot", guild_id)?;
    let answer = dashboard
        .request(&target, json!({ "guild_id": guild_id.to_string() }), WAIT)
        .await?;
    println!(
        "guild {guild_id} is on shard {} and is called {}",
        answer["shard"], answer["name"]
    );
    println!("shard 1 owns {:?}", bot.guilds(1));

    dashboard.close();
    bot.shutdown().await?;
    Ok(())
}
