//! The chat client against the sandbox's Twitch chat, over real sockets on 127.0.0.1, on a
//! paused clock (limits and backoff run on virtual time).

use std::collections::BTreeSet;
use std::time::Duration;

mod common;

use common::eventually;
use sandbox::Server;
use sandbox::twitch::{ChatControl, Twitch};
use svc_ircchat::{ChatClient, ChatConfig, ChatEvent, ErrorKind, Privmsg, ServerMessage};

const TOKEN: &str = "token-of-bot";

async fn sandbox() -> (Server, ChatControl, Twitch) {
    let twitch = Twitch::new();
    let control = twitch.chat();
    control.add_user(TOKEN, "bot", "4242");
    let server = Server::builder().serve(twitch.clone()).await.unwrap();
    (server, control, twitch)
}

fn config(server: &Server) -> svc_ircchat::ChatConfigBuilder {
    ChatConfig::builder()
        .websocket(server.ws_url("/"))
        .oauth("bot", format!("oauth:{TOKEN}"))
}

#[tokio::test(start_paused = true)]
async fn joins_200_channels_without_tripping_the_join_limit() {
    let (server, control, _twitch) = sandbox().await;
    let client = ChatClient::connect(config(&server).build().unwrap())
        .await
        .unwrap();
    for n in 0..200 {
        client.join(&format!("#Channel{n}")).unwrap();
    }
    eventually(Duration::from_mins(5), || {
        control.channels_of("bot").len() == 200
    })
    .await;
    assert_eq!(control.joins_dropped(), 0);
    assert_eq!(client.channels().len(), 200);
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_burst_of_500_sends_lands_without_a_rate_limit_notice() {
    let (server, control, _twitch) = sandbox().await;
    control.set_badges("bot", "modded", "moderator/1");
    let client = ChatClient::connect(
        config(&server)
            .channels(["modded", "plain"])
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    eventually(Duration::from_secs(30), || {
        control.channels_of("bot").len() == 2
    })
    .await;
    // The USERSTATE on JOIN tells the client it moderates `modded`.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for n in 0..400 {
        client.say("modded", &format!("mod message {n}")).unwrap();
    }
    for n in 0..100 {
        // Repeats on purpose: the duplicate rule must be handled too.
        client
            .say("plain", &format!("plain message {}", n % 3))
            .unwrap();
    }
    eventually(Duration::from_hours(1), || control.sent().len() == 500).await;
    assert_eq!(
        (
            control.privmsgs_dropped(),
            control.duplicates_dropped(),
            control.rate_limit_notices()
        ),
        (0, 0, 0),
        "no NOTICE for rate limits or duplicates"
    );
    let sent = control.sent();
    assert_eq!(sent.iter().filter(|m| m.channel == "modded").count(), 400);
    assert!(
        sent.iter()
            .filter(|m| m.channel == "modded")
            .map(|m| &m.text)
            .eq((0..400)
                .map(|n| format!("mod message {n}"))
                .collect::<Vec<_>>()
                .iter())
    );
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn forced_disconnects_rejoin_every_channel_and_lose_nothing() {
    let (server, control, _twitch) = sandbox().await;
    control.set_badges("bot", "c0", "moderator/1");
    let channels: BTreeSet<String> = (0..10).map(|n| format!("c{n}")).collect();
    let client = ChatClient::connect(config(&server).channels(&channels).build().unwrap())
        .await
        .unwrap();
    eventually(Duration::from_mins(1), || {
        control.channels_of("bot") == channels
    })
    .await;
    let mut expected = BTreeSet::new();
    for round in 0..100 {
        for k in 0..3 {
            let text = format!("round {round} message {k}");
            client.say("c0", &text).unwrap();
            expected.insert(text);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        eventually(Duration::from_mins(2), || control.connected() == 1).await;
        control.disconnect_all();
        eventually(Duration::from_secs(10), || control.connected() == 0).await;
    }
    eventually(Duration::from_hours(1), || {
        let sent: BTreeSet<String> = control.sent().into_iter().map(|m| m.text).collect();
        expected.is_subset(&sent)
    })
    .await;
    eventually(Duration::from_mins(10), || {
        control.channels_of("bot") == channels
    })
    .await;
    assert!(
        control.accepted() >= 101,
        "every forced disconnect led to a reconnect"
    );
    assert_eq!(control.joins_dropped() + control.auths_dropped(), 0);
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn reconnect_request_and_server_ping_are_handled() {
    let (server, control, _twitch) = sandbox().await;
    let client = ChatClient::connect(config(&server).channels(["dallas"]).build().unwrap())
        .await
        .unwrap();
    eventually(Duration::from_secs(10), || control.members("dallas") == 1).await;
    let ready = client.events().wait_for(
        |e: &ChatEvent| matches!(e, ChatEvent::Ready { .. }),
        Duration::from_secs(30),
    );
    control.ping();
    control.request_reconnect();
    ready.await.unwrap();
    eventually(Duration::from_secs(30), || {
        control.members("dallas") == 1 && control.accepted() == 2
    })
    .await;
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn echo_over_plain_tcp_with_reply() {
    let (_server, control, twitch) = sandbox().await;
    let tcp = sandbox::twitch::serve_tcp(&twitch).await.unwrap();
    let config = ChatConfig::builder()
        .tcp("127.0.0.1", tcp.addr().port(), false)
        .oauth("bot", TOKEN)
        .channels(["dallas"])
        .build()
        .unwrap();
    let client = ChatClient::connect(config).await.unwrap();
    eventually(Duration::from_secs(10), || control.members("dallas") == 1).await;
    let incoming = client.events().wait_for(
        |m: &Privmsg<'static>| m.text == "!echo hi",
        Duration::from_secs(10),
    );
    control.say("dallas", "ronni", "!echo hi");
    let message = incoming.await.unwrap();
    assert_eq!(message.sender_login, "ronni");
    assert!(!message.message_id.is_empty());
    client.reply(&message, "hi").unwrap();
    eventually(Duration::from_secs(10), || {
        control
            .sent()
            .iter()
            .any(|m| m.text == "hi" && m.channel == "dallas")
    })
    .await;
    client.close().await;
}

#[tokio::test(start_paused = true)]
async fn anonymous_reads_and_bad_tokens_are_refused() {
    let (server, control, _twitch) = sandbox().await;
    let anonymous = ChatClient::connect(
        ChatConfig::builder()
            .websocket(server.ws_url("/"))
            .anonymous()
            .channels(["dallas"])
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    eventually(Duration::from_secs(10), || control.members("dallas") == 1).await;
    let seen = anonymous.events().wait_for(
        |m: &ServerMessage<'static>| matches!(m, ServerMessage::Privmsg(_)),
        Duration::from_secs(10),
    );
    control.say("dallas", "elle", "hello lurkers");
    assert!(matches!(seen.await.unwrap(), ServerMessage::Privmsg(p) if p.text == "hello lurkers"));
    assert_eq!(
        anonymous.say("dallas", "x").unwrap_err().kind(),
        &ErrorKind::BadMessage("anonymous logins cannot send".into())
    );
    anonymous.close().await;

    let refused = ChatClient::connect(
        ChatConfig::builder()
            .websocket(server.ws_url("/"))
            .oauth("bot", "wrong")
            .build()
            .unwrap(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(refused.kind(), ErrorKind::LoginRefused(_)),
        "{refused:?}"
    );
    assert!(!format!("{refused:?}").contains("wrong"));
}

#[tokio::test(start_paused = true)]
async fn a_pool_spreads_channels_and_shares_the_limits() {
    let (server, control, _twitch) = sandbox().await;
    let pool = svc_ircchat::ChatPool::new(config(&server).build().unwrap(), 50);
    for n in 0..120 {
        pool.join(&format!("pooled{n}")).unwrap();
    }
    assert_eq!(pool.connections(), 3);
    eventually(Duration::from_mins(5), || {
        control.channels_of("bot").len() == 120
    })
    .await;
    assert_eq!(control.connected(), 3);
    assert_eq!(
        control.joins_dropped(),
        0,
        "the JOIN limit is per user, shared by the pool"
    );
    for n in 0..30 {
        pool.say(&format!("pooled{}", n * 4), &format!("hello {n}"))
            .unwrap();
    }
    eventually(Duration::from_mins(5), || control.sent().len() == 30).await;
    assert_eq!(control.rate_limit_notices(), 0);
    pool.close().await;
}
