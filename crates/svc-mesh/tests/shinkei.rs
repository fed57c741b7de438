//! End to end against the sandbox singyeong server: what shinkei users reach for — `stream`
//! with a check, a limit and a timeout, `wait_for`, `QUERY_NODES`, `discover`.

use std::time::Duration;

use futures_util::StreamExt;
use sandbox::singyeong::{Singyeong, SingyeongConfig};
use serde_json::{Value, json};
use svc_mesh::{
    ErrorKind, MeshClient, MeshConfig, MeshEvent, Message, Metadata, Query, StreamOptions,
};

const PASSWORD: &str = "pw";
const WAIT: Duration = Duration::from_secs(10);

async fn server() -> sandbox::Server {
    let platform = Singyeong::new(SingyeongConfig::default().password(PASSWORD));
    sandbox::Server::builder().serve(platform).await.unwrap()
}

async fn client(server: &sandbox::Server, app: &str, id: &str, metadata: Metadata) -> MeshClient {
    let dsn = format!("singyeong://{app}:{PASSWORD}@{}", server.addr());
    let config = MeshConfig::builder(&dsn)
        .client_id(id)
        .metadata(metadata)
        .request_timeout(WAIT)
        .build()
        .unwrap();
    MeshClient::connect(config).await.unwrap()
}

#[tokio::test]
async fn a_stream_keeps_matching_messages_and_stops_at_its_limit() {
    let server = server().await;
    let worker = client(&server, "workers", "w1", Metadata::new()).await;
    let sender = client(&server, "caller", "c1", Metadata::new()).await;
    let mut jobs = worker.stream(
        |m: &Message| m.payload.get("job").is_some(),
        StreamOptions::new().limit(2).timeout(WAIT),
    );
    let target = Query::application("workers");
    for payload in [
        json!({"noise": 1}),
        json!({"job": 1}),
        json!({"job": 2}),
        json!({"job": 3}),
    ] {
        sender.send(&target, payload, None).await.unwrap();
    }
    let first = jobs.next().await.unwrap().unwrap();
    let second = jobs.next().await.unwrap().unwrap();
    assert_eq!(first.payload, json!({"job": 1}));
    assert_eq!(second.payload, json!({"job": 2}));
    assert!(jobs.next().await.is_none(), "the limit ends the stream");
    worker.close();
    sender.close();
    server.shutdown().await;
}

#[tokio::test]
async fn a_stream_times_out_once_and_ends_and_ends_when_the_client_closes() {
    let server = server().await;
    let worker = client(&server, "workers", "w1", Metadata::new()).await;
    tokio::time::pause();
    let mut quiet = worker.stream(
        |_: &Message| true,
        StreamOptions::new().timeout(Duration::from_secs(5)),
    );
    let error = quiet.next().await.unwrap().unwrap_err();
    assert_eq!(
        error.kind(),
        &ErrorKind::Timeout {
            after: Duration::from_secs(5)
        }
    );
    assert!(quiet.next().await.is_none());
    tokio::time::resume();

    let mut endless = worker.stream(|_: &MeshEvent| false, StreamOptions::new());
    worker.close();
    assert!(
        tokio::time::timeout(WAIT, endless.next())
            .await
            .unwrap()
            .is_none()
    );
    server.shutdown().await;
}

#[tokio::test]
async fn wait_for_returns_the_first_match_or_times_out() {
    let server = server().await;
    let worker = client(&server, "workers", "w1", Metadata::new()).await;
    let sender = client(&server, "caller", "c1", Metadata::new()).await;
    let waiting = worker.wait_for(|m: &Message| m.payload == json!("second"), WAIT);
    let target = Query::application("workers");
    sender.send(&target, "first", None).await.unwrap();
    sender.send(&target, "second", None).await.unwrap();
    assert_eq!(waiting.await.unwrap().payload, json!("second"));

    tokio::time::pause();
    let error = worker
        .wait_for(|_: &Message| true, Duration::from_secs(3))
        .await
        .unwrap_err();
    assert_eq!(
        error.kind(),
        &ErrorKind::Timeout {
            after: Duration::from_secs(3)
        }
    );
    tokio::time::resume();
    worker.close();
    sender.close();
    server.shutdown().await;
}

#[tokio::test]
async fn query_nodes_asks_over_the_gateway_and_reads_the_answer() {
    let server = server().await;
    let eu = Metadata::new().with("region", "eu").unwrap();
    let us = Metadata::new().with("region", "us").unwrap();
    let a = client(&server, "workers", "a", eu).await;
    let b = client(&server, "workers", "b", us).await;
    let asker = client(&server, "caller", "c1", Metadata::new()).await;
    let unasked = asker.wait_for(
        |e: &MeshEvent| matches!(e, MeshEvent::Nodes(_)),
        Duration::from_millis(300),
    );

    let query = Query::builder("workers")
        .eq("/region", "eu")
        .build()
        .unwrap();
    let all_workers = Query::application("workers");
    let (first, second) = tokio::join!(asker.query_nodes(&query), asker.query_nodes(&all_workers),);
    let first = first.unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].client_id, "a");
    assert_eq!(first[0].metadata["region"], Value::from("eu"));
    let mut ids: Vec<_> = second.unwrap().into_iter().map(|c| c.client_id).collect();
    ids.sort();
    assert_eq!(ids, ["a", "b"]);
    // Answers to query_nodes go to the caller, not to the event hub.
    assert!(unasked.await.is_err());

    a.close();
    b.close();
    asker.close();
    server.shutdown().await;
}

#[tokio::test]
async fn discover_finds_applications_by_tags_on_the_query_route() {
    let server = server().await;
    let gpu = Metadata::new()
        .with("tags", vec![json!("gpu"), json!("eu")])
        .unwrap();
    let cpu = Metadata::new().with("tags", vec![json!("cpu")]).unwrap();
    let a = client(&server, "renderer", "r1", gpu).await;
    let b = client(&server, "indexer", "i1", cpu).await;
    let asker = client(&server, "caller", "c1", Metadata::new()).await;
    assert_eq!(asker.discover(&["gpu"]).await.unwrap(), ["renderer"]);
    assert_eq!(asker.discover(&["gpu", "eu"]).await.unwrap(), ["renderer"]);
    assert!(asker.discover(&["gpu", "cpu"]).await.unwrap().is_empty());
    a.close();
    b.close();
    asker.close();
    server.shutdown().await;
}
