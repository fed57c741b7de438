//! Routines on a client connected to the sandbox's Twitch chat, on a paused clock: intervals,
//! iterations, times of day, stop and restart, the error hook, and the end with the client.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

mod common;

use common::eventually;
use sandbox::Server;
use sandbox::twitch::{ChatControl, Twitch};
use svc_ircchat::{ChatClient, ChatConfig, Schedule};

const TOKEN: &str = "token-of-bot";

async fn connected() -> (Server, ChatControl, ChatClient) {
    let twitch = Twitch::new();
    let control = twitch.chat();
    control.add_user(TOKEN, "bot", "4242");
    let server = Server::builder().serve(twitch.clone()).await.unwrap();
    let client = ChatClient::connect(
        ChatConfig::builder()
            .websocket(server.ws_url("/"))
            .oauth("bot", TOKEN)
            .channels(["dallas"])
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    (server, control, client)
}

#[tokio::test(start_paused = true)]
async fn an_interval_routine_says_its_lines_and_stops_after_its_iterations() {
    let (_server, control, client) = connected().await;
    eventually(Duration::from_secs(30), || {
        control.channels_of("bot").contains("dallas")
    })
    .await;
    let speaker = client.clone();
    let counter = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&counter);
    let routine = client
        .routine(Schedule::every(Duration::from_mins(1)), move || {
            let n = count.fetch_add(1, Ordering::SeqCst);
            let speaker = speaker.clone();
            async move { speaker.say("dallas", &format!("reminder {n}")) }
        })
        .iterations(3)
        .start();
    eventually(Duration::from_mins(10), || !routine.is_running()).await;
    assert_eq!(routine.runs(), 3);
    eventually(Duration::from_mins(1), || control.sent().len() == 3).await;
    let texts: Vec<String> = control.sent().into_iter().map(|m| m.text).collect();
    assert_eq!(texts, ["reminder 0", "reminder 1", "reminder 2"]);
    // No fourth run, however long we wait.
    tokio::time::sleep(Duration::from_mins(10)).await;
    assert_eq!(routine.runs(), 3);
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn stop_restart_and_the_error_hook() {
    let (_server, _control, client) = connected().await;
    let errors = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&errors);
    let routine = client
        .routine(Schedule::every(Duration::from_secs(10)), || async {
            Err::<(), _>("always fails")
        })
        .wait_first(true)
        .on_error(move |error| {
            assert_eq!(error.to_string(), "always fails");
            seen.fetch_add(1, Ordering::SeqCst);
        })
        .start();
    eventually(Duration::from_mins(1), || routine.runs() >= 2).await;
    // A failed run does not stop it.
    assert!(routine.is_running());
    routine.stop();
    assert!(!routine.is_running());
    let runs = routine.runs();
    tokio::time::sleep(Duration::from_mins(5)).await;
    assert_eq!(routine.runs(), runs, "a stopped routine does not run");
    routine.restart();
    assert!(routine.is_running());
    eventually(Duration::from_mins(1), || routine.runs() > runs).await;
    assert_eq!(errors.load(Ordering::SeqCst) as u64, routine.runs());
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_daily_routine_runs_once_a_day() {
    let (_server, _control, client) = connected().await;
    let routine = client
        .routine(Schedule::daily_at([(9, 30)]), || async {
            Ok::<(), std::io::Error>(())
        })
        .start();
    // Whatever time it is now, three days hold exactly three 09:30s (UTC).
    tokio::time::sleep(Duration::from_hours(72)).await;
    assert_eq!(routine.runs(), 3);
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn routines_end_when_the_client_closes() {
    let (_server, _control, client) = connected().await;
    let routine = client
        .routine(Schedule::every(Duration::from_secs(1)), || async {
            Ok::<(), std::io::Error>(())
        })
        .start();
    eventually(Duration::from_secs(30), || routine.runs() >= 2).await;
    client.close().await;
    eventually(Duration::from_secs(5), || !routine.is_running()).await;
    let runs = routine.runs();
    tokio::time::sleep(Duration::from_mins(1)).await;
    assert_eq!(routine.runs(), runs);
}
