//! Line framing: IRC-style line protocols over `tcp://` and `tls://` (a capped line codec)
//! and over WebSocket text messages holding several lines, against real servers on
//! 127.0.0.1: lines in and out, the line cap, bad UTF-8, server closes, connect timeouts.

mod common;

use std::fmt::Write as _;
use std::time::Duration;

use common::pki::pki;
use common::{PATIENCE, Server, assert_ends, config, next, server_next};
use futures_util::SinkExt as _;
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use transport_ws::{
    CloseInitiator, ErrorKind, Framing, Priority, TlsConfig, WsClient, WsEvent, WsMessage,
};

/// A plain TCP listener; its URL is `tcp://127.0.0.1:PORT`.
struct LineServer {
    listener: TcpListener,
    port: u16,
}

impl LineServer {
    async fn bind() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        Self { listener, port }
    }

    fn url(&self, scheme: &str) -> String {
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    async fn accept(&self) -> TcpStream {
        let (tcp, _) = tokio::time::timeout(PATIENCE, self.listener.accept())
            .await
            .expect("no connection arrived")
            .unwrap();
        tcp
    }
}

async fn expect_text(client: &mut WsClient, expected: &str) {
    match next(client).await {
        WsEvent::Message(WsMessage::Text(line)) => assert_eq!(line, expected),
        other => panic!("expected {expected:?}, got {other:?}"),
    }
}

async fn read_line<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> String {
    let mut line = String::new();
    tokio::time::timeout(PATIENCE, reader.read_line(&mut line))
        .await
        .expect("server timed out")
        .unwrap();
    line
}

#[tokio::test(start_paused = true)]
async fn tcp_lines_in_and_out() {
    let server = LineServer::bind().await;
    let mut client = WsClient::start(config(&server.url("tcp")).build().unwrap());
    let tcp = server.accept().await;
    let WsEvent::Connected { url } = next(&mut client).await else {
        panic!("expected Connected")
    };
    assert_eq!(url.scheme(), "tcp");
    let (read, mut write) = tcp.into_split();
    let mut read = BufReader::new(read);

    // Lines may end in \r\n or \n, arrive split over writes or several per write.
    write
        .write_all(b":tmi.twitch.tv 001 bot :Welcome\r\nPING :tmi.twitch.tv\n\r\n:a PRIV")
        .await
        .unwrap();
    write.write_all(b"MSG #c :hi\r\n").await.unwrap();
    expect_text(&mut client, ":tmi.twitch.tv 001 bot :Welcome").await;
    expect_text(&mut client, "PING :tmi.twitch.tv").await;
    expect_text(&mut client, ":a PRIVMSG #c :hi").await;

    let sender = client.sender().clone();
    sender
        .send_text("PONG :tmi.twitch.tv", Priority::High)
        .await
        .unwrap();
    assert_eq!(read_line(&mut read).await, "PONG :tmi.twitch.tv\r\n");

    // A line break would inject a second command: refused, nothing written.
    for injected in ["PRIVMSG #c :hi\r\nJOIN #x", "a\nb", "a\rb"] {
        let error = sender
            .send_text(injected, Priority::Normal)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::InvalidMessage, "{injected:?}");
    }
    let error = sender
        .send_binary(vec![1, 2], Priority::Normal)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::InvalidMessage);
    sender.send_text("NEXT", Priority::Normal).await.unwrap();
    assert_eq!(read_line(&mut read).await, "NEXT\r\n");
}

#[tokio::test(start_paused = true)]
async fn a_server_closing_tcp_is_a_server_close_and_reconnects() {
    let server = LineServer::bind().await;
    let mut client = WsClient::start(config(&server.url("tcp")).build().unwrap());
    let mut tcp = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    // A last line without its ending still arrives.
    tcp.write_all(b"bye\r\nunterminated").await.unwrap();
    drop(tcp);
    expect_text(&mut client, "bye").await;
    expect_text(&mut client, "unterminated").await;
    match next(&mut client).await {
        WsEvent::Closed {
            code, initiator, ..
        } => assert_eq!((code, initiator), (None, CloseInitiator::Server)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        next(&mut client).await,
        WsEvent::Reconnecting { attempt: 1, .. }
    ));
    let _tcp = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
}

