//! The `sandbox` binary as a user meets it: `--json` prints the credentials object first,
//! and a client logs in with them on every platform, only its base URLs changed.

mod common;

use common::{Irc, Sandbox, connect, discord_session, get, http, next_json, post_json};
use http::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn the_first_line_has_every_key_of_the_interface() {
    let sandbox = Sandbox::start(&[]);
    let c = &sandbox.credentials;
    for pointer in [
        "/control",
        "/discord/rest",
        "/discord/gateway",
        "/discord/token",
        "/discord/application_id",
        "/twitch/irc_ws",
        "/twitch/irc_tcp",
        "/twitch/helix",
        "/twitch/oauth",
        "/twitch/eventsub_ws",
        "/twitch/eventsub_mock",
        "/twitch/client_id",
        "/twitch/client_secret",
        "/clash/api",
        "/clash/developer_site",
        "/clash/email",
        "/clash/password",
        "/clash/clan",
        "/singyeong/url",
        "/singyeong/password",
    ] {
        assert!(
            c.pointer(pointer).is_some_and(Value::is_string),
            "{pointer} in {c}"
        );
    }
    assert!(sandbox.at("/discord/rest").ends_with("/api/v10"));
    assert!(sandbox.at("/discord/gateway").starts_with("ws://"));
    assert!(sandbox.at("/twitch/helix").ends_with("/helix"));
    assert!(sandbox.at("/twitch/oauth").ends_with("/oauth2"));
    assert!(sandbox.at("/twitch/eventsub_mock").ends_with("/ws"));
    assert!(sandbox.at("/clash/api").ends_with("/v1"));
    let users = c["twitch"]["users"].as_array().expect("users");
    assert!(users.len() >= 2, "a bot and a viewer");
    for user in users {
        for key in ["login", "id", "token"] {
            assert!(user[key].is_string(), "{key} of {user}");
        }
        assert!(user["scopes"].is_array());
    }
    // The control API hands out the same object.
    let (status, again) = get(
        &format!("{}/_sandbox/credentials", sandbox.at("/control")),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["discord"], c["discord"]);
}

