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
use switchboard::twitch_chat::commands::{Bucket, ChatCommand, Commands, Cooldown};
use switchboard::twitch_chat::{ChatClient, ChatConfig};

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
    for (viewer, text) in [
        ("viewer", "!echo hello from the sandbox"),
        ("other", "!say second line"),
    ] {
        chat.say("dallas", viewer, text);
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

/// The bot's commands: `!echo …` replies with the rest of the line (alias `!say`, one use
/// per user every 5 s); failures (unknown command, cooldown) are printed.
fn echo(client: &ChatClient) -> Commands {
    Commands::builder()
        .command(
            ChatCommand::new("echo", |ctx| async move {
                println!("{} asked: {}", ctx.message.display_name, ctx.args.raw());
                ctx.reply(ctx.args.raw())
            })
            .alias("say")
            .help("repeats what you say")
            .cooldown(Cooldown::new(1, Duration::from_secs(5), Bucket::User)),
        )
        .help_command("help")
        .on_error(|failure| eprintln!("{}: {}", failure.message.text, failure.error))
        .start(client)
}
