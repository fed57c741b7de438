//! Query evaluation over 10,000 clients' metadata (the sandbox's evaluator, fed queries built
//! by this crate) and messages routed end to end through the sandbox on loopback.
#![allow(missing_docs)]

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sandbox::singyeong::query::{ClientRecord, Query as ServerQuery};
use sandbox::singyeong::{Singyeong, SingyeongConfig};
use serde_json::{Map, Value, json};
use svc_mesh::{MeshClient, MeshConfig, Message, Query, QueryOp};
use tokio::sync::mpsc;

const CLIENTS: usize = 10_000;
const MESSAGES: u64 = 1_000;

/// Deterministic metadata: a tiny LCG keeps the fleet identical between runs.
fn fleet() -> Vec<ClientRecord> {
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    let regions = ["eu", "us", "ap", "sa"];
    (0..CLIENTS)
        .map(|i| {
            let mut metadata = Map::new();
            metadata.insert("region".into(), json!(regions[(next() % 4) as usize]));
            metadata.insert("load".into(), json!(next() % 100));
            metadata.insert("latency".into(), json!((next() % 5000) as f64 / 10.0));
            metadata.insert(
                "tags".into(),
                json!(if next() % 3 == 0 {
                    vec!["gpu", "ssd"]
                } else {
                    vec!["ssd"]
                }),
            );
            metadata.insert("version".into(), json!(format!("1.{}.0", next() % 20)));
            let types = HashMap::from([("version".to_owned(), "version".to_owned())]);
            ClientRecord {
                app_id: if i % 10 == 0 {
                    "other".into()
                } else {
                    "workers".into()
                },
                client_id: format!("client-{i}"),
                restricted: i % 50 == 0,
                metadata,
                types,
            }
        })
        .collect()
}

fn server_query(query: &Query) -> ServerQuery {
    ServerQuery::parse(&query.to_json()).expect("the builder's JSON parses on the server")
}

fn query_evaluation(c: &mut Criterion) {
    let clients = fleet();
    let queries = [
        (
            "eq",
            Query::builder("workers")
                .eq("/region", "eu")
                .build()
                .unwrap(),
        ),
        (
            "compound",
            Query::builder("workers")
                .lt("/load", 50)
                .or([
                    QueryOp::contains("/tags", "gpu"),
                    QueryOp::gte("/version", "1.10.0"),
                ])
                .nor([QueryOp::is_in("/region", ["sa", "ap"])])
                .build()
                .unwrap(),
        ),
        (
            "selector_min",
            Query::builder("workers")
                .eq("/region", "us")
                .min("latency")
                .build()
                .unwrap(),
        ),
    ];
    let mut group = c.benchmark_group("query_10k_clients");
    group.throughput(Throughput::Elements(CLIENTS as u64));
    for (name, query) in queries {
        let parsed = server_query(&query);
        group.bench_function(name, |b| {
            b.iter(|| black_box(parsed.select(black_box(&clients)).len()));
        });
    }
    group.finish();
}

fn routing(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (server, sender, receiver, mut received) = runtime.block_on(async {
        let server = sandbox::Server::builder()
            .serve(Singyeong::new(SingyeongConfig::default()))
            .await
            .unwrap();
        let connect = |app: &str| {
            let dsn = format!("singyeong://{app}@{}", server.addr());
            async move {
                MeshClient::connect(MeshConfig::builder(&dsn).build().unwrap())
                    .await
                    .unwrap()
            }
        };
        let sender = connect("producer").await;
        let receiver = connect("consumer").await;
        let (tx, rx) = mpsc::unbounded_channel::<Value>();
        receiver
            .events()
            .on(move |message: Message| {
                let _ = tx.send(message.payload);
            })
            .detach();
        (server, sender, receiver, rx)
    });
    let target = Query::application("consumer");
    let mut group = c.benchmark_group("routing_loopback");
    group.throughput(Throughput::Elements(MESSAGES));
    group.sample_size(20);
    group.bench_function("send_1000", |b| {
        b.iter(|| {
            runtime.block_on(async {
                for n in 0..MESSAGES {
                    sender.send(&target, n, None).await.unwrap();
                }
                for _ in 0..MESSAGES {
                    received.recv().await.unwrap();
                }
            });
        });
    });
    group.finish();
    receiver.close();
    sender.close();
    drop(server);
}

criterion_group!(benches, query_evaluation, routing);
criterion_main!(benches);
