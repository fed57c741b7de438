//! The `sandbox` CLI against a running sandbox, one test per command family: each call
//! reaches a real client over its real socket, exits 0 once delivered, and exits non-zero
//! with a message when nothing matched.

mod common;

use common::{Irc, Sandbox, connect, discord_session, get, http, next_json, post_json, until};
use http::{Method, StatusCode};
use serde_json::{Value, json};

/// An EventSub session with a `channel.follow` subscription for the streamer.
async fn follow_subscriber(sandbox: &Sandbox) -> common::Socket {
    let mut socket = connect(&sandbox.at("/twitch/eventsub_ws")).await;
    let welcome = next_json(&mut socket).await;
    let session = welcome["payload"]["session"]["id"].clone();
    let streamer = sandbox.credentials["twitch"]["users"][2].clone();
    let (status, _, body) = post_json(
        &format!("{}/eventsub/subscriptions", sandbox.at("/twitch/helix")),
        &[
            ("client-id", &sandbox.at("/twitch/client_id")),
            ("authorization", &format!("Bearer {}", streamer["token"].as_str().unwrap())),
        ],
        &json!({
            "type": "channel.follow", "version": "2",
            "condition": { "broadcaster_user_id": streamer["id"], "moderator_user_id": streamer["id"] },
            "transport": { "method": "websocket", "session_id": session },
        }),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    socket
}

#[tokio::test]
async fn trigger_eventsub_delivers_a_fitted_notification_or_fails_loudly() {
    let sandbox = Sandbox::start(&[]);
    let mut socket = follow_subscriber(&sandbox).await;
    let (code, answer, stderr) = sandbox
        .cli(&[
            "trigger",
            "eventsub",
            "channel.follow",
            "--broadcaster",
            "100000003",
        ])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(answer["delivered"], 1);
    let notification = next_json(&mut socket).await;
    assert_eq!(notification["metadata"]["message_type"], "notification");
    assert_eq!(
        notification["metadata"]["subscription_type"],
        "channel.follow"
    );
    let event = &notification["payload"]["event"];
    assert_eq!(event["broadcaster_user_id"], "100000003");
    assert_eq!(event["broadcaster_user_login"], "sandbox_streamer");
    assert_eq!(
        event["user_login"], "sandbox_viewer",
        "the viewer follows by default"
    );
    // The alias, by login.
    let (code, _, stderr) = sandbox
        .cli(&[
            "trigger",
            "twitch",
            "channel.follow",
            "--broadcaster",
            "sandbox_streamer",
            "--user",
            "sandbox_bot",
        ])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        next_json(&mut socket).await["payload"]["event"]["user_login"],
        "sandbox_bot"
    );
    // Nobody subscribed to this one, this broadcaster, or this version.
    for args in [
        &["trigger", "eventsub", "stream.online"][..],
        &[
            "trigger",
            "eventsub",
            "channel.follow",
            "--broadcaster",
            "100000001",
        ],
        &["trigger", "eventsub", "channel.follow", "--version", "9"],
        &["trigger", "eventsub", "no.such.type"],
    ] {
        let (code, _, stderr) = sandbox.cli(args).await;
        assert_ne!(code, 0, "{args:?}");
        assert!(stderr.starts_with("sandbox: "), "{args:?}: {stderr}");
    }
    let (_, _, stderr) = sandbox.cli(&["trigger", "eventsub", "stream.online"]).await;
    assert!(
        stderr.contains("no subscription of type stream.online"),
        "{stderr}"
    );
}