#[tokio::test(start_paused = true)]
async fn a_service_close_ends_the_tcp_stream() {
    let server = LineServer::bind().await;
    let mut client = WsClient::start(config(&server.url("tcp")).build().unwrap());
    let tcp = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    let sender = client.sender().clone();
    sender.send_text("QUIT", Priority::Normal).await.unwrap();
    sender.close(1000, "").unwrap();
    // The server reads the last line, then the end of the stream.
    let mut read = BufReader::new(tcp);
    assert_eq!(read_line(&mut read).await, "QUIT\r\n");
    assert_eq!(read_line(&mut read).await, "");
    drop(read);
    match next(&mut client).await {
        WsEvent::Closed {
            code, initiator, ..
        } => assert_eq!((code, initiator), (None, CloseInitiator::Client)),
        other => panic!("{other:?}"),
    }
    assert_ends(&mut client).await;
}

/// A server that never ends its line: the buffer stops at the cap (typed error, the
/// connection is dropped) instead of growing forever, then the client reconnects.
#[tokio::test(start_paused = true)]
async fn an_endless_line_hits_the_cap_and_reconnects() {
    let server = LineServer::bind().await;
    let config = config(&server.url("tcp"))
        .max_message_size(4096)
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let mut tcp = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    let flood = tokio::spawn(async move {
        let chunk = [b'a'; 1024];
        let mut written = 0usize;
        // Until the client drops the connection (bounded, so a broken cap fails the test).
        while written < (64 << 20) && tcp.write_all(&chunk).await.is_ok() {
            written += chunk.len();
        }
        written
    });
    match next(&mut client).await {
        WsEvent::Error(error) => {
            assert_eq!(error.kind(), &ErrorKind::MessageTooLarge { max: 4096 });
        }
        other => panic!("{other:?}"),
    }
    match next(&mut client).await {
        WsEvent::Closed {
            code, initiator, ..
        } => assert_eq!((code, initiator), (None, CloseInitiator::Client)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        next(&mut client).await,
        WsEvent::Reconnecting { attempt: 1, .. }
    ));
    let written = flood.await.unwrap();
    assert!(
        written < 64 << 20,
        "the client kept reading an endless line"
    );
    let _tcp = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
}

/// A line that is not UTF-8 is reported and skipped; the connection goes on.
#[tokio::test(start_paused = true)]
async fn a_line_that_is_not_utf8_is_skipped() {
    let server = LineServer::bind().await;
    let mut client = WsClient::start(config(&server.url("tcp")).build().unwrap());
    let mut tcp = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    tcp.write_all(b"first\r\n\xff\xfe bad \xc3\r\nsecond\r\n")
        .await
        .unwrap();
    expect_text(&mut client, "first").await;
    match next(&mut client).await {
        WsEvent::Error(error) => assert_eq!(error.kind(), &ErrorKind::InvalidUtf8),
        other => panic!("{other:?}"),
    }
    expect_text(&mut client, "second").await;
    assert!(client.sender().is_connected());
    client
        .sender()
        .send_text("still here", Priority::Normal)
        .await
        .unwrap();
    let mut read = BufReader::new(tcp);
    assert_eq!(read_line(&mut read).await, "still here\r\n");
}

#[tokio::test]
async fn tls_lines_with_the_test_ca() {
    let pki = pki();
    let server = LineServer::bind().await;
    let config = config(&server.url("tls"))
        .tls(TlsConfig::new().add_root_certificate_der(pki.ca_der.clone()))
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let tls = pki.acceptor.accept(server.accept().await).await.unwrap();
    let WsEvent::Connected { url } = next(&mut client).await else {
        panic!("expected Connected")
    };
    assert_eq!(url.scheme(), "tls");
    let (read, mut write) = tokio::io::split(tls);
    write.write_all(b"over tls\r\n").await.unwrap();
    expect_text(&mut client, "over tls").await;
    client
        .sender()
        .send_text("answer", Priority::Normal)
        .await
        .unwrap();
    let mut read = BufReader::new(read);
    assert_eq!(read_line(&mut read).await, "answer\r\n");
}

