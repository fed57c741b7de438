//! The chat client against servers that misbehave on purpose: raw TCP servers in this file
//! (127.0.0.1, paused clock) that stall handshakes, never answer a login, or never confirm a
//! message; and the checks that keep a caller's text from injecting IRC commands.

use std::sync::{Arc, Mutex};
use std::time::Duration;

mod common;

use common::eventually;
use core_events::Listener;
use svc_ircchat::{ChatClient, ChatConfig, ChatConfigBuilder, ChatEvent, ErrorKind, IrcMessage};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader, Lines};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};

/// Upper bound for anything the server side waits for (virtual time).
const PATIENCE: Duration = Duration::from_mins(10);

/// A listener whose connections the test drives by hand.
struct RawServer {
    listener: TcpListener,
    port: u16,
}

impl RawServer {
    async fn bind() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        Self { listener, port }
    }

    /// A client logging in as `bot` over plain TCP, pinging only after a long silence.
    fn config(&self) -> ChatConfigBuilder {
        ChatConfig::builder()
            .tcp("127.0.0.1", self.port, false)
            .oauth("bot", "oauth:token-of-bot")
            .ping_interval(Duration::from_hours(1))
    }

    async fn accept(&self) -> TcpStream {
        let (tcp, _) = tokio::time::timeout(PATIENCE, self.listener.accept())
            .await
            .expect("no connection arrived")
            .unwrap();
        tcp
    }

    async fn accept_irc(&self) -> Irc {
        let (read, write) = self.accept().await.into_split();
        Irc {
            lines: BufReader::new(read).lines(),
            write,
        }
    }
}

/// One IRC connection, server side.
struct Irc {
    lines: Lines<BufReader<OwnedReadHalf>>,
    write: OwnedWriteHalf,
}

impl Irc {
    async fn line(&mut self) -> Option<String> {
        tokio::time::timeout(PATIENCE, self.lines.next_line())
            .await
            .expect("the client went quiet")
            .ok()
            .flatten()
    }

    async fn send(&mut self, line: &str) {
        self.write
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .unwrap();
    }

    /// Reads the login (CAP, PASS, NICK) and welcomes the client.
    async fn log_in(&mut self) {
        while let Some(line) = self.line().await {
            if line.starts_with("NICK ") {
                self.send(":tmi.twitch.tv 001 bot :Welcome, GLHF!").await;
                return;
            }
        }
        panic!("the client left before logging in");
    }

    /// The text of the next `n` PRIVMSGs, confirming the first `confirm` of them the way
    /// Twitch does (a USERSTATE carrying the message id).
    async fn privmsgs(&mut self, n: usize, confirm: usize) -> Vec<String> {
        let mut texts = Vec::new();
        while texts.len() < n {
            let line = self.line().await.expect("connection ended early");
            let message = IrcMessage::parse(&line).unwrap();
            if message.command() != "PRIVMSG" {
                continue;
            }
            let text = message.trailing().unwrap_or_default().to_owned();
            texts.push(text);
            if texts.len() <= confirm {
                let id = format!("00000000-0000-0000-0000-{:012}", texts.len());
                self.send(&format!("@id={id};mod=0 :tmi.twitch.tv USERSTATE #c"))
                    .await;
            }
        }
        texts
    }
}

/// Every event the client publishes (while the returned listener lives).
fn record(client: &ChatClient) -> (Listener, Arc<Mutex<Vec<ChatEvent>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let listener = client.events().on(move |event: ChatEvent| {
        sink.lock().unwrap().push(event);
    });
    (listener, seen)
}

