//! End to end: a two-shard Discord bot on the mesh (both sandboxes, real sockets); another
//! service reaches "the shard that owns guild X" with a `$contains` query.
#![cfg(all(feature = "gateway", feature = "mesh"))]

use std::time::Duration;

use sandbox::discord::{Discord, DiscordConfig, DiscordControl};
use sandbox::singyeong::{Singyeong, SingyeongConfig, SingyeongControl};
use serde_json::{Value, json};
use switchboard::discord::Client;
use switchboard::discord::model::Intents;
use switchboard::mesh::{
    Backoff, ErrorKind, MeshClient, MeshConfig, Message, Metadata, MetadataValue, Query,
};
use switchboard::{MeshBot, MeshBotErrorKind, guild_query};

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
    assert_eq!(*error.kind(), MeshBotErrorKind::Mesh);
}

/// Polls (bounded) until `done` holds.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    tokio::time::timeout(WAIT, async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("never: {what}"));
}

fn discord_client(control: &DiscordControl, server: &sandbox::Server) -> Client {
    Client::builder(control.token())
        .intents(Intents::GUILDS)
        .api_url(format!("{}/api/v10", server.base_url()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_shard_refused_by_the_mesh_joins_on_retry_without_another_guild_event() {
    let discord = Discord::new(DiscordConfig::default().with_shards(2, 2));
    let discord_control = discord.control();
    let discord_server = sandbox::Server::builder().serve(discord).await.unwrap();
    let singyeong = Singyeong::new(SingyeongConfig::default().password("pw"));
    let mesh = singyeong.control();
    let mesh_server = sandbox::Server::builder().serve(singyeong).await.unwrap();
    let dsn = |app: &str| format!("singyeong://{app}:pw@{}", mesh_server.addr());
    // Another process holds shard 1's client id: its identify is refused until it leaves.
    let squatter = MeshClient::connect(
        MeshConfig::builder(&dsn("discord-bot"))
            .client_id("bot-shard-1")
            .build()
            .unwrap(),
    )
    .await
    .unwrap();

    let bot = MeshBot::builder(
        discord_client(&discord_control, &discord_server),
        dsn("discord-bot"),
    )
    .join_backoff(
        Backoff::new()
            .initial_delay(Duration::from_millis(20))
            .max_delay(Duration::from_millis(200))
            .jitter(0.0),
    )
    .on_request(|request| async move { json!({ "shard": request.shard_id }) })
    .build()
    .unwrap();
    bot.start().await.unwrap();
    // Shard 0 is in; shard 1 has been refused at least once (squatter, shard 0, shard 1).
    until("shard 0 joined and shard 1 tried", || {
        bot.mesh(0).is_some() && mesh.accepted() >= 3
    })
    .await;
    assert!(bot.mesh(1).is_none());
    assert!(bot.is_joining(1));

    squatter.close();
    until("shard 1 joined", || bot.mesh(1).is_some()).await;
    assert!(!bot.is_joining(1));
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

    caller.close();
    bot.shutdown().await.unwrap();
    discord_server.shutdown().await;
    mesh_server.shutdown().await;
}

#[tokio::test]
async fn guild_events_are_handled_while_a_mesh_connect_hangs() {
    let discord = Discord::new(DiscordConfig::default().with_shards(2, 2));
    let discord_control = discord.control();
    let discord_server = sandbox::Server::builder().serve(discord).await.unwrap();
    // A mesh address that accepts connections and never answers: every connect hangs.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_addr = silent.local_addr().unwrap();
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });

    let bot = MeshBot::builder(
        discord_client(&discord_control, &discord_server),
        format!("singyeong://discord-bot:pw@{silent_addr}"),
    )
    .connect_timeout(Duration::from_mins(10))
    .build()
    .unwrap();
    bot.start().await.unwrap();
    until("shard 1 is joining with its guilds", || {
        bot.is_joining(1) && bot.guilds(1).contains(&GUILD_ON_SHARD_1)
    })
    .await;

    // The connect still hangs, and the bot goes on handling shard 1's events.
    discord_control.dispatch(
        Some(1),
        "GUILD_DELETE",
        &json!({ "id": GUILD_ON_SHARD_1.to_string() }),
    );
    until("the deletion is handled", || {
        !bot.guilds(1).contains(&GUILD_ON_SHARD_1)
    })
    .await;
    assert!(bot.is_joining(1));
    assert!(bot.mesh(1).is_none());

    bot.shutdown().await.unwrap();
    assert!(!bot.is_joining(1));
    holder.abort();
    discord_server.shutdown().await;
}

#[tokio::test]
async fn the_bot_sends_broadcasts_and_discovers_through_its_shards() {
    let (bot, _discord, _mesh, dsn, servers) = start().await;
    until("a shard joined", || {
        bot.mesh(0).is_some() || bot.mesh(1).is_some()
    })
    .await;
    let tags = Metadata::new()
        .with("tags", MetadataValue::List(vec![json!("dashboard")]))
        .unwrap();
    let dashboard = MeshClient::connect(
        MeshConfig::builder(&dsn("dashboard"))
            .metadata(tags)
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(bot.discover(&["dashboard"]).await.unwrap(), ["dashboard"]);

    let target = Query::application("dashboard");
    let sent = dashboard.wait_for(|m: &Message| m.payload == json!("one"), WAIT);
    bot.send(&target, "one", None).await.unwrap();
    sent.await.unwrap();
    let broadcast = dashboard.wait_for(|m: &Message| m.payload == json!({"all": true}), WAIT);
    bot.broadcast(&target, json!({"all": true}), None)
        .await
        .unwrap();
    broadcast.await.unwrap();

    dashboard.close();
    bot.shutdown().await.unwrap();
    for server in servers {
        server.shutdown().await;
    }
}

#[tokio::test]
async fn a_bot_with_no_shard_on_the_mesh_says_so() {
    let client = Client::builder("token").build().unwrap();
    let bot = MeshBot::builder(client, "singyeong://app:pw@127.0.0.1:1")
        .build()
        .unwrap();
    let error = bot
        .send(&Query::application("x"), "hi", None)
        .await
        .unwrap_err();
    assert_eq!(*error.kind(), MeshBotErrorKind::NotJoined);
}