#[tokio::test]
async fn discord_accepts_the_printed_bot_token() {
    let sandbox = Sandbox::start(&[]);
    let rest = sandbox.at("/discord/rest");
    let token = sandbox.at("/discord/token");
    let auth = format!("Bot {token}");
    let (status, headers, me) = http(
        Method::GET,
        &format!("{rest}/users/@me"),
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(me["id"], sandbox.credentials["discord"]["bot_id"]);
    let (status, application) = get(
        &format!("{rest}/oauth2/applications/@me"),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        application["id"],
        sandbox.credentials["discord"]["application_id"]
    );
    for field in ["icon", "bot_require_code_grant", "verify_key"] {
        assert!(application.get(field).is_some(), "application.{field}");
    }
    let (status, _) = get(
        &format!("{rest}/users/@me"),
        &[("authorization", "Bot wrong")],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (mut socket, ready) = discord_session(&sandbox.at("/discord/gateway"), &token).await;
    assert_eq!(ready["d"]["user"]["id"], me["id"]);
    let guild = common::until(&mut socket, |p| p["t"] == "GUILD_CREATE").await;
    let voice = guild["d"]["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == 2)
        .expect("a voice channel")
        .clone();
    assert!(
        voice["bitrate"].is_u64() && voice["user_limit"].is_u64(),
        "{voice}"
    );
}

#[tokio::test]
async fn twitch_accepts_the_printed_users_and_app() {
    let sandbox = Sandbox::start(&[]);
    let oauth = sandbox.at("/twitch/oauth");
    let helix = sandbox.at("/twitch/helix");
    let client_id = sandbox.at("/twitch/client_id");
    let bot = sandbox.credentials["twitch"]["users"][0].clone();
    let token = bot["token"].as_str().unwrap();
    let (status, validated) = get(
        &format!("{oauth}/validate"),
        &[("authorization", &format!("OAuth {token}"))],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(validated["login"], bot["login"]);
    assert_eq!(validated["user_id"], bot["id"]);
    assert_eq!(validated["client_id"], client_id.as_str());
    assert_eq!(validated["scopes"], bot["scopes"]);
    assert!(validated["expires_in"].as_u64().is_some_and(|s| s > 3600));
    let bearer = format!("Bearer {token}");
    let (status, users) = get(
        &format!("{helix}/users"),
        &[("client-id", &client_id), ("authorization", &bearer)],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(users["data"][0]["login"], bot["login"]);
    // The app's client credentials grant issues a token Helix and validate accept.
    let form = format!(
        "client_id={client_id}&client_secret={}&grant_type=client_credentials",
        sandbox.at("/twitch/client_secret")
    );
    let (status, _, granted) = http(
        Method::POST,
        &format!("{oauth}/token"),
        &[],
        Some(("application/x-www-form-urlencoded", form)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{granted}");
    let app_token = granted["access_token"].as_str().unwrap();
    let (status, _) = get(
        &format!("{helix}/users?login=sandbox_viewer"),
        &[
            ("client-id", &client_id),
            ("authorization", &format!("Bearer {app_token}")),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // The bot's refresh token works too.
    let form = format!(
        "client_id={client_id}&client_secret={}&grant_type=refresh_token&refresh_token={}",
        sandbox.at("/twitch/client_secret"),
        bot["refresh_token"].as_str().unwrap()
    );
    let (status, _, refreshed) = http(
        Method::POST,
        &format!("{oauth}/token"),
        &[],
        Some(("application/x-www-form-urlencoded", form)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{refreshed}");
    // IRC over TCP: PASS oauth:<token>.
    let mut irc = Irc::login(
        &sandbox.at("/twitch/irc_tcp"),
        bot["login"].as_str().unwrap(),
        token,
    )
    .await;
    irc.send("JOIN #sandbox_streamer").await;
    let roomstate = irc.until(|line| line.contains("ROOMSTATE")).await;
    assert!(roomstate.contains("room-id=100000003"), "{roomstate}");
}

#[tokio::test]
async fn eventsub_welcomes_and_takes_subscriptions_with_the_printed_tokens() {
    let sandbox = Sandbox::start(&[]);
    let mut socket = connect(&sandbox.at("/twitch/eventsub_ws")).await;
    let welcome = next_json(&mut socket).await;
    assert_eq!(welcome["metadata"]["message_type"], "session_welcome");
    let session = welcome["payload"]["session"]["id"].as_str().unwrap();
    let streamer = sandbox.credentials["twitch"]["users"][2].clone();
    let subscription = json!({
        "type": "channel.follow", "version": "2",
        "condition": { "broadcaster_user_id": streamer["id"], "moderator_user_id": streamer["id"] },
        "transport": { "method": "websocket", "session_id": session },
    });
    let client_id = sandbox.at("/twitch/client_id");
    let url = format!("{}/eventsub/subscriptions", sandbox.at("/twitch/helix"));
    let bearer = format!("Bearer {}", streamer["token"].as_str().unwrap());
    let (status, _, created) = post_json(
        &url,
        &[("client-id", &client_id), ("authorization", &bearer)],
        &subscription,
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{created}");
    assert_eq!(created["data"][0]["status"], "enabled");
    let (status, _, refused) = post_json(
        &url,
        &[
            ("client-id", &client_id),
            ("authorization", "Bearer nobody"),
        ],
        &subscription,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{refused}");
}

#[tokio::test]
async fn clash_and_singyeong_accept_the_printed_accounts() {
    let sandbox = Sandbox::start(&[]);
    let site = sandbox.at("/clash/developer_site");
    let key = common::clash_key(&sandbox).await;
    let clan = sandbox.at("/clash/clan").replace('#', "%23");
    let api = sandbox.at("/clash/api");
    let (status, body) = get(&format!("{api}/clans/{clan}"), &[("authorization", &key)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["tag"], sandbox.at("/clash/clan").as_str());
    let (_, war) = get(
        &format!("{api}/clans/{clan}/currentwar"),
        &[("authorization", &key)],
    )
    .await;
    assert_eq!(war["state"], "inWar");
    // Clash timestamps sort as text: the war ends after now and began before it.
    let now = time::OffsetDateTime::now_utc();
    let now = format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}.000Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    assert!(
        war["endTime"].as_str().unwrap() > now.as_str(),
        "{} ends after {now}",
        war["endTime"]
    );
    assert!(
        war["startTime"].as_str().unwrap() < now.as_str(),
        "{}",
        war["startTime"]
    );
    let (status, _, refused) = post_json(
        &format!("{site}/api/login"),
        &[],
        &json!({ "email": "dev@sandbox.invalid", "password": "wrong" }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");

    common::mesh_client(&sandbox, "c1").await;
}

#[tokio::test]
async fn config_defines_the_world_and_a_broken_one_says_why() {
    let dir = std::env::temp_dir();
    let stamp = format!("{}-{:?}", std::process::id(), std::time::SystemTime::now());
    let good = dir.join(format!(
        "sandbox-world-{}.toml",
        stamp.replace([' ', ':', '{', '}', ','], "")
    ));
    let world = sandbox::world::DEFAULT_TOML
        .replace("name = \"Sandbox\"", "name = \"My Guild\"")
        .replace("sandbox_viewer", "my_viewer");
    std::fs::write(&good, world).unwrap();
    let sandbox = Sandbox::start(&["--config", good.to_str().unwrap()]);
    assert_eq!(
        sandbox.credentials["discord"]["guilds"][0]["name"],
        "My Guild"
    );
    assert_eq!(
        sandbox.credentials["twitch"]["users"][1]["login"],
        "my_viewer"
    );
    drop(sandbox);
    std::fs::write(&good, "[discord]\ntoken = 5\n").unwrap();
    let (code, _, stderr) = common::cli(vec![
        "--port".into(),
        "0".into(),
        "--config".into(),
        good.display().to_string(),
    ])
    .await;
    assert_eq!(code, 1);
    assert!(
        stderr.contains("does not describe a sandbox world"),
        "{stderr}"
    );
    let _ = std::fs::remove_file(&good);
}

#[tokio::test]
async fn the_feed_streams_requests_and_frames_with_credentials_redacted() {
    let sandbox = Sandbox::start(&[]);
    let feed_url = format!("{}/_sandbox/feed", sandbox.at("/control")).replace("http://", "ws://");
    let mut feed = connect(&feed_url).await;
    let token = sandbox.at("/discord/token");
    let (status, _) = get(
        &format!("{}/users/@me", sandbox.at("/discord/rest")),
        &[("authorization", &format!("Bot {token}"))],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let request = common::until(&mut feed, |r| {
        r["kind"] == "http" && r["path"] == "/api/v10/users/@me"
    })
    .await;
    assert_eq!(request["platform"], "discord");
    assert_eq!(request["status"], 200);
    assert!(
        request["headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h[0] == "x-ratelimit-remaining"),
        "{request}"
    );
    let (_socket, _) = discord_session(&sandbox.at("/discord/gateway"), &token).await;
    let identify = common::until(&mut feed, |r| {
        r["kind"] == "frame"
            && r["direction"] == "in"
            && r["frame"].as_str().is_some_and(|f| f.contains("\"op\":2"))
    })
    .await;
    let text = identify["frame"].as_str().unwrap();
    assert!(
        !text.contains(&token) && text.contains("[redacted]"),
        "{text}"
    );
    common::until(&mut feed, |r| {
        r["direction"] == "out" && r["frame"].as_str().is_some_and(|f| f.contains("READY"))
    })
    .await;
    // Without an upgrade, the recent records.
    let (status, recent) = get(&format!("{}/_sandbox/feed", sandbox.at("/control")), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(recent["records"].as_array().unwrap().len() >= 3);
}
