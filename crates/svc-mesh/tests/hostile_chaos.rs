//! The sandbox singyeong server in chaos mode (`sandbox::chaos`, platform `singyeong`):
//! hostile heartbeat intervals, a server that never ACKs, one that drops every connection
//! after IDENTIFY, and every hostile HTTP behaviour on the REST API. Real sockets, paused
//! clock. The client never panics, reconnects a bounded number of times a minute, loses
//! and doubles no message once the server behaves, and shows no password in errors.

use std::error::Error as _;
use std::fmt::Write as _;
use std::time::Duration;

use sandbox::chaos::Chaos;
use sandbox::singyeong::{Singyeong, SingyeongConfig, SingyeongControl};
use serde_json::{Value, json};
use svc_mesh::{MeshClient, MeshConfig, Message, Metadata, Query};
use tokio::sync::mpsc;

const PASSWORD: &str = "correct-horse-battery";

struct Mesh {
    server: sandbox::Server,
    control: SingyeongControl,
}

async fn mesh() -> Mesh {
    let platform = Singyeong::new(SingyeongConfig::default().password(PASSWORD));
    let control = platform.control();
    let server = sandbox::Server::builder().serve(platform).await.unwrap();
    Mesh { server, control }
}

impl Mesh {
    /// A client with the default reconnect backoff (the one under test).
    async fn client(&self, app: &str, id: &str) -> MeshClient {
        let dsn = format!("singyeong://{app}:{PASSWORD}@{}", self.server.addr());
        let config = MeshConfig::builder(&dsn)
            .client_id(id)
            .metadata(Metadata::new())
            .build()
            .unwrap();
        MeshClient::connect(config).await.unwrap()
    }

    /// A receiver (app `rx`) with its inbox, and a sender (app `tx`).
    async fn pair(&self) -> (MeshClient, mpsc::UnboundedReceiver<Message>, MeshClient) {
        let receiver = self.client("rx", "rx-1").await;
        let (tx, inbox) = mpsc::unbounded_channel();
        receiver
            .events()
            .on(move |message: Message| {
                let _ = tx.send(message);
            })
            .detach();
        let sender = self.client("tx", "tx-1").await;
        (receiver, inbox, sender)
    }
}

/// Lets `seconds` of (paused) time pass.
async fn run_for(seconds: u64) {
    tokio::time::sleep(Duration::from_secs(seconds)).await;
}

/// Waits (on the paused clock) until every client is identified again.
async fn until_ready(clients: &[&MeshClient]) {
    for _ in 0..600 {
        if clients.iter().all(|c| c.is_ready()) {
            return;
        }
        run_for(1).await;
    }
    panic!("clients not ready again within ten minutes");
}

/// Sends `{"n": 0..count}` then a marker to `rx`; every number arrives exactly once.
async fn exactly_once(sender: &MeshClient, inbox: &mut mpsc::UnboundedReceiver<Message>) {
    while inbox.try_recv().is_ok() {}
    let to = Query::application("rx");
    for n in 0..20 {
        sender.send(&to, json!({ "n": n }), None).await.unwrap();
    }
    sender
        .send(&to, json!({ "marker": true }), None)
        .await
        .unwrap();
    let mut seen: Vec<Value> = Vec::new();
    loop {
        let message = tokio::time::timeout(Duration::from_secs(30), inbox.recv())
            .await
            .expect("messages in time")
            .expect("inbox open");
        if message.payload == json!({ "marker": true }) {
            break;
        }
        seen.push(message.payload);
    }
    let expected: Vec<Value> = (0..20).map(|n| json!({ "n": n })).collect();
    assert_eq!(seen, expected, "lost, doubled or reordered");
}

/// HELLO's `heartbeat_interval` of u64::MAX, -1 and 1 ms: clamped (or replaced by the
/// default), never a panic, and reconnects stay few.
#[tokio::test(start_paused = true)]
async fn hostile_heartbeat_intervals_are_clamped_and_reconnects_stay_few() {
    for chaos in [
        Chaos::HugeNumbers,
        Chaos::NegativeNumbers,
        Chaos::TinyHeartbeat,
    ] {
        let mesh = mesh().await;
        mesh.control.chaos().on(chaos);
        let (receiver, mut inbox, sender) = mesh.pair().await;
        run_for(300).await;
        // Two clients; an interval clamped to the ten-minute ceiling outlives the server's
        // 67.5 s deadline, so each reconnects about once a minute, never in a tight loop.
        let accepted = mesh.control.accepted();
        assert!(
            accepted <= 2 + 2 * 6,
            "{chaos}: {accepted} connections in 5 min"
        );
        mesh.control.chaos().clear();
        mesh.control.drop_all();
        // The drop reaches the clients first; then they come back.
        run_for(1).await;
        until_ready(&[&receiver, &sender]).await;
        exactly_once(&sender, &mut inbox).await;
    }
}

