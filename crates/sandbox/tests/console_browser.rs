//! The web console in a real headless Chromium (Debian's `chromium`, driven over the
//! DevTools protocol by `chromiumoxide`): the page loads from the control port, shows the
//! test's connected clients (an EventSub WebSocket session with a subscription, an IRC
//! connection in a channel), and its forms deliver an EventSub notification and a chat line
//! to those clients, which the live traffic log then shows.
//!
//! Run with `cargo test -p sandbox --features browser --test console_browser`. Without a
//! Chromium on PATH the test fails with a message saying how to install one: it never
//! passes by not running.
#![cfg(feature = "browser")]

mod common;

use std::path::PathBuf;
use std::time::Duration;

use chromiumoxide::Page;
use chromiumoxide::browser::{Browser, BrowserConfig};
use common::{Irc, Sandbox, Socket, connect, next_json, post_json};
use futures_util::StreamExt;
use http::StatusCode;
use serde_json::json;

/// How long the page may take to show something before the test fails.
const PAGE_WAIT: Duration = Duration::from_secs(20);

/// The Chromium binary: the first of the usual names on PATH.
fn chromium() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "no Chromium on PATH (looked for chromium, chromium-browser, google-chrome): \
         install Debian's `chromium` package (`apt-get install -y chromium`; .ci/run does)"
    );
}

