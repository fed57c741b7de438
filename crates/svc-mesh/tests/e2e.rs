//! End to end: real clients against the sandbox singyeong server on 127.0.0.1.

use std::time::Duration;

use sandbox::singyeong::{Singyeong, SingyeongConfig};
use serde_json::{Value, json};
use svc_mesh::{
    Backoff, Delivery, ErrorKind, MeshClient, MeshConfig, MeshEvent, Message, Metadata,
    MetadataValue, Query, QueryOp, QueuedMessage,
};
use tokio::sync::mpsc;

const PASSWORD: &str = "correct-horse";
const WAIT: Duration = Duration::from_secs(10);

struct Mesh {
    server: sandbox::Server,
    control: sandbox::singyeong::SingyeongControl,
}

async fn mesh() -> Mesh {
    let platform = Singyeong::new(SingyeongConfig::default().password(PASSWORD));
    let control = platform.control();
    let server = sandbox::Server::builder().serve(platform).await.unwrap();
    Mesh { server, control }
}

impl Mesh {
    fn dsn(&self, app: &str, password: Option<&str>) -> String {
        match password {
            Some(password) => format!("singyeong://{app}:{password}@{}", self.server.addr()),
            None => format!("singyeong://{app}@{}", self.server.addr()),
        }
    }

    async fn client(&self, app: &str, id: &str, metadata: Metadata) -> MeshClient {
        let config = MeshConfig::builder(&self.dsn(app, Some(PASSWORD)))
            .client_id(id)
            .metadata(metadata)
            // Reconnect tests should not wait out a real backoff.
            .backoff(Backoff::new().initial_delay(Duration::from_millis(1)))
            .build()
            .unwrap();
        MeshClient::connect(config).await.unwrap()
    }
}

fn md(pairs: &[(&str, MetadataValue)]) -> Metadata {
    let mut metadata = Metadata::new();
    for (key, value) in pairs {
        metadata.insert(*key, value.clone()).unwrap();
    }
    metadata
}

/// Every message payload a client receives, in order.
fn inbox(client: &MeshClient) -> mpsc::UnboundedReceiver<Message> {
    let (tx, rx) = mpsc::unbounded_channel();
    client
        .events()
        .on(move |message: Message| {
            let _ = tx.send(message);
        })
        .detach();
    rx
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Message>) -> Message {
    tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("message in time")
        .expect("inbox open")
}

/// Payloads received up to (not including) the marker `{"marker": n}`.
async fn until_marker(rx: &mut mpsc::UnboundedReceiver<Message>, n: usize) -> Vec<Value> {
    let mut seen = Vec::new();
    loop {
        let message = next(rx).await;
        if message.payload == json!({ "marker": n }) {
            return seen;
        }
        seen.push(message.payload);
    }
}

