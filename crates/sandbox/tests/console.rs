//! The web console as plain HTTP sees it (the browser test is `console_browser.rs`): the
//! page and its files from the control port, the world summary its forms suggest from, and
//! control calls from other web pages refused.

mod common;

use common::{Sandbox, get, http, post_json};
use http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_page_and_its_files_are_served_from_the_control_port() {
    let sandbox = Sandbox::start(&[]);
    let control = sandbox.at("/control");
    assert_eq!(
        sandbox.at("/console"),
        format!("{control}/_sandbox/console")
    );
    for (path, content_type) in [
        ("/", "text/html; charset=utf-8"),
        ("/_sandbox/console", "text/html; charset=utf-8"),
        (
            "/_sandbox/console/console.js",
            "text/javascript; charset=utf-8",
        ),
        ("/_sandbox/console/console.css", "text/css; charset=utf-8"),
    ] {
        let (status, headers, _) = http(Method::GET, &format!("{control}{path}"), &[], None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers["content-type"], content_type, "{path}");
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("default-src 'none'"), "{policy}");
    }
    let (status, _) = get(&format!("{control}/_sandbox/console/nothing.js"), &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_world_summary_names_what_calls_take_and_no_secret() {
    let sandbox = Sandbox::start(&[]);
    let (status, world) = get(&format!("{}/_sandbox/world", sandbox.at("/control")), &[]).await;
    assert_eq!(status, StatusCode::OK, "{world}");
    assert_eq!(world["ok"], true);
    let types = world["eventsub"]["types"].as_array().unwrap();
    let follow = types
        .iter()
        .find(|t| t["type"] == "channel.follow")
        .expect("channel.follow");
    assert!(
        follow["versions"].as_array().unwrap().contains(&json!("2")),
        "{follow}"
    );
    let logins: Vec<&str> = world["twitch"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["login"].as_str())
        .collect();
    assert!(logins.contains(&"sandbox_viewer"), "{logins:?}");
    assert!(
        !world["discord"]["guilds"][0]["channels"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        !world["clash"]["clans"][0]["members"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let text = world.to_string();
    for secret in [
        sandbox.at("/discord/token"),
        sandbox.at("/twitch/client_secret"),
        sandbox.at("/clash/password"),
        sandbox.at("/twitch/users/1/token"),
    ] {
        assert!(
            !text.contains(&secret),
            "the world summary leaks a credential"
        );
    }
}

#[tokio::test]
async fn calls_from_other_web_pages_are_refused() {
    let sandbox = Sandbox::start(&[]);
    let control = sandbox.at("/control");
    let url = format!("{control}/_sandbox/clash/maintenance/start");
    let (status, _, answer) =
        post_json(&url, &[("origin", "http://evil.example")], &json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    assert_eq!(answer["ok"], false);
    let (_, clash) = get(&format!("{control}/_sandbox/state"), &[]).await;
    assert_eq!(clash["clash"]["maintenance"], false, "nothing happened");
    // The console's own origin, and no origin at all (the CLI, curl), pass.
    let own = control.clone();
    let (status, _, answer) = post_json(&url, &[("origin", &own)], &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, _, answer) = post_json(
        &format!("{control}/_sandbox/clash/maintenance/end"),
        &[],
        &json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}
