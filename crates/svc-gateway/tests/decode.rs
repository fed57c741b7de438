//! Decoding the fixtures, and the decoder's behaviour on hostile input.

use proptest::prelude::*;
use svc_gateway::event::{Envelope, Event};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/discord/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_dispatch_in_the_stream_decodes_with_its_sequence() {
    let stream = fixture("dispatch-stream.txt");
    let mut unknown = 0;
    for (index, line) in stream.lines().enumerate() {
        let envelope = Envelope::from_slice(line.as_bytes()).unwrap();
        assert_eq!(envelope.s, Some(index as u64 + 1));
        let event = Event::from_slice(&mut line.as_bytes().to_vec())
            .unwrap_or_else(|e| panic!("line {}: {e}", index + 1));
        assert_eq!(event.name(), envelope.t.as_deref());
        if let Event::Unknown { raw, .. } = event {
            assert!(raw.get("guild_id").is_some());
            unknown += 1;
        }
    }
    assert!(unknown > 0, "the stream has unknown events on purpose");
}

#[test]
fn large_guild_create_and_ready_decode() {
    let mut bytes = fixture("guild-create-large.json").into_bytes();
    let Event::GuildCreate(guild) = Event::from_slice(&mut bytes).unwrap() else {
        panic!("not GUILD_CREATE")
    };
    assert_eq!(guild.members.len(), 1000);
    assert_eq!(guild.member_count, 1000);
    assert_eq!(guild.channels.len(), 60);
    assert!(guild.roles.iter().any(|r| r.name == "@everyone"));

    let mut bytes = fixture("ready.json").into_bytes();
    let Event::Ready(ready) = Event::from_slice(&mut bytes).unwrap() else {
        panic!("not READY")
    };
    assert_eq!(ready.guilds.len(), 3);
    assert_eq!(ready.shard, Some([0, 1]));
    assert!(ready.user.bot);
}

#[test]
fn truncated_payloads_are_errors() {
    let line = fixture("dispatch-stream.txt")
        .lines()
        .next()
        .unwrap()
        .to_owned();
    for cut in 0..line.len() {
        let mut bytes = line.as_bytes()[..cut].to_vec();
        assert!(
            Event::from_slice(&mut bytes).is_err(),
            "cut at {cut} decoded"
        );
    }
}

