//! A Discord bot on the singyeong mesh (what shinkei's `BotClient` is for discord.py): the
//! bot is a Discord shard *and* a mesh client. `!price <sku>` in a channel is answered by
//! asking the `billing` service over the mesh, and the answer is posted back through the
//! Discord REST API. Both platforms are sandboxes in this process.
//! `cargo run --example discord_mesh --features gateway,mesh`.

use std::time::Duration;

use sandbox::discord::{Discord, DiscordConfig};
use sandbox::singyeong::{Singyeong, SingyeongConfig};
use serde_json::json;
use switchboard::discord::gateway::{Shard, ShardConfig};
use switchboard::discord::model::Intents;
use switchboard::discord::rest::{CreateMessage, RestClient};
use switchboard::discord::{Event, ShardEvent};
use switchboard::events::EventHub;
use switchboard::mesh::{MeshClient, MeshConfig, Message, Metadata, Query};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let discord = Discord::new(DiscordConfig::default());
    let discord_control = discord.control();
    let discord_server = sandbox::Server::builder().serve(discord).await?;
    let mesh_server = sandbox::Server::builder()
        .serve(Singyeong::new(
            SingyeongConfig::default().password("s3cret"),
        ))
        .await?;
    let dsn = |app: &str| format!("singyeong://{app}:s3cret@{}", mesh_server.addr());

    // The billing service answers price requests over the mesh.
    let billing = MeshClient::connect(
        MeshConfig::builder(&dsn("billing"))
            .metadata(Metadata::new().with("region", "eu")?)
            .build()?,
    )
    .await?;
    let responder = billing.clone();
    billing
        .events()
        .on(move |request: Message| {
            let responder = responder.clone();
            tokio::spawn(async move {
                let sku = request.payload["sku"].as_str().unwrap_or("?").to_owned();
                let _ = responder
                    .reply(&request, json!({ "sku": sku, "price": 4200 }))
                    .await;
            });
        })
        .detach();

    // The bot: a mesh client, a shard and a REST client.
    let mesh = MeshClient::connect(MeshConfig::builder(&dsn("discord-bot")).build()?).await?;
    let token = discord_control.token().to_owned();
    let rest = RestClient::builder(token.clone())
        .base_url(format!("{}/api/v10", discord_server.base_url()))
        .build()?;
    let hub = EventHub::<ShardEvent>::new();
    let ready = hub.wait_for(|e: &ShardEvent| e.event.name() == Some("READY"), WAIT);
    let intents = Intents::GUILDS | Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT;
    let shard = Shard::start(
        ShardConfig::builder(token, intents)
            .gateway_url(discord_server.ws_url(""))
            .build()?,
        hub.clone(),
    )?;
    ready.await?;
    let billing_eu = Query::builder("billing").eq("/region", "eu").build()?;
    hub.on_async(move |event: Event| {
        let (mesh, rest, target) = (mesh.clone(), rest.clone(), billing_eu.clone());
        async move {
            let Event::MessageCreate(message) = event else {
                return;
            };
            let Some(sku) = message.content.strip_prefix("!price ") else {
                return;
            };
            let answer = match mesh.request(&target, json!({ "sku": sku }), WAIT).await {
                Ok(answer) => format!(
                    "price of {sku}: {} (from billing, via the mesh)",
                    answer["price"]
                ),
                Err(error) => format!("billing did not answer: {error}"),
            };
            let reply = CreateMessage::text(answer).reply_to(&message);
            if let Err(error) = rest.create_message(message.channel_id, &reply).await {
                eprintln!("could not post the answer: {error}");
            }
        }
    })
    .detach();

    // A user types a command; the bot's answer comes back as its own MESSAGE_CREATE.
    let answered = hub.wait_for(
        |e: &ShardEvent| matches!(&e.event, Event::MessageCreate(m) if m.content.starts_with("price of")),
        WAIT,
    );
    discord_control.dispatch(
        Some(0),
        "MESSAGE_CREATE",
        json!({
            "id": "1100000000000000001",
            "channel_id": "1010000000000000000",
            "guild_id": "1000000000000000000",
            "author": { "id": "42", "username": "customer", "discriminator": "0" },
            "content": "!price kbd-01",
            "timestamp": "2024-03-01T12:00:00.000000+00:00",
        }),
    );
    if let Event::MessageCreate(message) = answered.await?.event {
        println!(
            "bot answered in #{}: {}",
            message.channel_id, message.content
        );
    }

    shard.close();
    billing.close();
    Ok(())
}
