//! The REST client against the Discord sandbox.

mod common;

use std::time::Duration;

use common::{Sandbox, content, hub, next_matching, ready_shard, status};
use sandbox::discord::{DiscordConfig, SlashCommand};
use svc_gateway::event::Event;
use svc_gateway::gateway::{Shard, ShardConfig};
use svc_gateway::model::{Command, Id, Intents, InteractionMarker};
use svc_gateway::rest::{
    CreateMessage, EditMessage, HistoryAnchor, InteractionResponse, RestClient,
};

const GUILD: u64 = 1_000_000_000_000_000_000;
const CHANNEL: u64 = 1_010_000_000_000_000_000;
/// Members of each sandbox guild: twelve users and the bot.
const MEMBERS: usize = 13;

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
                ..EditMessage::default()
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
    let newest = rest.messages(channel, 1).await.unwrap();
    assert_eq!(newest.len(), 1);
    assert_eq!(newest[0].id, reply.id, "newest first, within the limit");
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
    assert_eq!(fetched.approximate_member_count, Some(MEMBERS as u64));
    let members = rest.guild_members(guild, 1000, None).await.unwrap();
    assert_eq!(members.len(), MEMBERS);
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

#[tokio::test(start_paused = true)]
async fn commands_by_id_global_and_guild() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let rest = rest(&sandbox);
    let app = rest.current_application().await.unwrap().id;
    for guild in [None, Some(Id::new(GUILD))] {
        let created = rest
            .create_command(app, guild, &Command::chat_input("ping", "Replies pong"))
            .await
            .unwrap();
        let id = created.id.unwrap();
        assert_eq!(created.guild_id, guild);
        let fetched = rest.command(app, guild, id).await.unwrap();
        assert_eq!(fetched.name, "ping");
        let edited = rest
            .edit_command(app, guild, id, &Command::chat_input("pong", "Replies ping"))
            .await
            .unwrap();
        assert_eq!((edited.id, edited.name.as_str()), (Some(id), "pong"));
        assert_eq!(
            rest.command(app, guild, id).await.unwrap().description,
            "Replies ping"
        );
        rest.delete_command(app, guild, id).await.unwrap();
        assert_eq!(
            status(rest.command(app, guild, id).await.unwrap_err()),
            Some(404)
        );
        assert_eq!(
            status(rest.delete_command(app, guild, id).await.unwrap_err()),
            Some(404)
        );
    }
    // A guild command is not a global one.
    let guild_only = rest
        .create_command(app, Some(Id::new(GUILD)), &Command::chat_input("g", "G"))
        .await
        .unwrap();
    assert_eq!(
        status(
            rest.command(app, None, guild_only.id.unwrap())
                .await
                .unwrap_err()
        ),
        Some(404)
    );
}

#[tokio::test(start_paused = true)]
async fn roles_members_and_stage_changes_reach_the_gateway() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let rest = rest(&sandbox);
    let guild = Id::new(GUILD);
    let (_shard, mut stream) =
        ready_shard(&sandbox, Intents::GUILDS | Intents::GUILD_MEMBERS).await;
    let role = rest
        .create_role(guild, &serde_json::json!({"name": "mods"}))
        .await
        .unwrap();
    assert_eq!(rest.role(guild, role.id).await.unwrap().name, "mods");
    let renamed = rest
        .modify_role(
            guild,
            role.id,
            &serde_json::json!({"name": "admins", "hoist": true}),
        )
        .await
        .unwrap();
    assert_eq!((renamed.name.as_str(), renamed.hoist), ("admins", true));
    let updated = next_matching(&mut stream, Duration::from_mins(1), |e| match &e.event {
        Event::GuildRoleUpdate(u) => Some(u.role.name.clone()),
        _ => None,
    })
    .await;
    assert_eq!(updated, "admins");
    rest.delete_role(guild, role.id).await.unwrap();
    let deleted = next_matching(&mut stream, Duration::from_mins(1), |e| match &e.event {
        Event::GuildRoleDelete(d) => Some(d.role_id),
        _ => None,
    })
    .await;
    assert_eq!(deleted, role.id);
    assert_eq!(
        status(rest.role(guild, role.id).await.unwrap_err()),
        Some(404)
    );

    let member = rest.guild_members(guild, 1, None).await.unwrap()[0]
        .user
        .clone()
        .unwrap();
    rest.remove_guild_member(guild, member.id).await.unwrap();
    let removed = next_matching(&mut stream, Duration::from_mins(1), |e| match &e.event {
        Event::GuildMemberRemove(r) => Some(r.user.id),
        _ => None,
    })
    .await;
    assert_eq!(removed, member.id);
    assert_eq!(
        status(rest.guild_member(guild, member.id).await.unwrap_err()),
        Some(404)
    );
    assert_eq!(
        rest.guild_members(guild, 1000, None).await.unwrap().len(),
        MEMBERS - 1
    );

    let stage_channel = Id::new(CHANNEL + 6);
    rest.create_stage_instance(stage_channel, "town hall")
        .await
        .unwrap();
    let changed = rest
        .modify_stage_instance(stage_channel, "office hours")
        .await
        .unwrap();
    assert_eq!(changed.topic, "office hours");
    assert_eq!(
        rest.stage_instance(stage_channel).await.unwrap().topic,
        "office hours"
    );

    let doomed = Id::new(CHANNEL + 1);
    assert_eq!(rest.delete_channel(doomed).await.unwrap().id, doomed);
    let gone = next_matching(&mut stream, Duration::from_mins(1), |e| match &e.event {
        Event::ChannelDelete(c) => Some(c.id),
        _ => None,
    })
    .await;
    assert_eq!(gone, doomed);
    assert_eq!(status(rest.channel(doomed).await.unwrap_err()), Some(404));
}

