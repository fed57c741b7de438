//! Interactions end to end against the Discord sandbox: command sync (one write, then none
//! on an unchanged restart), every option type through Discord and back, deferred
//! responses with follow-ups, a button → modal → submit flow, autocomplete, failures that
//! reach the user ephemerally and the error hook, concurrency, and the response windows.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::Sandbox;
use sandbox::discord::DiscordConfig;
use serde_json::{Value, json};
use svc_gateway::interactions::{
    CommandContext, CommandModel, CommandOption, CreateCommand, HandlerPanicked,
    InteractionContext, Interactions, Mentionable, OptionError, ResolvedUser, Router, SyncOptions,
};
use svc_gateway::model::{
    ActionRow, ApplicationMarker, Attachment, Button, Channel, Command, CommandOptionChoice, Id,
    Intents, Modal, Role, TextInput,
};
use svc_gateway::rest::CreateMessage;
use svc_gateway::{Client, Error, ErrorKind};
use tokio::sync::{Mutex, mpsc, oneshot};

const MINUTE: Duration = Duration::from_mins(1);
const GUILD: u64 = 1_000_000_000_000_000_000;
const CHANNEL: u64 = 1_010_000_000_000_000_000;

/// Pings
#[derive(Debug, CommandModel, CreateCommand)]
#[command(name = "ping")]
struct Ping;

/// Every option type
#[derive(Debug, CommandModel, CreateCommand)]
#[command(name = "every")]
struct Every {
    /// Text
    #[option(max_length = 50)]
    text: String,
    /// Integer
    #[option(min_value = 1, max_value = 10)]
    integer: i64,
    /// Number
    number: f64,
    /// Flag
    flag: bool,
    /// User
    user: ResolvedUser,
    /// Channel
    #[option(channel_types = "guild_text")]
    channel: Channel,
    /// Role
    role: Role,
    /// Mentionable
    mentionable: Mentionable,
    /// Attachment
    attachment: Attachment,
    /// Size
    size: Option<Size>,
}

#[derive(Debug, PartialEq, CommandOption)]
enum Size {
    #[choice(name = "Small", value = 1)]
    Small,
    #[choice(name = "Large", value = 2)]
    Large,
}

/// Searches the docs
#[derive(Debug, CommandModel, CreateCommand)]
#[command(name = "docs")]
struct Docs {
    /// What to look for
    #[option(autocomplete)]
    topic: String,
}

struct Bot {
    sandbox: Sandbox,
    client: Client,
    app: Id<ApplicationMarker>,
}

impl Bot {
    async fn new() -> Self {
        // Rate limits are not under test here; a 429 would show up in the request log as a
        // second copy of a callback (the retry), so every bucket is roomy.
        let mut config = DiscordConfig::default();
        config.bucket_limit = 1000;
        let sandbox = Sandbox::start(config).await;
        let client = Client::builder(sandbox.control.token())
            .intents(Intents::GUILDS)
            .api_url(sandbox.api_url())
            .build()
            .unwrap();
        let app = client.application_id().await.unwrap();
        Self {
            sandbox,
            client,
            app,
        }
    }

    /// Attaches `router` and starts the client, past READY.
    async fn run(&self, router: Router) -> Interactions {
        let interactions = router.attach(&self.client);
        let mut events = self.client.events();
        self.client.start().await.unwrap();
        common::next_matching(&mut events, MINUTE, |e| {
            common::is_name(e, "READY").then_some(())
        })
        .await;
        interactions
    }

    /// Injects an `INTERACTION_CREATE` of `kind` with `data`, as Discord would send it.
    fn interact(&self, id: u64, kind: u8, data: &Value) {
        let payload = json!({
            "id": id.to_string(),
            "application_id": self.app.to_string(),
            "type": kind,
            "token": token(id),
            "version": 1,
            "guild_id": GUILD.to_string(),
            "channel_id": CHANNEL.to_string(),
            "member": {
                "user": {"id": "42", "username": "ana", "discriminator": "0"},
                "roles": [], "joined_at": "2024-01-01T00:00:00+00:00", "permissions": "2048",
            },
            "locale": "en-US",
            "data": data,
        });
        self.sandbox
            .control
            .dispatch(Some(0), "INTERACTION_CREATE", &payload);
    }

