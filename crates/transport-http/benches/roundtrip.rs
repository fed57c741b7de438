//! Cost of a pooled GET + simd-json decode against a local hyper server, and of the
//! decode alone, for a Discord-sized payload (100 messages, ~20 KB).
#![allow(missing_docs)]

use std::convert::Infallible;
use std::hint::black_box;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use serde::Deserialize;
use tokio::net::TcpListener;
use transport_http::Client;

#[derive(Deserialize)]
#[allow(dead_code)]
struct Message {
    id: String,
    channel_id: String,
    content: String,
    author: Author,
    mentions: Vec<Author>,
    pinned: bool,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Author {
    id: String,
    username: String,
    bot: bool,
}

fn payload() -> Bytes {
    let messages: Vec<String> = (0..100)
        .map(|n| {
            format!(
                r#"{{"id":"{id}","channel_id":"1234567890123","content":"message number {n} with some text","author":{{"id":"{author}","username":"user{n}","bot":false}},"mentions":[],"pinned":false}}"#,
                id = 1_100_000_000_000_000_000_u64 + n,
                author = 900_000_000_000_000_000_u64 + n % 7,
            )
        })
        .collect();
    Bytes::from(format!("[{}]", messages.join(",")))
}

async fn serve(body: Bytes) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let body = body.clone();
            tokio::spawn(async move {
                let service = service_fn(move |_| {
                    let body = body.clone();
                    async move {
                        Ok::<_, Infallible>(
                            hyper::Response::builder()
                                .header("content-type", "application/json")
                                .body(Full::new(body))
                                .unwrap(),
                        )
                    }
                });
                let _ = auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

fn roundtrip(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let body = payload();
    let base = runtime.block_on(serve(body.clone()));
    let client = Client::builder().base_url(base).build().unwrap();

    let mut group = c.benchmark_group("transport_http");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("get_and_decode_100_messages", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = client.get("/channels/1/messages").send().await.unwrap();
            black_box(response.json::<Vec<Message>>().unwrap())
        });
    });
    let response = runtime.block_on(client.get("/").send()).unwrap();
    group.bench_function("decode_100_messages", |b| {
        b.iter(|| black_box(response.json::<Vec<Message>>().unwrap()));
    });
    group.finish();
}

criterion_group!(benches, roundtrip);
criterion_main!(benches);