struct Fleet {
    mesh: Mesh,
    caller: MeshClient,
    workers: Vec<(&'static str, MeshClient, mpsc::UnboundedReceiver<Message>)>,
}

async fn fleet() -> Fleet {
    let mesh = mesh().await;
    let caller = mesh.client("caller", "caller-1", Metadata::new()).await;
    let specs: [(&str, Metadata); 3] = [
        (
            "a",
            md(&[
                ("region", "eu".into()),
                ("load", 1_i64.into()),
                ("tags", vec![json!("gpu")].into()),
                ("version", MetadataValue::version("1.2.0").unwrap()),
                ("gpu", true.into()),
            ]),
        ),
        (
            "b",
            md(&[
                ("region", "us".into()),
                ("load", 5_i64.into()),
                ("tags", Vec::<Value>::new().into()),
                ("version", MetadataValue::version("1.10.0").unwrap()),
                ("gpu", false.into()),
            ]),
        ),
        (
            "c",
            md(&[
                ("region", "eu".into()),
                ("load", 9_i64.into()),
                ("tags", vec![json!("gpu"), json!("ssd")].into()),
                ("version", MetadataValue::version("0.9.0").unwrap()),
                ("gpu", true.into()),
            ]),
        ),
    ];
    let mut workers = Vec::new();
    for (id, metadata) in specs {
        let client = mesh.client("workers", id, metadata).await;
        let rx = inbox(&client);
        workers.push((id, client, rx));
    }
    // A restricted worker (no password): only chosen when a query allows restricted clients.
    let restricted = MeshClient::connect(
        MeshConfig::builder(&mesh.dsn("workers", None))
            .client_id("r")
            .metadata(md(&[("region", "eu".into())]))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    assert!(restricted.is_restricted());
    let rx = inbox(&restricted);
    workers.push(("r", restricted, rx));
    Fleet {
        mesh,
        caller,
        workers,
    }
}

impl Fleet {
    /// Broadcasts `{"case": n}` to `query`, then a marker to every worker; returns who got
    /// the case (per-socket order makes the marker a fence).
    async fn who_gets(&mut self, n: usize, query: Query) -> Vec<&'static str> {
        self.caller
            .broadcast(&query, json!({ "case": n }), None)
            .await
            .unwrap();
        let everyone = Query::builder("workers").restricted(true).build().unwrap();
        self.caller
            .broadcast(&everyone, json!({ "marker": n }), None)
            .await
            .unwrap();
        let mut got = Vec::new();
        for (id, _, rx) in &mut self.workers {
            let seen = until_marker(rx, n).await;
            if seen.contains(&json!({ "case": n })) {
                got.push(*id);
            }
            assert!(seen.len() <= 1, "{id} got more than the case: {seen:?}");
        }
        got
    }
}

#[tokio::test]
async fn broadcasts_reach_exactly_the_matching_set() {
    let mut fleet = fleet().await;
    let q = || Query::builder("workers");
    let cases: Vec<(Query, &[&str])> = vec![
        (q().eq("/region", "eu").build().unwrap(), &["a", "c"]),
        (q().ne("/region", "eu").build().unwrap(), &["b"]),
        (q().gt("/load", 4).build().unwrap(), &["b", "c"]),
        (q().gte("/load", 5).build().unwrap(), &["b", "c"]),
        (q().lt("/load", 5).build().unwrap(), &["a"]),
        (q().lte("/load", 5).build().unwrap(), &["a", "b"]),
        (q().is_in("/region", ["us", "ap"]).build().unwrap(), &["b"]),
        (q().not_in("/region", ["us"]).build().unwrap(), &["a", "c"]),
        (q().contains("/tags", "ssd").build().unwrap(), &["c"]),
        (q().not_contains("/tags", "gpu").build().unwrap(), &["b"]),
        (q().gt("/version", "1.3.0").build().unwrap(), &["b"]),
        (
            q().and([QueryOp::gt("/load", 0), QueryOp::lt("/load", 6)])
                .build()
                .unwrap(),
            &["a", "b"],
        ),
        (
            q().or([QueryOp::eq("/region", "us"), QueryOp::eq("/load", 9)])
                .build()
                .unwrap(),
            &["b", "c"],
        ),
        (
            q().nor([QueryOp::eq("/gpu", true)]).build().unwrap(),
            &["b"],
        ),
        (q().min("load").build().unwrap(), &["a"]),
        (q().max("load").build().unwrap(), &["c"]),
        (q().avg("load").build().unwrap(), &["b"]),
        (
            q().eq("/region", "mars").optional(true).build().unwrap(),
            &["a", "b", "c"],
        ),
        (
            q().eq("/region", "eu").restricted(true).build().unwrap(),
            &["a", "c", "r"],
        ),
        (
            q().eq("/region", "mars").droppable(true).build().unwrap(),
            &[],
        ),
    ];
    for (n, (query, expected)) in cases.into_iter().enumerate() {
        assert_eq!(
            fleet.who_gets(n, query.clone()).await,
            expected,
            "case {n}: {}",
            query.to_json()
        );
    }
}

#[tokio::test]
async fn metadata_updates_route_and_reserved_keys_are_refused() {
    let mut fleet = fleet().await;
    let b = fleet.workers[1].1.clone();
    b.set_metadata("load", 0_i64).await.unwrap();
    // Same socket, so the update is applied before this broadcast is routed.
    b.broadcast(
        &Query::builder("workers").lt("/load", 1).build().unwrap(),
        json!({ "case": 99 }),
        None,
    )
    .await
    .unwrap();
    b.broadcast(
        &Query::builder("workers").restricted(true).build().unwrap(),
        json!({ "marker": 99 }),
        None,
    )
    .await
    .unwrap();
    let got: Vec<&str> = {
        let mut got = Vec::new();
        for (id, _, rx) in &mut fleet.workers {
            if until_marker(rx, 99).await.contains(&json!({ "case": 99 })) {
                got.push(*id);
            }
        }
        got
    };
    assert_eq!(got, ["b"]);
    let stored = fleet.mesh.control.metadata("workers", "b").unwrap();
    assert_eq!(stored["load"], json!(0));
    let error = b.set_metadata("restricted", false).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::ReservedMetadataKey { .. }),
        "{error}"
    );
}

