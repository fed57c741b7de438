//! The singyeong sandbox on the wire, driven by a raw WebSocket (no client library).

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use sandbox::singyeong::{BadAuth, Singyeong, SingyeongConfig};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open(server: &sandbox::Server) -> Socket {
    let (socket, _) =
        tokio_tungstenite::connect_async(server.ws_url("/gateway/websocket?encoding=json"))
            .await
            .unwrap();
    socket
}

async fn recv(socket: &mut Socket) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a frame in time")
        {
            Some(Ok(Message::Text(text))) => {
                return Some(serde_json::from_str(text.as_str()).unwrap());
            }
            Some(Ok(Message::Close(_)) | Err(_)) | None => return None,
            Some(Ok(_)) => {}
        }
    }
}

async fn send(socket: &mut Socket, packet: Value) {
    socket
        .send(Message::text(packet.to_string()))
        .await
        .unwrap();
}

async fn identify(socket: &mut Socket, app: &str, id: &str, auth: Option<&str>) -> Value {
    let hello = recv(socket).await.unwrap();
    assert_eq!(hello["op"], 0);
    assert_eq!(hello["d"]["heartbeat_interval"], 45_000);
    assert!(hello["ts"].as_u64().is_some());
    send(
        socket,
        json!({"op": 1, "d": {"client_id": id, "application_id": app, "auth": auth}, "ts": 0}),
    )
    .await;
    recv(socket).await.unwrap()
}

#[tokio::test]
async fn identify_heartbeat_and_protocol_errors() {
    let platform = Singyeong::new(SingyeongConfig::default().password("pw"));
    let control = platform.control();
    let server = sandbox::Server::builder().serve(platform).await.unwrap();

    let mut socket = open(&server).await;
    let ready = identify(&mut socket, "app", "one", Some("pw")).await;
    assert_eq!(ready["op"], 2);
    assert_eq!(ready["d"], json!({"client_id": "one", "restricted": false}));
    send(
        &mut socket,
        json!({"op": 5, "d": {"client_id": "one"}, "ts": 0}),
    )
    .await;
    assert_eq!(recv(&mut socket).await.unwrap()["op"], 6);
    let metadata = control.metadata("app", "one").unwrap();
    assert_eq!(metadata["restricted"], false);
    assert_eq!(metadata["encoding"], "json");

    // A dispatch before identify closes with op 8.
    let mut early = open(&server).await;
    assert_eq!(recv(&mut early).await.unwrap()["op"], 0);
    send(&mut early, json!({"op": 4, "t": "SEND", "d": {}, "ts": 0})).await;
    let error = recv(&mut early).await.unwrap();
    assert_eq!(error["op"], 8);
    assert!(
        error["d"]["error"]
            .as_str()
            .unwrap()
            .contains("without identifying")
    );
    assert!(recv(&mut early).await.is_none(), "closed after the error");

    // No password: restricted, and only UPDATE_METADATA is allowed.
    let mut public = open(&server).await;
    assert_eq!(
        identify(&mut public, "app", "web", None).await["d"]["restricted"],
        true
    );
    send(&mut public, json!({"op": 4, "t": "SEND", "d": {"target": {"application": "app"}, "payload": 1}, "ts": 0})).await;
    let refused = recv(&mut public).await.unwrap();
    assert_eq!(refused["op"], 3);
    assert!(
        refused["d"]["error"]
            .as_str()
            .unwrap()
            .contains("restricted")
    );

    // Forbidden metadata keys are INVALID, the connection stays.
    send(&mut socket, json!({"op": 4, "t": "UPDATE_METADATA", "d": {"ip": {"type": "string", "value": "x"}}, "ts": 0})).await;
    let invalid = recv(&mut socket).await.unwrap();
    assert_eq!(
        (invalid["op"].clone(), invalid["d"]["error"].clone()),
        (json!(3), json!("invalid metadata"))
    );

    // Wrong password: INVALID and closed.
    let mut wrong = open(&server).await;
    let answer = identify(&mut wrong, "app", "two", Some("nope")).await;
    assert_eq!(answer["op"], 3);
    assert!(recv(&mut wrong).await.is_none());
    assert_eq!(control.identifies(), 2);
}

#[tokio::test]
async fn wrong_password_can_mean_restricted_like_the_real_server() {
    let platform = Singyeong::new(
        SingyeongConfig::default()
            .password("pw")
            .bad_auth(BadAuth::Restrict),
    );
    let server = sandbox::Server::builder().serve(platform).await.unwrap();
    let mut socket = open(&server).await;
    assert_eq!(
        identify(&mut socket, "app", "x", Some("nope")).await["d"]["restricted"],
        true
    );
}

#[tokio::test]
async fn rest_api_needs_the_password() {
    let platform = Singyeong::new(SingyeongConfig::default().password("pw"));
    let server = sandbox::Server::builder().serve(platform).await.unwrap();
    let http = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Full<bytes::Bytes>>();
    let request = |auth: Option<&str>| {
        let mut builder = http::Request::post(format!("{}/api/v1/query", server.base_url()));
        if let Some(auth) = auth {
            builder = builder.header("authorization", auth);
        }
        builder
            .body(http_body_util::Full::new(bytes::Bytes::from(
                r#"{"application":"app"}"#,
            )))
            .unwrap()
    };
    assert_eq!(http.request(request(None)).await.unwrap().status(), 401);
    let ok = http.request(request(Some("pw"))).await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["content-type"], "application/json");
}
