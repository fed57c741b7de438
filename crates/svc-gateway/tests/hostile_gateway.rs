//! A shard against gateways that misbehave, over real sockets: dispatches of the wrong
//! shape, HELLO with a 1 ms interval, heartbeats never acknowledged, op 7 after every login,
//! a message too large to read, an insecure `resume_gateway_url`.

mod common;

use std::time::Duration;

use common::{Sandbox, hub, is_name, message, next_matching};
use core_events::{EventHub, EventStream};
use futures_util::{FutureExt, StreamExt};
use sandbox::chaos::Chaos;
use sandbox::discord::{DiscordConfig, GatewayFaults};
use serde_json::json;
use svc_gateway::event::{Event, ShardEvent};
use svc_gateway::gateway::{GatewayCompression, RawDispatch, Shard, ShardConfig};
use svc_gateway::model::Intents;
use tokio::time::Instant;

const MINUTE: Duration = Duration::from_mins(1);

fn intents() -> Intents {
    Intents::GUILDS | Intents::GUILD_MESSAGES | Intents::MESSAGE_CONTENT
}

/// What the handler saw of the test's messages: typed contents, or `?<content>` for a
/// message kept as [`Event::Unknown`].
fn seen(event: &ShardEvent) -> Option<String> {
    match &event.event {
        Event::MessageCreate(message) => Some(message.content.clone()),
        Event::Unknown { name, raw } if name == "MESSAGE_CREATE" => {
            Some(format!("?{}", raw["content"]))
        }
        _ => None,
    }
}

/// Every raw dispatch published so far, as `(seq, name)`.
fn drain_raw(raw: &mut EventStream<RawDispatch>) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    while let Some(Some(Ok(dispatch))) = raw.next().now_or_never() {
        out.push((dispatch.seq, dispatch.name));
    }
    out
}

#[tokio::test(start_paused = true)]
async fn a_dispatch_of_the_wrong_shape_arrives_as_unknown_and_resumes_cleanly() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let raw_hub = EventHub::<RawDispatch>::with_capacity(1 << 12).expect("capacity is valid");
    let mut raw = raw_hub.stream();
    let (shard, mut stream) = common::ready_shard_with(&sandbox, intents(), |builder| {
        builder
            .compression(GatewayCompression::ZlibStream)
            .raw_dispatches(raw_hub.clone())
    })
    .await;
    let control = &sandbox.control;
    control.dispatch(Some(0), "MESSAGE_CREATE", &message("before", 1));
    // `content` must be a string: the typed decode fails on it.
    let mut wrong = message("unused", 2);
    wrong["content"] = json!(42);
    control.dispatch(Some(0), "MESSAGE_CREATE", &wrong);
    let mut messages = Vec::new();
    while messages.len() < 2 {
        messages.push(next_matching(&mut stream, MINUTE, seen).await);
    }
    assert_eq!(messages, ["before", "?42"]);
    assert_eq!(shard.stats().decode_errors, 1);
    let last_seq = shard.session().expect("a session").seq;

    // The wrong-shaped dispatch is the last one before a resumable disconnect: its sequence
    // must have been recorded, or the resume would ask for it again.
    control.close(Some(0), 4000);
    control.dispatch(Some(0), "MESSAGE_CREATE", &message("during", 3));
    next_matching(&mut stream, MINUTE, |e| {
        if let Some(text) = seen(e) {
            messages.push(text);
        }
        is_name(e, "RESUMED").then_some(())
    })
    .await;
    control.dispatch(Some(0), "MESSAGE_CREATE", &message("after", 4));
    while messages.len() < 4 {
        messages.push(next_matching(&mut stream, MINUTE, seen).await);
    }
    assert_eq!(
        messages,
        ["before", "?42", "during", "after"],
        "nothing replayed twice, nothing skipped"
    );
    let stats = shard.stats();
    assert_eq!((stats.decode_errors, stats.duplicates), (1, 0));
    assert_eq!((control.resumes(), control.identifies()), (1, 1));
    // During, RESUMED (numbered too) and after.
    assert_eq!(shard.session().expect("a session").seq, last_seq + 3);

    // The raw side carries every dispatch once, the wrong-shaped one included, numbered
    // without a gap.
    let raw = drain_raw(&mut raw);
    let numbers: Vec<u64> = raw.iter().map(|(seq, _)| *seq).collect();
    assert_eq!(numbers, (1..=last_seq + 3).collect::<Vec<_>>());
    assert_eq!(
        raw.iter().find(|(seq, _)| *seq == last_seq),
        Some(&(last_seq, "MESSAGE_CREATE".to_owned()))
    );
    shard.close();
    shard.join().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_1_ms_heartbeat_interval_is_raised_to_one_second() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    sandbox
        .control
        .set_heartbeat_interval(Duration::from_millis(1));
    let (shard, _stream) = common::ready_shard(&sandbox, intents()).await;
    let start = Instant::now();
    tokio::time::sleep(MINUTE).await;
    // At most one beat per second (plus the jittered first one); at 1 ms the shard would
    // have run into the gateway's 120-per-minute send limit.
    let heartbeats = sandbox.control.heartbeats();
    assert!(
        (50..=62).contains(&heartbeats),
        "{heartbeats} heartbeats in {:?}",
        start.elapsed()
    );
    assert_eq!(
        (sandbox.control.identifies(), sandbox.control.resumes()),
        (1, 0),
        "the connection stayed up"
    );
    assert!(shard.latency().is_some(), "ACKs measure the latency");
    assert_eq!(shard.stats().zombies, 0);
}

