//! The chat client against the sandbox's Twitch chat chaos mode (`sandbox::chaos`): lines
//! that are not UTF-8, PRIVMSGs with garbage tag values, a server writing one byte at a
//! time, a line that never ends, logins dropped unanswered. Each test checks that the
//! client keeps running, that the line cap holds, that every PRIVMSG the server delivered
//! correctly arrives exactly once, and that reconnects stay bounded. Real sockets on
//! 127.0.0.1 (TCP and WebSocket), paused clock.

use std::sync::{Arc, Mutex};
use std::time::Duration;

mod common;

use common::eventually;
use core_events::Listener;
use sandbox::Server;
use sandbox::chaos::Chaos;
use sandbox::twitch::{ChatControl, TcpServer, Twitch};
use svc_ircchat::{ChatClient, ChatConfig, ChatEvent, ServerMessage};

const TOKEN: &str = "token-of-bot";

/// A Twitch sandbox serving chat over WebSocket and TCP.
struct Env {
    server: Server,
    tcp: TcpServer,
    control: ChatControl,
}

async fn sandbox() -> Env {
    let twitch = Twitch::new();
    let control = twitch.chat();
    control.add_user(TOKEN, "bot", "4242");
    let server = Server::builder().serve(twitch.clone()).await.unwrap();
    let tcp = sandbox::twitch::serve_tcp(&twitch).await.unwrap();
    Env {
        server,
        tcp,
        control,
    }
}

/// The two carriers a client can use.
#[derive(Debug, Clone, Copy)]
enum Carrier {
    Tcp,
    WebSocket,
}

/// A client of `env` over `carrier`, in `#dallas`, recording every event.
async fn joined(env: &Env, carrier: Carrier) -> (ChatClient, Listener, Arc<Mutex<Vec<ChatEvent>>>) {
    let builder = ChatConfig::builder()
        .oauth("bot", format!("oauth:{TOKEN}"))
        .channels(["dallas"]);
    let builder = match carrier {
        Carrier::Tcp => builder.tcp("127.0.0.1", env.tcp.addr().port(), false),
        Carrier::WebSocket => builder.websocket(env.server.ws_url("/")),
    };
    let client = ChatClient::connect(builder.build().unwrap()).await.unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let listener = client.events().on(move |event: ChatEvent| {
        sink.lock().unwrap().push(event);
    });
    eventually(Duration::from_secs(30), || {
        env.control.members("dallas") == 1
    })
    .await;
    (client, listener, seen)
}

/// The texts of the PRIVMSGs the client delivered starting with `prefix`.
fn texts(seen: &Mutex<Vec<ChatEvent>>, prefix: &str) -> Vec<String> {
    seen.lock()
        .unwrap()
        .iter()
        .filter_map(|event| match event {
            ChatEvent::Message(ServerMessage::Privmsg(m)) if m.text.starts_with(prefix) => {
                Some(m.text.to_string())
            }
            _ => None,
        })
        .collect()
}

fn disconnects(seen: &Mutex<Vec<ChatEvent>>) -> usize {
    seen.lock()
        .unwrap()
        .iter()
        .filter(|event| matches!(event, ChatEvent::Disconnected { .. }))
        .count()
}

/// Says `count` good lines in `#dallas` and checks the client delivered each exactly once
/// (waiting a further minute for strays).
async fn deliver_exactly(env: &Env, seen: &Mutex<Vec<ChatEvent>>, tag: &str, count: usize) {
    let expected: Vec<String> = (0..count).map(|n| format!("{tag} {n}")).collect();
    for text in &expected {
        env.control.say("dallas", "ronni", text);
    }
    eventually(Duration::from_mins(1), || texts(seen, tag).len() >= count).await;
    tokio::time::sleep(Duration::from_mins(1)).await;
    assert_eq!(texts(seen, tag), expected);
}

