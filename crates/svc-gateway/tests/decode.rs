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