#[tokio::test]
async fn send_picks_one_and_a_key_picks_the_same_one() {
    let mut fleet = fleet().await;
    let eu = Query::builder("workers")
        .eq("/region", "eu")
        .build()
        .unwrap();
    fleet
        .caller
        .send(&eu, json!({ "case": 0 }), None)
        .await
        .unwrap();
    let everyone = Query::builder("workers").restricted(true).build().unwrap();
    fleet
        .caller
        .broadcast(&everyone, json!({ "marker": 0 }), None)
        .await
        .unwrap();
    let mut receivers = 0;
    for (_, _, rx) in &mut fleet.workers {
        receivers += until_marker(rx, 0).await.len();
    }
    assert_eq!(receivers, 1);

    let keyed = Query::builder("workers")
        .eq("/region", "eu")
        .key("user-42")
        .build()
        .unwrap();
    for _ in 0..8 {
        fleet
            .caller
            .send(&keyed, json!({ "case": 1 }), None)
            .await
            .unwrap();
    }
    fleet
        .caller
        .broadcast(&everyone, json!({ "marker": 1 }), None)
        .await
        .unwrap();
    let counts: Vec<usize> = {
        let mut counts = Vec::new();
        for (_, _, rx) in &mut fleet.workers {
            counts.push(until_marker(rx, 1).await.len());
        }
        counts
    };
    assert!(
        counts.contains(&8),
        "one client got every keyed message: {counts:?}"
    );
    assert_eq!(counts.iter().sum::<usize>(), 8);
}

#[tokio::test]
async fn request_reply_matched_by_nonce() {
    let mesh = mesh().await;
    let caller = mesh.client("caller", "c1", Metadata::new()).await;
    let worker = mesh
        .client("workers", "w1", md(&[("region", "eu".into())]))
        .await;
    let responder = worker.clone();
    worker
        .events()
        .on(move |message: Message| {
            let responder = responder.clone();
            tokio::spawn(async move {
                assert!(message.expects_reply());
                let n = message.payload["n"].as_i64().unwrap_or_default();
                responder
                    .reply(&message, json!({ "double": n * 2 }))
                    .await
                    .unwrap();
            });
        })
        .detach();
    let target = Query::builder("workers")
        .eq("/region", "eu")
        .build()
        .unwrap();
    for n in 0..5 {
        let answer = caller
            .request(&target, json!({ "n": n }), WAIT)
            .await
            .unwrap();
        assert_eq!(answer, json!({ "double": n * 2 }));
    }
    // Unroutable: the server's INVALID fails the request at once.
    let nowhere = Query::builder("nobody").build().unwrap();
    let error = caller.request(&nowhere, json!({}), WAIT).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Invalid { .. }), "{error}");
    let plain = Message {
        delivery: Delivery::Send,
        nonce: None,
        payload: Value::Null,
    };
    assert!(matches!(
        worker.reply(&plain, 1).await.unwrap_err().kind(),
        ErrorKind::Payload { .. }
    ));
}