#[tokio::test(start_paused = true)]
async fn guild_members_page_with_after_and_limit() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let rest = rest(&sandbox);
    let guild = Id::new(GUILD);
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = rest.guild_members(guild, 5, after).await.unwrap();
        assert!(page.len() <= 5);
        let Some(last) = page.last() else { break };
        after = last.user.as_ref().map(|u| u.id);
        seen.extend(page.iter().map(|m| m.user.as_ref().unwrap().id));
    }
    assert_eq!(seen.len(), MEMBERS);
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "ascending, no overlap"
    );
    assert_eq!(
        rest.guild_members(guild, 1000, None).await.unwrap().len(),
        MEMBERS
    );
    assert!(
        rest.guild_members(guild, 1000, after)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(start_paused = true)]
#[allow(clippy::too_many_lines)] // one walk through every reaction endpoint
async fn reactions_change_the_message_and_reach_the_gateway() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let rest = rest(&sandbox);
    let channel = Id::new(CHANNEL);
    let (_shard, mut stream) = ready_shard(
        &sandbox,
        Intents::GUILD_MESSAGES | Intents::GUILD_MESSAGE_REACTIONS,
    )
    .await;
    let me = rest.current_user().await.unwrap();
    let message = rest
        .create_message(channel, &CreateMessage::text("react to me"))
        .await
        .unwrap();
    rest.create_reaction(channel, message.id, "👍")
        .await
        .unwrap();
    let added = next_matching(&mut stream, Duration::from_mins(1), |e| match &e.event {
        Event::MessageReactionAdd(r) => Some(r.clone()),
        _ => None,
    })
    .await;
    assert_eq!((added.user_id, added.message_id), (me.id, message.id));
    assert_eq!(added.emoji.name.as_deref(), Some("👍"));
    let stored = rest.message(channel, message.id).await.unwrap();
    assert_eq!(stored.reactions.len(), 1);
    assert_eq!(
        (stored.reactions[0].count, stored.reactions[0].me),
        (1, true)
    );
    assert_eq!(
        rest.reactions(channel, message.id, "👍").await.unwrap()[0].id,
        me.id
    );
    // Reacting twice changes nothing.
    rest.create_reaction(channel, message.id, "👍")
        .await
        .unwrap();
    rest.create_reaction(channel, message.id, "blob:123")
        .await
        .unwrap();
    let custom = next_matching(&mut stream, Duration::from_mins(1), |e| match &e.event {
        Event::MessageReactionAdd(r) => Some(r.emoji.clone()),
        _ => None,
    })
    .await;
    assert_eq!(
        (custom.id.map(Id::get), custom.name.as_deref()),
        (Some(123), Some("blob"))
    );
    assert_eq!(
        rest.message(channel, message.id)
            .await
            .unwrap()
            .reactions
            .len(),
        2
    );

    rest.delete_own_reaction(channel, message.id, "👍")
        .await
        .unwrap();
    let removed = next_matching(&mut stream, Duration::from_mins(1), |e| match &e.event {
        Event::MessageReactionRemove(r) => Some(r.emoji.name.clone()),
        _ => None,
    })
    .await;
    assert_eq!(removed.as_deref(), Some("👍"));
    assert!(
        rest.reactions(channel, message.id, "👍")
            .await
            .unwrap()
            .is_empty()
    );
    rest.delete_emoji_reactions(channel, message.id, "blob:123")
        .await
        .unwrap();
    next_matching(&mut stream, Duration::from_mins(1), |e| {
        matches!(e.event, Event::MessageReactionRemoveEmoji(_)).then_some(())
    })
    .await;
    rest.create_reaction(channel, message.id, "🎉")
        .await
        .unwrap();
    rest.delete_user_reaction(channel, message.id, "🎉", me.id)
        .await
        .unwrap();
    rest.create_reaction(channel, message.id, "🎉")
        .await
        .unwrap();
    rest.delete_all_reactions(channel, message.id)
        .await
        .unwrap();
    next_matching(&mut stream, Duration::from_mins(1), |e| {
        matches!(e.event, Event::MessageReactionRemoveAll(_)).then_some(())
    })
    .await;
    assert!(
        rest.message(channel, message.id)
            .await
            .unwrap()
            .reactions
            .is_empty()
    );
}

