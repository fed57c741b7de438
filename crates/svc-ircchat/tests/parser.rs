//! The parser against every line of `fixtures/twitch/chat.txt`, hand-picked lines from
//! Twitch's docs, and arbitrary input.

use proptest::prelude::*;
use svc_ircchat::{IrcMessage, ParseErrorKind, ServerMessage, UserNoticeEvent, emote_text};

const FIXTURE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/twitch/chat.txt"
));

#[test]
fn every_fixture_line_round_trips_and_types() {
    let mut typed = std::collections::BTreeMap::<&str, usize>::new();
    for line in FIXTURE.lines() {
        let msg = IrcMessage::parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(msg.to_string(), line);
        let owned = IrcMessage::parse_owned(line.to_owned()).unwrap();
        assert_eq!(owned.to_string(), line);
        let kind = match ServerMessage::try_from(msg).unwrap_or_else(|e| panic!("{line}: {e}")) {
            ServerMessage::Privmsg(m) => {
                assert!(
                    !m.message_id.is_empty() && !m.sender_id.is_empty() && m.sent_at_ms > 0,
                    "{line}"
                );
                for emote in m.emotes.iter() {
                    for range in emote.ranges() {
                        let text = emote_text(&m.text, range).unwrap_or_else(|| panic!("{line}"));
                        assert!(!text.contains(' '), "{line}: {text}");
                    }
                }
                "PRIVMSG"
            }
            ServerMessage::UserNotice(m) => {
                assert!(!matches!(m.event, UserNoticeEvent::Other), "{line}");
                "USERNOTICE"
            }
            ServerMessage::ClearChat(_) => "CLEARCHAT",
            ServerMessage::ClearMsg(_) => "CLEARMSG",
            ServerMessage::RoomState(_) => "ROOMSTATE",
            ServerMessage::UserState(_) => "USERSTATE",
            ServerMessage::GlobalUserState(_) => "GLOBALUSERSTATE",
            ServerMessage::Notice(_) => "NOTICE",
            ServerMessage::Whisper(_) => "WHISPER",
            ServerMessage::Join(_) => "JOIN",
            ServerMessage::Part(_) => "PART",
            ServerMessage::Names(_) => "353",
            ServerMessage::EndOfNames(_) => "366",
            ServerMessage::Ping(_) => "PING",
            ServerMessage::Pong(_) => "PONG",
            ServerMessage::Reconnect => "RECONNECT",
            ServerMessage::Numeric(_) => "numeric",
            ServerMessage::Cap(_) => "CAP",
            ServerMessage::Other(_) => "other",
            _ => "new",
        };
        *typed.entry(kind).or_default() += 1;
        // The owned path gives the same typed message.
        let borrowed = ServerMessage::parse(line).unwrap();
        let owned =
            ServerMessage::try_from(IrcMessage::parse_owned(line.to_owned()).unwrap()).unwrap();
        assert_eq!(borrowed.into_owned(), owned);
    }
    for kind in [
        "PRIVMSG",
        "USERNOTICE",
        "CLEARCHAT",
        "CLEARMSG",
        "ROOMSTATE",
        "USERSTATE",
        "GLOBALUSERSTATE",
        "NOTICE",
        "WHISPER",
        "JOIN",
        "PART",
        "353",
        "366",
        "PING",
        "PONG",
        "RECONNECT",
        "numeric",
        "CAP",
        "other",
    ] {
        assert!(
            typed.get(kind).copied().unwrap_or(0) > 0,
            "fixture has no {kind}: {typed:?}"
        );
    }
}

#[test]
fn privmsg_from_the_docs() {
    let line = r"@badge-info=;badges=turbo/1;color=#0D4200;display-name=ronni;emotes=25:0-4,12-16/1902:6-10;id=b34ccfc7-4977-403a-8a94-33c6bac34fb8;mod=0;room-id=1337;subscriber=0;tmi-sent-ts=1507246572675;turbo=1;user-id=1337;user-type=global_mod :ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #ronni :Kappa Keepo Kappa";
    let ServerMessage::Privmsg(m) = ServerMessage::parse(line).unwrap() else {
        panic!()
    };
    assert_eq!(m.channel_login, "ronni");
    assert_eq!(m.channel_id, "1337");
    assert_eq!(m.sender_login, "ronni");
    assert_eq!(m.display_name, "ronni");
    assert_eq!(m.color.as_deref(), Some("#0D4200"));
    assert_eq!(m.badges.get("turbo"), Some("1"));
    assert!(m.is_turbo && !m.is_mod && !m.is_privileged());
    assert_eq!(m.user_type, "global_mod");
    assert_eq!(m.sent_at_ms, 1_507_246_572_675);
    let emotes: Vec<_> = m
        .emotes
        .iter()
        .map(|e| (e.id, e.ranges().collect::<Vec<_>>()))
        .collect();
    assert_eq!(
        emotes,
        [("25", vec![0..=4, 12..=16]), ("1902", vec![6..=10])]
    );
    assert_eq!(m.tags.get("turbo").unwrap(), "1");
}

