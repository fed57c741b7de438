//! The sandbox scaffolding over real sockets: HTTP routing, the request log, WebSocket
//! upgrades and the echo platform's control handle.

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use sandbox::Server;
use sandbox::echo::Echo;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

/// One HTTP/1.1 request on a fresh connection; returns status, content type and body.
async fn request(
    server: &Server,
    request: Request<Full<Bytes>>,
) -> (StatusCode, Option<String>, Bytes) {
    let stream = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connect");
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    tokio::spawn(connection);
    let response = sender.send_request(request).await.expect("response");
    let status = response.status();
    let content_type = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .map(|v| v.to_str().expect("ascii").to_owned());
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, content_type, body)
}

fn get(server: &Server, path: &str) -> Request<Full<Bytes>> {
    Request::get(path)
        .header(http::header::HOST, server.addr().to_string())
        .body(Full::new(Bytes::new()))
        .expect("request")
}

#[tokio::test]
async fn status_route_answers_with_the_asked_status_and_exact_json_content_type() {
    let server = Server::builder().serve(Echo::new()).await.expect("serve");
    let (status, content_type, body) = request(&server, get(&server, "/status/503")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert_eq!(&body[..], br#"{"status":503}"#);

    let (status, _, _) = request(&server, get(&server, "/status/abc")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = request(&server, get(&server, "/nowhere")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(server.log().len(), 3);
}

#[tokio::test]
async fn request_log_and_echo_redact_secrets() {
    let server = Server::builder().serve(Echo::new()).await.expect("serve");
    let post = Request::post("/echo?x=1")
        .header(http::header::HOST, server.addr().to_string())
        .header(http::header::AUTHORIZATION, "Bot super-secret-token")
        .header("x-trace", "visible")
        .body(Full::new(Bytes::from_static(b"hello")))
        .expect("request");
    let (status, _, body) = request(&server, post).await;
    assert_eq!(status, StatusCode::OK);
    let echoed: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(echoed["method"], "POST");
    assert_eq!(echoed["path"], "/echo");
    assert_eq!(echoed["query"], "x=1");
    assert_eq!(echoed["body"], "hello");
    assert_eq!(echoed["headers"]["authorization"], "[redacted]");
    assert_eq!(echoed["headers"]["x-trace"], "visible");

    let entries = server.log().snapshot();
    assert_eq!(entries.len(), 1);
    assert!(entries[0].had_authorization());
    assert_eq!(&entries[0].body[..], b"hello");
    let debug = format!("{entries:?}");
    assert!(
        !debug.contains("super-secret-token"),
        "secret leaked into the log: {debug}"
    );
    assert_eq!(server.log().count(|e| e.path == "/echo"), 1);
}

#[tokio::test]
async fn oversize_bodies_are_refused_not_buffered() {
    let server = Server::builder().serve(Echo::new()).await.expect("serve");
    let post = Request::post("/echo")
        .header(http::header::HOST, server.addr().to_string())
        .body(Full::new(Bytes::from(vec![b'x'; 8 * 1024 * 1024 + 1])))
        .expect("request");
    let (status, _, _) = request(&server, post).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn websocket_echo_and_control() {
    let echo = Echo::new();
    let control = echo.control();
    let server = Server::builder().serve(echo).await.expect("serve");
    let (mut socket, _) = tokio_tungstenite::connect_async(server.ws_url("/ws"))
        .await
        .expect("ws connect");

    socket.send(Message::text("ping?")).await.expect("send");
    assert_eq!(
        socket.next().await.expect("frame").expect("ok"),
        Message::text("ping?")
    );
    socket
        .send(Message::binary(vec![0_u8, 1, 2]))
        .await
        .expect("send");
    assert_eq!(
        socket.next().await.expect("frame").expect("ok"),
        Message::binary(vec![0_u8, 1, 2])
    );
    assert_eq!(control.connected(), 1);

    control.send(Message::text("pushed"));
    assert_eq!(
        socket.next().await.expect("frame").expect("ok"),
        Message::text("pushed")
    );

    control.close_all(4000);
    match socket.next().await.expect("frame").expect("ok") {
        Message::Close(Some(frame)) => assert_eq!(frame.code, CloseCode::from(4000)),
        other => panic!("expected a close frame, got {other:?}"),
    }

    let (mut second, _) = tokio_tungstenite::connect_async(server.ws_url("/ws"))
        .await
        .expect("ws connect");
    control.drop_all();
    // A dropped socket ends without a close frame: the stream errors or ends.
    let ended = second.next().await;
    assert!(
        !matches!(ended, Some(Ok(Message::Close(Some(_))))),
        "drop must not send a close frame"
    );
    assert_eq!(control.accepted(), 2);
}

#[tokio::test]
async fn non_upgrade_request_to_a_websocket_route_gets_400() {
    let server = Server::builder().serve(Echo::new()).await.expect("serve");
    let (status, _, _) = request(&server, get(&server, "/ws")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn shutdown_closes_open_websockets() {
    let echo = Echo::new();
    let server = Server::builder().serve(echo).await.expect("serve");
    let addr = server.addr();
    let (mut socket, _) = tokio_tungstenite::connect_async(server.ws_url("/ws"))
        .await
        .expect("ws connect");
    server.shutdown().await;
    let next = tokio::time::timeout(std::time::Duration::from_secs(5), socket.next()).await;
    assert!(
        !matches!(next, Ok(Some(Ok(Message::Text(_))))),
        "socket must end after shutdown"
    );
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "listener must be closed"
    );
}