fn queued(client: &MeshClient) -> mpsc::UnboundedReceiver<QueuedMessage> {
    let (tx, rx) = mpsc::unbounded_channel();
    client
        .events()
        .on(move |message: QueuedMessage| {
            let _ = tx.send(message);
        })
        .detach();
    rx
}

#[tokio::test]
async fn queued_message_is_delivered_once_and_redelivered_unless_acked() {
    let mesh = mesh().await;
    let producer = mesh.client("producer", "p1", Metadata::new()).await;
    let first = mesh
        .client("workers", "w1", md(&[("region", "eu".into())]))
        .await;
    let second = mesh
        .client("workers", "w2", md(&[("region", "eu".into())]))
        .await;
    let (mut first_rx, mut second_rx) = (queued(&first), queued(&second));
    let target = Query::builder("workers")
        .eq("/region", "eu")
        .build()
        .unwrap();

    producer
        .queue_push("jobs", &target, json!({ "job": 1 }))
        .await
        .unwrap();
    assert_eq!(
        mesh.control.queue_stats("jobs").queued,
        1,
        "nobody asked yet"
    );
    first.queue_request("jobs").await.unwrap();
    let delivered = tokio::time::timeout(WAIT, first_rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (delivered.queue.as_str(), &delivered.payload),
        ("jobs", &json!({ "job": 1 }))
    );
    second.queue_request("jobs").await.unwrap();
    // A confirmed push on the same socket fences the request.
    second.queue_push("fence", &target, 0).await.unwrap();
    let stats = mesh.control.queue_stats("jobs");
    assert_eq!(
        (stats.delivered, stats.unacked, stats.waiting_clients),
        (1, 1, 1),
        "delivered once"
    );

    // Not acked: after the ack timeout it goes to the next waiting client.
    mesh.control.expire_unacked("jobs");
    let again = tokio::time::timeout(WAIT, second_rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.id, delivered.id);
    second.queue_ack(&again).await.unwrap();
    // An ack on the same socket is processed before this push is confirmed.
    second.queue_push("fence", &target, 0).await.unwrap();
    mesh.control.expire_unacked("jobs");
    let stats = mesh.control.queue_stats("jobs");
    assert_eq!(
        (
            stats.delivered,
            stats.unacked,
            stats.queued,
            stats.redelivered
        ),
        (2, 0, 0, 1)
    );
    assert!(first_rx.try_recv().is_err() && second_rx.try_recv().is_err());
}

#[tokio::test]
async fn goodbye_reconnects_and_restores_metadata() {
    let mesh = mesh().await;
    let client = mesh.client("svc", "s1", md(&[("zone", "a".into())])).await;
    client.set_metadata("late", 7_i64).await.unwrap();
    let transient = Metadata::new().with("scratch", true).unwrap();
    client.update_metadata_transient(&transient).await.unwrap();
    // A message to itself on the same socket fences both updates.
    let me = Query::client("svc", "s1");
    let mut rx = inbox(&client);
    client.send(&me, "fence", None).await.unwrap();
    assert_eq!(next(&mut rx).await.payload, json!("fence"));
    assert_eq!(
        mesh.control.metadata("svc", "s1").unwrap()["scratch"],
        json!(true)
    );
    let ready_again = client
        .events()
        .wait_for(|e: &MeshEvent| matches!(e, MeshEvent::Ready { .. }), WAIT);
    let goodbye = client
        .events()
        .wait_for(|e: &MeshEvent| matches!(e, MeshEvent::Goodbye { .. }), WAIT);
    mesh.control.goodbye_all("load balancing");
    assert_eq!(
        goodbye.await.unwrap(),
        MeshEvent::Goodbye {
            reason: Some("load balancing".into())
        }
    );
    ready_again.await.unwrap();
    assert_eq!(mesh.control.identifies(), 2);
    let stored = mesh.control.metadata("svc", "s1").unwrap();
    assert_eq!((&stored["zone"], &stored["late"]), (&json!("a"), &json!(7)));
    assert!(
        !stored.contains_key("scratch"),
        "transient metadata is not restored"
    );
    // And the connection works again.
    client.send(&me, "hello again", None).await.unwrap();
    assert_eq!(next(&mut rx).await.payload, json!("hello again"));
}