#[tokio::test(start_paused = true)]
async fn interaction_response_is_acknowledged_once_and_editable() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let rest = rest(&sandbox);
    let app = rest.current_application().await.unwrap().id;
    let respond = InteractionResponse::message(CreateMessage::text("pong"));
    rest.interaction_response(Id::new(9), "itoken", &respond)
        .await
        .unwrap();
    let again = rest
        .interaction_response(Id::new(9), "itoken", &respond)
        .await;
    assert_eq!(status(again.unwrap_err()), Some(400));
    let edit = EditMessage {
        content: Some("pong!".into()),
        ..EditMessage::default()
    };
    let original = rest
        .edit_original_response(app, "itoken", &edit)
        .await
        .unwrap();
    assert_eq!(original.content, "pong!");
    assert_eq!(
        rest.message(original.channel_id, original.id)
            .await
            .unwrap()
            .content,
        "pong!"
    );
    rest.delete_original_response(app, "itoken").await.unwrap();
    assert_eq!(
        status(
            rest.edit_original_response(app, "itoken", &edit)
                .await
                .unwrap_err()
        ),
        Some(404)
    );

    let followup = rest
        .followup(app, "itoken", &CreateMessage::text("later"))
        .await
        .unwrap();
    let edited = rest
        .edit_followup(app, "itoken", followup.id, &edit)
        .await
        .unwrap();
    assert_eq!((edited.id, edited.content.as_str()), (followup.id, "pong!"));
    rest.delete_followup(app, "itoken", followup.id)
        .await
        .unwrap();
    assert_eq!(
        status(
            rest.delete_followup(app, "itoken", followup.id)
                .await
                .unwrap_err()
        ),
        Some(404)
    );
}

#[tokio::test(start_paused = true)]
async fn channel_history_pages_before_after_and_around() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let rest = rest(&sandbox);
    let channel = Id::new(CHANNEL);
    let mut ids = Vec::new();
    for n in 0..25 {
        let message = rest
            .create_message(channel, &CreateMessage::text(format!("m{n}")))
            .await
            .unwrap();
        ids.push(message.id);
    }
    let texts = |page: Vec<svc_gateway::model::Message>| {
        page.into_iter().map(|m| m.content).collect::<Vec<_>>()
    };
    let latest = texts(rest.messages(channel, 3).await.unwrap());
    assert_eq!(latest, ["m24", "m23", "m22"]);
    // Walking back page by page visits every message once, newest first.
    let mut walked = Vec::new();
    let mut page = rest.messages(channel, 10).await.unwrap();
    while let Some(oldest) = page.last().map(|m| m.id) {
        walked.extend(page.iter().map(|m| m.content.clone()));
        page = rest
            .messages_near(channel, HistoryAnchor::Before(oldest), 10)
            .await
            .unwrap();
    }
    let expected: Vec<String> = (0..25).rev().map(|n| format!("m{n}")).collect();
    assert_eq!(walked, expected);
    let after = rest
        .messages_near(channel, HistoryAnchor::After(ids[4]), 3)
        .await
        .unwrap();
    assert_eq!(
        texts(after),
        ["m7", "m6", "m5"],
        "the three right after, newest first"
    );
    let around = rest
        .messages_near(channel, HistoryAnchor::Around(ids[10]), 5)
        .await
        .unwrap();
    assert_eq!(texts(around), ["m12", "m11", "m10", "m9", "m8"]);
}