/// Logins (IDENTIFY or RESUME: each sends the token) a gateway that ends every connection
/// right after login can get from one shard in a minute. Every such connection is short, so
/// the transport's backoff (the shard's default: 1 s doubling to 30 s, each delay jittered
/// down to half) keeps growing: the reconnects wait at least 0.5 + 1 + 2 + 4 + 8 + 15 +
/// 15 = 45.5 s for the first seven and 60.5 s with the eighth. So at most seven reconnects,
/// eight logins with the first, fit in a minute. Reconnecting at once, as op 7 and zombies
/// once did, would be a login per round trip.
const MAX_LOGINS_PER_MINUTE: usize = 8;

/// Runs a shard against a gateway with `faults` for a minute; checks the logins it made
/// against [`MAX_LOGINS_PER_MINUTE`] (and that the gateway did end its connections: at least
/// three logins) and returns their count.
async fn bounded_logins_in_a_minute(sandbox: &Sandbox, faults: GatewayFaults) -> (usize, Shard) {
    sandbox.control.set_gateway_faults(faults);
    let start = Instant::now();
    let config = ShardConfig::builder(sandbox.control.token(), intents())
        .gateway_url(sandbox.gateway_url())
        .build()
        .expect("valid config");
    let shard = Shard::start(config, hub()).expect("shard starts");
    tokio::time::sleep_until(start + MINUTE).await;
    let logins = sandbox.control.identifies() + sandbox.control.resumes();
    assert!(
        (3..=MAX_LOGINS_PER_MINUTE).contains(&logins),
        "{logins} logins in a minute"
    );
    (logins, shard)
}

#[tokio::test(start_paused = true)]
async fn a_gateway_that_never_acks_a_1_ms_heartbeat_sees_bounded_logins() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    sandbox
        .control
        .set_heartbeat_interval(Duration::from_millis(1));
    let mut faults = GatewayFaults::default();
    faults.never_ack = true;
    let (logins, shard) = bounded_logins_in_a_minute(&sandbox, faults).await;
    let zombies = shard.stats().zombies;
    assert!(zombies >= 2, "the zombie watchdog fired: {zombies}");
    // Each connection sent at most two beats: the one left unanswered and none after.
    assert!(sandbox.control.heartbeats() <= 2 * logins);
}

#[tokio::test(start_paused = true)]
async fn a_gateway_that_sends_op_7_after_every_login_sees_bounded_logins() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let mut faults = GatewayFaults::default();
    faults.reconnect_after_login = true;
    let (logins, shard) = bounded_logins_in_a_minute(&sandbox, faults).await;
    assert_eq!(sandbox.control.identifies(), 1, "op 7 resumes");
    assert_eq!(shard.stats().resumes as usize, logins - 1);
}

