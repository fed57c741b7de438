//! A shard against the Discord sandbox over real sockets: identify, dispatch order,
//! resumes, zombies, op 7 / op 9, fatal close codes, compression modes.

mod common;

use std::time::Duration;

use common::{Sandbox, content, hub, is_name, message, next_matching};
use futures_util::StreamExt;
use sandbox::discord::DiscordConfig;
use svc_gateway::gateway::{GatewayCompression, RequestGuildMembers, Shard, ShardConfig};
use svc_gateway::model::{Id, Intents};
use svc_gateway::{ErrorKind, event::Event};

const MINUTE: Duration = Duration::from_mins(1);

fn intents() -> Intents {
    Intents::GUILDS | Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT
}

async fn started(
    sandbox: &Sandbox,
    compression: GatewayCompression,
) -> (
    Shard,
    core_events::EventStream<svc_gateway::event::ShardEvent>,
) {
    common::ready_shard_with(sandbox, intents(), |b| b.compression(compression)).await
}

async fn identifies_and_receives_in_order(compression: GatewayCompression) {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let (shard, mut stream) = started(&sandbox, compression).await;
    // READY is followed by one GUILD_CREATE per guild; without GUILD_PRESENCES it lists
    // the bot and the two members in the voice channel, not all 13.
    for _ in 0..3 {
        next_matching(&mut stream, MINUTE, |e| {
            matches!(&e.event, Event::GuildCreate(g) if g.members.len() == 3 && g.member_count == 13).then_some(())
        })
        .await;
    }
    for i in 0..50 {
        sandbox.control.dispatch(
            Some(0),
            "MESSAGE_CREATE",
            &message(&format!("m{i}"), 1000 + i),
        );
    }
    for i in 0..50 {
        let got = next_matching(&mut stream, MINUTE, content).await;
        assert_eq!(got, format!("m{i}"));
    }
    assert_eq!(sandbox.control.identifies(), 1);
    let logged = sandbox.control.gateway_log();
    let identify = logged.iter().find(|p| p["op"] == 2).expect("an identify");
    assert_eq!(identify["d"]["intents"], intents().bits());
    assert_eq!(identify["d"]["shard"], serde_json::json!([0, 1]));
    assert_eq!(identify["d"]["token"], "[redacted]");
    shard.close();
    shard.join().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn zlib_stream_identifies_and_keeps_order() {
    identifies_and_receives_in_order(GatewayCompression::ZlibStream).await;
}

#[tokio::test(start_paused = true)]
async fn zstd_stream_identifies_and_keeps_order() {
    identifies_and_receives_in_order(GatewayCompression::ZstdStream).await;
}

#[tokio::test(start_paused = true)]
async fn plain_json_identifies_and_keeps_order() {
    identifies_and_receives_in_order(GatewayCompression::None).await;
}

#[tokio::test(start_paused = true)]
async fn hundred_forced_disconnects_lose_and_duplicate_nothing() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let (shard, mut stream) = started(&sandbox, GatewayCompression::ZlibStream).await;
    let (received, next) = common::disconnect_rounds(&sandbox, &mut stream, 100, 3, 2).await;
    let expected: Vec<u64> = (0..next).collect();
    assert_eq!(received, expected, "every event exactly once, in order");
    assert_eq!(sandbox.control.resumes(), 100);
    assert_eq!(sandbox.control.identifies(), 1);
    assert!(
        sandbox.control.resume_url_connections() >= 100,
        "resumes go to resume_gateway_url"
    );
    assert_eq!(shard.stats().duplicates, 0);
}