#[tokio::test]
async fn every_current_eventsub_type_can_be_triggered() {
    let sandbox = Sandbox::start(&[]);
    let samples: Value = serde_json::from_str(include_str!(
        "../../../fixtures/twitch/eventsub-events.json"
    ))
    .unwrap();
    let mut socket = connect(&sandbox.at("/twitch/eventsub_ws")).await;
    let session = next_json(&mut socket).await["payload"]["session"]["id"].clone();
    let client_id = sandbox.at("/twitch/client_id");
    let bearer = format!(
        "Bearer {}",
        sandbox.credentials["twitch"]["users"][2]["token"]
            .as_str()
            .unwrap()
    );
    let url = format!("{}/eventsub/subscriptions", sandbox.at("/twitch/helix"));
    let mut kinds = Vec::new();
    for (kind, entry) in samples.as_object().unwrap() {
        let versions = std::iter::once(entry["version"].as_str().unwrap().to_owned()).chain(
            entry["other_versions"]
                .as_object()
                .into_iter()
                .flat_map(|v| v.keys().cloned()),
        );
        for version in versions {
            let (status, _, body) = post_json(
                &url,
                &[("client-id", &client_id), ("authorization", &bearer)],
                &json!({ "type": kind, "version": version, "condition": { "broadcaster_user_id": "100000003" },
                    "transport": { "method": "websocket", "session_id": session } }),
            )
            .await;
            assert_eq!(status, StatusCode::ACCEPTED, "{kind} v{version}: {body}");
            kinds.push((kind.clone(), version));
        }
    }
    assert!(kinds.len() >= 80, "{} types and versions", kinds.len());
    let control = format!(
        "{}/_sandbox/twitch/eventsub/trigger",
        sandbox.at("/control")
    );
    for (kind, version) in &kinds {
        let (status, _, answer) =
            post_json(&control, &[], &json!({ "type": kind, "version": version })).await;
        assert_eq!(status, StatusCode::OK, "{kind} v{version}: {answer}");
        let notification = next_json(&mut socket).await;
        assert_eq!(notification["metadata"]["subscription_type"], kind.as_str());
        assert_eq!(
            notification["metadata"]["subscription_version"],
            version.as_str()
        );
        assert!(
            notification["payload"]["event"].is_object(),
            "{kind} v{version}"
        );
    }
}

