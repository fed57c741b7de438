//! The REST client against the Discord sandbox.

mod common;

use std::time::Duration;

use common::{Sandbox, content, hub, next_matching};
use sandbox::discord::DiscordConfig;
use svc_gateway::gateway::{Shard, ShardConfig};
use svc_gateway::model::{Command, Id, Intents};
use svc_gateway::rest::{CreateMessage, EditMessage, InteractionResponse, RestClient};

const GUILD: u64 = 1_000_000_000_000_000_000;
const CHANNEL: u64 = 1_010_000_000_000_000_000;

fn rest(sandbox: &Sandbox) -> RestClient {
    RestClient::builder(sandbox.control.token())
        .base_url(sandbox.api_url())
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn login_calls_answer_with_typed_values() {
    let sandbox = Sandbox::start(DiscordConfig::default().with_shards(3, 2)).await;
    let rest = rest(&sandbox);
    let me = rest.current_user().await.unwrap();
    assert!(me.bot);
    let app = rest.current_application().await.unwrap();
    assert_eq!(app.id.get(), me.id.get());
    let gateway = rest.gateway_bot().await.unwrap();
    assert_eq!(gateway.shards, 3);
    assert_eq!(gateway.session_start_limit.max_concurrency, 2);
    assert!(gateway.url.starts_with("ws://127.0.0.1"));
    let log = sandbox.server.log().snapshot();
    assert!(log.iter().all(sandbox::RecordedRequest::had_authorization));
    assert!(!format!("{rest:?}").contains(sandbox.control.token()));

    let wrong = RestClient::builder("nope")
        .base_url(sandbox.api_url())
        .build()
        .unwrap();
    assert!(wrong.current_user().await.is_err());
}

#[tokio::test(start_paused = true)]
async fn own_message_comes_back_over_the_gateway() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let hub = hub();
    let mut stream = hub.stream();
    let config = ShardConfig::builder(sandbox.control.token(), Intents::GUILD_MESSAGES)
        .gateway_url(sandbox.gateway_url())
        .build()
        .unwrap();
    let _shard = Shard::start(config, hub).unwrap();
    next_matching(&mut stream, Duration::from_mins(1), |e| {
        common::is_name(e, "READY").then_some(())
    })
    .await;
    let sent = rest(&sandbox)
        .create_message(Id::new(CHANNEL), &CreateMessage::text("hello"))
        .await
        .unwrap();
    assert_eq!(sent.content, "hello");
    let echoed = next_matching(&mut stream, Duration::from_mins(1), content).await;
    assert_eq!(echoed, "hello");
}