fn unconfirmed(seen: &Mutex<Vec<ChatEvent>>) -> Vec<String> {
    seen.lock()
        .unwrap()
        .iter()
        .filter_map(|event| match event {
            ChatEvent::Unconfirmed { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// A server that accepts TCP and then never completes the WebSocket handshake: the attempt
/// ends at the connect timeout and is retried, instead of hanging the client for good.
#[tokio::test(start_paused = true)]
async fn a_stalled_websocket_handshake_times_out_and_is_retried() {
    let server = RawServer::bind().await;
    let config = ChatConfig::builder()
        .websocket(format!("ws://127.0.0.1:{}/", server.port))
        .connect_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let client = ChatClient::start(config);
    let (_listener, seen) = record(&client);
    let _silent = server.accept().await;
    // The second attempt arrives: the first one was given up.
    let _again = server.accept().await;
    let reasons: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .filter_map(|event| match event {
            ChatEvent::Disconnected { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(reasons, ["connection failed"], "{reasons:?}");
    client.close().await;
}

/// A plain TCP server that accepts and never answers the login: the login times out, the
/// client reconnects (with backoff) and logs in again.
#[tokio::test(start_paused = true)]
async fn an_unanswered_login_times_out_and_reconnects() {
    let server = RawServer::bind().await;
    let client = ChatClient::start(server.config().build().unwrap());
    let (_listener, seen) = record(&client);
    let mut mute = server.accept_irc().await;
    assert_eq!(mute.line().await.as_deref().map(|l| &l[..3]), Some("CAP"));
    let mut second = server.accept_irc().await;
    assert!(seen.lock().unwrap().iter().any(
        |event| matches!(event, ChatEvent::Disconnected { reason, .. } if reason == "login timed out")
    ));
    second.log_in().await;
    eventually(Duration::from_secs(10), || {
        seen.lock()
            .unwrap()
            .iter()
            .any(|event| matches!(event, ChatEvent::Ready { .. }))
    })
    .await;
    client.close().await;
}

/// A server that never confirms: what is older than the ack timeout is given up (reported,
/// not resent) instead of piling up and coming back after every reconnect.
#[tokio::test(start_paused = true)]
async fn a_server_that_never_confirms_gets_no_history_after_a_reconnect() {
    let server = RawServer::bind().await;
    let client = ChatClient::start(server.config().build().unwrap());
    let (_listener, seen) = record(&client);
    let mut first = server.accept_irc().await;
    first.log_in().await;
    for n in 0..30 {
        client.say("c", &format!("old {n}")).unwrap();
    }
    // 20 per 30 s: all 30 are written within about a minute, none confirmed.
    let old = first.privmsgs(30, 0).await;
    assert_eq!(old.len(), 30);
    // Long past the ack timeout they are all given up, and reported.
    tokio::time::sleep(Duration::from_secs(20)).await;
    assert_eq!(unconfirmed(&seen).len(), 30);
    // Two recent ones, then the connection drops before any confirmation.
    client.say("c", "recent 1").unwrap();
    client.say("c", "recent 2").unwrap();
    assert_eq!(first.privmsgs(2, 0).await, ["recent 1", "recent 2"]);
    drop(first);

    // The next connection gets the two recent messages again, once, and nothing older.
    let mut second = server.accept_irc().await;
    second.log_in().await;
    assert_eq!(second.privmsgs(2, 0).await, ["recent 1", "recent 2"]);
    drop(second);
    // Unconfirmed again: they are not sent a third time.
    let mut third = server.accept_irc().await;
    third.log_in().await;
    client.say("c", "newest").unwrap();
    assert_eq!(third.privmsgs(1, 1).await, ["newest"]);
    let given_up = unconfirmed(&seen);
    assert!(
        given_up.ends_with(&["recent 1".into(), "recent 2".into()]),
        "{given_up:?}"
    );
    client.close().await;
}

/// Confirmed messages are never sent again after a reconnect; unconfirmed recent ones are.
#[tokio::test(start_paused = true)]
async fn a_reconnect_does_not_duplicate_confirmed_messages() {
    let server = RawServer::bind().await;
    let client = ChatClient::start(server.config().build().unwrap());
    let mut first = server.accept_irc().await;
    first.log_in().await;
    for n in 0..4 {
        client.say("c", &format!("message {n}")).unwrap();
    }
    assert_eq!(first.privmsgs(4, 2).await.len(), 4);
    // Let the confirmations arrive before the connection drops.
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(first);
    let mut second = server.accept_irc().await;
    second.log_in().await;
    client.say("c", "after").unwrap();
    assert_eq!(
        second.privmsgs(3, 3).await,
        ["message 2", "message 3", "after"]
    );
    client.close().await;
}

/// Channel names, text, raw lines and reply ids that would break the IRC line are refused
/// with typed errors before anything is queued.
#[tokio::test(start_paused = true)]
async fn injection_is_refused() {
    let server = RawServer::bind().await;
    let error = server
        .config()
        .channels(["dallas", "evil\r\nPRIVMSG #other :spam"])
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::InvalidChannel);

    let client = ChatClient::start(server.config().build().unwrap());
    let mut irc = server.accept_irc().await;
    irc.log_in().await;
    for channel in [
        "dallas\r\nPRIVMSG #other :spam",
        "two words",
        "#",
        &"x".repeat(26),
    ] {
        assert_eq!(
            client.join(channel).unwrap_err().kind(),
            &ErrorKind::InvalidChannel,
            "{channel:?}"
        );
        assert_eq!(
            client.say(channel, "hi").unwrap_err().kind(),
            &ErrorKind::InvalidChannel
        );
    }
    for text in ["hi\r\nQUIT", "hi\nJOIN #x", "hi\rthere"] {
        assert_eq!(
            client.say("dallas", text).unwrap_err().kind(),
            &ErrorKind::InvalidMessage,
            "{text:?}"
        );
        assert_eq!(
            client.send_raw(text).unwrap_err().kind(),
            &ErrorKind::InvalidMessage
        );
    }
    // A hostile server's message id would be copied into our reply's tag.
    irc.send("@id=x\\sy\\r\\nQUIT :ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #dallas :hi")
        .await;
    let parent = client
        .events()
        .wait_for(
            |m: &svc_ircchat::Privmsg<'static>| m.text == "hi",
            Duration::from_secs(10),
        )
        .await
        .unwrap();
    assert_eq!(
        client.reply(&parent, "hello").unwrap_err().kind(),
        &ErrorKind::InvalidMessage
    );
    // Nothing of the above reached the server; what is valid still goes out.
    client.join("#Dallas").unwrap();
    client.say("dallas", "clean").unwrap();
    // (The JOIN waits for its rate-limit slot; the message may go first.)
    let mut seen = vec![irc.line().await.unwrap(), irc.line().await.unwrap()];
    seen.sort();
    assert_eq!(seen, ["JOIN #dallas", "PRIVMSG #dallas :clean"]);
    client.close().await;
}
