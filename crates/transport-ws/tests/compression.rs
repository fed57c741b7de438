//! zlib-stream and zstd-stream against a real server that compresses like Discord does: one
//! context per connection, flushed after every message.

mod common;

use common::{Server, config, next, server_expects_close};
use flate2::{Compress, FlushCompress};
use futures_util::SinkExt as _;
use tokio_tungstenite::tungstenite::Message;
use transport_ws::{CloseInitiator, Compression, ErrorKind, WsClient, WsEvent, WsMessage};
use zstd::stream::raw::{CParameter, Encoder, InBuffer, Operation, OutBuffer};

/// A zlib-stream server context.
struct ZlibServer(Compress);

impl ZlibServer {
    fn new() -> Self {
        Self(Compress::new(flate2::Compression::default(), true))
    }

    fn compress(&mut self, message: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(message.len() / 2 + 64);
        let start = self.0.total_in();
        loop {
            let consumed = (self.0.total_in() - start) as usize;
            self.0
                .compress_vec(&message[consumed..], &mut out, FlushCompress::Sync)
                .unwrap();
            let consumed = (self.0.total_in() - start) as usize;
            if consumed == message.len() && out.len() < out.capacity() {
                assert!(out.ends_with(&[0, 0, 0xff, 0xff]));
                return out;
            }
            out.reserve(out.capacity().max(64));
        }
    }
}

/// A zstd-stream server context.
struct ZstdServer(Encoder<'static>);

impl ZstdServer {
    fn new() -> Self {
        Self(Encoder::new(3).unwrap())
    }

    /// A server whose window is `2^log` bytes (it must fit the client's maximum size).
    fn with_window_log(log: u32) -> Self {
        let mut encoder = Encoder::new(3).unwrap();
        encoder.set_parameter(CParameter::WindowLog(log)).unwrap();
        Self(encoder)
    }

    fn compress(&mut self, message: &[u8]) -> Vec<u8> {
        let mut out = vec![0; message.len() + 1024];
        let mut output = OutBuffer::around(&mut out[..]);
        let mut input = InBuffer::around(message);
        while input.pos() < message.len() {
            self.0.run(&mut input, &mut output).unwrap();
        }
        while self.0.flush(&mut output).unwrap() > 0 {}
        let written = output.pos();
        out.truncate(written);
        out
    }
}

fn payload(i: usize) -> Vec<u8> {
    let filler = "lorem ipsum ".repeat(i % 17);
    format!(
        r#"{{"op":0,"s":{i},"t":"MESSAGE_CREATE","d":{{"id":"{}","content":"{filler}"}}}}"#,
        1000 + i
    )
    .into_bytes()
}

async fn expect_binary(client: &mut WsClient) -> Vec<u8> {
    match next(client).await {
        WsEvent::Message(WsMessage::Binary(data)) => data,
        other => panic!("expected a binary message, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn zlib_stream_round_trip_over_many_frames() {
    let server = Server::bind().await;
    let config = config(&server.url)
        .compression(Compression::ZlibStream)
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let mut ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));

    let big: Vec<u8> = (0..400_000u32)
        .flat_map(|i| (i % 253).to_le_bytes())
        .collect();
    let mut expected = Vec::new();
    let mut zlib = ZlibServer::new();
    for i in 0..120 {
        let message = if i == 60 { big.clone() } else { payload(i) };
        let wire = zlib.compress(&message);
        if i % 10 == 5 {
            // One deflated message split over two WebSocket messages.
            let (head, tail) = wire.split_at(wire.len() / 2);
            ws.send(Message::binary(head.to_vec())).await.unwrap();
            ws.send(Message::binary(tail.to_vec())).await.unwrap();
        } else if i % 10 == 7 {
            // Split right inside the 00 00 ff ff suffix.
            let (head, tail) = wire.split_at(wire.len() - 2);
            ws.send(Message::binary(head.to_vec())).await.unwrap();
            ws.send(Message::binary(tail.to_vec())).await.unwrap();
        } else {
            ws.send(Message::binary(wire)).await.unwrap();
        }
        expected.push(message);
    }
    // Text frames pass through untouched.
    ws.send(Message::text("plain")).await.unwrap();
    for message in expected {
        assert_eq!(expect_binary(&mut client).await, message);
    }
    assert!(matches!(
        next(&mut client).await,
        WsEvent::Message(WsMessage::Text(text)) if text == "plain"
    ));
}

#[tokio::test(start_paused = true)]
async fn zstd_stream_round_trip_over_many_messages() {
    let server = Server::bind().await;
    let config = config(&server.url)
        .compression(Compression::ZstdStream)
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let mut ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));

    let big: Vec<u8> = (0..400_000u32)
        .flat_map(|i| (i % 253).to_le_bytes())
        .collect();
    let mut zstd = ZstdServer::new();
    let mut expected = Vec::new();
    let mut wire_total = 0;
    for i in 0..150 {
        let message = if i == 75 { big.clone() } else { payload(i) };
        let wire = zstd.compress(&message);
        if i != 75 {
            wire_total += wire.len();
        }
        ws.send(Message::binary(wire)).await.unwrap();
        expected.push(message);
    }
    let plain_total: usize = (0..150)
        .filter(|&i| i != 75)
        .map(|i| payload(i).len())
        .sum();
    // One context for the connection: later messages reuse earlier ones.
    assert!(
        wire_total < plain_total / 2,
        "{wire_total} vs {plain_total}"
    );
    for message in expected {
        assert_eq!(expect_binary(&mut client).await, message);
    }
}