#[test]
fn reply_bits_and_escapes() {
    let line = r"@badge-info=;badges=;bits=100;color=;display-name=A\sB;emotes=;first-msg=1;id=x;mod=0;reply-parent-display-name=Elle;reply-parent-msg-body=hi\sthere\:\\o/;reply-parent-msg-id=p1;reply-parent-user-id=5;reply-parent-user-login=elle;room-id=1;subscriber=0;tmi-sent-ts=2;turbo=0;user-id=3;user-type= :ab!ab@ab.tmi.twitch.tv PRIVMSG #c :@Elle Cheer100 nice";
    let ServerMessage::Privmsg(m) = ServerMessage::parse(line).unwrap() else {
        panic!()
    };
    assert_eq!(m.bits, Some(100));
    assert!(m.first_msg);
    assert_eq!(m.color, None);
    assert_eq!(m.display_name.unescape(), "A B");
    let parent = m.reply_parent.unwrap();
    assert_eq!(parent.body.unescape(), "hi there;\\o/");
    assert_eq!((&*parent.message_id, &*parent.user_login), ("p1", "elle"));
}

#[test]
fn usernotice_kinds() {
    let resub = r"@badge-info=subscriber/8;badges=subscriber/6;color=#1E90FF;display-name=Ronni;emotes=;flags=;id=1;login=ronni;mod=0;msg-id=resub;msg-param-cumulative-months=8;msg-param-should-share-streak=1;msg-param-streak-months=3;msg-param-sub-plan-name=Channel\sSub;msg-param-sub-plan=Prime;room-id=9;subscriber=1;system-msg=ronni\ssubscribed;tmi-sent-ts=1;user-id=2;user-type= :tmi.twitch.tv USERNOTICE #dallas :Great stream";
    let ServerMessage::UserNotice(n) = ServerMessage::parse(resub).unwrap() else {
        panic!()
    };
    assert_eq!(n.text.as_deref(), Some("Great stream"));
    assert_eq!(n.system_message.unescape(), "ronni subscribed");
    let UserNoticeEvent::Sub {
        is_resub,
        cumulative_months,
        streak_months,
        plan,
        plan_name,
    } = n.event.clone()
    else {
        panic!()
    };
    assert!(is_resub);
    assert_eq!(
        (cumulative_months, streak_months, &*plan),
        (8, Some(3), "Prime")
    );
    assert_eq!(plan_name.unescape(), "Channel Sub");
    assert_eq!(n.param("sub-plan").unwrap(), "Prime");

    let raid = r"@badge-info=;badges=;color=;display-name=Raider;emotes=;id=2;login=raider;mod=0;msg-id=raid;msg-param-displayName=Raider;msg-param-login=raider;msg-param-viewerCount=15;room-id=9;subscriber=0;system-msg=15\sraiders;tmi-sent-ts=1;user-id=3;user-type= :tmi.twitch.tv USERNOTICE #dallas";
    let ServerMessage::UserNotice(n) = ServerMessage::parse(raid).unwrap() else {
        panic!()
    };
    assert!(matches!(
        n.event,
        UserNoticeEvent::Raid {
            viewer_count: 15,
            ..
        }
    ));
    assert_eq!(n.text, None);
}