/// Before every line a line that is not UTF-8, and before every PRIVMSG one with garbage
/// tag values: both are skipped or read leniently, never cost the connection, and the good
/// PRIVMSGs all arrive once, over TCP and WebSocket.
#[tokio::test(start_paused = true)]
async fn lines_not_utf8_or_with_bad_tags_lose_nothing() {
    for carrier in [Carrier::Tcp, Carrier::WebSocket] {
        let env = sandbox().await;
        let (client, _listener, seen) = joined(&env, carrier).await;
        env.control.chaos().on(Chaos::InvalidUtf8);
        env.control.chaos().on(Chaos::WrongTypes);
        deliver_exactly(&env, &seen, "good", 5).await;
        assert_eq!(
            disconnects(&seen),
            0,
            "{carrier:?}: {:?}",
            seen.lock().unwrap()
        );
        assert_eq!(env.control.accepted(), 1, "{carrier:?}: no reconnect");
        client.close().await;
    }
}

/// A server writing one byte at a time: lines arrive whole, in order, once.
#[tokio::test(start_paused = true)]
async fn slow_loris_lines_arrive_whole() {
    let env = sandbox().await;
    let (client, _listener, seen) = joined(&env, Carrier::Tcp).await;
    env.control.chaos().on(Chaos::SlowLoris);
    deliver_exactly(&env, &seen, "slow", 5).await;
    assert_eq!(disconnects(&seen), 0);
    client.close().await;
}

/// A line that never ends (2 MiB, no line ending) hits the 64 KiB line cap: the connection
/// fails with a typed error rather than buffering, reconnects back off (few per minute while
/// every login meets the endless line), and once the server behaves nothing is lost.
#[tokio::test(start_paused = true)]
async fn an_endless_line_hits_the_cap_and_reconnects_are_bounded() {
    for carrier in [Carrier::Tcp, Carrier::WebSocket] {
        let env = sandbox().await;
        let (client, _listener, seen) = joined(&env, carrier).await;
        env.control.chaos().on(Chaos::EndlessLine);
        env.control
            .say("dallas", "ronni", "lost to the endless line");
        eventually(Duration::from_mins(1), || disconnects(&seen) >= 1).await;
        let error = seen.lock().unwrap().iter().find_map(|event| match event {
            ChatEvent::Disconnected { error, .. } => Some(error.clone()),
            _ => None,
        });
        assert!(
            matches!(error, Some(Some(_))),
            "{carrier:?}: a typed error: {error:?}"
        );
        assert_storm_bounded(&env, carrier).await;
        deliver_exactly(&env, &seen, "after", 3).await;
        client.close().await;
    }
}

/// Logins dropped unanswered (after PASS/NICK): reconnects back off, and once the server
/// behaves the client logs in, rejoins and loses nothing.
#[tokio::test(start_paused = true)]
async fn logins_dropped_mid_handshake_back_off() {
    for carrier in [Carrier::Tcp, Carrier::WebSocket] {
        let env = sandbox().await;
        let (client, _listener, seen) = joined(&env, carrier).await;
        env.control.chaos().on(Chaos::DropMidHandshake);
        env.control.disconnect_all();
        eventually(Duration::from_mins(1), || disconnects(&seen) >= 1).await;
        assert_storm_bounded(&env, carrier).await;
        deliver_exactly(&env, &seen, "after", 3).await;
        client.close().await;
    }
}

/// Over five minutes of a hostile server the client keeps trying but backs off; then the
/// chaos is cleared and the client is back in `#dallas`.
async fn assert_storm_bounded(env: &Env, carrier: Carrier) {
    let before = env.control.accepted();
    tokio::time::sleep(Duration::from_mins(5)).await;
    let opened = env.control.accepted() - before;
    assert!(
        opened >= 2,
        "{carrier:?}: the client stopped trying ({opened})"
    );
    assert!(
        opened <= 20,
        "{carrier:?}: {opened} connections in five minutes"
    );
    let minute = env.control.accepted();
    tokio::time::sleep(Duration::from_mins(1)).await;
    let last_minute = env.control.accepted() - minute;
    assert!(
        last_minute <= 3,
        "{carrier:?}: {last_minute} connections in a minute"
    );
    env.control.chaos().clear();
    eventually(Duration::from_mins(3), || {
        env.control.members("dallas") == 1
    })
    .await;
}
