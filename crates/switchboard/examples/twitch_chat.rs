//! An echo bot for Twitch chat: answers `!echo <text>` with `<text>` as a threaded reply.
//!
//! With `TWITCH_LOGIN`, `TWITCH_TOKEN` (a user token with chat:read and chat:edit),
//! `TWITCH_CLIENT_ID` and `TWITCH_CHANNEL` set, it runs against real Twitch until Ctrl-C; the
//! token is validated before login and hourly after, and refreshed before it expires when
//! `TWITCH_REFRESH_TOKEN` and `TWITCH_CLIENT_SECRET` are set too. Without them it starts the
//! sandbox in-process (chat and OAuth), plays a viewer typing two commands, and exits.
//!
//! `cargo run --example twitch_chat`

use std::time::Duration;

use switchboard::helix::{AccessToken, TWITCH_AUTH_URL, TokenManager};
use switchboard::twitch_chat::{ChatClient, ChatConfig, Privmsg};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let var = |name: &str| std::env::var(name).ok();
    let real = (
        var("TWITCH_LOGIN"),
        var("TWITCH_TOKEN"),
        var("TWITCH_CLIENT_ID"),
        var("TWITCH_CHANNEL"),
    );
    if let (Some(login), Some(token), Some(client_id), Some(channel)) = real {
        let refresh = var("TWITCH_REFRESH_TOKEN");
        let secret = var("TWITCH_CLIENT_SECRET");
        let tokens = TokenManager::user(
            TWITCH_AUTH_URL,
            client_id,
            AccessToken::new(token),
            refresh.as_deref(),
            secret.as_deref(),
        )?;
        let config = ChatConfig::builder()
            .oauth_managed(login, tokens)
            .channels([channel])
            .build()?;
        let client = ChatClient::connect(config).await?;
        let _echo = echo(&client);
        println!("echo bot running; Ctrl-C to stop");
        tokio::signal::ctrl_c().await?;
        client.close().await;
        return Ok(());
    }

    // The sandbox: a local Twitch chat whose OAuth side knows one bot token.
    let twitch = sandbox::twitch::Twitch::new();
    let chat = twitch.chat();
    twitch.helix().add_user_token(
        "sandbox-token",
        "sandbox-client",
        "echobot",
        "1001",
        Duration::from_hours(4),
        None,
    );
    let server = sandbox::Server::builder().serve(twitch).await?;
    let tokens = TokenManager::user(
        &server.base_url(),
        "sandbox-client",
        AccessToken::new("oauth:sandbox-token"),
        None,
        None,
    )?;
    let config = ChatConfig::builder()
        .websocket(server.ws_url("/"))
        .oauth_managed("echobot", tokens)
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