#[tokio::test]
async fn restricted_clients_cannot_send_and_bad_auth_is_invalid() {
    let mesh = mesh().await;
    let restricted =
        MeshClient::connect(MeshConfig::builder(&mesh.dsn("web", None)).build().unwrap())
            .await
            .unwrap();
    assert!(restricted.is_restricted());
    let target = Query::application("web");
    let error = restricted.send(&target, 1, None).await.unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::Restricted { action: "send" });
    assert!(error.to_string().contains("restricted"));
    assert!(matches!(
        restricted
            .broadcast(&target, 1, None)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Restricted { .. }
    ));
    assert!(matches!(
        restricted
            .queue_push("q", &target, 1)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Restricted { .. }
    ));
    restricted.set_metadata("page", "/home").await.unwrap();

    let bad = MeshConfig::builder(&mesh.dsn("web", Some("wrong-password")))
        .build()
        .unwrap();
    let error = MeshClient::connect(bad).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Invalid { .. }), "{error}");
    assert!(!error.to_string().contains("wrong-password"));
}

#[tokio::test]
async fn duplicate_client_ids_are_refused() {
    let mesh = mesh().await;
    let _first = mesh.client("svc", "same", Metadata::new()).await;
    let config = MeshConfig::builder(&mesh.dsn("svc", Some(PASSWORD)))
        .client_id("same")
        .build()
        .unwrap();
    let error = MeshClient::connect(config).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Server { .. }), "{error}");
}

#[tokio::test]
async fn a_thousand_messages_are_routed_with_none_lost() {
    let mesh = mesh().await;
    let sender = mesh.client("producer", "p", Metadata::new()).await;
    let receiver = mesh.client("consumer", "c", Metadata::new()).await;
    let mut rx = inbox(&receiver);
    let target = Query::application("consumer");
    for n in 0..1000 {
        sender.send(&target, json!({ "n": n }), None).await.unwrap();
    }
    for n in 0..1000 {
        assert_eq!(next(&mut rx).await.payload, json!({ "n": n }));
    }
    assert_eq!(mesh.control.routed(), 1000);
}

#[tokio::test]
async fn client_updates_are_published() {
    let mesh = mesh().await;
    let config = MeshConfig::builder(&mesh.dsn("watcher", Some(PASSWORD)))
        .receive_client_updates(true)
        .build()
        .unwrap();
    let watcher = MeshClient::connect(config).await.unwrap();
    let connected = watcher.events().wait_for(
        |e: &MeshEvent| matches!(e, MeshEvent::ClientConnected { app } if app == "newcomer"),
        WAIT,
    );
    let disconnected = watcher.events().wait_for(
        |e: &MeshEvent| matches!(e, MeshEvent::ClientDisconnected { app } if app == "newcomer"),
        WAIT,
    );
    let newcomer = mesh.client("newcomer", "n1", Metadata::new()).await;
    connected.await.unwrap();
    newcomer.close();
    disconnected.await.unwrap();
    assert!(newcomer.is_closed());
    assert!(matches!(
        newcomer
            .send(&Query::application("x"), 1, None)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Closed
    ));
}