#[tokio::test(start_paused = true)]
async fn message_edits_and_webhook_posts_reach_the_gateway_whole() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let rest = rest(&sandbox);
    let channel = Id::new(CHANNEL);
    let (_shard, mut stream) = ready_shard(
        &sandbox,
        Intents::GUILDS | Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT,
    )
    .await;
    let before = std::time::SystemTime::now();
    let sent = rest
        .create_message(channel, &CreateMessage::text("first"))
        .await
        .unwrap();
    // Snowflakes and timestamps are made now, and agree with each other.
    let made = std::time::UNIX_EPOCH + Duration::from_millis(sent.id.timestamp_ms());
    assert!(
        made + Duration::from_secs(1) >= before,
        "{made:?} vs {before:?}"
    );
    assert_eq!(
        u64::try_from(sent.timestamp.as_micros() / 1000).unwrap(),
        sent.id.timestamp_ms()
    );
    let edit = EditMessage {
        content: Some("second".into()),
        embeds: Some(vec![svc_gateway::model::Embed {
            title: Some("t".into()),
            ..Default::default()
        }]),
        ..EditMessage::default()
    };
    let edited = rest.edit_message(channel, sent.id, &edit).await.unwrap();
    assert!(edited.edited_timestamp.is_some());
    let update = next_matching(&mut stream, Duration::from_mins(1), |e| match &e.event {
        Event::MessageUpdate(u) if u.id == sent.id => Some(u.clone()),
        _ => None,
    })
    .await;
    assert_eq!(update.content.as_deref(), Some("second"));
    assert_eq!(update.guild_id, Some(Id::new(GUILD)));
    let embeds = update.embeds.as_ref().expect("the whole message");
    assert_eq!(embeds[0].kind.as_deref(), Some("rich"));

    let posted = rest
        .execute_webhook(
            Id::new(77),
            "hook-token",
            &CreateMessage::text("from a hook"),
        )
        .await
        .unwrap();
    let created = next_matching(&mut stream, Duration::from_mins(1), |e| match &e.event {
        Event::MessageCreate(m) if m.id == posted.id => Some(m.clone()),
        _ => None,
    })
    .await;
    assert_eq!(created.webhook_id, Some(Id::new(77)));
    // Posted as the webhook, not as the bot.
    assert_eq!(
        (created.author.id.get(), created.author.discriminator),
        (77, Some(0))
    );
}