#[test]
fn moderation_and_state() {
    let ServerMessage::ClearChat(c) =
        ServerMessage::parse("@ban-duration=350;room-id=1;target-user-id=2;tmi-sent-ts=3 :tmi.twitch.tv CLEARCHAT #dallas :ronni")
            .unwrap()
    else {
        panic!()
    };
    assert!(c.is_timeout() && !c.is_ban());
    assert_eq!(
        (c.target_login.as_deref(), c.ban_duration_secs),
        (Some("ronni"), Some(350))
    );
    let ServerMessage::ClearChat(c) =
        ServerMessage::parse(":tmi.twitch.tv CLEARCHAT #dallas").unwrap()
    else {
        panic!()
    };
    assert!(c.target_login.is_none() && !c.is_ban());

    let ServerMessage::UserState(u) =
        ServerMessage::parse("@badges=vip/1;color=;display-name=me;emote-sets=0;mod=0;subscriber=0;user-type= :tmi.twitch.tv USERSTATE #c")
            .unwrap()
    else {
        panic!()
    };
    assert!(u.is_privileged());

    let ServerMessage::RoomState(r) =
        ServerMessage::parse("@room-id=1;slow=10 :tmi.twitch.tv ROOMSTATE #c").unwrap()
    else {
        panic!()
    };
    assert_eq!((r.slow_secs, r.emote_only), (Some(10), None));

    let ServerMessage::Notice(n) =
        ServerMessage::parse(":tmi.twitch.tv NOTICE * :Login authentication failed").unwrap()
    else {
        panic!()
    };
    assert!(n.is_login_failure() && n.channel_login.is_none() && n.msg_id.is_none());
}

#[test]
fn membership_and_connection() {
    let ServerMessage::Names(n) =
        ServerMessage::parse(":me.tmi.twitch.tv 353 me = #c :a b c").unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (&*n.channel_login, n.iter().collect::<Vec<_>>()),
        ("c", vec!["a", "b", "c"])
    );
    let ServerMessage::Ping(p) = ServerMessage::parse("PING :tmi.twitch.tv").unwrap() else {
        panic!()
    };
    assert_eq!(p.argument.as_deref(), Some("tmi.twitch.tv"));
    let ServerMessage::Numeric(w) =
        ServerMessage::parse(":tmi.twitch.tv 001 me :Welcome, GLHF!").unwrap()
    else {
        panic!()
    };
    assert!(w.is_welcome());
    assert!(matches!(
        ServerMessage::parse(":tmi.twitch.tv 421 me WHO :Unknown command").unwrap(),
        ServerMessage::Other(_)
    ));
    assert!(matches!(
        ServerMessage::parse(":tmi.twitch.tv RECONNECT").unwrap(),
        ServerMessage::Reconnect
    ));
}

#[test]
fn typed_conversion_reports_missing_parts() {
    let err = ServerMessage::parse("PRIVMSG").unwrap_err();
    assert_eq!(
        err.kind(),
        &ParseErrorKind::MissingParam {
            command: "PRIVMSG",
            index: 0
        }
    );
    let err = ServerMessage::parse("PRIVMSG #c :hi").unwrap_err();
    assert_eq!(
        err.kind(),
        &ParseErrorKind::MissingPrefix { command: "PRIVMSG" }
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let line = String::from_utf8_lossy(&bytes);
        if let Ok(msg) = IrcMessage::parse(&line) {
            let _ = msg.to_string();
            let _ = format!("{msg:?}");
            if let Ok(typed) = ServerMessage::try_from(msg) {
                let _ = format!("{:?}", typed.into_owned());
            }
        }
    }

    #[test]
    fn ircish_lines_never_panic(line in r"(@[a-z=;\\ -]{0,40} )?(:[a-z!@.]{0,20} )?[A-Z0-9]{1,10}( [#:a-z\\ \u{1}-]{0,40}){0,4}") {
        if let Ok(msg) = IrcMessage::parse(&line) {
            let shown = msg.to_string();
            prop_assert!(IrcMessage::parse(&shown).is_ok());
            if let Ok(typed) = ServerMessage::try_from(msg) {
                let _ = typed.channel_login();
                if let ServerMessage::Privmsg(m) = typed {
                    for e in m.emotes.iter() { for r in e.ranges() { let _ = emote_text(&m.text, r); } }
                    let _ = m.badges.iter().count();
                    let _ = m.display_name.unescape();
                }
            }
        }
    }

    #[test]
    fn fixture_lines_with_mutations_never_panic(index in 0usize..2000, cut in 0usize..400, insert in any::<char>()) {
        let line = FIXTURE.lines().nth(index % FIXTURE.lines().count()).unwrap();
        let mut mutated: String = line.chars().take(cut).collect();
        mutated.push(insert);
        mutated.extend(line.chars().skip(cut + 1));
        if let Ok(msg) = IrcMessage::parse(&mutated) {
            let _ = ServerMessage::try_from(msg);
        }
    }
}
