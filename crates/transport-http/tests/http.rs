//! Requests and responses against a real hyper server: JSON both ways, URL joining,
//! headers, status handling, timeouts, decode errors and body bounds.

mod support;

use std::time::Duration;

use serde::{Deserialize, Serialize};
use support::{TestServer, reply};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use transport_http::{Client, ErrorKind, Method, RetryPolicy, StatusCode};

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Message {
    id: u64,
    content: String,
    tags: Vec<String>,
}

fn client(server: &TestServer, base_path: &str) -> Client {
    Client::builder()
        .base_url(format!("{}{base_path}", server.url()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn get_json_round_trip() {
    let server = TestServer::start(|_| async {
        reply(200, r#"{"id":7,"content":"hello","tags":["a","b"]}"#)
    })
    .await;
    let response = client(&server, "").get("/messages/7").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.version(), http::Version::HTTP_11);
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "headers are passed through"
    );
    let message: Message = response.json().unwrap();
    assert_eq!(
        message,
        Message {
            id: 7,
            content: "hello".into(),
            tags: vec!["a".into(), "b".into()]
        }
    );
}

#[tokio::test]
async fn post_json_round_trip() {
    // The server echoes the body back, so what we decode is what we serialised.
    let server = TestServer::start(|seen| async move { reply(201, seen.body) }).await;
    let sent = Message {
        id: 1,
        content: "ünïcode \"quoted\"".into(),
        tags: vec![],
    };
    let response = client(&server, "")
        .post("/messages")
        .json(&sent)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.json::<Message>().unwrap(), sent);
    let seen = server.seen.lock().unwrap()[0].clone();
    assert_eq!(seen.method, Method::POST);
    assert_eq!(seen.headers["content-type"], "application/json");
}

#[tokio::test]
async fn paths_join_onto_the_base_url_and_queries_are_encoded() {
    let server = TestServer::start(|_| async { reply(200, "{}") }).await;
    let client = client(&server, "/api/v10/");
    client.get("/users/@me").send().await.unwrap();
    client
        .get("clans/%232PP")
        .query("limit", 5)
        .query("after", "a b&c")
        .send()
        .await
        .unwrap();
    client.get("").send().await.unwrap();
    // An absolute URL ignores the base.
    client
        .get(format!("{}/elsewhere?x=1", server.url()))
        .send()
        .await
        .unwrap();
    let uris: Vec<String> = server
        .seen
        .lock()
        .unwrap()
        .iter()
        .map(|seen| seen.uri.to_string())
        .collect();
    assert_eq!(
        uris,
        [
            "/api/v10/users/@me",
            "/api/v10/clans/%232PP?limit=5&after=a+b%26c",
            "/api/v10/",
            "/elsewhere?x=1",
        ]
    );
}

#[tokio::test]
async fn default_headers_user_agent_and_overrides() {
    let server = TestServer::start(|_| async { reply(200, "{}") }).await;
    let client = Client::builder()
        .base_url(server.url())
        .user_agent("switchboard-test/1")
        .default_header("client-id", "abc")
        .default_header("x-both", "default")
        .build()
        .unwrap();
    client
        .get("/")
        .header("x-both", "request")
        .header("x-extra", "1")
        .send()
        .await
        .unwrap();
    let seen = server.seen.lock().unwrap()[0].clone();
    assert_eq!(seen.headers["user-agent"], "switchboard-test/1");
    assert_eq!(seen.headers["client-id"], "abc");
    let both: Vec<_> = seen.headers.get_all("x-both").iter().collect();
    assert_eq!(both, ["request"], "a request header replaces the default");
    assert_eq!(seen.headers["x-extra"], "1");
}

#[tokio::test]
async fn error_statuses_carry_a_body_snippet() {
    let server = TestServer::start(|_| async {
        reply(404, r#"{"reason":"notFound","message":"Not found"}"#)
    })
    .await;
    let error = client(&server, "")
        .get("/clans/x")
        .send()
        .await
        .unwrap_err();
    match error.kind() {
        ErrorKind::Status { status, body } => {
            assert_eq!(*status, StatusCode::NOT_FOUND);
            assert!(body.contains("notFound"), "{body}");
        }
        other => panic!("unexpected {other:?}"),
    }
    // 4xx is never retried.
    assert_eq!(server.hits(), 1);

    let response = client(&server, "")
        .get("/clans/x")
        .accept_any_status()
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(start_paused = true)]
async fn per_request_timeout_fires() {
    // The server never answers; paused time jumps straight to the deadline.
    let server = TestServer::start(|_| std::future::pending()).await;
    let client = Client::builder()
        .base_url(server.url())
        .timeout(Duration::from_secs(30))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let error = client
        .get("/slow")
        .timeout(Duration::from_millis(250))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        *error.kind(),
        ErrorKind::Timeout {
            after: Duration::from_millis(250)
        }
    );
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn client_timeout_applies_without_override() {
    let server = TestServer::start(|_| std::future::pending()).await;
    let client = Client::builder()
        .base_url(server.url())
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let error = client.get("/slow").send().await.unwrap_err();
    assert_eq!(
        *error.kind(),
        ErrorKind::Timeout {
            after: Duration::from_secs(2)
        }
    );
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let server = TestServer::start(|_| async { reply(200, r#"{"id": 7, "content": "#) }).await;
    let response = client(&server, "").get("/").send().await.unwrap();
    let error = response.json::<Message>().unwrap_err();
    match error.kind() {
        ErrorKind::Decode { status, snippet } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(snippet, r#"{"id": 7, "content": "#);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn oversize_body_with_content_length_is_rejected() {
    let server = TestServer::start(|_| async { reply(200, vec![b'x'; 4096]) }).await;
    let client = Client::builder()
        .base_url(server.url())
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let error = client.get("/").send().await.unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::BodyTooLarge { limit: 1024 });
    // Exactly at the bound is fine.
    let at_bound = TestServer::start(|_| async { reply(200, vec![b'x'; 1024]) }).await;
    let response = client
        .get(format!("{}/", at_bound.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.body().len(), 1024);
}

#[tokio::test]
async fn oversize_chunked_body_is_rejected_while_streaming() {
    // No Content-Length: the bound has to be enforced while reading. A hand-written
    // server, because hyper always announces the length of a full body.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = vec![0; 4096];
        let _ = stream.read(&mut request).await.unwrap();
        let mut response =
            b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n"
                .to_vec();
        for _ in 0..64 {
            response.extend_from_slice(b"100\r\n");
            response.extend_from_slice(&[b'y'; 256]);
            response.extend_from_slice(b"\r\n");
        }
        response.extend_from_slice(b"0\r\n\r\n");
        // The client may hang up once over the bound; that is the point.
        let _ = stream.write_all(&response).await;
    });
    let client = Client::builder().max_response_bytes(1000).build().unwrap();
    let error = client
        .get(format!("http://{addr}/stream"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::BodyTooLarge { limit: 1000 });
    server.await.unwrap();
}

#[tokio::test]
async fn unusable_urls_are_errors_not_panics() {
    let client = Client::builder().build().unwrap();
    for target in [
        "/relative-without-base",
        "ftp://example.com/x",
        "http://[::1",
    ] {
        let error = client.get(target).send().await.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::InvalidUrl { .. }),
            "{target}: {error:?}"
        );
    }
    let error = client
        .get("http://127.0.0.1:9/")
        .header("bad header", "x")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::InvalidHeader { .. }));
}

#[tokio::test]
async fn connections_are_pooled() {
    let server = TestServer::start(|_| async { reply(200, "{}") }).await;
    let client = client(&server, "");
    for _ in 0..5 {
        client.get("/").send().await.unwrap();
    }
    assert_eq!(server.hits(), 5);
    // Keep-alive: one TCP connection (one client port) served them all.
    let seen = server.seen.lock().unwrap();
    assert!(seen.iter().all(|s| s.peer == seen[0].peer), "{seen:?}");
}
