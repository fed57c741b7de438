//! A ping/pong Discord bot. Against the in-process sandbox by default (it plays a user saying
//! `!ping` and exits after the answer); against real Discord when `DISCORD_TOKEN` is set (it
//! then runs until Ctrl-C; enable the MESSAGE_CONTENT intent for the application).
//!
//! `cargo run --example discord_bot` or `DISCORD_TOKEN=… cargo run --example discord_bot`.

use std::time::Duration;

use switchboard::discord::model::Intents;
use switchboard::discord::rest::CreateMessage;
use switchboard::discord::{
    Client,
    event::{MessageCreate, Ready},
};

fn bot(token: &str, api_url: Option<String>) -> Result<Client, switchboard::discord::Error> {
    let mut builder = Client::builder(token)
        .intents(Intents::GUILDS | Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT);
    if let Some(url) = api_url {
        builder = builder.api_url(url);
    }
    builder.build()
}

fn answer_pings(client: &Client) -> core_events::Listener {
    let rest = client.rest().clone();
    client.on_async(move |message: MessageCreate| {
        let rest = rest.clone();
        async move {
            if message.content != "!ping" || message.author.bot {
                return;
            }
            let reply = CreateMessage::text("pong").reply_to(&message);
            if let Err(error) = rest.create_message(message.channel_id, &reply).await {
                eprintln!("could not answer: {error}");
            }
        }
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Ok(token) = std::env::var("DISCORD_TOKEN") {
        let client = bot(&token, None)?;
        let _pings = answer_pings(&client);
        let _ready = client.on(|ready: Ready| {
            println!(
                "logged in as {} in {} guilds",
                ready.user.username,
                ready.guilds.len()
            );
        });
        client.start().await?;
        tokio::signal::ctrl_c().await?;
        client.shutdown().await?;
        return Ok(());
    }

    let discord = sandbox::discord::Discord::default();
    let control = discord.control();
    let server = sandbox::Server::builder().serve(discord).await?;
    let client = bot(
        control.token(),
        Some(format!("{}/api/v10", server.base_url())),
    )?;
    let _pings = answer_pings(&client);
    let pong = client.wait_for(
        |m: &MessageCreate| m.content == "pong",
        Duration::from_secs(10),
    );
    let ready = client.wait_for(|_: &Ready| true, Duration::from_secs(10));
    let me = client.start().await?;
    ready.await?;
    println!("logged in to the sandbox as {}", me.username);
    control.dispatch(
        Some(0),
        "MESSAGE_CREATE",
        &serde_json::json!({
            "id": "900", "channel_id": "1010000000000000000", "guild_id": "1000000000000000000",
            "author": {"id": "42", "username": "ana", "discriminator": "0"},
            "content": "!ping", "timestamp": "2024-03-01T12:00:00.000000+00:00",
        }),
    );
    let pong = pong.await?;
    println!("ana: !ping\n{}: {}", pong.author.username, pong.content);
    client.shutdown().await?;
    Ok(())
}