#[test]
fn huge_frames_are_handled() {
    let content = "x".repeat(8 << 20);
    let payload = format!(
        r#"{{"t":"MESSAGE_CREATE","s":1,"op":0,"d":{{"id":"1","channel_id":"2","author":{{"id":"3","username":"a"}},"content":"{content}","timestamp":"2024-01-01T00:00:00Z"}}}}"#
    );
    let Event::MessageCreate(message) = Event::from_slice(&mut payload.into_bytes()).unwrap()
    else {
        panic!()
    };
    assert_eq!(message.content.len(), 8 << 20);
    let deep = format!(
        r#"{{"t":"X","s":1,"op":0,"d":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    // Either decoded as Unknown or refused: what matters is no panic and no stack overflow.
    let _ = Event::from_slice(&mut deep.into_bytes());
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Envelope::from_slice(&bytes);
        let _ = Event::from_slice(&mut bytes.clone());
    }

    #[test]
    fn unknown_opcodes_are_errors(op in 12u64..10_000) {
        let mut bytes = format!(r#"{{"op":{op},"d":null}}"#).into_bytes();
        prop_assert!(Event::from_slice(&mut bytes).is_err());
    }

    #[test]
    fn mutated_fixture_lines_never_panic(index in 0usize..2000, position in 0usize..400, byte in any::<u8>()) {
        let stream = fixture("dispatch-stream.txt");
        let line = stream.lines().nth(index).unwrap();
        let mut bytes = line.as_bytes().to_vec();
        let at = position % bytes.len();
        bytes[at] = byte;
        let _ = Envelope::from_slice(&bytes);
        let _ = Event::from_slice(&mut bytes);
    }
}

/// The payloads as Discord's gateway reference documents them.
#[test]
fn stage_scheduled_event_and_auto_moderation_dispatches_are_typed() {
    use svc_gateway::event::{
        AutoModerationActionExecution, AutoModerationRuleCreate, GuildScheduledEventCreate,
        GuildScheduledEventUserAdd, StageInstanceDelete,
    };
    fn decode(t: &str, d: &serde_json::Value) -> Event {
        let payload = serde_json::json!({"t": t, "s": 1, "op": 0, "d": d});
        let event = Event::from_slice(&mut serde_json::to_vec(&payload).unwrap()).unwrap();
        assert_eq!(event.name(), Some(t));
        assert!(!matches!(event, Event::Unknown { .. }), "{t} is typed");
        event
    }
    let stage = serde_json::json!({"id": "840647391636226060", "guild_id": "197038439483310086",
        "channel_id": "733488538393510049", "topic": "Testing Testing, 123", "privacy_level": 2,
        "discoverable_disabled": false, "guild_scheduled_event_id": "947656305244532806"});
    for t in ["STAGE_INSTANCE_CREATE", "STAGE_INSTANCE_UPDATE"] {
        decode(t, &stage);
    }
    let Event::StageInstanceDelete(deleted) = decode("STAGE_INSTANCE_DELETE", &stage) else {
        panic!("not STAGE_INSTANCE_DELETE")
    };
    let deleted: StageInstanceDelete = *deleted;
    assert_eq!(deleted.topic, "Testing Testing, 123");

    let scheduled = serde_json::json!({"id": "947656305244532806", "guild_id": "197038439483310086",
        "channel_id": null, "creator_id": "53908232506183680", "name": "Office hours",
        "description": null, "scheduled_start_time": "2024-05-01T18:00:00+00:00",
        "scheduled_end_time": "2024-05-01T19:00:00+00:00", "privacy_level": 2, "status": 1,
        "entity_type": 3, "entity_id": null, "entity_metadata": {"location": "the park"},
        "creator": {"id": "53908232506183680", "username": "mason", "discriminator": "0"},
        "user_count": 3, "image": null});
    let Event::GuildScheduledEventCreate(created) =
        decode("GUILD_SCHEDULED_EVENT_CREATE", &scheduled)
    else {
        panic!("not GUILD_SCHEDULED_EVENT_CREATE")
    };
    let created: GuildScheduledEventCreate = *created;
    assert_eq!(created.name, "Office hours");
    assert_eq!(
        created
            .entity_metadata
            .as_ref()
            .and_then(|m| m.location.as_deref()),
        Some("the park")
    );
    decode("GUILD_SCHEDULED_EVENT_UPDATE", &scheduled);
    decode("GUILD_SCHEDULED_EVENT_DELETE", &scheduled);
    let subscriber = serde_json::json!({"guild_scheduled_event_id": "947656305244532806",
        "user_id": "53908232506183680", "guild_id": "197038439483310086"});
    let Event::GuildScheduledEventUserAdd(add) =
        decode("GUILD_SCHEDULED_EVENT_USER_ADD", &subscriber)
    else {
        panic!("not GUILD_SCHEDULED_EVENT_USER_ADD")
    };
    let add: GuildScheduledEventUserAdd = *add;
    assert_eq!(add.user_id.get(), 53_908_232_506_183_680);
    decode("GUILD_SCHEDULED_EVENT_USER_REMOVE", &subscriber);

    let rule = serde_json::json!({"id": "969707018069872670", "guild_id": "613425648685547541",
        "name": "Keyword Filter 1", "creator_id": "423457898095789043", "trigger_type": 1,
        "event_type": 1, "actions": [
            {"type": 1, "metadata": {"custom_message": "Please keep financial discussions limited to the #finance channel"}},
            {"type": 2, "metadata": {"channel_id": "123456789123456789"}},
            {"type": 3, "metadata": {"duration_seconds": 60}}],
        "trigger_metadata": {"keyword_filter": ["cat*", "*dog", "*ana*", "i like c++"],
            "regex_patterns": ["(b|c)at", "^(?:[0-9]{1,3}\\.){3}[0-9]{1,3}$"]},
        "enabled": true, "exempt_roles": ["323456789123456789", "423456789123456789"],
        "exempt_channels": ["523456789123456789"]});
    let Event::AutoModerationRuleCreate(created) = decode("AUTO_MODERATION_RULE_CREATE", &rule)
    else {
        panic!("not AUTO_MODERATION_RULE_CREATE")
    };
    let created: AutoModerationRuleCreate = *created;
    assert_eq!(created.actions.len(), 3);
    assert_eq!(created.exempt_roles.len(), 2);
    assert_eq!(created.trigger_metadata["keyword_filter"][0], "cat*");
    decode("AUTO_MODERATION_RULE_UPDATE", &rule);
    decode("AUTO_MODERATION_RULE_DELETE", &rule);

    let execution = serde_json::json!({"guild_id": "613425648685547541",
        "action": {"type": 1, "metadata": {"custom_message": "no"}},
        "rule_id": "969707018069872670", "rule_trigger_type": 1,
        "user_id": "423457898095789043", "channel_id": "523456789123456789",
        "message_id": "1", "alert_system_message_id": null, "content": "i like c++",
        "matched_keyword": "i like c++", "matched_content": "i like c++"});
    let Event::AutoModerationActionExecution(run) =
        decode("AUTO_MODERATION_ACTION_EXECUTION", &execution)
    else {
        panic!("not AUTO_MODERATION_ACTION_EXECUTION")
    };
    let run: AutoModerationActionExecution = *run;
    assert_eq!(run.action.kind, 1);
    assert_eq!(run.matched_keyword.as_deref(), Some("i like c++"));
}