#[tokio::test(start_paused = true)]
async fn a_message_too_large_to_read_ends_the_session_instead_of_replaying_forever() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let (shard, mut stream) = common::ready_shard_with(&sandbox, intents(), |builder| {
        builder.compression(GatewayCompression::ZlibStream)
    })
    .await;
    // Past the sandbox's 5 s identify window, so the new session is not refused.
    tokio::time::sleep(Duration::from_secs(6)).await;
    // Over the transport's 16 MiB limit once inflated (a few KiB on the wire).
    let huge = "x".repeat(transport_ws::DEFAULT_MAX_MESSAGE_SIZE);
    sandbox
        .control
        .dispatch(Some(0), "MESSAGE_CREATE", &message(&huge, 1));
    next_matching(&mut stream, MINUTE, |e| is_name(e, "READY").then_some(())).await;
    sandbox
        .control
        .dispatch(Some(0), "MESSAGE_CREATE", &message("small again", 2));
    let got = next_matching(&mut stream, MINUTE, common::content).await;
    assert_eq!(got, "small again");
    // And it stays that way: no resume into the big message, no further session.
    tokio::time::sleep(Duration::from_mins(2)).await;
    assert_eq!(
        (sandbox.control.identifies(), sandbox.control.resumes()),
        (2, 0)
    );
    assert_eq!(shard.stats().identifies, 2);
    shard.close();
    shard.join().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn an_insecure_resume_gateway_url_is_ignored() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    // Plain ws:// to a host that is not loopback: the token would travel in clear.
    let mut faults = GatewayFaults::default();
    faults.resume_gateway_url = Some("ws://0.0.0.0:1/resume".into());
    sandbox.control.set_gateway_faults(faults);
    let (shard, mut stream) = common::ready_shard(&sandbox, intents()).await;
    sandbox.control.close(Some(0), 4000);
    next_matching(&mut stream, MINUTE, |e| is_name(e, "RESUMED").then_some(())).await;
    assert_eq!(sandbox.control.resumes(), 1);
    assert_eq!(
        sandbox.control.resume_url_connections(),
        0,
        "resumed on the configured gateway URL"
    );
    shard.close();
    shard.join().await.unwrap();
}

/// A REST API that answers every request with `body` (what a broken or hostile
/// `GET /gateway/bot` could say); returns its API base URL.
async fn gateway_bot_answering(body: serde_json::Value) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let base = format!("http://{}/api/v10", listener.local_addr().expect("bound"));
    let body = body.to_string();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    base
}

fn gateway_bot(url: &str, shards: u64, limit: &serde_json::Value) -> serde_json::Value {
    json!({"url": url, "shards": shards, "session_start_limit": limit})
}

fn limit(total: u64, remaining: u64, reset_after: u64, max_concurrency: u64) -> serde_json::Value {
    json!({"total": total, "remaining": remaining, "reset_after": reset_after, "max_concurrency": max_concurrency})
}

async fn start_manager(
    answer: serde_json::Value,
    scheme: svc_gateway::gateway::ShardScheme,
) -> Result<svc_gateway::gateway::ShardManager, svc_gateway::Error> {
    let base = gateway_bot_answering(answer).await;
    let rest = svc_gateway::rest::RestClient::builder("a.token")
        .base_url(base)
        .build()
        .expect("valid client");
    svc_gateway::gateway::ShardManager::start(&rest, "a.token", intents(), scheme, hub(), |b| b)
        .await
}

