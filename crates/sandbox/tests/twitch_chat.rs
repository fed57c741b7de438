//! The Twitch chat sandbox spoken to line by line over plain TCP, the way Twitch documents
//! the protocol, plus the OAuth validate endpoint.

use std::time::Duration;

use sandbox::twitch::{Twitch, serve_tcp};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

struct Irc {
    lines: Lines<BufReader<OwnedReadHalf>>,
    write: OwnedWriteHalf,
}

impl Irc {
    async fn connect(addr: std::net::SocketAddr) -> Self {
        let (read, write) = TcpStream::connect(addr).await.unwrap().into_split();
        Self {
            lines: BufReader::new(read).lines(),
            write,
        }
    }

    async fn send(&mut self, line: &str) {
        self.write
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .unwrap();
    }

    async fn next(&mut self) -> String {
        tokio::time::timeout(Duration::from_secs(5), self.lines.next_line())
            .await
            .unwrap()
            .unwrap()
            .unwrap()
    }

    /// Reads until a line containing `needle`, returning it.
    async fn until(&mut self, needle: &str) -> String {
        loop {
            let line = self.next().await;
            if line.contains(needle) {
                return line;
            }
        }
    }

    async fn login(&mut self, token: &str, nick: &str) {
        self.send("CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership")
            .await;
        self.send(&format!("PASS oauth:{token}")).await;
        self.send(&format!("NICK {nick}")).await;
    }
}

#[tokio::test]
async fn login_join_and_privmsg_as_twitch_does_them() {
    let twitch = Twitch::new();
    let chat = twitch.chat();
    chat.add_user("t1", "alice", "11");
    chat.add_user("t2", "bob", "22");
    let tcp = serve_tcp(&twitch).await.unwrap();

    let mut alice = Irc::connect(tcp.addr()).await;
    alice.login("t1", "alice").await;
    assert_eq!(
        alice.next().await,
        ":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands twitch.tv/membership"
    );
    assert_eq!(
        alice.next().await,
        ":tmi.twitch.tv 001 alice :Welcome, GLHF!"
    );
    for code in ["002", "003", "004", "375", "372", "376"] {
        assert!(
            alice
                .next()
                .await
                .starts_with(&format!(":tmi.twitch.tv {code} alice :"))
        );
    }
    assert!(
        alice
            .next()
            .await
            .ends_with(":tmi.twitch.tv GLOBALUSERSTATE")
    );
    alice.send("JOIN #room").await;
    assert_eq!(
        alice.next().await,
        ":alice!alice@alice.tmi.twitch.tv JOIN #room"
    );
    assert_eq!(
        alice.next().await,
        ":alice.tmi.twitch.tv 353 alice = #room :alice"
    );
    assert_eq!(
        alice.next().await,
        ":alice.tmi.twitch.tv 366 alice #room :End of /NAMES list"
    );
    assert!(
        alice
            .next()
            .await
            .ends_with(":tmi.twitch.tv USERSTATE #room")
    );
    assert!(
        alice
            .next()
            .await
            .ends_with(":tmi.twitch.tv ROOMSTATE #room")
    );

    let mut bob = Irc::connect(tcp.addr()).await;
    bob.login("t2", "bob").await;
    bob.until(" 376 ").await;
    bob.send("JOIN #room").await;
    bob.until(" ROOMSTATE ").await;
    // Membership: alice sees bob join.
    assert_eq!(alice.next().await, ":bob!bob@bob.tmi.twitch.tv JOIN #room");

    bob.send("@client-nonce=abc PRIVMSG #room :hi alice").await;
    // Bob gets USERSTATE (with the message id), not his own message.
    let state = bob.next().await;
    assert!(
        state.contains(";id=") && state.ends_with(":tmi.twitch.tv USERSTATE #room"),
        "{state}"
    );
    let line = alice.next().await;
    assert!(
        line.ends_with(" :bob!bob@bob.tmi.twitch.tv PRIVMSG #room :hi alice"),
        "{line}"
    );
    for tag in [
        "badge-info=",
        "badges=",
        "client-nonce=abc",
        "color=",
        "display-name=bob",
        "emotes=",
        "first-msg=0",
        "flags=",
        "id=",
        "mod=0",
        "returning-chatter=0",
        "room-id=",
        "subscriber=0",
        "tmi-sent-ts=",
        "turbo=0",
        "user-id=22",
        "user-type=",
    ] {
        assert!(line.contains(tag), "missing {tag} in {line}");
    }
    bob.send("PING :nonce").await;
    assert_eq!(bob.next().await, ":tmi.twitch.tv PONG tmi.twitch.tv :nonce");
    assert_eq!(chat.sent().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn over_limit_and_duplicate_messages_get_notices() {
    let twitch = Twitch::new();
    let chat = twitch.chat();
    chat.add_user("t1", "alice", "11");
    let tcp = serve_tcp(&twitch).await.unwrap();
    let mut alice = Irc::connect(tcp.addr()).await;
    alice.login("t1", "alice").await;
    alice.until(" GLOBALUSERSTATE").await;
    alice.send("PRIVMSG #room :same").await;
    alice.until(" USERSTATE ").await;
    alice.send("PRIVMSG #room :same").await;
    assert!(
        alice
            .next()
            .await
            .starts_with("@msg-id=msg_duplicate :tmi.twitch.tv NOTICE #room :")
    );
    for n in 0..19 {
        alice.send(&format!("PRIVMSG #room :m{n}")).await;
        alice.until(" USERSTATE ").await;
    }
    alice.send("PRIVMSG #room :one too many").await;
    assert!(
        alice
            .next()
            .await
            .starts_with("@msg-id=msg_ratelimit :tmi.twitch.tv NOTICE #room :")
    );
    assert_eq!(
        (
            chat.sent().len(),
            chat.privmsgs_dropped(),
            chat.duplicates_dropped()
        ),
        (20, 1, 1)
    );
    // After the window the limit is lifted.
    tokio::time::advance(Duration::from_secs(30)).await;
    alice.send("PRIVMSG #room :later").await;
    alice.until(" USERSTATE ").await;
    assert_eq!(chat.sent().len(), 21);
}

#[tokio::test]
async fn bad_token_and_anonymous_logins() {
    let twitch = Twitch::new();
    let tcp = serve_tcp(&twitch).await.unwrap();
    let mut bad = Irc::connect(tcp.addr()).await;
    bad.login("nope", "mallory").await;
    bad.until(":tmi.twitch.tv NOTICE * :Login authentication failed")
        .await;
    let mut anon = Irc::connect(tcp.addr()).await;
    anon.send("NICK justinfan12345").await;
    assert_eq!(
        anon.next().await,
        ":tmi.twitch.tv 001 justinfan12345 :Welcome, GLHF!"
    );
}

#[tokio::test]
async fn validate_accepts_oauth_and_bearer() {
    let twitch = Twitch::new();
    let helix = twitch.helix();
    helix.add_user_token("tok", "cid", "alice", "11", Duration::from_hours(1), None);
    let server = sandbox::Server::builder().serve(twitch).await.unwrap();
    for scheme in ["OAuth", "Bearer"] {
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        let request = format!(
            "GET /oauth2/validate HTTP/1.1\r\nHost: x\r\nAuthorization: {scheme} tok\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut stream, &mut answer)
            .await
            .unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{scheme}: {answer}");
        assert!(answer.contains("\"login\":\"alice\""), "{answer}");
    }
}