/// Discord's 429 body says how long to wait (float seconds) and whether the limit is
/// global; the client reads it (transport-http alone reads only headers, and this server
/// sends none). A tiny HTTP/1.1 server that answers every request with that 429.
#[tokio::test]
async fn a_429_body_says_how_long_to_wait_and_whether_it_is_global() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api/v10", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let body =
                    r#"{"message":"You are being rate limited.","retry_after":0.05,"global":true}"#;
                let reply = format!(
                    "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                let (mut buffer, mut seen) = (vec![0; 4096], Vec::new());
                while let Ok(read @ 1..) = socket.read(&mut buffer).await {
                    seen.extend_from_slice(&buffer[..read]);
                    while let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                        seen.drain(..end + 4);
                        if socket.write_all(reply.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    let rest = RestClient::builder("token").base_url(base).build().unwrap();
    let error = rest.current_user().await.unwrap_err();
    let source = error.into_source().expect("the transport error");
    let http = source
        .downcast::<transport_http::Error>()
        .expect("a transport error");
    assert_eq!(
        *http.kind(),
        transport_http::ErrorKind::RateLimited {
            retry_after: Some(Duration::from_millis(50)),
            global: true
        }
    );
}

/// The status and body of a REST error (the body as the transport quotes it).
fn status_and_body(error: svc_gateway::Error) -> (u16, String) {
    let source = error.into_source().expect("an HTTP error has a source");
    let http = source
        .downcast::<transport_http::Error>()
        .expect("a transport error");
    match http.kind() {
        transport_http::ErrorKind::Status { status, body } => (status.as_u16(), body.clone()),
        other => panic!("not a status error: {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn the_sandbox_checks_commands_as_discord_does() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let rest = rest(&sandbox);
    let app = rest.current_application().await.unwrap().id;

    // Another application's commands are not ours to see.
    let (code, body) = status_and_body(
        rest.commands(Id::new(app.get() + 1), None)
            .await
            .unwrap_err(),
    );
    assert_eq!(code, 403);
    assert!(body.contains("50001"), "{body}");

    // A POST of a known name replaces that command, keeping its id.
    let first = rest
        .create_command(app, None, &Command::chat_input("ping", "Replies pong"))
        .await
        .unwrap();
    let again = rest
        .create_command(app, None, &Command::chat_input("ping", "Pong, again"))
        .await
        .unwrap();
    assert_eq!(again.id, first.id);
    let listed = rest.commands(app, None).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].description, "Pong, again");

    // Chat input names are lowercase without spaces: Discord's error tree names the field.
    let (code, body) = status_and_body(
        rest.create_command(app, None, &Command::chat_input("Bad Name", "x"))
            .await
            .unwrap_err(),
    );
    assert_eq!(code, 400);
    assert!(
        body.contains("50035") && body.contains("Invalid Form Body"),
        "{body}"
    );
    assert!(body.contains("APPLICATION_COMMAND_INVALID_NAME"), "{body}");

    // Five user commands per scope; the sixth is refused.
    for i in 0..5 {
        rest.create_command(app, None, &Command::user(format!("User {i}")))
            .await
            .unwrap();
    }
    let (code, _) = status_and_body(
        rest.create_command(app, None, &Command::user("User 5"))
            .await
            .unwrap_err(),
    );
    assert_eq!(code, 400);
    assert_eq!(rest.commands(app, None).await.unwrap().len(), 6);
}

/// A slash command `/ping` sent by the sandbox: `(interaction id, token)`.
async fn issued_interaction(
    sandbox: &Sandbox,
    rest: &RestClient,
) -> (Id<InteractionMarker>, String) {
    let app = rest.current_application().await.unwrap().id;
    rest.create_command(app, None, &Command::chat_input("ping", "Answers."))
        .await
        .unwrap();
    let (interaction, _) = sandbox
        .control
        .slash_command(&SlashCommand::new("ping"))
        .expect("a registered command");
    let id = interaction["id"].as_str().unwrap().parse().unwrap();
    (
        Id::new(id),
        interaction["token"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test(start_paused = true)]
async fn an_initial_response_after_three_seconds_is_an_unknown_interaction() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let rest = rest(&sandbox);
    let (id, token) = issued_interaction(&sandbox, &rest).await;
    tokio::time::sleep(Duration::from_millis(3_001)).await;
    let error = rest
        .interaction_response(id, &token, &InteractionResponse::deferred())
        .await
        .expect_err("too late");
    let (status, body) = status_and_body(error);
    assert_eq!(status, 404);
    assert!(
        body.contains("10062") && body.contains("Unknown interaction"),
        "{body}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_interaction_is_answered_once_and_its_token_lasts_fifteen_minutes() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let rest = rest(&sandbox);
    let app = rest.current_application().await.unwrap().id;
    let (id, token) = issued_interaction(&sandbox, &rest).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    rest.interaction_response(id, &token, &InteractionResponse::deferred())
        .await
        .expect("within 3 s");
    let error = rest
        .interaction_response(id, &token, &InteractionResponse::deferred())
        .await
        .expect_err("answered already");
    let (status, body) = status_and_body(error);
    assert_eq!(status, 400);
    assert!(body.contains("40060"), "{body}");

    tokio::time::sleep(Duration::from_mins(14)).await;
    rest.edit_original_response(app, &token, &EditMessage::default())
        .await
        .expect("the original is editable within 15 minutes");
    rest.followup(app, &token, &CreateMessage::text("done"))
        .await
        .expect("a follow-up within 15 minutes");

    tokio::time::sleep(Duration::from_mins(1)).await;
    let error = rest
        .followup(app, &token, &CreateMessage::text("too late"))
        .await
        .expect_err("the token expired");
    let (status, body) = status_and_body(error);
    assert_eq!(status, 401);
    assert!(
        body.contains("50027") && body.contains("Invalid Webhook Token"),
        "{body}"
    );
    let error = rest
        .edit_original_response(app, &token, &EditMessage::default())
        .await
        .expect_err("the token expired");
    assert_eq!(status_and_body(error).0, 401);
}