    /// Bodies of the requests on paths containing `part` (in order), with their method.
    fn requests(&self, part: &str) -> Vec<(String, Value)> {
        self.sandbox
            .server
            .log()
            .snapshot()
            .into_iter()
            .filter(|r| r.path.contains(part))
            .map(|r| {
                let body = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
                (r.method.to_string(), body)
            })
            .collect()
    }

    /// The edits and follow-ups sent with interaction `id`'s token.
    fn webhooks(&self, id: u64) -> Vec<(String, Value)> {
        self.requests(&format!("/webhooks/{}/{}", self.app, token(id)))
    }

    /// The interaction callbacks sent for interaction `id`.
    fn callbacks(&self, id: u64) -> Vec<Value> {
        self.requests(&format!("/interactions/{id}/"))
            .into_iter()
            .map(|(_, body)| body)
            .collect()
    }

    /// Waits (in virtual time) until `check` holds.
    async fn until(&self, what: &str, mut check: impl FnMut(&Self) -> bool) {
        let deadline = tokio::time::Instant::now() + MINUTE;
        while !check(self) {
            assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    fn puts(&self) -> usize {
        self.sandbox
            .server
            .log()
            .count(|r| r.method.as_str() == "PUT" && r.path.ends_with("/commands"))
    }
}

fn token(id: u64) -> String {
    format!("token-{id}")
}

fn command(name: &str, options: &Value) -> Value {
    json!({"id": "900", "name": name, "type": 1, "options": options})
}

fn ok<T>(_: CommandContext, _: T) -> std::future::Ready<()> {
    std::future::ready(())
}

#[tokio::test(start_paused = true)]
async fn sync_writes_once_then_never_on_an_unchanged_restart() {
    let bot = Bot::new().await;
    let guild = Id::new(GUILD);
    let router = || {
        Router::new()
            .command::<Ping, _, _>(ok)
            .command::<Every, _, _>(ok)
            .guild_command::<Docs, _, _>([guild], ok)
    };
    let first = router()
        .sync(bot.client.rest(), bot.app, &SyncOptions::default())
        .await
        .unwrap();
    assert_eq!(first.written, [None, Some(guild)]);
    assert_eq!(bot.puts(), 2);
    // Compared with whole localization maps, not the bot's locale's text alone.
    let reads = bot.sandbox.server.log().snapshot();
    let reads: Vec<_> = reads
        .iter()
        .filter(|r| r.method.as_str() == "GET" && r.path.ends_with("/commands"))
        .collect();
    assert_eq!(reads.len(), 2);
    assert!(
        reads
            .iter()
            .all(|r| r.query.as_deref() == Some("with_localizations=true"))
    );
    let global = bot.client.fetch_commands(None).await.unwrap();
    assert_eq!(global.len(), 2);

    // A restart with the same definitions: reads, no writes.
    for _ in 0..3 {
        let again = router()
            .sync(bot.client.rest(), bot.app, &SyncOptions::default())
            .await
            .unwrap();
        assert!(again.written.is_empty(), "{again:?}");
        assert_eq!(again.unchanged, [None, Some(guild)]);
    }
    assert_eq!(bot.puts(), 2);

    // A changed description is written, to its scope only.
    let changed = Router::new()
        .register(Command::chat_input("ping", "Pings, now politely"))
        .command::<Every, _, _>(ok)
        .guild_command::<Docs, _, _>([guild], ok);
    let report = changed
        .sync(bot.client.rest(), bot.app, &SyncOptions::default())
        .await
        .unwrap();
    assert_eq!(report.written, [None]);
    assert_eq!(bot.puts(), 3);

    // Excluded names are neither written nor removed.
    bot.client
        .create_command(None, &Command::chat_input("legacy", "Managed elsewhere"))
        .await
        .unwrap();
    let puts = bot.puts();
    let keep = SyncOptions::default().exclude("legacy");
    let report = changed
        .sync(bot.client.rest(), bot.app, &keep)
        .await
        .unwrap();
    assert!(report.written.is_empty(), "{report:?}");
    assert_eq!(bot.puts(), puts);
    // Without the command, the sync removes `every` and still keeps `legacy`.
    Router::new()
        .register(Command::chat_input("ping", "Pings, now politely"))
        .guild_command::<Docs, _, _>([guild], ok)
        .sync(bot.client.rest(), bot.app, &keep)
        .await
        .unwrap();
    let mut names: Vec<String> = bot
        .client
        .fetch_commands(None)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    names.sort();
    assert_eq!(names, ["legacy", "ping"]);

    // Development guilds get the global commands; global ones stay as they are.
    let dev = Id::new(GUILD + 1);
    let puts = bot.puts();
    let report = router()
        .sync(
            bot.client.rest(),
            bot.app,
            &SyncOptions::default().dev_guilds([dev]),
        )
        .await
        .unwrap();
    assert_eq!(report.written, [Some(dev)]);
    assert_eq!(bot.puts(), puts + 1);
    assert_eq!(bot.client.fetch_commands(Some(dev)).await.unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn invalid_definitions_stop_the_sync_before_any_write() {
    let bot = Bot::new().await;
    let bad = Router::new()
        .command::<Ping, _, _>(ok)
        .register(Command::chat_input("Bad Name", "x"));
    let error = bad
        .sync(bot.client.rest(), bot.app, &SyncOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::InvalidCommand { command, .. } if command == "Bad Name")
    );
    assert_eq!(bot.puts(), 0);
}

#[tokio::test(start_paused = true)]
async fn every_option_type_round_trips() {
    let bot = Bot::new().await;
    let (parsed, mut received) = mpsc::unbounded_channel();
    let router = Router::new().command::<Every, _, _>(move |ctx: CommandContext, every: Every| {
        let parsed = parsed.clone();
        async move {
            ctx.respond_ephemeral("got it").await?;
            parsed.send(every).unwrap();
            Ok::<_, Error>(())
        }
    });
    router
        .sync(bot.client.rest(), bot.app, &SyncOptions::default())
        .await
        .unwrap();
    // The definition as Discord stores it is still ours after its round trip.
    let stored = bot.client.fetch_commands(None).await.unwrap();
    let declared = serde_json::to_value(Every::create_command()).unwrap();
    let stored = serde_json::to_value(&stored[0]).unwrap();
    assert_eq!(stored["options"], declared["options"]);
    let _interactions = bot.run(router).await;

    bot.interact(
        1,
        2,
        &json!({
            "id": "900", "name": "every", "type": 1,
            "options": [
                {"name": "text", "type": 3, "value": "hi"},
                {"name": "integer", "type": 4, "value": 7},
                {"name": "number", "type": 10, "value": 2.5},
                {"name": "flag", "type": 5, "value": false},
                {"name": "user", "type": 6, "value": "42"},
                {"name": "channel", "type": 7, "value": CHANNEL.to_string()},
                {"name": "role", "type": 8, "value": "77"},
                {"name": "mentionable", "type": 9, "value": "42"},
                {"name": "attachment", "type": 11, "value": "88"},
                {"name": "size", "type": 4, "value": 2},
            ],
            "resolved": {
                "users": {"42": {"id": "42", "username": "ana", "discriminator": "0"}},
                "members": {"42": {"nick": "Ana", "roles": ["77"], "joined_at": "2024-01-01T00:00:00+00:00"}},
                "roles": {"77": {"id": "77", "name": "helpers", "permissions": "0", "color": 0, "hoist": false, "position": 1, "managed": false, "mentionable": true}},
                "channels": {CHANNEL.to_string(): {"id": CHANNEL.to_string(), "type": 0, "name": "general", "permissions": "2048"}},
                "attachments": {"88": {"id": "88", "filename": "log.txt", "size": 12, "url": "https://cdn.invalid/log.txt"}},
            },
        }),
    );
    let every = tokio::time::timeout(MINUTE, received.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(every.text, "hi");
    assert_eq!(every.integer, 7);
    assert!((every.number - 2.5).abs() < f64::EPSILON);
    assert!(!every.flag);
    assert_eq!(every.user.user.username, "ana");
    assert_eq!(every.user.member.unwrap().nick.as_deref(), Some("Ana"));
    assert_eq!(every.channel.id, Id::new(CHANNEL));
    assert_eq!(every.role.name, "helpers");
    assert!(matches!(every.mentionable, Mentionable::User(user) if user.user.username == "ana"));
    assert_eq!(every.attachment.filename, "log.txt");
    assert_eq!(every.size, Some(Size::Large));
    bot.until("the ephemeral answer", |bot| !bot.callbacks(1).is_empty())
        .await;
    assert_eq!(
        bot.callbacks(1),
        [json!({"type": 4, "data": {"content": "got it", "flags": 64}})]
    );
    bot.client.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_deferred_response_is_edited_and_followed_up() {
    let bot = Bot::new().await;
    let (done, mut finished) = mpsc::unbounded_channel();
    let late = done.clone();
    let router = Router::new()
        .register(Command::chat_input("report", "Builds a report"))
        .route::<(), _, _>("report", move |ctx: CommandContext, ()| {
            let done = done.clone();
            async move {
                ctx.defer(true).await?;
                // Longer than the 3-second window: fine once deferred.
                tokio::time::sleep(Duration::from_secs(30)).await;
                ctx.edit_original("Report ready").await?;
                let followup = ctx.followup_ephemeral("Details attached").await?;
                done.send(followup.content).unwrap();
                Ok::<_, Error>(())
            }
        })
        .register(Command::chat_input("stale", "Answers too late"))
        .route::<(), _, _>("stale", move |ctx: CommandContext, ()| {
            let late = late.clone();
            async move {
                ctx.defer(false).await.unwrap();
                tokio::time::sleep(Duration::from_mins(16)).await;
                let error = ctx.followup("too late").await.unwrap_err();
                late.send(format!("{:?}", error.kind())).unwrap();
            }
        });
    let _interactions = bot.run(router).await;

    bot.interact(10, 2, &command("report", &json!([])));
    let content = tokio::time::timeout(Duration::from_mins(2), finished.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(content, "Details attached");
    assert_eq!(
        bot.callbacks(10),
        [json!({"type": 5, "data": {"flags": 64}})]
    );
    let webhooks = bot.webhooks(10);
    assert_eq!(webhooks.len(), 2);
    assert_eq!(webhooks[0].0, "PATCH");
    assert_eq!(webhooks[0].1, json!({"content": "Report ready"}));
    assert_eq!(webhooks[1].0, "POST");
    assert_eq!(
        webhooks[1].1,
        json!({"content": "Details attached", "flags": 64})
    );

    bot.interact(11, 2, &command("stale", &json!([])));
    let kind = tokio::time::timeout(Duration::from_mins(20), finished.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kind, "InteractionExpired");
    assert!(
        bot.webhooks(11).is_empty(),
        "nothing is sent past the token's 15 minutes"
    );
    bot.client.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_button_opens_a_modal_whose_submit_is_routed() {
    let bot = Bot::new().await;
    let (submitted, mut submits) = mpsc::unbounded_channel();
    let router = Router::new()
        .register(Command::chat_input("feedback", "Sends feedback"))
        .route::<(), _, _>("feedback", |ctx: CommandContext, ()| async move {
            let ask = CreateMessage {
                components: vec![
                    ActionRow::new([Button::primary("feedback:open:7", "Write feedback").into()])
                        .into(),
                ],
                ..CreateMessage::text("Tell us more?")
            };
            ctx.respond(ask).await
        })
        .component("feedback:open:", |ctx| async move {
            let modal = Modal::new(format!("feedback:{}", ctx.args()), "Feedback")
                .input(TextInput::short("title", "Title").length(1, 50))
                .input(TextInput::paragraph("body", "What do you think?").required(false));
            ctx.modal(modal).await
        })
        // A longer prefix wins over this one.
        .component("feedback:", |ctx| async move {
            ctx.respond("wrong route").await
        })
        .modal("feedback:", move |ctx| {
            let submitted = submitted.clone();
            async move {
                let title = ctx.required("title")?.to_owned();
                submitted
                    .send((
                        ctx.args().to_owned(),
                        title,
                        ctx.value("body").map(str::to_owned),
                    ))
                    .unwrap();
                ctx.respond_ephemeral("Thanks!").await
            }
        });
    let _interactions = bot.run(router).await;

    bot.interact(20, 2, &command("feedback", &json!([])));
    bot.until("the prompt", |bot| !bot.callbacks(20).is_empty())
        .await;
    let prompt = &bot.callbacks(20)[0];
    assert_eq!(prompt["type"], 4);
    assert_eq!(
        prompt["data"]["components"][0]["components"][0]["custom_id"],
        "feedback:open:7"
    );

    bot.interact(
        21,
        3,
        &json!({"custom_id": "feedback:open:7", "component_type": 2}),
    );
    bot.until("the modal", |bot| !bot.callbacks(21).is_empty())
        .await;
    let modal = &bot.callbacks(21)[0];
    assert_eq!(modal["type"], 9);
    assert_eq!(modal["data"]["custom_id"], "feedback:7");
    assert_eq!(modal["data"]["title"], "Feedback");
    let title = &modal["data"]["components"][0]["components"][0];
    assert_eq!(
        title,
        &json!({"type": 4, "custom_id": "title", "style": 1, "label": "Title", "min_length": 1, "max_length": 50})
    );
    assert_eq!(
        modal["data"]["components"][1]["components"][0]["required"],
        false
    );

    bot.interact(
        22,
        5,
        &json!({"custom_id": "feedback:7", "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": "title", "value": "Great bot"}]},
            {"type": 1, "components": [{"type": 4, "custom_id": "body", "value": "Really."}]},
        ]}),
    );
    let (args, title, body) = tokio::time::timeout(MINUTE, submits.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (args.as_str(), title.as_str(), body.as_deref()),
        ("7", "Great bot", Some("Really."))
    );
    bot.until("the thanks", |bot| !bot.callbacks(22).is_empty())
        .await;
    assert_eq!(
        bot.callbacks(22),
        [json!({"type": 4, "data": {"content": "Thanks!", "flags": 64}})]
    );
    bot.client.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn autocomplete_suggests_from_the_focused_option() {
    let bot = Bot::new().await;
    let router = Router::new()
        .command::<Docs, _, _>(|ctx: CommandContext, docs: Docs| async move {
            ctx.respond(format!("Docs on {}", docs.topic)).await
        })
        .autocomplete("docs", |ctx| async move {
            let typed = ctx.focused().map(|(_, text)| text).unwrap_or_default();
            let topics = ["gateway", "guilds", "interactions", "rest"];
            ctx.autocomplete(
                topics
                    .iter()
                    .filter(|t| t.starts_with(&typed))
                    .map(|t| CommandOptionChoice::new(*t, *t)),
            )
            .await
        });
    let _interactions = bot.run(router).await;

    bot.interact(
        30,
        4,
        &command(
            "docs",
            &json!([{"name": "topic", "type": 3, "value": "g", "focused": true}]),
        ),
    );
    bot.until("the suggestions", |bot| !bot.callbacks(30).is_empty())
        .await;
    assert_eq!(
        bot.callbacks(30),
        [json!({"type": 8, "data": {"choices": [
            {"name": "gateway", "value": "gateway"},
            {"name": "guilds", "value": "guilds"},
        ]}})]
    );
    bot.client.shutdown().await.unwrap();
}

/// A handler bug (a function returning `()`, so the handler's output is `()`).
fn explode() {
    panic!("bug in handler");
}

#[tokio::test(start_paused = true)]
async fn a_select_menu_pick_updates_its_message() {
    let bot = Bot::new().await;
    let router = Router::new().component("assign:", |ctx| async move {
        let resolved = ctx.resolved().ok_or("no resolved users")?;
        let names: Vec<&str> = ctx
            .values()
            .iter()
            .filter_map(|id| resolved.users.get(&id.parse().ok()?))
            .map(|user| user.username.as_str())
            .collect();
        let text = format!("Ticket {} assigned to {}", ctx.args(), names.join(", "));
        ctx.update_message(text).await?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    });
    let _interactions = bot.run(router).await;
    bot.interact(
        70,
        3,
        &json!({
            "custom_id": "assign:12", "component_type": 5, "values": ["42", "43"],
            "resolved": {"users": {
                "42": {"id": "42", "username": "ana"},
                "43": {"id": "43", "username": "bo"},
            }},
        }),
    );
    bot.until("the update", |bot| !bot.callbacks(70).is_empty())
        .await;
    assert_eq!(
        bot.callbacks(70),
        [json!({"type": 7, "data": {"content": "Ticket 12 assigned to ana, bo"}})]
    );
    bot.client.shutdown().await.unwrap();
}

type Failures = Arc<Mutex<Vec<(ErrorKind, String)>>>;

/// A router whose hook records each failure's kind and source.
fn failing_router(failures: &Failures, seen: mpsc::UnboundedSender<()>) -> Router {
    let recorded = Arc::clone(failures);
    Router::new()
        .failure_message("Sorry, that did not work.")
        .register(Command::chat_input("broken", "Always fails"))
        .route::<(), _, _>("broken", |_: CommandContext, ()| async {
            Err::<(), _>(std::io::Error::other("database is down"))
        })
        .register(Command::chat_input("panics", "Panics"))
        .route::<(), _, _>("panics", |_: CommandContext, ()| async { explode() })
        .command::<Docs, _, _>(ok)
        .register(Command::chat_input("half", "Fails after deferring"))
        .route::<(), _, _>("half", |ctx: CommandContext, ()| async move {
            ctx.defer(false).await?;
            Err::<(), Box<dyn std::error::Error + Send + Sync>>("late failure".into())
        })
        .on_error(move |error: Error, ctx: InteractionContext| {
            let recorded = Arc::clone(&recorded);
            let seen = seen.clone();
            async move {
                assert!(ctx.is_answered(), "the user was told before the hook runs");
                let source = match std::error::Error::source(&error) {
                    Some(source) => {
                        if let Some(option) = source.downcast_ref::<OptionError>() {
                            format!("option {}: {:?}", option.option(), option.kind())
                        } else if let Some(panic) = source.downcast_ref::<HandlerPanicked>() {
                            format!("panic: {}", panic.0)
                        } else {
                            source.to_string()
                        }
                    }
                    None => String::new(),
                };
                recorded.lock().await.push((error.kind().clone(), source));
                seen.send(()).unwrap();
            }
        })
}

#[tokio::test(start_paused = true)]
async fn failures_reach_the_user_ephemerally_and_the_hook() {
    let bot = Bot::new().await;
    let failures: Failures = Arc::default();
    let (seen, mut hooked) = mpsc::unbounded_channel();
    let _interactions = bot.run(failing_router(&failures, seen)).await;
    let sorry = json!({"type": 4, "data": {"content": "Sorry, that did not work.", "flags": 64}});

    let cases: [(u64, Value, ErrorKind, &str); 5] = [
        (
            40,
            command("broken", &json!([])),
            ErrorKind::Handler("broken".into()),
            "database is down",
        ),
        (
            41,
            command("panics", &json!([])),
            ErrorKind::Handler("panics".into()),
            "panic: bug in handler",
        ),
        (
            42,
            command("nobody", &json!([])),
            ErrorKind::UnknownInteraction("nobody".into()),
            "",
        ),
        (
            43,
            command("docs", &json!([{"name": "topic", "type": 4, "value": 5}])),
            ErrorKind::InvalidOptions("docs".into()),
            "option topic: WrongType { expected: String, found: Integer }",
        ),
        (
            44,
            command("docs", &json!([])),
            ErrorKind::InvalidOptions("docs".into()),
            "option topic: Missing",
        ),
    ];
    for (id, data, kind, source) in cases {
        bot.interact(id, 2, &data);
        tokio::time::timeout(MINUTE, hooked.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            bot.callbacks(id),
            std::slice::from_ref(&sorry),
            "interaction {id}"
        );
        let last = failures.lock().await.last().cloned().unwrap();
        assert_eq!(last, (kind, source.to_owned()), "interaction {id}");
    }

    // A component nobody handles is answered the same way.
    bot.interact(45, 3, &json!({"custom_id": "nope", "component_type": 2}));
    hooked.recv().await.unwrap();
    assert_eq!(bot.callbacks(45), std::slice::from_ref(&sorry));

    // After a defer, the failure fills in the deferred answer.
    bot.interact(46, 2, &command("half", &json!([])));
    hooked.recv().await.unwrap();
    assert_eq!(bot.callbacks(46), [json!({"type": 5})]);
    let edits = bot.webhooks(46);
    assert_eq!(
        edits,
        [(
            "PATCH".to_owned(),
            json!({"content": "Sorry, that did not work."})
        )]
    );
    bot.client.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_slow_handler_does_not_block_others() {
    let bot = Bot::new().await;
    let (release, released) = oneshot::channel::<()>();
    let released = Arc::new(Mutex::new(Some(released)));
    let router = Router::new()
        .register(Command::chat_input("slow", "Waits"))
        .route::<(), _, _>("slow", move |ctx: CommandContext, ()| {
            let released = Arc::clone(&released);
            async move {
                ctx.defer(false).await?;
                let wait = released.lock().await.take().unwrap();
                wait.await.unwrap();
                ctx.edit_original("done waiting").await.map(drop)
            }
        })
        .command::<Ping, _, _>(
            |ctx: CommandContext, _: Ping| async move { ctx.respond("pong").await },
        );
    let _interactions = bot.run(router).await;

    bot.interact(50, 2, &command("slow", &json!([])));
    bot.until("the defer", |bot| !bot.callbacks(50).is_empty())
        .await;
    // The slow one is parked until released; the next one is answered meanwhile.
    bot.interact(51, 2, &command("ping", &json!([])));
    bot.until("the pong", |bot| !bot.callbacks(51).is_empty())
        .await;
    assert_eq!(
        bot.callbacks(51),
        [json!({"type": 4, "data": {"content": "pong"}})]
    );
    assert!(bot.webhooks(50).is_empty(), "slow one still waiting");
    release.send(()).unwrap();
    bot.until("the slow answer", |bot| !bot.webhooks(50).is_empty())
        .await;
    bot.client.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn answers_after_three_seconds_are_refused_locally() {
    let bot = Bot::new().await;
    let failures: Failures = Arc::default();
    let recorded = Arc::clone(&failures);
    let (seen, mut hooked) = mpsc::unbounded_channel();
    let router = Router::new()
        .register(Command::chat_input("sleepy", "Answers late"))
        .route::<(), _, _>("sleepy", |ctx: CommandContext, ()| async move {
            tokio::time::sleep(Duration::from_secs(4)).await;
            let again = ctx.respond("too late").await;
            assert!(!ctx.is_answered());
            again
        })
        .register(Command::chat_input("twice", "Answers twice"))
        .route::<(), _, _>("twice", |ctx: CommandContext, ()| async move {
            ctx.respond("once").await?;
            let error = ctx.respond("twice").await.unwrap_err();
            assert_eq!(error.kind(), &ErrorKind::AlreadyAnswered);
            ctx.edit_original("fine").await.map(drop)
        })
        .on_error(move |error: Error, _| {
            let recorded = Arc::clone(&recorded);
            let seen = seen.clone();
            async move {
                let source = std::error::Error::source(&error)
                    .and_then(|s| s.downcast_ref::<Error>())
                    .map(|e| e.kind().clone());
                recorded
                    .lock()
                    .await
                    .push((error.kind().clone(), format!("{source:?}")));
                seen.send(()).unwrap();
            }
        });
    let _interactions = bot.run(router).await;

    bot.interact(60, 2, &command("sleepy", &json!([])));
    hooked.recv().await.unwrap();
    assert_eq!(
        failures.lock().await[0],
        (
            ErrorKind::Handler("sleepy".into()),
            "Some(InteractionExpired)".into()
        )
    );
    assert!(
        bot.callbacks(60).is_empty(),
        "nothing is sent once the window closed, not even the failure message"
    );

    bot.interact(61, 2, &command("twice", &json!([])));
    bot.until("the edit", |bot| !bot.webhooks(61).is_empty())
        .await;
    assert_eq!(
        bot.callbacks(61),
        [json!({"type": 4, "data": {"content": "once"}})]
    );
    assert_eq!(
        failures.lock().await.len(),
        1,
        "the second handler succeeded"
    );
    bot.client.shutdown().await.unwrap();
}