#[tokio::test]
async fn proxy_request_reaches_the_chosen_client_and_discovery_finds_tags() {
    let mesh = mesh().await;
    let backend = sandbox::Server::builder()
        .serve(sandbox::echo::Echo::new())
        .await
        .unwrap();
    let config = MeshConfig::builder(&mesh.dsn("users", Some(PASSWORD)))
        .ip(backend.addr().to_string())
        .metadata(md(&[("tags", vec![json!("http"), json!("users")].into())]))
        .build()
        .unwrap();
    let _users = MeshClient::connect(config).await.unwrap();
    let caller = mesh
        .client("caller", "c", md(&[("tags", vec![json!("http")].into())]))
        .await;

    let request =
        svc_mesh::ProxyRequest::new(svc_mesh::Method::POST, "/echo", Query::application("users"))
            .json_body(json!({ "name": "ada" }))
            .header("x-trace", "t-1");
    let response = caller.proxy_request(&request).await.unwrap();
    assert_eq!(response.status, 200);
    let echoed: Value = response.json().unwrap();
    assert_eq!(echoed["method"], "POST");
    assert_eq!(echoed["path"], "/echo");
    assert_eq!(echoed["body"], r#"{"name":"ada"}"#);
    assert_eq!(echoed["headers"]["x-trace"], "t-1");

    let unroutable =
        svc_mesh::ProxyRequest::new(svc_mesh::Method::GET, "/echo", Query::application("nobody"));
    assert_eq!(caller.proxy_request(&unroutable).await.unwrap().status, 400);

    assert_eq!(
        caller.discover(&["http"]).await.unwrap(),
        ["caller", "users"]
    );
    assert_eq!(
        caller.discover(&["http", "users"]).await.unwrap(),
        ["users"]
    );
    let clients = caller
        .query_clients(&Query::application("users"))
        .await
        .unwrap();
    assert_eq!(clients.len(), 1);
    assert_eq!(
        clients[0].socket_ip.as_deref(),
        Some(backend.addr().to_string().as_str())
    );
}

#[tokio::test(start_paused = true)]
async fn heartbeats_measure_latency() {
    let mesh = mesh().await;
    let client = mesh.client("svc", "hb", Metadata::new()).await;
    assert_eq!(client.latency(), None);
    let ack = client.events().wait_for(
        |e: &MeshEvent| matches!(e, MeshEvent::HeartbeatAck { .. }),
        Duration::from_mins(2),
    );
    // The sandbox announces 45 s; paused time jumps there.
    let MeshEvent::HeartbeatAck { latency } = ack.await.unwrap() else {
        unreachable!()
    };
    assert_eq!(client.latency(), Some(latency));
    assert!(client.is_ready());
}

#[tokio::test(start_paused = true)]
async fn unanswered_heartbeats_are_a_zombie_and_the_client_reconnects() {
    let mesh = mesh().await;
    let client = mesh
        .client("svc", "zombie", md(&[("zone", "b".into())]))
        .await;
    mesh.control.ack_heartbeats(false);
    let dropped = client.events().wait_for(
        |e: &MeshEvent| matches!(e, MeshEvent::Disconnected { .. }),
        Duration::from_mins(5),
    );
    let ready_again = client.events().wait_for(
        |e: &MeshEvent| matches!(e, MeshEvent::Ready { .. }),
        Duration::from_mins(5),
    );
    // Beat at 45 s goes unanswered; at 90 s the watchdog gives up on the connection.
    assert_eq!(
        dropped.await.unwrap(),
        MeshEvent::Disconnected { code: Some(4000) },
        "closed by the client's watchdog, not by the server"
    );
    mesh.control.ack_heartbeats(true);
    ready_again.await.unwrap();
    assert_eq!(mesh.control.identifies(), 2);
    assert_eq!(
        mesh.control.metadata("svc", "zombie").unwrap()["zone"],
        json!("b")
    );
}

#[tokio::test(start_paused = true)]
async fn unacked_queue_messages_come_back_after_the_ack_timeout() {
    let mesh = mesh().await;
    let producer = mesh.client("producer", "p", Metadata::new()).await;
    let worker = mesh.client("workers", "w", Metadata::new()).await;
    let mut jobs = queued(&worker);
    worker.queue_request("jobs").await.unwrap();
    producer
        .queue_push("jobs", &Query::application("workers"), "job")
        .await
        .unwrap();
    let first = tokio::time::timeout(WAIT, jobs.recv())
        .await
        .unwrap()
        .unwrap();
    worker.queue_request("jobs").await.unwrap();
    // No ack: the sandbox's 15 s ack timeout passes (paused time jumps) and it comes back.
    let again = tokio::time::timeout(Duration::from_mins(1), jobs.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.id, first.id);
    assert_eq!(mesh.control.queue_stats("jobs").redelivered, 1);
}

/// Identifies a server that drops every connection right away can get from one client in a
/// minute. The default backoff (0.5 s doubling to 30 s, each delay jittered down to half)
/// waits at least 0.25 + 0.5 + 1 + 2 + 4 + 8 + 15 + 15 = 45.75 s over the first eight
/// reconnects, and 60.75 s with the ninth: at most nine reconnects (ten identifies with the
/// first) fit in a minute, however short each connection is. Reconnecting at once would be
/// one per round trip.
const MAX_IDENTIFIES_PER_MINUTE: u64 = 10;

/// A client with the default backoff (the shared helper shortens it).
async fn client_with_default_backoff(mesh: &Mesh, id: &str) -> MeshClient {
    let config = MeshConfig::builder(&mesh.dsn("svc", Some(PASSWORD)))
        .client_id(id)
        .build()
        .unwrap();
    MeshClient::connect(config).await.unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_server_that_never_acks_a_short_heartbeat_sees_bounded_reconnects() {
    // HELLO announces 1 s (the sandbox drops clients silent for 1.5 s) and no heartbeat is
    // ever acknowledged: every connection zombies 2 s after it starts.
    let platform = Singyeong::new(
        SingyeongConfig::default()
            .password(PASSWORD)
            .heartbeat_interval(Duration::from_secs(1)),
    );
    let control = platform.control();
    let server = sandbox::Server::builder().serve(platform).await.unwrap();
    let mesh = Mesh { server, control };
    mesh.control.ack_heartbeats(false);
    let start = tokio::time::Instant::now();
    let client = client_with_default_backoff(&mesh, "storm").await;
    let zombies = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = std::sync::Arc::clone(&zombies);
    client
        .events()
        .on(move |event: MeshEvent| {
            if event == (MeshEvent::Disconnected { code: Some(4000) }) {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        })
        .detach();
    tokio::time::sleep_until(start + Duration::from_mins(1)).await;
    let zombies = zombies.load(std::sync::atomic::Ordering::SeqCst);
    let identifies = mesh.control.identifies();
    assert!(
        zombies >= 3,
        "the watchdog closed the connections: {zombies}"
    );
    assert!(
        (3..=MAX_IDENTIFIES_PER_MINUTE).contains(&identifies),
        "{identifies} identifies in a minute"
    );
}

#[tokio::test(start_paused = true)]
async fn goodbye_after_every_identify_sees_bounded_reconnects() {
    let mesh = mesh().await;
    let start = tokio::time::Instant::now();
    let client = client_with_default_backoff(&mesh, "sent-away").await;
    let mut goodbyes = 0;
    while start.elapsed() < Duration::from_mins(1) {
        let left = Duration::from_mins(1).saturating_sub(start.elapsed());
        let ready = client
            .events()
            .wait_for(|e: &MeshEvent| matches!(e, MeshEvent::Ready { .. }), left);
        mesh.control.goodbye_all("go away");
        goodbyes += 1;
        if ready.await.is_err() {
            break;
        }
    }
    let identifies = mesh.control.identifies();
    assert!(goodbyes >= 3, "{goodbyes} goodbyes");
    assert!(
        (3..=MAX_IDENTIFIES_PER_MINUTE).contains(&identifies),
        "{identifies} identifies in a minute"
    );
}
