//! `--state FILE`: what clients set up (a registered Discord command, a Clash key, a
//! refreshed Twitch token, an EventSub conduit) is still there after a restart.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::{Sandbox, get, http, post_json};
use http::{Method, StatusCode};
use serde_json::{Value, json};

/// A fresh file name in the system's temporary directory.
fn temporary_file() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    std::env::temp_dir().join(format!("sandbox-state-{}-{nanos}.json", std::process::id()))
}

/// Waits until the state file holds `needle` (the sandbox writes within a second of a
/// change; a real process, so this polls the file rather than a clock).
async fn saved(path: &PathBuf, needle: &str) -> Value {
    for _ in 0..100 {
        if let Ok(text) = std::fs::read_to_string(path)
            && text.contains(needle)
        {
            return serde_json::from_str(&text).expect("the state file is JSON");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{} never held {needle}", path.display());
}

#[tokio::test]
async fn what_clients_set_up_survives_a_restart() {
    let path = temporary_file();
    let state = path.to_str().unwrap().to_owned();
    let sandbox = Sandbox::start(&["--state", &state]);
    // Discord: a command.
    let rest = sandbox.at("/discord/rest");
    let auth = format!("Bot {}", sandbox.at("/discord/token"));
    let commands = format!(
        "{rest}/applications/{}/commands",
        sandbox.at("/discord/application_id")
    );
    let (status, _, _) = post_json(
        &commands,
        &[("authorization", &auth)],
        &json!({ "name": "persisted", "description": "kept" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // Clash: a key.
    let key = common::clash_key(&sandbox)
        .await
        .trim_start_matches("Bearer ")
        .to_owned();
    // Twitch: a refreshed token.
    let client_id = sandbox.at("/twitch/client_id");
    let form = format!(
        "client_id={client_id}&client_secret={}&grant_type=refresh_token&refresh_token={}",
        sandbox.at("/twitch/client_secret"),
        sandbox.credentials["twitch"]["users"][0]["refresh_token"]
            .as_str()
            .unwrap()
    );
    let (_, _, refreshed) = http(
        Method::POST,
        &format!("{}/token", sandbox.at("/twitch/oauth")),
        &[],
        Some(("application/x-www-form-urlencoded", form)),
    )
    .await;
    let access = refreshed["access_token"].as_str().unwrap().to_owned();
    // EventSub: a conduit.
    let bearer = format!("Bearer {access}");
    let (_, _, conduit) = post_json(
        &format!("{}/eventsub/conduits", sandbox.at("/twitch/helix")),
        &[("client-id", &client_id), ("authorization", &bearer)],
        &json!({ "shard_count": 2 }),
    )
    .await;
    let conduit_id = conduit["data"][0]["id"].as_str().unwrap().to_owned();
    let file = saved(&path, &conduit_id).await;
    assert_eq!(file["version"], 1);
    for needle in ["persisted", key.as_str(), access.as_str()] {
        saved(&path, needle).await;
    }
    sandbox.terminate();

    let sandbox = Sandbox::start(&["--state", &state]);
    let rest = sandbox.at("/discord/rest");
    let commands = format!(
        "{rest}/applications/{}/commands",
        sandbox.at("/discord/application_id")
    );
    let (status, listed) = get(&commands, &[("authorization", &auth)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed[0]["name"], "persisted", "{listed}");
    let clan = sandbox.at("/clash/clan").replace('#', "%23");
    let (status, _) = get(
        &format!("{}/clans/{clan}", sandbox.at("/clash/api")),
        &[("authorization", &format!("Bearer {key}"))],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the saved key still works");
    let (status, validated) = get(
        &format!("{}/validate", sandbox.at("/twitch/oauth")),
        &[("authorization", &format!("OAuth {access}"))],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the refreshed token still works");
    assert_eq!(validated["login"], "sandbox_bot");
    let bearer = format!("Bearer {access}");
    let (_, conduits) = get(
        &format!("{}/eventsub/conduits", sandbox.at("/twitch/helix")),
        &[("client-id", &client_id), ("authorization", &bearer)],
    )
    .await;
    assert_eq!(conduits["data"][0]["id"], conduit_id.as_str());
    sandbox.terminate();
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn a_broken_state_file_is_an_error_that_names_it() {
    let path = temporary_file();
    std::fs::write(&path, "{ not json").unwrap();
    let (code, _, stderr) = common::cli(vec![
        "--port".into(),
        "0".into(),
        "--state".into(),
        path.display().to_string(),
    ])
    .await;
    assert_eq!(code, 1);
    assert!(stderr.contains("sandbox: "), "{stderr}");
    let _ = std::fs::remove_file(&path);
}