/// A server that never ACKs: the client calls the connection a zombie and reconnects, at a
/// bounded rate; once ACKs come back nothing is lost or doubled.
#[tokio::test(start_paused = true)]
async fn never_acked_heartbeats_reconnect_at_a_bounded_rate() {
    let mesh = mesh().await;
    let (receiver, mut inbox, sender) = mesh.pair().await;
    mesh.control.chaos().on(Chaos::NeverAck);
    let before = mesh.control.accepted();
    run_for(600).await;
    let reconnects = mesh.control.accepted() - before;
    assert!(reconnects >= 2, "a zombie connection is left: {reconnects}");
    // 45 s heartbeats, a zombie after a missed ACK: at most one reconnect a minute each.
    assert!(reconnects <= 2 * 12, "{reconnects} reconnects in 10 min");
    mesh.control.chaos().clear();
    until_ready(&[&receiver, &sender]).await;
    exactly_once(&sender, &mut inbox).await;
}

/// A server that drops every connection right after IDENTIFY: the client backs off (no
/// reconnect storm, its password sent a bounded number of times); once the server answers
/// again the client is back and nothing is lost or doubled.
#[tokio::test(start_paused = true)]
async fn drops_after_identify_back_off_instead_of_storming() {
    let mesh = mesh().await;
    let (receiver, mut inbox, sender) = mesh.pair().await;
    mesh.control.chaos().on(Chaos::DropMidHandshake);
    mesh.control.drop_all();
    let before = mesh.control.accepted();
    run_for(60).await;
    let first_minute = mesh.control.accepted() - before;
    assert!(
        first_minute >= 2,
        "the clients stopped trying: {first_minute}"
    );
    // Backoff from 0.5 s doubling (with jitter): a handful each in the first minute.
    assert!(
        first_minute <= 2 * 8,
        "{first_minute} IDENTIFYs in a minute"
    );
    let before = mesh.control.accepted();
    run_for(600).await;
    let later = mesh.control.accepted() - before;
    // The mesh policy caps the delay at 30 s, jittered down to no less than 15 s: at most
    // 40 a client in ten minutes, not one per round trip.
    assert!(later <= 2 * 41, "{later} IDENTIFYs in ten minutes");
    mesh.control.chaos().clear();
    until_ready(&[&receiver, &sender]).await;
    exactly_once(&sender, &mut inbox).await;
}

/// Everything an error shows: `Display`, `Debug` and the whole source chain.
fn shown(error: &svc_mesh::Error) -> String {
    let mut shown = format!("{error} {error:?}");
    let mut source = error.source();
    while let Some(cause) = source {
        let _ = write!(shown, " {cause} {cause:?}");
        source = cause.source();
    }
    shown
}

/// Every hostile HTTP behaviour on the REST API (`query_clients`): a typed error (or, for
/// numbers, an answer), bodies within the cap, no password in the error text, and the next
/// query succeeds once the chaos is cleared.
#[tokio::test(start_paused = true)]
async fn a_hostile_rest_api_is_a_typed_error_and_the_next_query_works() {
    let mesh = mesh().await;
    let (_receiver, _inbox, sender) = mesh.pair().await;
    let everyone = Query::application("rx");
    for chaos in [
        Chaos::HugeNumbers,
        Chaos::NegativeNumbers,
        Chaos::WrongTypeFields,
        Chaos::TruncatedBody,
        Chaos::OversizedBody,
        Chaos::InvalidUtf8Body,
        Chaos::SlowBody,
    ] {
        mesh.control.chaos().on(chaos);
        let hostile = sender.query_clients(&everyone).await;
        mesh.control.chaos().clear();
        match hostile {
            Ok(_) => assert!(
                matches!(chaos, Chaos::HugeNumbers | Chaos::NegativeNumbers),
                "{chaos}: answered"
            ),
            Err(error) => {
                let shown = shown(&error);
                assert!(!shown.contains(PASSWORD), "{chaos}: {shown}");
                if chaos == Chaos::OversizedBody {
                    assert!(shown.contains("exceeds"), "{shown}");
                }
                if chaos == Chaos::SlowBody {
                    assert!(shown.contains("timed out"), "{shown}");
                }
            }
        }
        let clients = sender
            .query_clients(&everyone)
            .await
            .unwrap_or_else(|e| panic!("{chaos}: the next query fails: {e:?}"));
        assert_eq!(clients.len(), 1, "{chaos}");
    }
}
