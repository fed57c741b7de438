//! A client no one here wrote, against the Discord sandbox: `twilight-gateway` logs in with
//! only its gateway URL pointed at the sandbox, and every dispatch the sandbox produces on
//! its own (READY, GUILD_CREATE, messages posted over REST or written by a member,
//! reactions, roles, interactions, presence and voice-state echoes, member chunks) must
//! deserialize with `twilight-model`. A field the sandbox forgets or mistypes fails here
//! with the event's name, even where svc-gateway's own decoder is lenient.

mod common;

use std::time::Duration;

use common::Sandbox;
use sandbox::Server;
use sandbox::discord::{Discord, DiscordConfig, SlashCommand};
use sandbox::world::World;
use serde_json::json;
use svc_gateway::model::{Command, Id};
use svc_gateway::rest::CreateMessage;
use twilight_gateway::error::ReceiveMessageErrorType;
use twilight_gateway::{
    ConfigBuilder, Event, EventTypeFlags, Intents, Shard, ShardId, StreamExt as _,
};
use twilight_model::channel::ChannelType;
use twilight_model::gateway::payload::incoming::GuildCreate;
use twilight_model::gateway::payload::outgoing::request_guild_members::RequestGuildMembers;
use twilight_model::gateway::payload::outgoing::update_presence::UpdatePresence;
use twilight_model::gateway::payload::outgoing::update_voice_state::UpdateVoiceState;
use twilight_model::gateway::presence::{Activity, ActivityType, MinimalActivity, Status};
use twilight_model::guild::Guild;
use twilight_model::id::Id as TwilightId;

const WAIT: Duration = Duration::from_secs(10);

/// A guild's id, its first text channel and a member who is not the bot.
fn first_text_channel_and_member(guild: &Guild) -> Option<(u64, u64, String)> {
    let channel = guild
        .channels
        .iter()
        .find(|c| c.kind == ChannelType::GuildText)?;
    let member = guild.members.iter().find(|m| !m.user.bot)?;
    Some((guild.id.get(), channel.id.get(), member.user.name.clone()))
}

/// The next event twilight delivers; a dispatch twilight cannot deserialize fails the test
/// with its name and twilight's reason.
async fn next(shard: &mut Shard) -> Event {
    let item = tokio::time::timeout(WAIT, shard.next_event(EventTypeFlags::all()))
        .await
        .expect("an event within the deadline")
        .expect("the shard stays open");
    match item {
        Ok(event) => event,
        Err(error) => match error.kind() {
            ReceiveMessageErrorType::Deserializing { event } => {
                panic!("twilight-model cannot read a sandbox dispatch ({error}): {event}")
            }
            _ => panic!("twilight's shard failed: {error}"),
        },
    }
}