#[tokio::test(start_paused = true)]
async fn hostile_gateway_bot_answers_are_refused_or_clamped() {
    use svc_gateway::ErrorKind;
    use svc_gateway::gateway::ShardScheme;
    // Nothing listens on port 1 of loopback: shards that do start just back off.
    let url = "ws://127.0.0.1:1";
    let sane = limit(1000, 1000, 0, 1);
    let refused = [
        (gateway_bot(url, 0, &sane), "shards"),
        (gateway_bot(url, u64::from(u32::MAX), &sane), "shards"),
        (
            gateway_bot(url, 1, &limit(1000, 1000, 0, 0)),
            "max_concurrency",
        ),
        (
            gateway_bot(url, 1, &limit(5, 6, 0, 1)),
            "session_start_limit.remaining",
        ),
        (gateway_bot("not a url", 1, &sane), "url"),
    ];
    for (answer, field) in refused {
        let error = start_manager(answer.clone(), ShardScheme::Auto)
            .await
            .expect_err("refused");
        assert_eq!(
            error.kind(),
            &ErrorKind::InvalidGatewayBot { field },
            "{answer}"
        );
    }
    let error = start_manager(
        gateway_bot(url, 3, &sane),
        ShardScheme::AutoAtMost { max_shards: 2 },
    )
    .await
    .expect_err("over the configured maximum");
    assert_eq!(
        error.kind(),
        &ErrorKind::InvalidGatewayBot { field: "shards" }
    );
    // The token would go in clear to a host that is not loopback, or over HTTP.
    for insecure in ["ws://0.0.0.0:1", "http://127.0.0.1:1"] {
        let error = start_manager(gateway_bot(insecure, 1, &sane), ShardScheme::Auto)
            .await
            .expect_err("insecure");
        assert_eq!(error.kind(), &ErrorKind::InsecureUrl, "{insecure}");
    }
    // Numbers that could only overflow or exhaust memory are lowered instead: four billion
    // identify buckets, a reset in 584 million years.
    let clamped = gateway_bot(
        url,
        2,
        &limit(u64::from(u32::MAX), 5, u64::MAX, u64::from(u32::MAX)),
    );
    let manager = start_manager(clamped, ShardScheme::Auto)
        .await
        .expect("starts");
    assert_eq!(manager.shards().len(), 2);
    manager.shutdown().await.expect("clean shutdown");
    let manager = start_manager(
        gateway_bot(url, 2, &sane),
        ShardScheme::AutoAtMost { max_shards: 2 },
    )
    .await
    .expect("within the maximum");
    manager.shutdown().await.expect("clean shutdown");
    // A process running a range of the shards is not bound by the maximum: the
    // recommendation starts nothing there.
    let range = ShardScheme::Range {
        ids: 0..1,
        total: 10_000,
    };
    let manager = start_manager(gateway_bot(url, 10_000, &sane), range)
        .await
        .expect("a range of a big bot");
    assert_eq!(manager.shards()[0].total(), 10_000);
    manager.shutdown().await.expect("clean shutdown");
}

// Chaos mode (`sandbox::chaos`): the same gateway, switched hostile through its control
// handle.

#[tokio::test(start_paused = true)]
async fn chaos_duplicate_sequence_numbers_are_delivered_once() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let (shard, mut stream) = common::ready_shard(&sandbox, intents()).await;
    let chaos = sandbox.control.chaos();
    chaos.on(Chaos::DuplicateSequence);
    for n in 1..=3 {
        sandbox
            .control
            .dispatch(Some(0), "MESSAGE_CREATE", &message(&format!("m{n}"), n));
    }
    let mut got = Vec::new();
    while got.len() < 3 {
        got.push(next_matching(&mut stream, MINUTE, common::content).await);
    }
    chaos.clear();
    sandbox
        .control
        .dispatch(Some(0), "MESSAGE_CREATE", &message("m4", 4));
    got.push(next_matching(&mut stream, MINUTE, common::content).await);
    assert_eq!(
        got,
        ["m1", "m2", "m3", "m4"],
        "each delivered once, in order"
    );
    assert_eq!(shard.stats().duplicates, 3);
    shard.close();
    shard.join().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn chaos_foreign_resume_url_is_not_followed() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    sandbox.control.chaos().on(Chaos::ForeignReconnectUrl);
    let (shard, mut stream) = common::ready_shard(&sandbox, intents()).await;
    sandbox.control.close(Some(0), 4000);
    next_matching(&mut stream, MINUTE, |e| is_name(e, "RESUMED").then_some(())).await;
    assert_eq!(
        sandbox.control.resumes(),
        1,
        "resumed on the configured URL"
    );
    shard.close();
    shard.join().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn chaos_dropping_mid_handshake_sees_bounded_identifies() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    sandbox.control.chaos().on(Chaos::DropMidHandshake);
    let start = Instant::now();
    let config = ShardConfig::builder(sandbox.control.token(), intents())
        .gateway_url(sandbox.gateway_url())
        .build()
        .expect("valid config");
    let shard = Shard::start(config, hub()).expect("shard starts");
    tokio::time::sleep_until(start + MINUTE).await;
    let identifies = sandbox
        .control
        .gateway_log()
        .iter()
        .filter(|payload| payload["op"] == 2)
        .count();
    assert!(
        (3..=MAX_LOGINS_PER_MINUTE).contains(&identifies),
        "{identifies} IDENTIFYs in a minute"
    );
    assert_eq!(sandbox.control.identifies(), 0, "none was answered");
    shard.close();
}