/// Waits until `expression` (JavaScript) is true on the page; the last value on failure.
async fn wait_for(page: &Page, what: &str, expression: &str) {
    let deadline = tokio::time::Instant::now() + PAGE_WAIT;
    loop {
        let value = page
            .evaluate(expression)
            .await
            .ok()
            .and_then(|r| r.into_value::<bool>().ok());
        if value == Some(true) {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            let body = page
                .evaluate("document.body.innerText")
                .await
                .ok()
                .and_then(|r| r.into_value::<String>().ok())
                .unwrap_or_default();
            panic!("the console never showed {what}; the page says:\n{body}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `element.innerText` of the first match of `selector` contains `needle`, as JavaScript.
fn shows(selector: &str, needle: &str) -> String {
    format!(
        "(document.querySelector({}) || {{innerText: ''}}).innerText.includes({})",
        json!(selector),
        json!(needle)
    )
}

/// Types `text` into the named field of the form for `path`.
async fn fill(page: &Page, path: &str, field: &str, text: &str) {
    let selector = format!("form[data-path=\"{path}\"] [name=\"{field}\"]");
    page.find_element(selector.as_str())
        .await
        .unwrap_or_else(|e| panic!("the console has {selector}: {e}"))
        .click()
        .await
        .expect("the field takes a click")
        .type_str(text)
        .await
        .expect("the field takes typing");
}

/// Clicks the form's send button.
async fn send(page: &Page, path: &str) {
    let selector = format!("form[data-path=\"{path}\"] button[type=\"submit\"]");
    page.find_element(selector.as_str())
        .await
        .unwrap_or_else(|e| panic!("the console has {selector}: {e}"))
        .click()
        .await
        .expect("the button takes a click");
}

/// Starts headless Chromium with a fresh profile; its event loop runs on a task.
async fn launch(executable: PathBuf) -> (Browser, tokio::task::JoinHandle<()>, PathBuf) {
    let profile = std::env::temp_dir().join(format!("sandbox-console-{}", std::process::id()));
    let config = BrowserConfig::builder()
        .chrome_executable(executable)
        .no_sandbox()
        .user_data_dir(&profile)
        .arg("--disable-gpu")
        .arg("--disable-dev-shm-usage")
        .build()
        .expect("a browser configuration");
    let (browser, mut handler) = Browser::launch(config)
        .await
        .expect("Chromium starts (headless)");
    let events = tokio::spawn(async move { while handler.next().await.is_some() {} });
    (browser, events, profile)
}

/// An EventSub WebSocket session subscribed to `streamer`'s follows, and its id.
async fn follow_subscriber(sandbox: &Sandbox, streamer: &serde_json::Value) -> (Socket, String) {
    let mut eventsub = connect(&sandbox.at("/twitch/eventsub_ws")).await;
    let welcome = next_json(&mut eventsub).await;
    let session = welcome["payload"]["session"]["id"]
        .as_str()
        .expect("a session id")
        .to_owned();
    let (status, _, body) = post_json(
        &format!("{}/eventsub/subscriptions", sandbox.at("/twitch/helix")),
        &[
            ("client-id", &sandbox.at("/twitch/client_id")),
            (
                "authorization",
                &format!("Bearer {}", streamer["token"].as_str().unwrap()),
            ),
        ],
        &json!({
            "type": "channel.follow", "version": "2",
            "condition": { "broadcaster_user_id": streamer["id"], "moderator_user_id": streamer["id"] },
            "transport": { "method": "websocket", "session_id": session },
        }),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    (eventsub, session)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_shows_connected_clients_and_its_forms_reach_them() {
    let executable = chromium();
    let sandbox = Sandbox::start(&[]);
    let streamer = sandbox.credentials["twitch"]["users"][2].clone();
    let viewer = sandbox.credentials["twitch"]["users"][1].clone();
    let streamer_login = streamer["login"].as_str().unwrap().to_owned();

    // An EventSub WebSocket client subscribed to the streamer's follows.
    let (mut eventsub, session) = follow_subscriber(&sandbox, &streamer).await;

    // A chat client in the streamer's channel.
    let mut irc = Irc::login(
        &sandbox.at("/twitch/irc_tcp"),
        viewer["login"].as_str().unwrap(),
        viewer["token"].as_str().unwrap(),
    )
    .await;
    irc.send(&format!("JOIN #{streamer_login}")).await;
    irc.until(|line| line.contains(" 366 ")).await;

    let (mut browser, events, profile) = launch(executable).await;

    let page = browser
        .new_page(sandbox.at("/control") + "/")
        .await
        .expect("the console opens");
    let title = page.get_title().await.expect("a title");
    assert_eq!(title.as_deref(), Some("switchboard sandbox"));

    // The connected clients.
    wait_for(
        &page,
        "the EventSub session",
        &shows("#clients-eventsub", &session),
    )
    .await;
    wait_for(
        &page,
        "the subscription",
        &shows("#clients-eventsub", "channel.follow"),
    )
    .await;
    wait_for(
        &page,
        "the chat connection in its channel",
        &shows("#clients-twitch", &format!("#{streamer_login}")),
    )
    .await;
    wait_for(&page, "the live feed", &shows("#feed-status", "live")).await;

    // Trigger a follow from the page: the EventSub client gets it.
    let trigger = "/_sandbox/twitch/eventsub/trigger";
    fill(&page, trigger, "type", "channel.follow").await;
    fill(&page, trigger, "broadcaster", &streamer_login).await;
    send(&page, trigger).await;
    wait_for(
        &page,
        "the trigger's answer",
        &shows(
            &format!("form[data-path=\"{trigger}\"] output"),
            "delivered to 1",
        ),
    )
    .await;
    let notification = next_json(&mut eventsub).await;
    assert_eq!(notification["metadata"]["message_type"], "notification");
    assert_eq!(
        notification["metadata"]["subscription_type"],
        "channel.follow"
    );
    assert_eq!(
        notification["payload"]["event"]["broadcaster_user_login"],
        streamer_login.as_str()
    );

    // A chat line as a viewer: the chat client reads it.
    let say = "/_sandbox/twitch/chat/say";
    fill(&page, say, "channel", &format!("#{streamer_login}")).await;
    fill(&page, say, "user", viewer["login"].as_str().unwrap()).await;
    fill(&page, say, "text", "hello from the console").await;
    send(&page, say).await;
    let line = irc
        .until(|line| line.contains("PRIVMSG") && line.contains("hello from the console"))
        .await;
    assert!(line.contains(&format!("#{streamer_login}")), "{line}");

    // The traffic log shows the notification frame as it went out.
    wait_for(
        &page,
        "the notification in the traffic log",
        &shows(
            "#traffic-log tbody",
            "\"subscription_type\":\"channel.follow\"",
        ),
    )
    .await;

    browser.close().await.expect("Chromium closes");
    let _ = browser.wait().await;
    events.abort();
    let _ = std::fs::remove_dir_all(&profile);
}
