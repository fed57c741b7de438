//! `encoding=etf` (feature `etf`) end to end against the sandbox's ETF gateway: identify,
//! full GUILD_CREATEs, dispatches in order, resume with replay, and bad terms as typed
//! errors.
#![cfg(feature = "etf")]

mod common;

use std::error::Error as _;
use std::time::Duration;

use common::{Sandbox, next_matching};
use proptest::prelude::*;
use sandbox::discord::DiscordConfig;
use svc_gateway::gateway::{GatewayCompression, GatewayEncoding, Shard};
use svc_gateway::model::Intents;
use svc_gateway::{DecodeErrorKind, EtfError, Event};

const MINUTE: Duration = Duration::from_mins(1);

fn intents() -> Intents {
    Intents::GUILDS
        | Intents::GUILD_MEMBERS
        | Intents::GUILD_PRESENCES
        | Intents::GUILD_MESSAGES
        | Intents::MESSAGE_CONTENT
}

async fn etf_shard(
    sandbox: &Sandbox,
    compression: GatewayCompression,
) -> (Shard, core_events::EventStream<svc_gateway::ShardEvent>) {
    common::ready_shard_with(sandbox, intents(), |b| {
        b.encoding(GatewayEncoding::Etf).compression(compression)
    })
    .await
}

async fn identify_dispatch_and_resume(compression: GatewayCompression) {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let (shard, mut stream) = etf_shard(&sandbox, compression).await;
    // Full guilds decode from terms (snowflakes arrive as integers).
    for _ in 0..3 {
        let members = next_matching(&mut stream, MINUTE, |e| match &e.event {
            Event::GuildCreate(g) => Some((g.members.len(), g.presences.len(), g.roles.len())),
            _ => None,
        })
        .await;
        assert_eq!(
            members.0, 13,
            "with GUILD_PRESENCES every member, the bot among them"
        );
        assert!(members.1 > 0 && members.2 > 0);
    }
    // The sandbox decoded our ETF identify and heartbeats.
    let log = sandbox.control.gateway_log();
    let identify = log.iter().find(|p| p["op"] == 2).expect("identify logged");
    assert_eq!(identify["d"]["intents"].as_u64(), Some(intents().bits()));

    let (received, sent) = common::disconnect_rounds(&sandbox, &mut stream, 5, 3, 1).await;
    assert_eq!(received, (0..sent).collect::<Vec<_>>());
    assert_eq!(sandbox.control.resumes(), 5);
    assert_eq!(sandbox.control.identifies(), 1);
    assert_eq!(shard.stats().decode_errors, 0);
    shard
        .update_presence(&svc_gateway::model::UpdatePresence::online(None))
        .await
        .unwrap();
    let presence = next_presence_op(&sandbox).await;
    assert_eq!(presence["d"]["status"], "online");
}

async fn next_presence_op(sandbox: &Sandbox) -> serde_json::Value {
    for _ in 0..100 {
        if let Some(found) = sandbox
            .control
            .gateway_log()
            .into_iter()
            .find(|p| p["op"] == 3)
        {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("presence update never reached the sandbox");
}

#[tokio::test(start_paused = true)]
async fn etf_identifies_dispatches_and_resumes() {
    identify_dispatch_and_resume(GatewayCompression::None).await;
}

#[tokio::test(start_paused = true)]
async fn etf_over_zlib_stream_identifies_dispatches_and_resumes() {
    identify_dispatch_and_resume(GatewayCompression::ZlibStream).await;
}

#[test]
fn bad_terms_are_typed_decode_errors() {
    for bytes in [
        &b"{\"op\":10}"[..],
        &[131, 116, 0, 0, 0, 1][..],
        &[131, 109, 0, 0, 0, 1, 0xc3][..],
        &[131, 97, 10, 97, 10][..],
    ] {
        let error = Event::from_etf(bytes).unwrap_err();
        assert_eq!(error.kind(), &DecodeErrorKind::Malformed);
        let source = error.source().expect("an ETF error says why");
        assert!(source.downcast_ref::<EtfError>().is_some(), "{source}");
    }
    // Well-formed ETF of the wrong shape fails like the JSON would.
    assert!(Event::from_etf(&[131, 97, 10]).is_err());
}

proptest! {
    #[test]
    fn arbitrary_terms_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Event::from_etf(&bytes);
        let mut with_version = vec![131];
        with_version.extend(&bytes);
        let _ = Event::from_etf(&with_version);
    }
}

#[tokio::test(start_paused = true)]
async fn a_dispatch_of_the_wrong_shape_arrives_as_unknown_over_etf() {
    let sandbox = Sandbox::start(DiscordConfig::default()).await;
    let (shard, mut stream) = etf_shard(&sandbox, GatewayCompression::ZlibStream).await;
    let mut wrong = common::message("unused", 1);
    wrong["content"] = serde_json::json!(42);
    sandbox.control.dispatch(Some(0), "MESSAGE_CREATE", &wrong);
    sandbox
        .control
        .dispatch(Some(0), "MESSAGE_CREATE", &common::message("next", 2));
    let raw = next_matching(&mut stream, MINUTE, |e| match &e.event {
        Event::Unknown { name, raw } if name == "MESSAGE_CREATE" => Some(raw.clone()),
        _ => None,
    })
    .await;
    assert_eq!(raw["content"], 42);
    assert_eq!(
        next_matching(&mut stream, MINUTE, common::content).await,
        "next"
    );
    assert_eq!(shard.stats().decode_errors, 1);
}