#[tokio::test(start_paused = true)]
async fn chaos_heartbeat_intervals_huge_negative_or_tiny_keep_the_shard_up() {
    for chaos in [
        Chaos::HugeNumbers,
        Chaos::NegativeNumbers,
        Chaos::TinyHeartbeat,
    ] {
        let sandbox = Sandbox::start(DiscordConfig::default()).await;
        sandbox.control.chaos().on(chaos);
        let (shard, mut stream) = common::ready_shard(&sandbox, intents()).await;
        tokio::time::sleep(Duration::from_mins(2)).await;
        sandbox
            .control
            .dispatch(Some(0), "MESSAGE_CREATE", &message("still here", 1));
        let got = next_matching(&mut stream, MINUTE, common::content).await;
        assert_eq!(got, "still here", "{chaos}");
        assert_eq!(sandbox.control.identifies(), 1, "{chaos}: one session");
        assert!(
            sandbox.control.heartbeats() <= 2 * 180 + 2,
            "{chaos}: {} heartbeats in three minutes",
            sandbox.control.heartbeats()
        );
        shard.close();
        shard.join().await.unwrap();
    }
}

/// Dispatches messages `m{n}` for `numbers` and returns what the handler saw of as many
/// (see [`seen`]), in order.
async fn send_and_collect(
    sandbox: &Sandbox,
    stream: &mut EventStream<ShardEvent>,
    numbers: std::ops::RangeInclusive<u64>,
) -> Vec<String> {
    let count = numbers.clone().count();
    for n in numbers {
        sandbox
            .control
            .dispatch(Some(0), "MESSAGE_CREATE", &message(&format!("m{n}"), n));
    }
    let mut got = Vec::new();
    while got.len() < count {
        got.push(next_matching(stream, MINUTE, seen).await);
    }
    got
}

fn names(range: std::ops::RangeInclusive<u64>) -> Vec<String> {
    range.map(|n| format!("m{n}")).collect()
}

#[tokio::test(start_paused = true)]
async fn chaos_out_of_order_sequence_numbers_neither_restart_nor_rewind_the_session() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    // On from the start: the READY itself comes again, with its old number, after the next
    // dispatch.
    sandbox.control.chaos().on(Chaos::OutOfOrderSequence);
    let (shard, mut stream) = common::ready_shard(&sandbox, intents()).await;
    let mut readies = 0;
    let mut got = Vec::new();
    for n in 1..=3 {
        sandbox
            .control
            .dispatch(Some(0), "MESSAGE_CREATE", &message(&format!("m{n}"), n));
    }
    while got.len() < 3 {
        let text = next_matching(&mut stream, MINUTE, |e| {
            readies += usize::from(is_name(e, "READY"));
            seen(e)
        })
        .await;
        got.push(text);
    }
    assert_eq!(got, names(1..=3));
    assert_eq!(readies, 0, "the old READY started no second session");
    assert!(shard.stats().duplicates >= 3, "{:?}", shard.stats());
    sandbox.control.chaos().clear();
    // The resume point is the highest number seen: nothing replayed twice.
    sandbox.control.close(Some(0), 4000);
    next_matching(&mut stream, MINUTE, |e| is_name(e, "RESUMED").then_some(())).await;
    got.extend(send_and_collect(&sandbox, &mut stream, 4..=5).await);
    assert_eq!(got, names(1..=5));
    assert_eq!(
        (sandbox.control.identifies(), sandbox.control.resumes()),
        (1, 1)
    );
    shard.close();
    shard.join().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn chaos_invalid_utf8_and_truncated_frames_are_skipped() {
    for chaos in [Chaos::InvalidUtf8, Chaos::TruncatedFrames] {
        for compression in [GatewayCompression::None, GatewayCompression::ZlibStream] {
            let sandbox = Sandbox::start(DiscordConfig::default()).await;
            let (shard, mut stream) = common::ready_shard_with(&sandbox, intents(), |builder| {
                builder.compression(compression)
            })
            .await;
            sandbox.control.chaos().on(chaos);
            let mut got = send_and_collect(&sandbox, &mut stream, 1..=3).await;
            sandbox.control.chaos().clear();
            got.extend(send_and_collect(&sandbox, &mut stream, 4..=4).await);
            assert_eq!(got, names(1..=4), "{chaos} {compression:?}");
            assert_eq!(shard.stats().decode_errors, 3, "{chaos} {compression:?}");
            assert_eq!(
                (sandbox.control.identifies(), sandbox.control.resumes()),
                (1, 0),
                "{chaos} {compression:?}: the connection stayed up"
            );
            shard.close();
            shard.join().await.unwrap();
        }
    }
}