#[tokio::test]
async fn tls_lines_refuse_an_unknown_ca() {
    let pki = pki();
    let server = LineServer::bind().await;
    let config = config(&server.url("tls"))
        .backoff(transport_ws::Backoff::new().max_attempts(0))
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let acceptor = pki.acceptor.clone();
    let tcp = server.accept().await;
    tokio::spawn(async move { acceptor.accept(tcp).await });
    match next(&mut client).await {
        WsEvent::Error(error) => assert_eq!(error.kind(), &ErrorKind::Tls),
        other => panic!("{other:?}"),
    }
    assert_ends(&mut client).await;
}

/// A server that accepts TCP and then says nothing: every handshake (TLS over TCP, TLS
/// under a WebSocket, the WebSocket upgrade) ends at the connect timeout, then backs off.
#[tokio::test(start_paused = true)]
async fn stalled_handshakes_time_out() {
    for scheme in ["tls", "wss", "ws"] {
        let server = LineServer::bind().await;
        let config = config(&server.url(scheme))
            .connect_timeout(Duration::from_secs(3))
            .build()
            .unwrap();
        let mut client = WsClient::start(config);
        let mut silent = server.accept().await;
        let started = tokio::time::Instant::now();
        match next(&mut client).await {
            WsEvent::Error(error) => {
                assert_eq!(error.kind(), &ErrorKind::Connect, "{scheme}");
                let source = error.into_source().unwrap();
                assert!(
                    source.is::<tokio::time::error::Elapsed>(),
                    "{scheme}: {source}"
                );
            }
            other => panic!("{scheme}: {other:?}"),
        }
        assert!(started.elapsed() >= Duration::from_secs(3), "{scheme}");
        assert!(matches!(
            next(&mut client).await,
            WsEvent::Reconnecting { attempt: 1, .. }
        ));
        // The client gave up on the stalled connection.
        let mut rest = Vec::new();
        let _ = silent.read_to_end(&mut rest).await;
    }
}

/// Twitch packs several lines into one WebSocket text message: with line framing each is an
/// event of its own; outbound lines are checked for line breaks.
#[tokio::test(start_paused = true)]
async fn websocket_text_split_into_lines() {
    let server = Server::bind().await;
    let config = config(&server.url).framing(Framing::Lines).build().unwrap();
    let mut client = WsClient::start(config);
    let mut ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    ws.send(Message::text(
        ":tmi.twitch.tv 001 bot :Welcome\r\n:tmi.twitch.tv 002 bot :Your host\r\n",
    ))
    .await
    .unwrap();
    ws.send(Message::text("PING :tmi.twitch.tv")).await.unwrap();
    expect_text(&mut client, ":tmi.twitch.tv 001 bot :Welcome").await;
    expect_text(&mut client, ":tmi.twitch.tv 002 bot :Your host").await;
    expect_text(&mut client, "PING :tmi.twitch.tv").await;

    let sender = client.sender().clone();
    sender
        .send_text("PONG :tmi.twitch.tv", Priority::High)
        .await
        .unwrap();
    match server_next(&mut ws).await {
        Some(Message::Text(text)) => assert_eq!(text.as_str(), "PONG :tmi.twitch.tv"),
        other => panic!("{other:?}"),
    }
    let error = sender
        .send_text("PRIVMSG #c :a\r\nQUIT", Priority::Normal)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::InvalidMessage);
}

/// A message of many lines reaches a slow consumer whole and in order, one line at a time.
#[tokio::test(start_paused = true)]
async fn many_lines_in_one_message_reach_a_slow_consumer_in_order() {
    let server = Server::bind().await;
    let config = config(&server.url)
        .framing(Framing::Lines)
        .event_buffer(1)
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let mut ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    let mut text = String::new();
    for i in 0..5000 {
        writeln!(text, "line {i}\r").unwrap();
    }
    ws.send(Message::text(text)).await.unwrap();
    ws.send(Message::text("after")).await.unwrap();
    for i in 0..5000 {
        expect_text(&mut client, &format!("line {i}")).await;
    }
    expect_text(&mut client, "after").await;
}