#[tokio::test(start_paused = true)]
async fn raw_dispatches_are_the_original_bytes_once_each_across_resumes() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let raw_hub =
        core_events::EventHub::<svc_gateway::gateway::RawDispatch>::with_capacity(1 << 14)
            .expect("capacity is valid");
    let mut raw = raw_hub.stream();
    let (shard, mut stream) = common::ready_shard_with(&sandbox, intents(), |b| {
        b.compression(GatewayCompression::ZlibStream)
            .raw_dispatches(raw_hub.clone())
    })
    .await;
    let (typed, sent) = common::disconnect_rounds(&sandbox, &mut stream, 20, 3, 2).await;
    assert_eq!(typed, (0..sent).collect::<Vec<_>>());
    // The raw side: the same messages, once each and in order, as the JSON the gateway sent.
    let mut numbers = Vec::new();
    let mut last_seq = 0;
    while (numbers.len() as u64) < sent {
        let dispatch = tokio::time::timeout(MINUTE, raw.next())
            .await
            .expect("raw dispatch within the deadline")
            .expect("hub open")
            .expect("no lag");
        assert_eq!(dispatch.shard_id, 0);
        assert!(dispatch.seq > last_seq, "sequence numbers only grow");
        last_seq = dispatch.seq;
        let envelope = svc_gateway::event::Envelope::from_slice(&dispatch.payload).expect("JSON");
        assert_eq!(envelope.s, Some(dispatch.seq));
        assert_eq!(envelope.t.as_deref(), Some(dispatch.name.as_str()));
        if dispatch.name == "MESSAGE_CREATE" {
            let value: serde_json::Value =
                serde_json::from_slice(&dispatch.payload).expect("valid JSON");
            let text = value["d"]["content"].as_str().expect("content");
            numbers.push(text.parse::<u64>().expect("numbered message"));
        }
    }
    assert_eq!(numbers, typed, "raw and typed carry the same dispatches");
    assert_eq!(shard.stats().duplicates, 0);
    shard.close();
    shard.join().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn zombied_connection_is_detected_and_resumed() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let (shard, mut stream) = started(&sandbox, GatewayCompression::ZlibStream).await;
    sandbox.control.zombie(Some(0), true);
    sandbox
        .control
        .dispatch(Some(0), "MESSAGE_CREATE", &message("before", 1));
    next_matching(&mut stream, Duration::from_mins(5), |e| {
        is_name(e, "RESUMED").then_some(())
    })
    .await;
    assert_eq!(shard.stats().zombies, 1);
    assert_eq!(sandbox.control.resumes(), 1);
    let logged = sandbox.control.gateway_log();
    let heartbeats: Vec<_> = logged.iter().filter(|p| p["op"] == 1).collect();
    assert!(
        !heartbeats.is_empty(),
        "a beat went unanswered before the resume"
    );
    assert!(
        heartbeats.iter().any(|p| p["d"].as_u64().is_some()),
        "heartbeats carry the last sequence"
    );
}

#[tokio::test(start_paused = true)]
async fn op7_resumes_and_op9_reidentifies_or_resumes() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let (shard, mut stream) = started(&sandbox, GatewayCompression::ZlibStream).await;
    sandbox.control.request_reconnect(Some(0));
    next_matching(&mut stream, MINUTE, |e| is_name(e, "RESUMED").then_some(())).await;
    assert_eq!(sandbox.control.resumes(), 1);

    sandbox.control.invalidate_session(Some(0), true);
    next_matching(&mut stream, MINUTE, |e| is_name(e, "RESUMED").then_some(())).await;
    assert_eq!(sandbox.control.resumes(), 2);

    // Past the 5 s identify window of the first IDENTIFY (this shard has no identify queue;
    // the sandbox would refuse a second identify inside it with another op 9).
    tokio::time::sleep(Duration::from_secs(5)).await;
    let before = tokio::time::Instant::now();
    sandbox.control.invalidate_session(Some(0), false);
    next_matching(&mut stream, MINUTE, |e| is_name(e, "READY").then_some(())).await;
    let waited = before.elapsed();
    assert!(
        waited >= Duration::from_secs(1) && waited <= Duration::from_secs(6),
        "waited {waited:?}"
    );
    assert_eq!(sandbox.control.identifies(), 2);
    assert_eq!(shard.stats().identifies, 2);
}

#[tokio::test(start_paused = true)]
async fn request_guild_members_gets_chunks_and_big_payloads_are_refused() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let (shard, mut stream) = started(&sandbox, GatewayCompression::ZlibStream).await;
    let guild = Id::new(1_000_000_000_000_000_000);
    shard
        .request_guild_members(&RequestGuildMembers {
            nonce: Some("n1".into()),
            ..RequestGuildMembers::all(guild)
        })
        .await
        .unwrap();
    let chunk = next_matching(&mut stream, MINUTE, |e| match &e.event {
        Event::GuildMembersChunk(chunk) => Some(chunk.clone()),
        _ => None,
    })
    .await;
    assert_eq!(chunk.members.len(), 13, "every member, the bot among them");
    assert_eq!(chunk.nonce.as_deref(), Some("n1"));
    let huge = "x".repeat(5000);
    let error = shard.send(3, &huge).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::PayloadTooLarge { .. }));
}