#[tokio::test(start_paused = true)]
async fn chaos_wrong_types_in_dispatches_arrive_as_unknown() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let (shard, mut stream) = common::ready_shard(&sandbox, intents()).await;
    sandbox.control.chaos().on(Chaos::WrongTypes);
    let mut got = send_and_collect(&sandbox, &mut stream, 1..=3).await;
    sandbox.control.chaos().clear();
    got.extend(send_and_collect(&sandbox, &mut stream, 4..=4).await);
    assert_eq!(got, [r#"?"m1""#, r#"?"m2""#, r#"?"m3""#, "m4"]);
    let stats = shard.stats();
    assert_eq!((stats.decode_errors, stats.duplicates), (3, 0));
    // The wrongly typed dispatches were numbered: a resume asks for none of them again.
    sandbox.control.close(Some(0), 4000);
    next_matching(&mut stream, MINUTE, |e| is_name(e, "RESUMED").then_some(())).await;
    got.extend(send_and_collect(&sandbox, &mut stream, 5..=5).await);
    assert_eq!(got.len(), 5);
    assert_eq!(got[4], "m5");
    shard.close();
    shard.join().await.unwrap();
}

/// Switches `chaos` (one that fires once and ends the session with 1009) on, dispatches a
/// message to carry it and checks the shard identifies afresh and then gets every message.
async fn one_message_too_large(chaos: Chaos, compression: GatewayCompression) {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let (shard, mut stream) = common::ready_shard_with(&sandbox, intents(), |builder| {
        builder.compression(compression)
    })
    .await;
    // Past the sandbox's 5 s identify window, so the new session is not refused.
    tokio::time::sleep(Duration::from_secs(6)).await;
    sandbox.control.chaos().on(chaos);
    sandbox
        .control
        .dispatch(Some(0), "MESSAGE_CREATE", &message("carrier", 1));
    next_matching(&mut stream, MINUTE, |e| is_name(e, "READY").then_some(())).await;
    assert!(!sandbox.control.chaos().is_on(chaos), "{chaos}: fired");
    let got = send_and_collect(&sandbox, &mut stream, 2..=4).await;
    assert_eq!(got, names(2..=4), "{chaos} {compression:?}");
    tokio::time::sleep(Duration::from_mins(2)).await;
    assert_eq!(
        (sandbox.control.identifies(), sandbox.control.resumes()),
        (2, 0),
        "{chaos} {compression:?}: a new session, no resume into the big message"
    );
    assert_eq!(shard.stats().identifies, 2);
    shard.close();
    shard.join().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn chaos_decompression_bombs_end_the_session_and_a_new_one_gets_everything() {
    one_message_too_large(Chaos::DecompressionBomb, GatewayCompression::ZlibStream).await;
    one_message_too_large(Chaos::DecompressionBomb, GatewayCompression::ZstdStream).await;
}

#[tokio::test(start_paused = true)]
async fn chaos_oversized_frames_end_the_session_and_a_new_one_gets_everything() {
    one_message_too_large(Chaos::OversizedFrames, GatewayCompression::None).await;
}

#[tokio::test(start_paused = true)]
async fn chaos_slow_loris_frames_arrive_whole_and_the_shard_stays_up() {
    for compression in [GatewayCompression::None, GatewayCompression::ZlibStream] {
        let sandbox = Sandbox::start(DiscordConfig::default()).await;
        let (shard, mut stream) = common::ready_shard_with(&sandbox, intents(), |builder| {
            builder.compression(compression)
        })
        .await;
        sandbox.control.chaos().on(Chaos::SlowLoris);
        let mut got = send_and_collect(&sandbox, &mut stream, 1..=3).await;
        sandbox.control.chaos().clear();
        got.extend(send_and_collect(&sandbox, &mut stream, 4..=4).await);
        assert_eq!(got, names(1..=4), "{compression:?}");
        let stats = shard.stats();
        assert_eq!(
            (stats.decode_errors, stats.duplicates, stats.zombies),
            (0, 0, 0),
            "{compression:?}"
        );
        assert_eq!(
            (sandbox.control.identifies(), sandbox.control.resumes()),
            (1, 0),
            "{compression:?}"
        );
        shard.close();
        shard.join().await.unwrap();
    }
}
