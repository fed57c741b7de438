//! One connection against a real tokio-tungstenite server: messages, headers, pings, sizes,
//! service-requested closes, the send queue and backpressure.

mod common;

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Server, assert_ends, config, next, refused_url, server_expects_close, server_next};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use transport_ws::{Backoff, CloseInitiator, ErrorKind, Priority, WsClient, WsEvent, WsMessage};

#[tokio::test(start_paused = true)]
async fn text_and_binary_echo() {
    let server = Server::bind().await;
    let mut client = WsClient::start(config(&server.url).build().unwrap());
    let mut ws = server.accept().await;
    tokio::spawn(async move {
        while let Some(message) = server_next(&mut ws).await {
            if message.is_text() || message.is_binary() {
                ws.send(message).await.unwrap();
            }
        }
    });

    let WsEvent::Connected { url } = next(&mut client).await else {
        panic!("expected Connected")
    };
    assert_eq!(url.as_str(), server.url);
    let sender = client.sender().clone();
    assert!(sender.is_connected());
    sender.send_text("hello", Priority::Normal).await.unwrap();
    sender
        .send_binary(vec![1, 2, 3], Priority::High)
        .await
        .unwrap();
    match next(&mut client).await {
        WsEvent::Message(WsMessage::Text(text)) => assert_eq!(text, "hello"),
        other => panic!("{other:?}"),
    }
    match next(&mut client).await {
        WsEvent::Message(WsMessage::Binary(data)) => assert_eq!(data, [1, 2, 3]),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
#[allow(clippy::result_large_err)] // the handshake callback's error type is tungstenite's
async fn headers_reach_the_server() {
    let server = Server::bind().await;
    let config = config(&server.url)
        .header("Authorization", "Bot secret-token")
        .header("X-Custom", "value")
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let tcp = server.accept_tcp().await;
    let record = Arc::clone(&seen);
    let _ws =
        tokio_tungstenite::accept_hdr_async(tcp, move |request: &Request, response: Response| {
            let mut seen = record.lock().unwrap();
            for name in ["authorization", "x-custom"] {
                let value = request
                    .headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_owned());
                seen.push(value);
            }
            Ok(response)
        })
        .await
        .unwrap();
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    assert_eq!(
        *seen.lock().unwrap(),
        [
            Some("Bot secret-token".to_owned()),
            Some("value".to_owned())
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn pings_are_answered() {
    let server = Server::bind().await;
    let mut client = WsClient::start(config(&server.url).build().unwrap());
    let mut ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    for round in 0..3u8 {
        ws.send(Message::Ping(vec![round; 4].into())).await.unwrap();
        let pong = tokio::time::timeout(common::PATIENCE, ws.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(pong, Message::Pong(vec![round; 4].into()));
    }
}

#[tokio::test(start_paused = true)]
async fn oversize_message_is_a_typed_error_and_a_clean_1009_close() {
    let server = Server::bind().await;
    let config = config(&server.url)
        .max_message_size(1024)
        .backoff(Backoff::new().max_attempts(0))
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let mut ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));

    ws.send(Message::text("x".repeat(1024))).await.unwrap();
    ws.send(Message::text("y".repeat(2048))).await.unwrap();
    match next(&mut client).await {
        WsEvent::Message(WsMessage::Text(text)) => assert_eq!(text.len(), 1024),
        other => panic!("{other:?}"),
    }
    match next(&mut client).await {
        WsEvent::Error(error) => {
            assert_eq!(error.kind(), &ErrorKind::MessageTooLarge { max: 1024 });
        }
        other => panic!("{other:?}"),
    }
    match next(&mut client).await {
        WsEvent::Closed {
            code, initiator, ..
        } => {
            assert_eq!(code, Some(1009));
            assert_eq!(initiator, CloseInitiator::Client);
        }
        other => panic!("{other:?}"),
    }
    server_expects_close(&mut ws, 1009).await;
    // The policy allows no reconnect: the client stops.
    assert_ends(&mut client).await;
}

#[tokio::test(start_paused = true)]
async fn oversize_fragmented_message_is_rejected() {
    let server = Server::bind().await;
    let config = config(&server.url)
        .max_message_size(1000)
        .backoff(Backoff::new().max_attempts(0))
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let mut ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    // Three 400-byte fragments: each frame fits, the message does not.
    let fragment = |opcode, last| {
        let mut frame = Frame::message(vec![b'z'; 400], OpCode::Data(opcode), last);
        frame.header_mut().is_final = last;
        Message::Frame(frame)
    };
    ws.send(fragment(Data::Text, false)).await.unwrap();
    ws.send(fragment(Data::Continue, false)).await.unwrap();
    ws.send(fragment(Data::Continue, true)).await.unwrap();
    match next(&mut client).await {
        WsEvent::Error(error) => {
            assert!(
                matches!(error.kind(), ErrorKind::MessageTooLarge { .. }),
                "{error:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        next(&mut client).await,
        WsEvent::Closed {
            code: Some(1009),
            ..
        }
    ));
    server_expects_close(&mut ws, 1009).await;
}

#[tokio::test(start_paused = true)]
async fn service_close_stops_the_client() {
    let server = Server::bind().await;
    let mut client = WsClient::start(config(&server.url).build().unwrap());
    let mut ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    let sender = client.sender().clone();
    sender.close(1000, "bye").unwrap();
    match server_next(&mut ws).await {
        Some(Message::Close(Some(frame))) => {
            assert_eq!(u16::from(frame.code), 1000);
            assert_eq!(frame.reason.as_str(), "bye");
        }
        other => panic!("{other:?}"),
    }
    match next(&mut client).await {
        WsEvent::Closed {
            code,
            reason,
            initiator,
        } => {
            assert_eq!((code, reason.as_str()), (Some(1000), "bye"));
            assert_eq!(initiator, CloseInitiator::Client);
        }
        other => panic!("{other:?}"),
    }
    assert_ends(&mut client).await;
    let error = sender
        .send_text("late", Priority::Normal)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::Stopped);
    assert_eq!(
        sender.reconnect(4000).unwrap_err().kind(),
        &ErrorKind::Stopped
    );
}

#[tokio::test(start_paused = true)]
async fn service_reconnect_closes_with_its_code_and_skips_the_backoff() {
    let server = Server::bind().await;
    let config = config(&server.url)
        .backoff(Backoff::new().initial_delay(Duration::from_secs(30)))
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let mut first = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    // A healthy connection (up for the backoff's healthy duration) reconnects at once.
    tokio::time::advance(Duration::from_mins(1)).await;

    client.sender().reconnect(4000).unwrap();
    server_expects_close(&mut first, 4000).await;
    assert!(matches!(
        next(&mut client).await,
        WsEvent::Closed {
            code: Some(4000),
            initiator: CloseInitiator::Client,
            ..
        }
    ));
    let before = Instant::now();
    match next(&mut client).await {
        WsEvent::Reconnecting { attempt, delay } => {
            assert_eq!((attempt, delay), (0, Duration::ZERO));
        }
        other => panic!("{other:?}"),
    }
    let _second = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    assert!(before.elapsed() < Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn quick_service_reconnects_back_off() {
    // A server that makes the service reconnect right after every connect (op 7 at once,
    // a HELLO whose heartbeats are never acknowledged) must not get a reconnect storm.
    let server = Server::bind().await;
    let config = config(&server.url)
        .backoff(
            Backoff::new()
                .initial_delay(Duration::from_secs(2))
                .max_delay(Duration::from_secs(8))
                .jitter(0.0),
        )
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let mut delays = Vec::new();
    for _ in 0..4 {
        let mut socket = server.accept().await;
        assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
        client.sender().reconnect(4000).unwrap();
        server_expects_close(&mut socket, 4000).await;
        assert!(matches!(next(&mut client).await, WsEvent::Closed { .. }));
        match next(&mut client).await {
            WsEvent::Reconnecting { delay, .. } => delays.push(delay),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        delays,
        [2, 4, 8, 8].map(Duration::from_secs),
        "short-lived connections climb the backoff"
    );
}

#[tokio::test(start_paused = true)]
async fn service_reconnect_to_another_url() {
    let first_server = Server::bind().await;
    let second_server = Server::bind().await;
    let mut client = WsClient::start(config(&first_server.url).build().unwrap());
    let mut first = first_server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));

    assert_eq!(
        client
            .sender()
            .reconnect_to("https://nope", 4000)
            .unwrap_err()
            .kind(),
        &ErrorKind::InvalidUrl
    );
    client
        .sender()
        .reconnect_to(&second_server.url, 4000)
        .unwrap();
    server_expects_close(&mut first, 4000).await;
    let mut second = second_server.accept().await;
    loop {
        if let WsEvent::Connected { url } = next(&mut client).await {
            assert_eq!(url.as_str(), second_server.url);
            break;
        }
    }
    // Later reconnects keep the new URL.
    second.close(None).await.unwrap();
    let _third = second_server.accept().await;
    loop {
        if let WsEvent::Connected { url } = next(&mut client).await {
            assert_eq!(url.as_str(), second_server.url);
            break;
        }
    }
}

#[tokio::test(start_paused = true)]
async fn set_url_applies_to_the_next_connection() {
    let first_server = Server::bind().await;
    let second_server = Server::bind().await;
    let mut client = WsClient::start(config(&first_server.url).build().unwrap());
    let mut first = first_server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    client.sender().set_url(&second_server.url).unwrap();
    first.close(None).await.unwrap();
    let _second = second_server.accept().await;
    loop {
        if let WsEvent::Connected { url } = next(&mut client).await {
            assert_eq!(url.as_str(), second_server.url);
            break;
        }
    }
}

#[tokio::test(start_paused = true)]
async fn sends_fail_fast_while_disconnected() {
    let url = refused_url().await;
    let mut client = WsClient::start(config(&url).build().unwrap());
    match next(&mut client).await {
        WsEvent::Error(error) => assert_eq!(error.kind(), &ErrorKind::Connect),
        other => panic!("{other:?}"),
    }
    let sender = client.sender().clone();
    assert!(!sender.is_connected());
    let error = sender.send_text("hello", Priority::High).await.unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::NotConnected);
    // Closing while disconnected stops the client.
    sender.close(1000, "").unwrap();
    loop {
        match tokio::time::timeout(common::PATIENCE, client.next_event())
            .await
            .unwrap()
        {
            None => break,
            Some(WsEvent::Connected { .. }) => panic!("connected to a refused port"),
            Some(_) => {}
        }
    }
}

/// The send queue keeps reserved slots for high priority: with 3 per minute and 1 reserved,
/// a third normal message waits for the window while a heartbeat goes out at once.
#[tokio::test(start_paused = true)]
async fn send_queue_keeps_reserved_slots_for_priority_traffic() {
    let server = Server::bind().await;
    let config = config(&server.url)
        .send_limit(NonZeroU32::new(3).unwrap(), Duration::from_mins(1), 1)
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let mut ws = server.accept().await;
    let start = Instant::now();
    let received = tokio::spawn(async move {
        let mut received = Vec::new();
        while received.len() < 4 {
            match server_next(&mut ws).await {
                Some(Message::Text(text)) => {
                    received.push((text.as_str().to_owned(), start.elapsed()));
                }
                other => panic!("{other:?}"),
            }
        }
        received
    });
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    let sender = client.sender().clone();
    sender.send_text("n1", Priority::Normal).await.unwrap();
    sender.send_text("n2", Priority::Normal).await.unwrap();
    let third = tokio::spawn({
        let sender = sender.clone();
        async move { sender.send_text("n3", Priority::Normal).await }
    });
    tokio::task::yield_now().await;
    assert!(!third.is_finished());
    sender.send_text("hb", Priority::High).await.unwrap();
    assert!(start.elapsed() < Duration::from_secs(1));
    third.await.unwrap().unwrap();

    let received = received.await.unwrap();
    let order: Vec<&str> = received.iter().map(|(text, _)| text.as_str()).collect();
    assert_eq!(order, ["n1", "n2", "hb", "n3"]);
    assert!(received[2].1 < Duration::from_secs(1), "{received:?}");
    assert!(received[3].1 >= Duration::from_mins(1), "{received:?}");
}

/// A consumer that does not read events stalls reading (bounded), not sending.
#[tokio::test(start_paused = true)]
async fn slow_consumer_backpressures_reads_but_not_sends() {
    let server = Server::bind().await;
    let config = config(&server.url).event_buffer(2).build().unwrap();
    let mut client = WsClient::start(config);
    let mut ws = server.accept().await;
    let server_task = tokio::spawn(async move {
        for i in 0..50 {
            ws.send(Message::text(format!("m{i}"))).await.unwrap();
        }
        let heard = server_next(&mut ws).await;
        ws.send(Message::text("done")).await.unwrap();
        (heard, ws)
    });
    // Give the server time to fill the pipe while nobody reads events.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let sender = client.sender().clone();
    tokio::time::timeout(
        Duration::from_secs(5),
        sender.send_text("hb", Priority::High),
    )
    .await
    .expect("send blocked behind unread events")
    .unwrap();
    let (heard, _ws) = server_task.await.unwrap();
    assert_eq!(heard, Some(Message::text("hb")));

    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    for i in 0..50 {
        match next(&mut client).await {
            WsEvent::Message(WsMessage::Text(text)) => assert_eq!(text, format!("m{i}")),
            other => panic!("{other:?}"),
        }
    }
    match next(&mut client).await {
        WsEvent::Message(WsMessage::Text(text)) => assert_eq!(text, "done"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn dropping_the_events_closes_the_connection() {
    let server = Server::bind().await;
    let mut client = WsClient::start(config(&server.url).build().unwrap());
    let mut ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    let (sender, events) = client.into_parts();
    drop(events);
    server_expects_close(&mut ws, 1000).await;
    let error = sender.send_text("x", Priority::Normal).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Stopped | ErrorKind::NotConnected),
        "{error:?}"
    );
}

/// A server that stops reading cannot stall the client: writes time out, the connection
/// counts as lost, and the client reconnects.
#[tokio::test(start_paused = true)]
async fn a_server_that_stops_reading_times_out_writes() {
    let server = Server::bind().await;
    let config = config(&server.url)
        .write_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    let _deaf = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    let sender = client.sender().clone();
    let chunk = vec![7u8; 1 << 20];
    let mut failure = None;
    for _ in 0..512 {
        if let Err(error) = sender.send_binary(chunk.clone(), Priority::Normal).await {
            failure = Some(error);
            break;
        }
    }
    let failure = failure.expect("socket buffers never filled up");
    assert_eq!(failure.kind(), &ErrorKind::ConnectionLost);
    match next(&mut client).await {
        WsEvent::Error(error) => assert_eq!(error.kind(), &ErrorKind::ConnectionLost),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        next(&mut client).await,
        WsEvent::Closed {
            code: None,
            initiator: CloseInitiator::Server,
            ..
        }
    ));
    assert!(matches!(
        next(&mut client).await,
        WsEvent::Reconnecting { attempt: 1, .. }
    ));
    let _second = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
}

/// A message already read when the connection ends is delivered before `Closed`.
#[tokio::test(start_paused = true)]
async fn a_message_read_before_a_close_is_still_delivered() {
    let server = Server::bind().await;
    let config = config(&server.url).event_buffer(1).build().unwrap();
    let mut client = WsClient::start(config);
    let mut ws = server.accept().await;
    ws.send(Message::text("first")).await.unwrap();
    // Let the client read it; with one slot taken by `Connected`, it stays pending.
    tokio::time::sleep(Duration::from_millis(50)).await;
    client.sender().close(1000, "").unwrap();
    server_expects_close(&mut ws, 1000).await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    match next(&mut client).await {
        WsEvent::Message(WsMessage::Text(text)) => assert_eq!(text, "first"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        next(&mut client).await,
        WsEvent::Closed {
            code: Some(1000),
            ..
        }
    ));
    assert_ends(&mut client).await;
}