async fn fatal_close(
    config: DiscordConfig,
    token: Option<&str>,
    intents: Intents,
    shard: [u32; 2],
    expected: u16,
) {
    let sandbox = Sandbox::start(config).await;
    let token = token.unwrap_or(sandbox.control.token()).to_owned();
    let config = ShardConfig::builder(token, intents)
        .gateway_url(sandbox.gateway_url())
        .shard(shard[0], shard[1])
        .build()
        .unwrap();
    let shard = Shard::start(config, hub()).unwrap();
    let error = tokio::time::timeout(MINUTE, shard.join())
        .await
        .expect("stops")
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::FatalClose { code, .. } if *code == expected),
        "{error}"
    );
    assert_eq!(sandbox.control.connected(), 0);
}

#[tokio::test(start_paused = true)]
async fn fatal_close_codes_stop_with_the_right_error() {
    fatal_close(
        DiscordConfig::default(),
        Some("wrong.token"),
        intents(),
        [0, 1],
        4004,
    )
    .await;
    fatal_close(
        DiscordConfig::default(),
        None,
        Intents::from_bits_retain(1 << 40),
        [0, 1],
        4013,
    )
    .await;
    let mut no_privileged = DiscordConfig::default();
    no_privileged.allowed_privileged_intents = 0;
    fatal_close(no_privileged, None, Intents::GUILD_MEMBERS, [0, 1], 4014).await;
    fatal_close(
        DiscordConfig::default().with_shards(2, 1),
        None,
        intents(),
        [0, 3],
        4010,
    )
    .await;
}

#[tokio::test(start_paused = true)]
async fn dispatches_follow_the_session_intents() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let (_shard, mut stream) =
        common::ready_shard(&sandbox, Intents::GUILDS | Intents::GUILD_MESSAGES).await;
    let bot = sandbox_bot_id(&sandbox).await;
    let guild = "1000000000000000000";
    let control = &sandbox.control;
    control.dispatch(
        Some(0),
        "PRESENCE_UPDATE",
        &serde_json::json!({"user": {"id": "42"}, "guild_id": guild, "status": "online", "activities": []}),
    );
    control.dispatch(
        Some(0),
        "TYPING_START",
        &serde_json::json!({"channel_id": "1010000000000000000", "guild_id": guild, "user_id": "42", "timestamp": 1}),
    );
    let mut direct = message("in a DM", 7);
    direct.as_object_mut().unwrap().remove("guild_id");
    control.dispatch(Some(0), "MESSAGE_CREATE", &direct);
    control.dispatch(Some(0), "MESSAGE_CREATE", &message("secret", 8));
    let mut mention = message("hi bot", 9);
    mention["mentions"] = serde_json::json!([{"id": bot.to_string(), "username": "switchboard", "discriminator": "0"}]);
    control.dispatch(Some(0), "MESSAGE_CREATE", &mention);

    let mut seen = Vec::new();
    loop {
        let event = next_matching(&mut stream, MINUTE, |e| Some(e.event.clone())).await;
        match event {
            Event::GuildCreate(create) => {
                assert!(create.presences.is_empty(), "no GUILD_PRESENCES");
            }
            Event::MessageCreate(m) => {
                seen.push((m.id.get(), m.content.clone()));
                if m.id.get() == 9 {
                    break;
                }
            }
            other => assert!(
                !matches!(other, Event::PresenceUpdate(_) | Event::TypingStart(_)),
                "not covered by the intents: {other:?}"
            ),
        }
    }
    // The DM needs DIRECT_MESSAGES; without MESSAGE_CONTENT a guild message is blank unless
    // it mentions the bot.
    assert_eq!(seen, [(8, String::new()), (9, "hi bot".to_owned())]);
}

