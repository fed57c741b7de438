//! A shard against the Discord sandbox over real sockets: identify, dispatch order,
//! resumes, zombies, op 7 / op 9, fatal close codes, compression modes.

mod common;

use std::time::Duration;

use common::{Sandbox, content, hub, is_name, message, next_matching};
use sandbox::discord::DiscordConfig;
use svc_gateway::gateway::{GatewayCompression, RequestGuildMembers, Shard, ShardConfig};
use svc_gateway::model::{Id, Intents};
use svc_gateway::{ErrorKind, Event};

const MINUTE: Duration = Duration::from_mins(1);

fn intents() -> Intents {
    Intents::GUILDS | Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT
}

async fn started(
    sandbox: &Sandbox,
    compression: GatewayCompression,
) -> (Shard, core_events::EventStream<svc_gateway::ShardEvent>) {
    let hub = hub();
    let mut stream = hub.stream();
    let config = ShardConfig::builder(sandbox.control.token(), intents())
        .gateway_url(sandbox.gateway_url())
        .compression(compression)
        .build()
        .unwrap();
    let shard = Shard::start(config, hub).unwrap();
    next_matching(&mut stream, MINUTE, |e| is_name(e, "READY").then_some(())).await;
    (shard, stream)
}

async fn identifies_and_receives_in_order(compression: GatewayCompression) {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let (shard, mut stream) = started(&sandbox, compression).await;
    // READY is followed by one GUILD_CREATE per guild.
    for _ in 0..3 {
        next_matching(&mut stream, MINUTE, |e| {
            matches!(&e.event, Event::GuildCreate(g) if g.members.len() == 12).then_some(())
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
    let mut next = 0u64;
    let mut received = Vec::new();
    for round in 0..100u64 {
        for _ in 0..3 {
            sandbox.control.dispatch(
                Some(0),
                "MESSAGE_CREATE",
                &message(&next.to_string(), 10_000 + next),
            );
            next += 1;
        }
        if round % 2 == 0 {
            sandbox.control.close(Some(0), 4000);
        } else {
            sandbox.control.drop_connections(Some(0));
        }
        // These land while the shard is away: the resume must replay them.
        for _ in 0..2 {
            sandbox.control.dispatch(
                Some(0),
                "MESSAGE_CREATE",
                &message(&next.to_string(), 10_000 + next),
            );
            next += 1;
        }
        next_matching(&mut stream, MINUTE, |e| {
            if let Some(text) = content(e) {
                received.push(text.parse::<u64>().unwrap());
            }
            is_name(e, "RESUMED").then_some(())
        })
        .await;
    }
    // Whatever was sent after the last RESUMED.
    while (received.len() as u64) < next {
        let got = next_matching(&mut stream, MINUTE, content).await;
        received.push(got.parse().unwrap());
    }
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
    assert_eq!(chunk.members.len(), 12);
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
