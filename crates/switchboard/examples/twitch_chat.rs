//! An echo bot for Twitch chat: answers `!echo <text>` with `<text>` as a threaded reply.
//!
//! With `TWITCH_LOGIN`, `TWITCH_TOKEN` (a user token with chat:read and chat:edit) and
//! `TWITCH_CHANNEL` set, it runs against real Twitch until Ctrl-C. Without them it starts the
//! sandbox in-process, plays a viewer typing two commands, and exits.
//!
//! `cargo run --example twitch_chat`

use std::time::Duration;

use switchboard::twitch_chat::{ChatClient, ChatConfig, Privmsg};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let real = (
        std::env::var("TWITCH_LOGIN"),
        std::env::var("TWITCH_TOKEN"),
        std::env::var("TWITCH_CHANNEL"),
    );
    if let (Ok(login), Ok(token), Ok(channel)) = real {
        let config = ChatConfig::builder()
            .oauth(login, token)
            .channels([channel])
            .build()?;
        let client = ChatClient::connect(config).await?;
        let _echo = echo(&client);
        println!("echo bot running; Ctrl-C to stop");
        tokio::signal::ctrl_c().await?;
        client.close().await;
        return Ok(());
    }

    // The sandbox: a local Twitch chat that knows one bot token.
    let twitch = sandbox::twitch::Twitch::new();
    let chat = twitch.chat();
    chat.add_user("sandbox-token", "echobot", "1001");
    let server = sandbox::Server::builder().serve(twitch).await?;
    let config = ChatConfig::builder()
        .websocket(server.ws_url("/"))
        .oauth("echobot", "oauth:sandbox-token")
        .channels(["dallas"])
        .build()?;
    let client = ChatClient::connect(config).await?;
    let _echo = echo(&client);
    while chat.members("dallas") == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for text in ["!echo hello from the sandbox", "!echo second line"] {
        chat.say("dallas", "viewer", text);
    }
    while chat.sent().len() < 2 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for sent in chat.sent() {
        println!("echobot said in #{}: {}", sent.channel, sent.text);
    }
    client.close().await;
    Ok(())
}

/// Replies to every `!echo …` with the rest of the line.
fn echo(client: &ChatClient) -> switchboard::events::Listener {
    let replier = client.clone();
    client.events().on(move |message: Privmsg<'static>| {
        if let Some(rest) = message.text.strip_prefix("!echo ") {
            println!("{} asked: {rest}", message.display_name);
            if let Err(error) = replier.reply(&message, rest) {
                eprintln!("could not reply: {error}");
            }
        }
    })
}