async fn sandbox_bot_id(sandbox: &Sandbox) -> u64 {
    svc_gateway::rest::RestClient::builder(sandbox.control.token())
        .base_url(sandbox.api_url())
        .build()
        .unwrap()
        .current_user()
        .await
        .unwrap()
        .id
        .get()
}

#[tokio::test(start_paused = true)]
async fn identify_too_fast_in_one_bucket_gets_invalid_session_then_succeeds() {
    // Two shards of one concurrency bucket, started together with no shared identify queue.
    let sandbox = Sandbox::start(DiscordConfig::default().with_shards(2, 1)).await;
    let hub = hub();
    let mut stream = hub.stream();
    let mut shards = Vec::new();
    for id in 0..2 {
        let config = ShardConfig::builder(sandbox.control.token(), intents())
            .gateway_url(sandbox.gateway_url())
            .shard(id, 2)
            .build()
            .unwrap();
        shards.push(Shard::start(config, hub.clone()).unwrap());
    }
    let mut ready = Vec::new();
    let mut invalid = 0;
    while ready.len() < 2 {
        let event = next_matching(&mut stream, MINUTE, |e| Some(e.clone())).await;
        match event.event {
            Event::Ready(_) => ready.push(event.shard_id),
            Event::InvalidSession(i) => {
                assert!(!i.resumable);
                invalid += 1;
            }
            _ => {}
        }
    }
    ready.sort_unstable();
    assert_eq!(ready, [0, 1]);
    assert!(invalid >= 1, "the second identify was refused");
    assert_eq!(sandbox.control.identify_violations(), invalid);
    assert_eq!(
        sandbox.control.identifies(),
        2,
        "only accepted identifies count"
    );
}

#[tokio::test(start_paused = true)]
async fn a_manager_uses_an_identify_queue_given_by_configure() {
    // Discord allows 2 identifies at once; the queue handed in (as a queue shared with other
    // processes would be) allows 1 per 5 s, and must win over the manager's own.
    let sandbox = Sandbox::start(DiscordConfig::default().with_shards(2, 2)).await;
    let rest = svc_gateway::rest::RestClient::builder(sandbox.control.token())
        .base_url(sandbox.api_url())
        .build()
        .unwrap();
    let shared =
        core_ratelimit::IdentifyQueue::new(std::num::NonZeroU32::MIN, Duration::from_secs(5));
    let hub = hub();
    let mut stream = hub.stream();
    let manager = svc_gateway::gateway::ShardManager::start(
        &rest,
        sandbox.control.token(),
        intents(),
        svc_gateway::gateway::ShardScheme::Auto,
        hub,
        |builder| {
            builder
                .gateway_url(sandbox.gateway_url())
                .identify_queue(shared.clone())
        },
    )
    .await
    .unwrap();
    next_matching(&mut stream, MINUTE, |e| is_name(e, "READY").then_some(())).await;
    let first = tokio::time::Instant::now();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(sandbox.control.identifies(), 1, "the second shard waits");
    next_matching(&mut stream, MINUTE, |e| is_name(e, "READY").then_some(())).await;
    assert!(first.elapsed() >= Duration::from_secs(2));
    assert_eq!(sandbox.control.identifies(), 2);
    manager.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn an_identify_past_the_session_budget_resets_the_token() {
    // A bare shard has no budget of its own: the sandbox acts like Discord, ending the
    // session and voiding the token, and the shard stops on the fatal 4004.
    let mut config = DiscordConfig::default();
    config.session_start_total = 1;
    let sandbox = Sandbox::start(config).await;
    let (shard, _stream) = common::ready_shard(&sandbox, intents()).await;
    sandbox.control.invalidate_session(Some(0), false);
    let error = tokio::time::timeout(MINUTE, shard.join())
        .await
        .expect("stops")
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::FatalClose { code: 4004, .. }),
        "{error}"
    );
    assert!(sandbox.control.token_was_reset());
    assert_eq!(sandbox.control.identifies(), 1);
    let rest = svc_gateway::rest::RestClient::builder(sandbox.control.token())
        .base_url(sandbox.api_url())
        .build()
        .unwrap();
    assert_eq!(
        common::status(rest.current_user().await.unwrap_err()),
        Some(401)
    );
}