/// Events until `pick` matches one (every event on the way must deserialize too).
async fn until<T>(shard: &mut Shard, what: &str, mut pick: impl FnMut(&Event) -> Option<T>) -> T {
    tokio::time::timeout(WAIT, async {
        loop {
            if let Some(found) = pick(&next(shard).await) {
                return found;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("twilight never saw {what}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twilight_reads_every_dispatch_of_the_test_sandbox() {
    let mut config = DiscordConfig::default();
    config.bucket_limit = 1000;
    drive_twilight(Sandbox::start(config).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twilight_reads_every_dispatch_of_the_seeded_world() {
    let discord = Discord::from_world(&World::default().discord);
    let control = discord.control();
    let server = Server::builder()
        .serve(discord)
        .await
        .expect("sandbox starts");
    drive_twilight(Sandbox { server, control }).await;
}

/// Logs twilight in and makes the sandbox produce each kind of dispatch it can.
async fn drive_twilight(sandbox: Sandbox) {
    let token = sandbox.control.token().to_owned();
    let intents = Intents::all();
    let config = ConfigBuilder::new(token.clone(), intents)
        .proxy_url(sandbox.gateway_url())
        .build();
    let mut shard = Shard::with_config(ShardId::ONE, config);

    let (guild, channel, member) = log_in(&mut shard).await;

    // Dispatches the sandbox builds from REST calls (through svc-gateway's REST client).
    let client = svc_gateway::Client::builder(&token)
        .api_url(sandbox.api_url())
        .build()
        .expect("a client");
    let rest = client.rest();
    let channel = Id::new(channel);
    let posted = rest
        .create_message(channel, &CreateMessage::text("hello twilight"))
        .await
        .expect("the message is posted");
    until(
        &mut shard,
        "MESSAGE_CREATE of the posted message",
        |e| match e {
            Event::MessageCreate(m) => (m.content == "hello twilight").then_some(()),
            _ => None,
        },
    )
    .await;
    rest.create_reaction(channel, posted.id, "👍")
        .await
        .expect("the reaction is added");
    until(&mut shard, "MESSAGE_REACTION_ADD", |e| {
        matches!(e, Event::ReactionAdd(_)).then_some(())
    })
    .await;
    rest.create_role(Id::new(guild), &json!({"name": "twilight"}))
        .await
        .expect("the role is created");
    until(&mut shard, "GUILD_ROLE_CREATE", |e| {
        matches!(e, Event::RoleCreate(_)).then_some(())
    })
    .await;

    // A member writes; a member runs a slash command the bot registered.
    sandbox
        .control
        .message_as(&channel.to_string(), &member, "hi from a member")
        .expect("the member writes");
    until(&mut shard, "MESSAGE_CREATE by a member", |e| match e {
        Event::MessageCreate(m) => (m.content == "hi from a member").then_some(()),
        _ => None,
    })
    .await;
    let app = client.application_id().await.expect("the application id");
    let roll: Command = serde_json::from_value(json!({
        "name": "roll", "description": "Rolls a die", "type": 1,
        "options": [{"type": 4, "name": "sides", "description": "Sides", "required": true}],
    }))
    .expect("a command definition");
    rest.create_command(app, None, &roll)
        .await
        .expect("the command is registered");
    sandbox
        .control
        .slash_command(
            &SlashCommand::new("roll")
                .option("sides", "20")
                .channel(channel.to_string())
                .user(&member),
        )
        .expect("the command runs");
    until(&mut shard, "INTERACTION_CREATE", |e| {
        matches!(e, Event::InteractionCreate(_)).then_some(())
    })
    .await;

    gateway_command_echoes(&mut shard, guild, channel.get()).await;
}

/// READY, then one GUILD_CREATE per guild it announced; a guild's id, a text channel in it
/// and a member who is not the bot.
async fn log_in(shard: &mut Shard) -> (u64, u64, String) {
    let guilds = until(shard, "READY", |e| match e {
        Event::Ready(ready) => Some(ready.guilds.len()),
        _ => None,
    })
    .await;
    assert!(guilds > 0, "the sandbox world has guilds");
    let mut place = None;
    for _ in 0..guilds {
        let guild = until(shard, "GUILD_CREATE", |e| match e {
            Event::GuildCreate(guild) => Some(guild.clone()),
            _ => None,
        })
        .await;
        if let (None, GuildCreate::Available(guild)) = (&place, *guild) {
            place = first_text_channel_and_member(&guild);
        }
    }
    place.expect("a guild with a text channel and a member who is not the bot")
}

/// Echoes of the bot's own gateway commands (ops 3, 4 and 8).
async fn gateway_command_echoes(shard: &mut Shard, guild: u64, channel: u64) {
    let activity = Activity::from(MinimalActivity {
        kind: ActivityType::Playing,
        name: "in the sandbox".to_owned(),
        url: None,
    });
    let presence =
        UpdatePresence::new(vec![activity], false, None, Status::Online).expect("a presence");
    shard.command(&presence);
    until(shard, "PRESENCE_UPDATE", |e| {
        matches!(e, Event::PresenceUpdate(_)).then_some(())
    })
    .await;
    shard.command(&UpdateVoiceState::new(
        TwilightId::new(guild),
        Some(TwilightId::new(channel)),
        false,
        false,
    ));
    until(shard, "VOICE_STATE_UPDATE", |e| {
        matches!(e, Event::VoiceStateUpdate(_)).then_some(())
    })
    .await;
    shard.command(&RequestGuildMembers::builder(TwilightId::new(guild)).query("", None));
    until(shard, "GUILD_MEMBERS_CHUNK", |e| {
        matches!(e, Event::MemberChunk(_)).then_some(())
    })
    .await;
}