// Real time on purpose: with a paused clock, tokio jumps to the next timer while loopback
// requests are still in flight, which can land one window's requests in the next window
// of the server and produce 429s no real client would see. The sandbox's windows are made
// short (200 ms) so the run stays around two seconds.
#[tokio::test]
async fn ten_times_oversubscribed_buckets_see_no_429() {
    let mut config = DiscordConfig::default();
    config.bucket_window = Duration::from_millis(200);
    let sandbox = Sandbox::start(config).await;
    let rest = rest(&sandbox);
    // 5 per window per channel in the sandbox; 50 at once on each of two channels.
    let mut tasks = Vec::new();
    for channel in 0..2u64 {
        for i in 0..50 {
            let rest = rest.clone();
            tasks.push(tokio::spawn(async move {
                rest.create_message(
                    Id::new(CHANNEL + channel),
                    &CreateMessage::text(format!("n{i}")),
                )
                .await
            }));
        }
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(
        sandbox.control.rate_limited(),
        0,
        "the client waited instead of hitting 429s"
    );
    assert_eq!(sandbox.server.log().count(|r| r.method == "POST"), 100);
}

#[tokio::test(start_paused = true)]
#[allow(clippy::too_many_lines)] // one walk through every resource
async fn resources_round_trip() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let rest = rest(&sandbox);
    let channel = Id::new(CHANNEL);
    let guild = Id::new(GUILD);

    assert_eq!(
        rest.channel(channel).await.unwrap().name.as_deref(),
        Some("channel-0")
    );
    let renamed = rest
        .modify_channel(channel, &serde_json::json!({"name": "renamed"}))
        .await
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("renamed"));

    let first = rest
        .create_message(channel, &CreateMessage::text("one"))
        .await
        .unwrap();
    let reply = rest
        .create_message(channel, &CreateMessage::text("two").reply_to(&first))
        .await
        .unwrap();
    assert_eq!(
        reply.message_reference.and_then(|r| r.message_id),
        Some(first.id)
    );
    let edited = rest
        .edit_message(
            channel,
            first.id,
            &EditMessage {
                content: Some("uno".into()),
                embeds: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(edited.content, "uno");
    assert!(edited.edited_timestamp.is_some());
    assert_eq!(
        rest.message(channel, first.id).await.unwrap().content,
        "uno"
    );
    rest.create_reaction(channel, first.id, "👍").await.unwrap();
    rest.delete_own_reaction(channel, first.id, "👍")
        .await
        .unwrap();
    assert_eq!(rest.messages(channel, 10).await.unwrap().len(), 2);
    rest.delete_message(channel, reply.id).await.unwrap();
    assert!(rest.message(channel, reply.id).await.is_err());
    let more = rest
        .create_message(channel, &CreateMessage::text("three"))
        .await
        .unwrap();
    rest.bulk_delete_messages(channel, &[first.id, more.id])
        .await
        .unwrap();
    assert!(rest.messages(channel, 10).await.unwrap().is_empty());

    let fetched = rest.guild(guild, true).await.unwrap();
    assert_eq!(fetched.approximate_member_count, Some(12));
    let members = rest.guild_members(guild, 1000, None).await.unwrap();
    assert_eq!(members.len(), 12);
    let someone = members[0].user.clone().unwrap();
    assert_eq!(
        rest.guild_member(guild, someone.id)
            .await
            .unwrap()
            .user
            .unwrap()
            .id,
        someone.id
    );
    let role = rest
        .create_role(
            guild,
            &serde_json::json!({"name": "mods", "permissions": "8"}),
        )
        .await
        .unwrap();
    assert!(
        rest.roles(guild)
            .await
            .unwrap()
            .iter()
            .any(|r| r.id == role.id)
    );
    rest.create_ban(guild, someone.id, Some("spam"))
        .await
        .unwrap();
    assert_eq!(rest.bans(guild).await.unwrap()[0].user.id, someone.id);
    rest.delete_ban(guild, someone.id).await.unwrap();
    assert!(rest.bans(guild).await.unwrap().is_empty());

    let dm = rest.create_dm(someone.id).await.unwrap();
    assert_eq!(dm.kind, 1);

    let app = rest.current_application().await.unwrap().id;
    let created = rest
        .create_command(app, None, &Command::chat_input("ping", "Replies pong"))
        .await
        .unwrap();
    assert!(created.id.is_some());
    let list = rest
        .bulk_overwrite_commands(
            app,
            Some(guild),
            &[Command::chat_input("a", "A"), Command::chat_input("b", "B")],
        )
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(rest.commands(app, Some(guild)).await.unwrap().len(), 2);
    assert_eq!(rest.commands(app, None).await.unwrap().len(), 1);

    let stage_channel = Id::new(CHANNEL + 6); // type 13 (stage) in the fixture
    let stage = rest
        .create_stage_instance(stage_channel, "town hall")
        .await
        .unwrap();
    assert_eq!(
        rest.stage_instance(stage_channel).await.unwrap().id,
        stage.id
    );
    rest.delete_stage_instance(stage_channel).await.unwrap();

    rest.interaction_response(
        Id::new(5),
        "itoken",
        &InteractionResponse::message(CreateMessage::text("pong")),
    )
    .await
    .unwrap();
    let followup = rest
        .followup(app, "itoken", &CreateMessage::text("later"))
        .await
        .unwrap();
    assert_eq!(followup.content, "later");
    let hooked = rest
        .execute_webhook(Id::new(77), "wtoken", &CreateMessage::text("hook"))
        .await
        .unwrap();
    assert_eq!(hooked.webhook_id, Some(Id::new(77)));
}
