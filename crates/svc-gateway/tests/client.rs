//! The bot client against the sandbox: three shards under the identify limit, events in
//! order with their shard id, ping/pong, cache, wait_for.

mod common;

use std::time::Duration;

use common::{Sandbox, message};
use futures_util::StreamExt;
use sandbox::discord::DiscordConfig;
use svc_gateway::cache::{Cache, CacheConfig};
use svc_gateway::model::{Command, Id, Intents};
use svc_gateway::rest::CreateMessage;
use svc_gateway::{
    Client,
    event::{Event, GuildCreate, MessageCreate, Ready},
};

const MINUTE: Duration = Duration::from_mins(1);
const DAY: Duration = Duration::from_hours(24);

fn client(sandbox: &Sandbox) -> Client {
    Client::builder(sandbox.control.token())
        .intents(Intents::GUILDS | Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT)
        .api_url(sandbox.api_url())
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn three_shards_identify_within_concurrency_and_keep_order() {
    let sandbox = Sandbox::start(DiscordConfig::default().with_shards(3, 1)).await;
    let client = client(&sandbox);
    let mut events = client.events();
    let started = tokio::time::Instant::now();
    client.start().await.unwrap();
    let mut ready = Vec::new();
    while ready.len() < 3 {
        if let Some(Ok(event)) = tokio::time::timeout(MINUTE, events.next()).await.unwrap()
            && let Event::Ready(r) = &event.event
        {
            assert_eq!(r.shard.map(|s| s[0]), Some(event.shard_id));
            ready.push(event.shard_id);
        }
    }
    ready.sort_unstable();
    assert_eq!(ready, [0, 1, 2]);
    assert_eq!(sandbox.control.identify_violations(), 0);
    assert!(
        started.elapsed() >= Duration::from_secs(10),
        "max_concurrency 1: one identify per 5 s"
    );
    let mut shards = sandbox.control.identified_shards();
    shards.sort_unstable();
    assert_eq!(shards, [[0, 3], [1, 3], [2, 3]]);

    for i in 0..30u64 {
        sandbox.control.dispatch(
            Some((i % 3) as u32),
            "MESSAGE_CREATE",
            &message(&i.to_string(), 100 + i),
        );
    }
    let mut per_shard: [Vec<u64>; 3] = Default::default();
    while per_shard.iter().map(Vec::len).sum::<usize>() < 30 {
        let event = tokio::time::timeout(MINUTE, events.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Event::MessageCreate(m) = &event.event {
            per_shard[event.shard_id as usize].push(m.content.parse().unwrap());
        }
    }
    for (shard, got) in per_shard.iter().enumerate() {
        let expected: Vec<u64> = (0..30).filter(|i| i % 3 == shard as u64).collect();
        assert_eq!(got, &expected);
    }
    client.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn ping_pong_cache_and_wait_for() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let client = client(&sandbox);
    let rest = client.rest().clone();
    let _listener = client.on_async(move |message: MessageCreate| {
        let rest = rest.clone();
        async move {
            if message.content == "!ping" {
                rest.create_message(
                    message.channel_id,
                    &CreateMessage::text("pong").reply_to(&message),
                )
                .await
                .unwrap();
            }
        }
    });
    let ready = client.wait_for(|_: &Ready| true, MINUTE);
    let guilds = client.wait_for(
        |g: &GuildCreate| g.id.get() == 1_000_000_000_000_000_000,
        MINUTE,
    );
    let me = client.start().await.unwrap();
    assert_eq!(ready.await.unwrap().user.id, me.id);
    guilds.await.unwrap();

    let pong = client.wait_for(|m: &MessageCreate| m.content == "pong", MINUTE);
    sandbox
        .control
        .dispatch(Some(0), "MESSAGE_CREATE", &message("!ping", 5));
    let pong = pong.await.unwrap();
    assert_eq!(
        pong.message_reference.and_then(|r| r.message_id),
        Some(Id::new(5))
    );
    assert!(pong.author.bot);

    // The cache saw the guilds and the messages.
    tokio::task::yield_now().await;
    let guild = client
        .get_guild(Id::new(1_000_000_000_000_000_000))
        .expect("cached guild");
    assert_eq!(guild.name, "Guild 0");
    assert!(
        client
            .get_channel(Id::new(1_010_000_000_000_000_000))
            .is_some()
    );
    assert!(client.get_message(pong.channel_id, pong.id).is_some());
    let stats = client.cache().stats();
    assert_eq!(stats.guilds, 3);
    // Without GUILD_PRESENCES a GUILD_CREATE lists the bot and the members in voice
    // channels only: 3 per guild.
    assert_eq!((stats.members, stats.presences), (9, 0));
    assert!(stats.approx_bytes > 0);
    assert_eq!(client.fetch_guild(guild.id).await.unwrap().name, "Guild 0");

    client
        .update_presence(&svc_gateway::model::UpdatePresence::online(None))
        .await
        .unwrap();
    assert_eq!(client.shard_stats().await.len(), 1);
    let timeout = client
        .wait_for(
            |m: &MessageCreate| m.content == "never",
            Duration::from_secs(1),
        )
        .await
        .unwrap_err();
    assert_eq!(timeout.kind(), &svc_gateway::ErrorKind::Timeout);
    client.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn fetch_stores_in_the_cache_and_get_reads_it() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let client = client(&sandbox); // not started: only REST fills the cache
    let guild = Id::new(1_000_000_000_000_000_000);
    let channel = Id::new(1_010_000_000_000_000_000);

    assert!(client.get_guild(guild).is_none());
    let fetched = client.fetch_guild(guild).await.unwrap();
    assert_eq!(client.get_guild(guild).unwrap().name, fetched.name);
    let role = fetched.roles[0].id;
    assert_eq!(client.get_role(role).unwrap().id, role);

    assert!(client.get_channel(channel).is_none());
    client.fetch_channel(channel).await.unwrap();
    assert_eq!(client.get_channel(channel).unwrap().id, channel);

    let sent = client.send_message(channel, "hello").await.unwrap();
    assert!(client.get_message(channel, sent.id).is_none());
    client.fetch_message(channel, sent.id).await.unwrap();
    assert_eq!(
        client.get_message(channel, sent.id).unwrap().content,
        "hello"
    );

    let someone = client.rest().guild_members(guild, 1, None).await.unwrap()[0]
        .user
        .clone()
        .unwrap();
    assert!(client.get_user(someone.id).is_none());
    assert_eq!(client.fetch_user(someone.id).await.unwrap().id, someone.id);
    assert_eq!(client.get_user(someone.id).unwrap().id, someone.id);
    assert!(client.get_member(guild, someone.id).is_none());
    client.fetch_member(guild, someone.id).await.unwrap();
    assert!(client.get_member(guild, someone.id).is_some());
    let created = client
        .rest()
        .create_role(guild, &serde_json::json!({"name": "fresh"}))
        .await
        .unwrap();
    assert!(client.get_role(created.id).is_none());
    assert_eq!(
        client.fetch_role(guild, created.id).await.unwrap().name,
        "fresh"
    );
    assert_eq!(client.get_role(created.id).unwrap().name, "fresh");
    assert_eq!(client.guild_ids(), [guild]);

    // Switched off: fetched, not stored.
    let bare = Client::builder(sandbox.control.token())
        .api_url(sandbox.api_url())
        .cache(CacheConfig::none())
        .build()
        .unwrap();
    bare.fetch_guild(guild).await.unwrap();
    bare.fetch_channel(channel).await.unwrap();
    bare.fetch_message(channel, sent.id).await.unwrap();
    bare.fetch_member(guild, someone.id).await.unwrap();
    bare.fetch_user(someone.id).await.unwrap();
    assert!(bare.get_guild(guild).is_none() && bare.get_role(role).is_none());
    assert!(bare.get_channel(channel).is_none());
    assert!(bare.get_message(channel, sent.id).is_none());
    assert!(bare.get_member(guild, someone.id).is_none() && bare.get_user(someone.id).is_none());
}

#[tokio::test(start_paused = true)]
async fn application_commands_and_shard_lookup_through_the_client() {
    let sandbox = Sandbox::start(DiscordConfig::default().with_shards(2, 2)).await;
    let client = client(&sandbox);
    let guild = Id::new(1_000_000_000_000_000_000);
    let app = client.application_id().await.unwrap();
    assert_eq!(app, client.rest().current_application().await.unwrap().id);
    let created = client
        .create_command(None, &Command::chat_input("ping", "Replies pong"))
        .await
        .unwrap();
    assert_eq!(
        client
            .fetch_command(None, created.id.unwrap())
            .await
            .unwrap()
            .name,
        "ping"
    );
    let listed = client
        .bulk_overwrite_commands(
            Some(guild),
            &[Command::chat_input("a", "A"), Command::chat_input("b", "B")],
        )
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(client.fetch_commands(Some(guild)).await.unwrap().len(), 2);
    assert_eq!(client.fetch_commands(None).await.unwrap().len(), 1);

    assert_eq!(client.shard_id_for(guild).await, None, "not started");
    let ready = client.wait_for(|_: &Ready| true, MINUTE);
    client.start().await.unwrap();
    ready.await.unwrap();
    let expected = ((guild.get() >> 22) % 2) as u32;
    assert_eq!(client.shard_id_for(guild).await, Some(expected));
    let me = client.wait_for(|r: &Ready| r.session_id == "custom", MINUTE);
    let reached = client.dispatch(svc_gateway::event::ShardEvent {
        shard_id: 1,
        event: Event::Ready(Box::new(serde_json::from_value(ready_payload()).unwrap())),
    });
    assert!(reached >= 1);
    assert_eq!(me.await.unwrap().session_id, "custom");
    assert!(client.current_user().is_some());
    client.shutdown().await.unwrap();
}

fn ready_payload() -> serde_json::Value {
    serde_json::json!({
        "v": 10,
        "user": {"id": "1", "username": "x", "discriminator": "0"},
        "guilds": [],
        "session_id": "custom",
        "resume_gateway_url": "ws://127.0.0.1",
        "application": {"id": "1", "flags": 0},
    })
}

#[test]
fn fetched_messages_keep_id_order_within_the_bound() {
    let cache = Cache::new(CacheConfig {
        messages_per_channel: 2,
        ..CacheConfig::default()
    });
    for id in [5u64, 3, 4, 5] {
        let mut raw = message(&format!("m{id}"), id);
        raw["channel_id"] = serde_json::json!("77");
        cache.insert_message(&serde_json::from_value(raw).unwrap());
    }
    let ids: Vec<u64> = cache
        .messages(Id::new(77))
        .iter()
        .map(|m| m.id.get())
        .collect();
    assert_eq!(ids, [4, 5]);
}

#[test]
fn message_updates_whole_or_partial_change_the_cached_message() {
    let cache = Cache::new(CacheConfig::default());
    let decode = |t: &str, d: serde_json::Value| {
        let payload = serde_json::json!({"t": t, "s": 1, "op": 0, "d": d});
        Event::from_slice(&mut serde_json::to_vec(&payload).unwrap()).unwrap()
    };
    cache.update(&decode("MESSAGE_CREATE", message("first", 9)));
    let channel = Id::new(1_010_000_000_000_000_000);
    // Discord's whole-message update: content, mentions and attachments change.
    let mut whole = message("second", 9);
    whole["edited_timestamp"] = serde_json::json!("2024-03-01T12:01:00.000000+00:00");
    whole["mentions"] = serde_json::json!([{"id": "43", "username": "bo", "discriminator": "0"}]);
    whole["attachments"] = serde_json::json!([{"id": "5", "filename": "a.png", "size": 3, "url": "https://cdn.discordapp.com/a.png"}]);
    cache.update(&decode("MESSAGE_UPDATE", whole));
    let cached = cache.message(channel, Id::new(9)).unwrap();
    assert_eq!(cached.content, "second");
    assert_eq!(cached.mentions[0].username, "bo");
    assert_eq!(cached.attachments[0].filename, "a.png");
    assert!(cached.edited_timestamp.is_some());
    // A partial one (an embed unfurl) leaves everything else as it was.
    cache.update(&decode(
        "MESSAGE_UPDATE",
        serde_json::json!({"id": "9", "channel_id": channel.to_string(), "embeds": [{"type": "link", "url": "https://example.com"}]}),
    ));
    let cached = cache.message(channel, Id::new(9)).unwrap();
    assert_eq!(
        (cached.content.as_str(), cached.mentions.len()),
        ("second", 1)
    );
    assert_eq!(cached.embeds[0].kind.as_deref(), Some("link"));
}

#[tokio::test(start_paused = true)]
async fn re_identifies_wait_for_the_session_budget_instead_of_overrunning_it() {
    let mut config = DiscordConfig::default();
    config.session_start_total = 3;
    let sandbox = Sandbox::start(config).await;
    let client = client(&sandbox);
    let mut events = client.events();
    client.start().await.unwrap();
    let mut ready_at = Vec::new();
    while ready_at.len() < 4 {
        let event = tokio::time::timeout(2 * DAY, events.next())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "a READY in time: {} so far, {} identifies, token reset {}",
                    ready_at.len(),
                    sandbox.control.identifies(),
                    sandbox.control.token_was_reset()
                )
            })
            .unwrap()
            .unwrap();
        if let Event::Ready(_) = event.event {
            ready_at.push(tokio::time::Instant::now());
            // Told to start over three times: the third re-identify is the fourth start.
            if ready_at.len() < 4 {
                sandbox.control.invalidate_session(Some(0), false);
            }
        }
    }
    assert!(!sandbox.control.token_was_reset());
    assert_eq!(sandbox.control.identifies(), 4);
    // The fourth waited for the budget's window (counted from the first start) to end.
    assert!(
        ready_at[3] - ready_at[0] >= MINUTE,
        "{:?}",
        ready_at[3] - ready_at[0]
    );
    assert!(ready_at[2] - ready_at[0] < MINUTE);
    client.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn ready_resolves_after_the_last_shards_ready_and_cannot_be_missed() {
    let sandbox = Sandbox::start(DiscordConfig::default().with_shards(3, 1)).await;
    let client = client(&sandbox);
    assert!(!client.is_ready());
    let not_started = client.ready().await.unwrap_err();
    assert!(matches!(
        not_started.kind(),
        svc_gateway::ErrorKind::NotConnected
    ));
    let mut events = client.events();
    let started = tokio::time::Instant::now();
    client.start().await.unwrap();
    assert!(!client.is_ready(), "start returns before any IDENTIFY");
    client.ready().await.unwrap();
    assert!(client.is_ready());
    assert!(
        started.elapsed() >= Duration::from_secs(10),
        "max_concurrency 1: the third shard identifies 10 s in, and ready waited for it"
    );
    // Every shard's READY was already delivered when `ready` resolved.
    let mut readies = Vec::new();
    while readies.len() < 3 {
        let event = tokio::time::timeout(MINUTE, events.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Event::Ready(_) = event.event {
            readies.push(event.shard_id);
        }
    }
    readies.sort_unstable();
    assert_eq!(readies, [0, 1, 2]);
    // A state, not an event: asking again (long after) answers at once.
    tokio::time::advance(MINUTE).await;
    client.ready().await.unwrap();
    client.shutdown().await.unwrap();
    assert!(!client.is_ready());
}

#[tokio::test(start_paused = true)]
async fn ready_fails_with_the_first_fatal_close() {
    let mut config = DiscordConfig::default().with_shards(2, 2);
    config.allowed_privileged_intents = 0;
    let sandbox = Sandbox::start(config).await;
    let client = Client::builder(sandbox.control.token())
        .intents(Intents::GUILDS | Intents::GUILD_MEMBERS)
        .api_url(sandbox.api_url())
        .build()
        .unwrap();
    client.start().await.unwrap();
    let error = client.ready().await.unwrap_err();
    assert!(
        matches!(
            error.kind(),
            svc_gateway::ErrorKind::FatalClose { code: 4014, .. }
        ),
        "{:?}",
        error.kind()
    );
    assert!(!client.is_ready());
}

#[tokio::test(start_paused = true)]
#[allow(clippy::too_many_lines)] // one walk: presence, voice join, voice leave, the log
async fn shard_commands_change_the_sandbox_and_come_back_as_discord_documents() {
    use svc_gateway::event::{PresenceUpdate, VoiceServerUpdate, VoiceStateUpdate};
    use svc_gateway::gateway::UpdateVoiceState;
    use svc_gateway::model::{Activity, Status, UpdatePresence};

    let sandbox = Sandbox::start(DiscordConfig::default().with_shards(1, 1)).await;
    let client = Client::builder(sandbox.control.token())
        .intents(Intents::GUILDS | Intents::GUILD_PRESENCES | Intents::GUILD_VOICE_STATES)
        .api_url(sandbox.api_url())
        .raw_dispatches(true)
        .build()
        .unwrap();
    assert!(client.shard(0).is_none(), "not started");
    let mut raw = client.raw_dispatches().expect("asked for on the builder");
    client.start().await.unwrap();
    client.ready().await.unwrap();
    let shard = client.shard(0).expect("shard 0 runs here");
    assert!(client.shard(1).is_none());
    let session = shard.session().expect("READY started a session");
    assert!(!session.session_id.is_empty());
    let resume_url = session
        .resume_url
        .expect("a loopback resume URL is accepted");
    assert!(resume_url.starts_with("ws://127.0.0.1") && resume_url.contains("v=10"));
    assert!(!resume_url.contains(sandbox.control.token()));
    let first = tokio::time::timeout(MINUTE, raw.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!((first.shard_id, first.name.as_str()), (0, "READY"));

    let me = client.rest().current_user().await.unwrap().id;
    let guild = Id::new(1_000_000_000_000_000_000);
    let presence = client.wait_for(
        move |p: &PresenceUpdate| p.user.id == me && p.guild_id == Some(guild),
        MINUTE,
    );
    shard
        .update_presence(&UpdatePresence {
            since: None,
            activities: vec![Activity {
                name: "the tests".into(),
                kind: 3,
                url: None,
                state: None,
            }],
            status: Status::Dnd,
            afk: false,
        })
        .await
        .unwrap();
    let presence = presence.await.unwrap();
    assert_eq!(presence.status, Status::Dnd);
    assert_eq!(presence.activities[0].name, "the tests");
    assert_eq!(presence.activities[0].kind, 3);

    let voice = client
        .rest()
        .guild_channels(guild)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.kind == 2)
        .expect("the sandbox guild has a voice channel");
    let joined = client.wait_for(move |v: &VoiceStateUpdate| v.user_id == me, MINUTE);
    let server = client.wait_for(|_: &VoiceServerUpdate| true, MINUTE);
    shard
        .update_voice_state(&UpdateVoiceState {
            guild_id: guild,
            channel_id: Some(voice.id),
            self_mute: true,
            self_deaf: false,
        })
        .await
        .unwrap();
    let joined = joined.await.unwrap();
    assert_eq!(joined.guild_id, Some(guild));
    assert_eq!(joined.channel_id, Some(voice.id));
    assert!(joined.self_mute && !joined.self_deaf);
    assert_eq!(joined.session_id, session.session_id);
    assert_eq!(
        joined
            .member
            .as_ref()
            .and_then(|m| m.user.as_ref())
            .map(|u| u.id),
        Some(me)
    );
    assert_eq!(server.await.unwrap().guild_id, guild);
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(
        client
            .cache()
            .voice_state(guild, me)
            .and_then(|v| v.channel_id),
        Some(voice.id)
    );

    let left = client.wait_for(
        move |v: &VoiceStateUpdate| v.user_id == me && v.channel_id.is_none(),
        MINUTE,
    );
    shard
        .update_voice_state(&UpdateVoiceState {
            guild_id: guild,
            channel_id: None,
            self_mute: false,
            self_deaf: false,
        })
        .await
        .unwrap();
    left.await.unwrap();
    let sent: Vec<u64> = sandbox
        .control
        .gateway_log()
        .iter()
        .filter_map(|p| p["op"].as_u64())
        .filter(|op| matches!(op, 3 | 4))
        .collect();
    assert_eq!(sent, [3, 4, 4]);
}
