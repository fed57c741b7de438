//! Chat commands against the sandbox's Twitch chat, over real sockets on 127.0.0.1, on a
//! paused clock: viewers type commands, the bot's answers land in the sandbox.

use std::time::Duration;

mod common;

use common::eventually;
use sandbox::Server;
use sandbox::twitch::{ChatControl, Twitch};
use svc_ircchat::commands::{
    Bucket, ChatCommand, CommandErrorKind, Commands, CommandsBuilder, Cooldown, Permission,
};
use svc_ircchat::{ChatClient, ChatConfig};
use tokio::sync::mpsc;

const TOKEN: &str = "token-of-bot";

type Failures = mpsc::UnboundedReceiver<(Option<String>, CommandErrorKind)>;

async fn bot(
    build: impl FnOnce(CommandsBuilder) -> CommandsBuilder,
) -> (Server, ChatControl, ChatClient, Commands, Failures) {
    let twitch = Twitch::new();
    let control = twitch.chat();
    control.add_user(TOKEN, "bot", "4242");
    let server = Server::builder().serve(twitch.clone()).await.unwrap();
    let client = ChatClient::connect(
        ChatConfig::builder()
            .websocket(server.ws_url("/"))
            .oauth("bot", TOKEN)
            .channels(["dallas"])
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    eventually(Duration::from_secs(30), || {
        control.channels_of("bot").contains("dallas")
    })
    .await;
    let (tx, failures) = mpsc::unbounded_channel();
    let commands = build(Commands::builder())
        .on_error(move |failure| {
            let _ = tx.send((failure.command, failure.error.kind().clone()));
        })
        .start(&client);
    (server, control, client, commands, failures)
}

fn add() -> ChatCommand {
    ChatCommand::new("add", |ctx| async move {
        let a: i64 = ctx.args.get(0)?;
        let b: i64 = ctx.args.get(1)?;
        ctx.reply(&format!("{a} + {b} = {}", a + b))?;
        Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
    })
    .alias("plus")
    .help("adds two numbers")
}

/// What the bot said, without the invisible suffix the client adds to a repeat within 30 s.
fn texts(control: &ChatControl) -> Vec<String> {
    control
        .sent()
        .into_iter()
        .map(|m| m.text.trim_end_matches(" \u{E0000}").to_owned())
        .collect()
}

async fn next_failure(failures: &mut Failures) -> (Option<String>, CommandErrorKind) {
    tokio::time::timeout(Duration::from_secs(30), failures.recv())
        .await
        .expect("a failure within 30 s")
        .expect("the hook is alive")
}

#[tokio::test(start_paused = true)]
async fn prefixes_aliases_and_quoted_typed_arguments() {
    let (_server, control, client, _commands, _failures) = bot(|b| {
        b.prefixes(["!", "?"])
            .command(add())
            .command(ChatCommand::new("echo", |ctx| async move {
                let first: String = ctx.args.get(0)?;
                ctx.say(&format!("[{first}] of {}", ctx.args.len()))?;
                Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
            }))
    })
    .await;
    control.say("dallas", "viewer", "!add 2 3");
    control.say("dallas", "viewer", "?PLUS 10 -4");
    control.say("dallas", "viewer", r#"!echo "two words" x"#);
    control.say("dallas", "viewer", "add 1 1 (no prefix: not a command)");
    eventually(Duration::from_mins(1), || control.sent().len() == 3).await;
    let mut sent = texts(&control);
    sent.sort();
    assert_eq!(sent, ["10 + -4 = 6", "2 + 3 = 5", "[two words] of 2"]);
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn every_kind_of_failure_reaches_the_one_hook() {
    let (_server, control, client, _commands, mut failures) = bot(|b| {
        b.command(add())
            .command(ChatCommand::new("boom", |_ctx| async {
                Err::<(), _>("it broke")
            }))
    })
    .await;
    control.say("dallas", "viewer", "!nope");
    assert_eq!(
        next_failure(&mut failures).await,
        (
            None,
            CommandErrorKind::Unknown {
                name: "nope".into()
            }
        )
    );
    control.say("dallas", "viewer", "!add 2 x");
    assert_eq!(
        next_failure(&mut failures).await,
        (
            Some("add".into()),
            CommandErrorKind::BadArgument { index: 1 }
        )
    );
    control.say("dallas", "viewer", "!add 2");
    assert_eq!(
        next_failure(&mut failures).await,
        (
            Some("add".into()),
            CommandErrorKind::MissingArgument { index: 1 }
        )
    );
    control.say("dallas", "viewer", "!boom");
    assert_eq!(
        next_failure(&mut failures).await,
        (Some("boom".into()), CommandErrorKind::Handler)
    );
    assert!(control.sent().is_empty());
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn permissions_come_from_badges() {
    let (_server, control, client, _commands, mut failures) = bot(|b| {
        b.command(
            ChatCommand::new("so", |ctx| async move {
                ctx.say(&format!("shout-out by {}", ctx.message.sender_login))
            })
            .permission(Permission::Moderator),
        )
    })
    .await;
    control.set_badges("modguy", "dallas", "moderator/1");
    control.set_badges("fan", "dallas", "vip/1");
    control.say("dallas", "fan", "!so");
    assert_eq!(
        next_failure(&mut failures).await,
        (
            Some("so".into()),
            CommandErrorKind::MissingPermission {
                needed: Permission::Moderator
            }
        )
    );
    control.say("dallas", "modguy", "!so");
    control.say("dallas", "dallas", "!so");
    eventually(Duration::from_mins(1), || control.sent().len() == 2).await;
    let mut sent = texts(&control);
    sent.sort();
    assert_eq!(sent, ["shout-out by dallas", "shout-out by modguy"]);
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn cooldowns_hold_per_member_on_the_paused_clock() {
    let (_server, control, client, _commands, mut failures) = bot(|b| {
        b.command(
            ChatCommand::new("ping", |ctx| async move {
                ctx.reply(&format!("pong for {}", ctx.message.sender_login))
            })
            .cooldown(Cooldown::new(1, Duration::from_secs(10), Bucket::Member)),
        )
    })
    .await;
    control.say("dallas", "alice", "!ping");
    eventually(Duration::from_secs(5), || control.sent().len() == 1).await;
    control.say("dallas", "alice", "!ping");
    let (command, kind) = next_failure(&mut failures).await;
    assert_eq!(command.as_deref(), Some("ping"));
    assert!(
        matches!(kind, CommandErrorKind::OnCooldown { retry_after } if retry_after <= Duration::from_secs(11)),
        "{kind:?}"
    );
    // Another member has a bucket of their own.
    control.say("dallas", "bob", "!ping");
    eventually(Duration::from_secs(5), || control.sent().len() == 2).await;
    tokio::time::sleep(Duration::from_secs(11)).await;
    control.say("dallas", "alice", "!ping");
    eventually(Duration::from_secs(5), || control.sent().len() == 3).await;
    assert_eq!(
        texts(&control),
        ["pong for alice", "pong for bob", "pong for alice"]
    );
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn help_lists_commands_and_handlers_run_concurrently() {
    let (_server, control, client, commands, _failures) = bot(|b| {
        b.command(add())
            .command(ChatCommand::new("slow", |ctx| async move {
                tokio::time::sleep(Duration::from_hours(1)).await;
                ctx.say("slow done")
            }))
            .command(ChatCommand::new("fast", |ctx| async move {
                ctx.say("fast done")
            }))
            .help_command("help")
    })
    .await;
    let names: Vec<String> = commands.help().into_iter().map(|e| e.name).collect();
    assert_eq!(names, ["add", "fast", "slow"]);
    control.say("dallas", "viewer", "!help");
    eventually(Duration::from_secs(30), || control.sent().len() == 1).await;
    assert_eq!(
        texts(&control)[0],
        "!add (plus): adds two numbers | !fast | !slow"
    );
    control.say("dallas", "viewer", "!slow");
    control.say("dallas", "viewer", "!fast");
    eventually(Duration::from_hours(2), || control.sent().len() == 3).await;
    assert_eq!(texts(&control)[1..], ["fast done", "slow done"]);
    client.close().await;
}