#[tokio::test]
async fn say_and_viewer_actions_reach_chat_and_eventsub() {
    let sandbox = Sandbox::start(&[]);
    let bot = sandbox.credentials["twitch"]["users"][0].clone();
    let mut irc = Irc::login(
        &sandbox.at("/twitch/irc_tcp"),
        bot["login"].as_str().unwrap(),
        bot["token"].as_str().unwrap(),
    )
    .await;
    // Nobody in the channel yet: nothing matched.
    let (code, _, stderr) = sandbox
        .cli(&["say", "twitch", "#sandbox_streamer", "sandbox_viewer", "hi"])
        .await;
    assert_ne!(code, 0);
    assert!(stderr.contains("#sandbox_streamer"), "{stderr}");
    irc.send("JOIN #sandbox_streamer").await;
    irc.until(|line| line.contains(" 366 ")).await;
    let (code, answer, stderr) = sandbox
        .cli(&[
            "say",
            "twitch",
            "#sandbox_streamer",
            "sandbox_viewer",
            "hello there",
        ])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(answer["delivered"], 1);
    let line = irc.until(|line| line.contains("PRIVMSG")).await;
    assert!(
        line.ends_with("PRIVMSG #sandbox_streamer :hello there"),
        "{line}"
    );
    assert!(
        line.contains("user-id=100000002") && line.contains("room-id=100000003"),
        "{line}"
    );
    assert!(
        line.contains("vip/1"),
        "the viewer is a VIP in the world: {line}"
    );
    // A raid: a USERNOTICE in chat (and EventSub, where subscribed).
    let (code, answer, stderr) = sandbox.cli(&["twitch", "raid", "--viewers", "42"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(answer["chat"], 1);
    let raid = irc.until(|line| line.contains("USERNOTICE")).await;
    assert!(
        raid.contains("msg-id=raid") && raid.contains("msg-param-viewerCount=42"),
        "{raid}"
    );
    // A follow shows in EventSub and in Helix.
    let mut socket = follow_subscriber(&sandbox).await;
    let (code, _, stderr) = sandbox
        .cli(&["twitch", "follow", "--user", "sandbox_bot"])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        next_json(&mut socket).await["payload"]["event"]["user_id"],
        "100000001"
    );
    let streamer_token = format!(
        "Bearer {}",
        sandbox.credentials["twitch"]["users"][2]["token"]
            .as_str()
            .unwrap()
    );
    let (_, followers) = get(
        &format!(
            "{}/channels/followers?broadcaster_id=100000003",
            sandbox.at("/twitch/helix")
        ),
        &[
            ("client-id", &sandbox.at("/twitch/client_id")),
            ("authorization", &streamer_token),
        ],
    )
    .await;
    assert_eq!(followers["data"][0]["user_id"], "100000001", "{followers}");
}

#[tokio::test]
async fn discord_messages_and_commands() {
    let sandbox = Sandbox::start(&[]);
    let token = sandbox.at("/discord/token");
    let (mut socket, _) = discord_session(&sandbox.at("/discord/gateway"), &token).await;
    let (code, answer, stderr) = sandbox
        .cli(&[
            "discord",
            "message",
            "general",
            "hello bot",
            "--as",
            "alice",
        ])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(answer["delivered"], 1);
    let created = until(&mut socket, |p| p["t"] == "MESSAGE_CREATE").await;
    assert_eq!(created["d"]["author"]["username"], "alice");
    assert_eq!(created["d"]["content"], "hello bot");
    assert_eq!(created["d"]["channel_id"], "1300000000000000010");
    // A command must be registered first.
    let (code, _, stderr) = sandbox
        .cli(&["discord", "command", "roll", "--option", "sides=6"])
        .await;
    assert_ne!(code, 0);
    assert!(stderr.contains("no command \"roll\""), "{stderr}");
    let rest = sandbox.at("/discord/rest");
    let auth = format!("Bot {token}");
    let (status, _, _) = http(
        Method::PUT,
        &format!(
            "{rest}/applications/{}/commands",
            sandbox.at("/discord/application_id")
        ),
        &[("authorization", &auth)],
        Some((
            "application/json",
            json!([{ "name": "roll", "description": "Roll a die",
            "options": [{ "name": "sides", "description": "Sides", "type": 4, "required": true },
                        { "name": "who", "description": "For whom", "type": 6 }] }])
            .to_string(),
        )),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (code, _, stderr) = sandbox
        .cli(&[
            "discord",
            "command",
            "roll",
            "--option",
            "sides=6",
            "--option",
            "who=bob",
            "--channel",
            "bot-commands",
            "--as",
            "carol",
        ])
        .await;
    assert_eq!(code, 0, "{stderr}");
    let interaction = until(&mut socket, |p| p["t"] == "INTERACTION_CREATE").await["d"].clone();
    assert_eq!(interaction["type"], 2);
    assert_eq!(interaction["data"]["name"], "roll");
    assert_eq!(
        interaction["data"]["options"][0]["value"], 6,
        "an integer option is a number"
    );
    assert_eq!(
        interaction["data"]["resolved"]["users"]["1200000000000000002"]["username"],
        "bob"
    );
    assert_eq!(interaction["member"]["user"]["username"], "carol");
    // The interaction's token answers it, in the channel it came from.
    let (status, _, _) = post_json(
        &format!(
            "{rest}/interactions/{}/{}/callback",
            interaction["id"].as_str().unwrap(),
            interaction["token"].as_str().unwrap()
        ),
        &[],
        &json!({ "type": 4, "data": { "content": "You rolled a 4" } }),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let reply = until(&mut socket, |p| p["t"] == "MESSAGE_CREATE").await;
    assert_eq!(reply["d"]["channel_id"], "1300000000000000011");
    let (code, _, _) = sandbox
        .cli(&["discord", "command", "roll", "--option", "sides=many"])
        .await;
    assert_ne!(code, 0, "a bad integer is refused");
}

#[tokio::test]
async fn discord_disconnects_resumable_or_not() {
    let sandbox = Sandbox::start(&[]);
    let token = sandbox.at("/discord/token");
    let (mut socket, ready) = discord_session(&sandbox.at("/discord/gateway"), &token).await;
    let session_id = ready["d"]["session_id"].clone();
    // A resumable disconnect: the connection closes with 4000 and the session can resume.
    let (code, answer, stderr) = sandbox
        .cli(&["disconnect", "discord", "--shard", "0", "--resumable"])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(answer["delivered"], 1);
    let close = loop {
        match tokio::time::timeout(
            std::time::Duration::from_secs(10),
            futures_util::StreamExt::next(&mut socket),
        )
        .await
        {
            Ok(Some(Ok(tokio_tungstenite::tungstenite::Message::Close(frame)))) => break frame,
            Ok(Some(Ok(_))) => {}
            other => panic!("expected a close frame, got {other:?}"),
        }
    };
    assert_eq!(close.map(|f| u16::from(f.code)), Some(4000));
    let mut resumed = connect(&format!(
        "{}/?v=10&encoding=json",
        sandbox.at("/discord/gateway")
    ))
    .await;
    next_json(&mut resumed).await;
    common::send_json(
        &mut resumed,
        &json!({ "op": 6, "d": { "token": token, "session_id": session_id, "seq": 1 } }),
    )
    .await;
    until(&mut resumed, |p| p["t"] == "RESUMED").await;
    // Nobody left on shard 1 (there is none): nothing matched.
    let (code, _, _) = sandbox
        .cli(&["disconnect", "discord", "--shard", "1"])
        .await;
    assert_ne!(code, 0);
}

#[tokio::test]
async fn clash_maintenance_and_war_attacks_show_in_the_api() {
    let sandbox = Sandbox::start(&[]);
    let key = common::clash_key(&sandbox).await;
    let war_url = format!(
        "{}/clans/{}/currentwar",
        sandbox.at("/clash/api"),
        sandbox.at("/clash/clan").replace('#', "%23")
    );
    let (code, _, stderr) = sandbox.cli(&["clash", "maintenance", "start"]).await;
    assert_eq!(code, 0, "{stderr}");
    let (status, body) = get(&war_url, &[("authorization", &key)]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["reason"], "inMaintenance");
    let (code, _, _) = sandbox.cli(&["clash", "maintenance", "end"]).await;
    assert_eq!(code, 0);
    let (code, answer, stderr) = sandbox
        .cli(&["clash", "war", "attack", "--stars", "2"])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(answer["attack"]["stars"], 2);
    let (status, war) = get(&war_url, &[("authorization", &key)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(war["clan"]["attacks"], 1);
    assert_eq!(war["clan"]["stars"], 2);
    let (code, answer, _) = sandbox.cli(&["clash", "member", "join", "Newbie"]).await;
    assert_eq!(code, 0);
    assert!(answer["member"].as_str().unwrap().starts_with('#'));
    let (code, _, stderr) = sandbox
        .cli(&["clash", "war", "attack", "--clan", "#QQQQQQ"])
        .await;
    assert_ne!(code, 0);
    assert!(stderr.contains("#QQQQQQ"), "{stderr}");
}

#[tokio::test]
async fn state_singyeong_and_usage_errors() {
    let sandbox = Sandbox::start(&[]);
    let (_socket, _) = discord_session(
        &sandbox.at("/discord/gateway"),
        &sandbox.at("/discord/token"),
    )
    .await;
    let mut mesh = common::mesh_client(&sandbox, "c1").await;
    let (code, state, stderr) = sandbox.cli(&["state"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(state["discord"]["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(state["discord"]["sessions"][0]["connected"], true);
    assert_eq!(state["singyeong"]["clients"][0]["client_id"], "c1");
    assert!(state["discord"]["rate_limit_buckets"].is_array());
    assert!(state["twitch"]["helix"]["rate_limit_budgets"].is_array());
    let (code, _, stderr) = sandbox
        .cli(&[
            "singyeong",
            "send",
            "bot",
            r#"{"hello":"mesh"}"#,
            "--client",
            "c1",
        ])
        .await;
    assert_eq!(code, 0, "{stderr}");
    let dispatch = next_json(&mut mesh).await;
    assert_eq!(dispatch["t"], "SEND");
    assert_eq!(dispatch["d"]["payload"]["hello"], "mesh");
    let (code, _, _) = sandbox.cli(&["singyeong", "send", "nobody", "{}"]).await;
    assert_ne!(code, 0);
    // A command line that does not parse exits 2 with the usage.
    let (code, _, stderr) = sandbox
        .cli(&["clash", "war", "attack", "--stars", "lots"])
        .await;
    assert_eq!(code, 2);
    assert!(stderr.contains("usage: sandbox clash"), "{stderr}");
    // No sandbox at the control URL: a message that says what to do.
    let (code, _, stderr) = common::cli(vec![
        "--control".into(),
        "http://127.0.0.1:9".into(),
        "state".into(),
    ])
    .await;
    assert_eq!(code, 1);
    assert!(stderr.contains("SANDBOX_CONTROL"), "{stderr}");
}

#[tokio::test]
async fn streams_go_off_and_on_the_air_in_helix() {
    let sandbox = Sandbox::start(&[]);
    let streams = format!(
        "{}/streams?user_login=sandbox_streamer",
        sandbox.at("/twitch/helix")
    );
    let auth = [
        ("client-id", sandbox.at("/twitch/client_id")),
        (
            "authorization",
            format!(
                "Bearer {}",
                sandbox.credentials["twitch"]["users"][0]["token"]
                    .as_str()
                    .unwrap()
            ),
        ),
    ];
    let headers: Vec<(&str, &str)> = auth.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, live) = get(&streams, &headers).await;
    assert_eq!(
        live["data"].as_array().unwrap().len(),
        1,
        "the world's streamer is live"
    );
    let (code, answer, stderr) = sandbox.cli(&["twitch", "offline"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(answer["live"], false);
    let (_, off) = get(&streams, &headers).await;
    assert_eq!(off["data"], json!([]));
    let (code, _, stderr) = sandbox.cli(&["twitch", "online"]).await;
    assert_eq!(code, 0, "{stderr}");
    let (_, on) = get(&streams, &headers).await;
    let started = on["data"][0]["started_at"].as_str().unwrap();
    let year = time::OffsetDateTime::now_utc().year().to_string();
    assert!(
        started.starts_with(&year),
        "a stream started now, not in 2024: {started}"
    );
}

#[tokio::test]
async fn discord_button_clicks_and_modal_submits() {
    let sandbox = Sandbox::start(&[]);
    let token = sandbox.at("/discord/token");
    let (mut socket, _) = discord_session(&sandbox.at("/discord/gateway"), &token).await;
    // No message has the button yet.
    let (code, _, stderr) = sandbox.cli(&["discord", "button", "vote:yes"]).await;
    assert_ne!(code, 0);
    assert!(stderr.contains("vote:yes"), "{stderr}");
    let (status, _, posted) = post_json(
        &format!(
            "{}/channels/1300000000000000011/messages",
            sandbox.at("/discord/rest")
        ),
        &[("authorization", &format!("Bot {token}"))],
        &json!({ "content": "Vote!", "components": [{ "type": 1, "components": [
            { "type": 2, "style": 1, "label": "Yes", "custom_id": "vote:yes" }] }] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{posted}");
    let (code, _, stderr) = sandbox
        .cli(&["discord", "button", "vote:yes", "--as", "bob"])
        .await;
    assert_eq!(code, 0, "{stderr}");
    let click = until(&mut socket, |p| p["t"] == "INTERACTION_CREATE").await["d"].clone();
    assert_eq!(click["type"], 3);
    assert_eq!(click["data"]["custom_id"], "vote:yes");
    assert_eq!(click["data"]["component_type"], 2);
    assert_eq!(click["message"]["id"], posted["id"]);
    assert_eq!(click["channel_id"], "1300000000000000011");
    assert_eq!(click["member"]["user"]["username"], "bob");
    let (code, _, stderr) = sandbox
        .cli(&[
            "discord",
            "modal",
            "feedback",
            "--field",
            "text=great bot",
            "--as",
            "alice",
        ])
        .await;
    assert_eq!(code, 0, "{stderr}");
    let submit = until(&mut socket, |p| p["t"] == "INTERACTION_CREATE").await["d"].clone();
    assert_eq!(submit["type"], 5);
    assert_eq!(submit["data"]["custom_id"], "feedback");
    let input = &submit["data"]["components"][0]["components"][0];
    assert_eq!(input["custom_id"], "text");
    assert_eq!(input["value"], "great bot");
}

#[tokio::test]
async fn subscriptions_and_cheers_reach_chat_and_helix() {
    let sandbox = Sandbox::start(&[]);
    let bot = sandbox.credentials["twitch"]["users"][0].clone();
    let mut irc = Irc::login(
        &sandbox.at("/twitch/irc_tcp"),
        bot["login"].as_str().unwrap(),
        bot["token"].as_str().unwrap(),
    )
    .await;
    irc.send("JOIN #sandbox_streamer").await;
    irc.until(|line| line.contains(" 366 ")).await;
    let (code, answer, stderr) = sandbox
        .cli(&[
            "twitch",
            "subscribe",
            "--user",
            "sandbox_bot",
            "--tier",
            "2000",
        ])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(answer["chat"], 1);
    let sub = irc.until(|line| line.contains("USERNOTICE")).await;
    assert!(
        sub.contains("msg-id=sub") && sub.contains("msg-param-sub-plan=2000"),
        "{sub}"
    );
    assert!(
        sub.contains("system-msg=Sandbox_Bot\\ssubscribed\\sat\\sTier\\s2."),
        "{sub}"
    );
    let streamer = format!(
        "Bearer {}",
        sandbox.credentials["twitch"]["users"][2]["token"]
            .as_str()
            .unwrap()
    );
    let (status, subscribers) = get(
        &format!(
            "{}/subscriptions?broadcaster_id=100000003",
            sandbox.at("/twitch/helix")
        ),
        &[
            ("client-id", &sandbox.at("/twitch/client_id")),
            ("authorization", &streamer),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        subscribers["data"][0]["user_id"], "100000001",
        "{subscribers}"
    );
    assert_eq!(
        subscribers["points"], 3,
        "the world's tier 1 viewer and a tier 2 bot"
    );
    let (code, _, stderr) = sandbox.cli(&["twitch", "cheer", "--bits", "250"]).await;
    assert_eq!(code, 0, "{stderr}");
    let cheer = irc.until(|line| line.contains("PRIVMSG")).await;
    assert!(
        cheer.contains(";bits=250;") && cheer.contains("user-id=100000002"),
        "{cheer}"
    );
}

#[tokio::test]
async fn chaos_switches_the_http_servers_hostile_and_back() {
    let sandbox = Sandbox::start(&[]);
    let key = common::clash_key(&sandbox).await;
    let clan_url = format!(
        "{}/clans/{}",
        sandbox.at("/clash/api"),
        sandbox.at("/clash/clan").replace('#', "%23")
    );
    let (code, answer, stderr) = sandbox.cli(&["chaos", "clash", "wrong-type-fields"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(answer["active"], json!(["wrong-type-fields"]));
    let (status, clan) = get(&clan_url, &[("authorization", &key)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(clan["clanLevel"].is_string(), "{clan}");
    assert!(clan["tag"].is_number(), "{clan}");
    let (code, _, stderr) = sandbox.cli(&["chaos", "clash", "clear"]).await;
    assert_eq!(code, 0, "{stderr}");
    let (_, clan) = get(&clan_url, &[("authorization", &key)]).await;
    assert!(clan["clanLevel"].is_number(), "{clan}");
    for platform in ["helix", "singyeong"] {
        let (code, answer, stderr) = sandbox.cli(&["chaos", platform, "slow-body"]).await;
        assert_eq!(code, 0, "{platform}: {stderr}");
        assert_eq!(answer["active"], json!(["slow-body"]), "{platform}");
        let (code, _, _) = sandbox.cli(&["chaos", platform, "clear"]).await;
        assert_eq!(code, 0, "{platform}");
    }
}

#[tokio::test]
async fn chaos_switches_the_discord_gateway_hostile_and_back() {
    let sandbox = Sandbox::start(&[]);
    let (code, answer, stderr) = sandbox.cli(&["chaos", "discord", "tiny-heartbeat"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(answer["active"], json!(["tiny-heartbeat"]));
    let gateway = sandbox.at("/discord/gateway");
    let mut socket = connect(&format!("{gateway}/?v=10&encoding=json")).await;
    let hello = next_json(&mut socket).await;
    assert_eq!(hello["d"]["heartbeat_interval"], 1, "{hello}");

    let (code, answer, stderr) = sandbox.cli(&["chaos", "discord", "clear"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(answer["active"], json!([]));
    let mut socket = connect(&format!("{gateway}/?v=10&encoding=json")).await;
    let hello = next_json(&mut socket).await;
    assert!(
        hello["d"]["heartbeat_interval"].as_u64() > Some(1),
        "{hello}"
    );

    for args in [
        &["chaos", "discord", "no-such-behaviour"][..],
        &["chaos", "nowhere", "never-ack"][..],
    ] {
        let (code, _, _) = sandbox.cli(args).await;
        assert_ne!(code, 0, "{args:?}");
    }
}