/// The client closes for bad data: `Error(kind)`, `Closed` with `code` from the client, the
/// close frame reaches the server, then the first reconnect.
async fn expect_client_close(
    client: &mut WsClient,
    ws: &mut tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>,
    kind: ErrorKind,
    code: u16,
) {
    match next(client).await {
        WsEvent::Error(error) => assert_eq!(error.kind(), &kind),
        other => panic!("{other:?}"),
    }
    match next(client).await {
        WsEvent::Closed {
            code: closed,
            initiator,
            ..
        } => assert_eq!((closed, initiator), (Some(code), CloseInitiator::Client)),
        other => panic!("{other:?}"),
    }
    server_expects_close(ws, code).await;
    assert!(matches!(
        next(client).await,
        WsEvent::Reconnecting { attempt: 1, .. }
    ));
}

/// Corrupt data: Error(Decompress), close 1007, reconnect, and the new connection gets a new
/// inflater (its server starts a new stream, which the old context would reject).
async fn corrupt_data_reconnects_with_a_fresh_context(compression: Compression) {
    let server = Server::bind().await;
    let config = config(&server.url)
        .compression(compression)
        .build()
        .unwrap();
    let mut client = WsClient::start(config);

    for round in 0..2 {
        let mut ws = server.accept().await;
        assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
        let mut zlib = ZlibServer::new();
        let mut zstd = ZstdServer::new();
        let mut compress = |message: &[u8]| match compression {
            Compression::ZlibStream => zlib.compress(message),
            _ => zstd.compress(message),
        };
        for i in 0..3 {
            ws.send(Message::binary(compress(&payload(i))))
                .await
                .unwrap();
            assert_eq!(expect_binary(&mut client).await, payload(i));
        }
        if round == 1 {
            break;
        }
        let garbage = match compression {
            Compression::ZlibStream => vec![0xde, 0xad, 0xbe, 0xef, 0x13, 0, 0, 0xff, 0xff],
            // A block header with the reserved block type.
            _ => vec![0xff, 0xff, 0xff, 0x01, 0x02, 0x03],
        };
        ws.send(Message::binary(garbage)).await.unwrap();
        expect_client_close(&mut client, &mut ws, ErrorKind::Decompress, 1007).await;
    }
}

#[tokio::test(start_paused = true)]
async fn corrupt_zlib_data_reconnects_with_a_fresh_context() {
    corrupt_data_reconnects_with_a_fresh_context(Compression::ZlibStream).await;
}

#[tokio::test(start_paused = true)]
async fn corrupt_zstd_data_reconnects_with_a_fresh_context() {
    corrupt_data_reconnects_with_a_fresh_context(Compression::ZstdStream).await;
}

/// A small compressed message that inflates past the limit: typed error, clean 1009 close
/// (the server sees the close frame and the handshake completes).
#[tokio::test(start_paused = true)]
async fn inflated_size_is_bounded() {
    for compression in [Compression::ZlibStream, Compression::ZstdStream] {
        let server = Server::bind().await;
        let config = config(&server.url)
            .compression(compression)
            .max_message_size(64 * 1024)
            .build()
            .unwrap();
        let mut client = WsClient::start(config);
        let mut ws = server.accept().await;
        assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
        let bomb = vec![b'a'; 1 << 20];
        let wire = match compression {
            Compression::ZlibStream => ZlibServer::new().compress(&bomb),
            // A window within the cap: the inflated size is what trips the limit.
            _ => ZstdServer::with_window_log(16).compress(&bomb),
        };
        assert!(wire.len() < 64 * 1024);
        ws.send(Message::binary(wire)).await.unwrap();
        match next(&mut client).await {
            WsEvent::Error(error) => {
                assert_eq!(error.kind(), &ErrorKind::MessageTooLarge { max: 64 * 1024 });
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            next(&mut client).await,
            WsEvent::Closed {
                code: Some(1009),
                initiator: CloseInitiator::Client,
                ..
            }
        ));
        server_expects_close(&mut ws, 1009).await;
        // The server's side of the handshake is answered; the client then drops the socket.
        assert!(common::server_next(&mut ws).await.is_none());
    }
}

/// A zstd frame whose header asks for a 2^27-byte (128 MiB) window (a decompression bomb for
/// a decoder that allocates what the server asks): refused before anything is allocated, as
/// an oversize message (1009), then a reconnect.
#[tokio::test(start_paused = true)]
async fn a_zstd_window_past_the_cap_is_refused() {
    let server = Server::bind().await;
    let config = config(&server.url)
        .compression(Compression::ZstdStream)
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let mut ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, (27 - 10) << 3];
    frame.extend_from_slice(&[(5 << 3) | 1, 0, 0]);
    frame.extend_from_slice(b"hello");
    ws.send(Message::binary(frame)).await.unwrap();
    let max = transport_ws::DEFAULT_MAX_MESSAGE_SIZE;
    expect_client_close(
        &mut client,
        &mut ws,
        ErrorKind::MessageTooLarge { max },
        1009,
    )
    .await;
    let _ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
}
