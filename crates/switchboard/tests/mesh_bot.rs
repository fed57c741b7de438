//! End to end: a two-shard Discord bot on the mesh (both sandboxes, real sockets); another
//! service reaches "the shard that owns guild X" with a `$contains` query.
#![cfg(all(feature = "gateway", feature = "mesh"))]

use std::time::Duration;

use sandbox::discord::{Discord, DiscordConfig, DiscordControl};
use sandbox::singyeong::{Singyeong, SingyeongConfig, SingyeongControl};
use serde_json::{Value, json};
use switchboard::discord::Client;
use switchboard::discord::model::Intents;
use switchboard::mesh::{ErrorKind, MeshClient, MeshConfig};
use switchboard::{MeshBot, guild_query};

/// Fixture guilds: `(id >> 22) % 2` is their shard.
const GUILD_ON_SHARD_1: u64 = 1_000_000_000_000_000_000;
const GUILD_ON_SHARD_0: u64 = 1_000_000_000_002_000_006;
const WAIT: Duration = Duration::from_secs(10);

fn owns(mesh: &SingyeongControl, client_id: &str, guild: u64) -> bool {
    let Some(metadata) = mesh.metadata("discord-bot", client_id) else {
        return false;
    };
    let guilds = metadata.get("guilds").cloned().unwrap_or(Value::Null);
    let list = guilds
        .as_array()
        .or_else(|| guilds["value"].as_array())
        .cloned()
        .unwrap_or_default();
    list.contains(&Value::String(guild.to_string()))
}

/// Polls the mesh server's view of a shard's metadata until `owned` holds (bounded).
async fn until_owned(mesh: &SingyeongControl, client_id: &str, guild: u64, owned: bool) {
    tokio::time::timeout(WAIT, async {
        while owns(mesh, client_id, guild) != owned {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{client_id} never got owns({guild}) == {owned}"));
}

async fn start() -> (
    MeshBot,
    DiscordControl,
    SingyeongControl,
    impl Fn(&str) -> String,
    Vec<sandbox::Server>,
) {
    let discord = Discord::new(DiscordConfig::default().with_shards(2, 2));
    let discord_control = discord.control();
    let discord_server = sandbox::Server::builder().serve(discord).await.unwrap();
    let singyeong = Singyeong::new(SingyeongConfig::default().password("pw"));
    let mesh_control = singyeong.control();
    let mesh_server = sandbox::Server::builder().serve(singyeong).await.unwrap();
    let addr = mesh_server.addr();
    let dsn = move |app: &str| format!("singyeong://{app}:pw@{addr}");

    let client = Client::builder(discord_control.token())
        .intents(Intents::GUILDS)
        .api_url(format!("{}/api/v10", discord_server.base_url()))
        .build()
        .unwrap();
    let bot = MeshBot::builder(client, dsn("discord-bot"))
        .on_request(|request| async move {
            json!({ "shard": request.shard_id, "echo": request.message.payload })
        })
        .build()
        .unwrap();
    bot.start().await.unwrap();
    (
        bot,
        discord_control,
        mesh_control,
        dsn,
        vec![discord_server, mesh_server],
    )
}

#[tokio::test]
async fn the_shard_owning_a_guild_answers_until_the_guild_is_deleted() {
    let (bot, discord, mesh, dsn, servers) = start().await;
    until_owned(&mesh, "bot-shard-1", GUILD_ON_SHARD_1, true).await;
    until_owned(&mesh, "bot-shard-0", GUILD_ON_SHARD_0, true).await;
    assert!(!owns(&mesh, "bot-shard-0", GUILD_ON_SHARD_1));
    assert!(bot.guilds(1).contains(&GUILD_ON_SHARD_1));
    assert!(!bot.guilds(0).contains(&GUILD_ON_SHARD_1));
    assert_eq!(
        mesh.metadata("discord-bot", "bot-shard-1")
            .and_then(|m| m.get("shard_id").cloned())
            .map(|v| v.get("value").cloned().unwrap_or(v)),
        Some(json!(1))
    );

    let caller = MeshClient::connect(MeshConfig::builder(&dsn("dashboard")).build().unwrap())
        .await
        .unwrap();
    let to_shard_1 = guild_query("discord-bot", GUILD_ON_SHARD_1).unwrap();
    let answer = caller
        .request(&to_shard_1, json!({ "op": "ping" }), WAIT)
        .await
        .unwrap();
    assert_eq!(answer, json!({ "shard": 1, "echo": { "op": "ping" } }));
    let answer = caller
        .request(
            &guild_query("discord-bot", GUILD_ON_SHARD_0).unwrap(),
            "hi",
            WAIT,
        )
        .await
        .unwrap();
    assert_eq!(answer["shard"], 0);

    // The bot is removed from the guild: the shard stops advertising it.
    discord.dispatch(
        Some(1),
        "GUILD_DELETE",
        &json!({ "id": GUILD_ON_SHARD_1.to_string() }),
    );
    until_owned(&mesh, "bot-shard-1", GUILD_ON_SHARD_1, false).await;
    assert!(!bot.guilds(1).contains(&GUILD_ON_SHARD_1));
    let unroutable = caller
        .request(&to_shard_1, json!({ "op": "ping" }), Duration::from_secs(2))
        .await
        .unwrap_err();
    assert!(
        matches!(unroutable.kind(), ErrorKind::Invalid { .. }),
        "{unroutable:?}"
    );

    caller.close();
    bot.shutdown().await.unwrap();
    for server in servers {
        server.shutdown().await;
    }
}

#[tokio::test]
async fn an_outage_keeps_the_guild_on_its_shard() {
    let (bot, discord, mesh, dsn, servers) = start().await;
    until_owned(&mesh, "bot-shard-1", GUILD_ON_SHARD_1, true).await;
    let changed = bot.discord().wait_for(
        |e: &switchboard::discord::event::GuildDelete| e.unavailable,
        WAIT,
    );
    discord.dispatch(
        Some(1),
        "GUILD_DELETE",
        &json!({ "id": GUILD_ON_SHARD_1.to_string(), "unavailable": true }),
    );
    changed.await.unwrap();
    let caller = MeshClient::connect(MeshConfig::builder(&dsn("dashboard")).build().unwrap())
        .await
        .unwrap();
    let answer = caller
        .request(
            &guild_query("discord-bot", GUILD_ON_SHARD_1).unwrap(),
            "hi",
            WAIT,
        )
        .await
        .unwrap();
    assert_eq!(answer["shard"], 1);
    assert!(bot.guilds(1).contains(&GUILD_ON_SHARD_1));

    caller.close();
    bot.shutdown().await.unwrap();
    for server in servers {
        server.shutdown().await;
    }
}

#[tokio::test]
async fn a_bad_dsn_is_refused_at_build() {
    let client = Client::builder("token").build().unwrap();
    let error = MeshBot::builder(client, "http://nope").build().unwrap_err();
    assert_eq!(*error.kind(), switchboard::MeshBotErrorKind::Mesh);
}
