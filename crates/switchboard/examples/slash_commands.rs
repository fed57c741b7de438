//! A slash-command bot: `/ping`, `/roll [sides]`, and `/feedback`, whose button opens a
//! modal. Commands are synced on start and written only when they changed.
//!
//! Against the in-process sandbox by default: it plays a user who runs each command,
//! clicks the button and submits the modal, printing what the bot answered, then exits.
//! Against real Discord when `DISCORD_TOKEN` is set (with `DEV_GUILD=<id>` the commands
//! go to that guild, where they update at once); it then runs until Ctrl-C.
//!
//! `cargo run --example slash_commands` or `DISCORD_TOKEN=… cargo run --example slash_commands`.

use std::time::Duration;

use serde_json::json;
use switchboard::discord::event::Ready;
use switchboard::discord::interactions::{
    CommandContext, CommandModel, ComponentContext, CreateCommand, ModalContext, Router,
    SyncOptions,
};
use switchboard::discord::model::{ActionRow, Button, Intents, Modal, TextInput};
use switchboard::discord::rest::CreateMessage;
use switchboard::discord::{Client, Error};

/// Checks that the bot is alive
#[derive(CommandModel, CreateCommand)]
#[command(name = "ping", crate = "switchboard::discord")]
struct Ping;

/// Rolls a die
#[derive(CommandModel, CreateCommand)]
#[command(name = "roll", crate = "switchboard::discord")]
struct Roll {
    /// How many sides (6 if not given)
    #[option(min_value = 2)]
    sides: Option<u8>,
}

/// Tells the developers what you think
#[derive(CommandModel, CreateCommand)]
#[command(name = "feedback", crate = "switchboard::discord")]
struct Feedback;

async fn ping(ctx: CommandContext, _: Ping) -> Result<(), Error> {
    ctx.respond("pong").await
}

async fn roll(ctx: CommandContext, roll: Roll) -> Result<(), Error> {
    let sides = u64::from(roll.sides.unwrap_or(6));
    // The interaction id is as good a die as any for a demo.
    let face = ctx.interaction().id.get() % sides + 1;
    ctx.respond(format!("🎲 {face} (d{sides})")).await
}

async fn feedback(ctx: CommandContext, _: Feedback) -> Result<(), Error> {
    let button = Button::primary("feedback:open", "Write feedback");
    ctx.respond(CreateMessage {
        components: vec![ActionRow::new([button.into()]).into()],
        ..CreateMessage::text("We read everything. Tell us?")
    })
    .await
}

async fn open_form(ctx: ComponentContext) -> Result<(), Error> {
    let form = Modal::new("feedback:submit", "Feedback")
        .input(TextInput::short("title", "In a few words").length(1, 60))
        .input(TextInput::paragraph("details", "Details").required(false));
    ctx.modal(form).await
}

async fn submitted(ctx: ModalContext) -> Result<(), Error> {
    let title = ctx.required("title")?;
    ctx.respond_ephemeral(format!("Thanks! We got “{title}”."))
        .await
}

fn router() -> Router {
    Router::new()
        .command(ping)
        .command(roll)
        .command(feedback)
        .component("feedback:open", open_form)
        .modal("feedback:submit", submitted)
        .on_error(|error, _| async move {
            let cause = std::error::Error::source(&error).map(ToString::to_string);
            eprintln!("interaction failed: {error} ({cause:?})");
        })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Ok(token) = std::env::var("DISCORD_TOKEN") {
        let client = Client::builder(token).intents(Intents::GUILDS).build()?;
        let mut options = SyncOptions::default();
        if let Ok(guild) = std::env::var("DEV_GUILD") {
            options = options.dev_guilds([guild.parse::<u64>()?.into()]);
        }
        let router = router();
        let report = router
            .sync(client.rest(), client.application_id().await?, &options)
            .await?;
        println!("commands: {report:?}");
        let _interactions = router.attach(&client);
        let _ready = client.on(|ready: Ready| println!("logged in as {}", ready.user.username));
        client.start().await?;
        tokio::signal::ctrl_c().await?;
        client.shutdown().await?;
        return Ok(());
    }

    let discord = sandbox::discord::Discord::default();
    let control = discord.control();
    let server = sandbox::Server::builder().serve(discord).await?;
    let client = Client::builder(control.token())
        .intents(Intents::GUILDS)
        .api_url(format!("{}/api/v10", server.base_url()))
        .build()?;
    let application = client.application_id().await?;

    let first = router()
        .sync(client.rest(), application, &SyncOptions::default())
        .await?;
    let restart = router()
        .sync(client.rest(), application, &SyncOptions::default())
        .await?;
    println!(
        "sync on first start wrote {:?}; on a restart it wrote {:?} (unchanged: {:?})",
        first.written, restart.written, restart.unchanged
    );

    let ready = client.wait_for(|_: &Ready| true, Duration::from_secs(10));
    let _interactions = router().attach(&client);
    client.start().await?;
    ready.await?;

    // The sandbox plays a user: each step is an INTERACTION_CREATE, each answer a callback.
    let steps = [
        (2, json!({"id": "1", "name": "ping", "type": 1})),
        (
            2,
            json!({"id": "2", "name": "roll", "type": 1, "options": [{"name": "sides", "type": 4, "value": 20}]}),
        ),
        (2, json!({"id": "3", "name": "feedback", "type": 1})),
        (
            3,
            json!({"custom_id": "feedback:open", "component_type": 2}),
        ),
        (
            5,
            json!({"custom_id": "feedback:submit", "components": [
                {"type": 1, "components": [{"type": 4, "custom_id": "title", "value": "Love it"}]},
            ]}),
        ),
    ];
    for (index, (kind, data)) in steps.into_iter().enumerate() {
        let id = 1_000 + index as u64;
        control.dispatch(
            Some(0),
            "INTERACTION_CREATE",
            &json!({
                "id": id.to_string(), "application_id": application.to_string(), "type": kind,
                "token": format!("token-{id}"), "version": 1,
                "guild_id": "1000000000000000000", "channel_id": "1010000000000000000",
                "member": {"user": {"id": "42", "username": "ana", "discriminator": "0"}, "roles": []},
                "data": data,
            }),
        );
        let path = format!("/interactions/{id}/");
        let answer = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                let log = server.log().snapshot();
                if let Some(request) = log.into_iter().find(|r| r.path.contains(&path)) {
                    break request.body;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await?;
        let answer: serde_json::Value = serde_json::from_slice(&answer)?;
        println!("ana → {} | bot → {answer}", describe(kind, &data));
    }
    client.shutdown().await?;
    Ok(())
}

fn describe(kind: u8, data: &serde_json::Value) -> String {
    match kind {
        2 => format!("/{}", data["name"].as_str().unwrap_or_default()),
        3 => format!("clicks {}", data["custom_id"]),
        _ => format!("submits {}", data["custom_id"]),
    }
}
