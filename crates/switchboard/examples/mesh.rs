//! Two services talking through singyeong: `billing` answers price requests and works a
//! queue; `orders` asks it, broadcasts, and queues a job. Everything runs against the
//! sandbox's singyeong server in this process. `cargo run --example mesh`.

use std::time::Duration;

use sandbox::singyeong::{Singyeong, SingyeongConfig};
use serde_json::json;
use switchboard::mesh::{MeshClient, MeshConfig, Message, Metadata, Query, QueuedMessage};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = sandbox::Server::builder()
        .serve(Singyeong::new(
            SingyeongConfig::default().password("s3cret"),
        ))
        .await?;
    let dsn = |app: &str| format!("singyeong://{app}:s3cret@{}", server.addr());

    // billing: metadata other services route by, a reply for every request, a queue worker.
    let billing = MeshClient::connect(
        MeshConfig::builder(&dsn("billing"))
            .client_id("billing-eu-1")
            .metadata(Metadata::new().with("region", "eu")?.with("load", 0.2)?)
            .build()?,
    )
    .await?;
    let responder = billing.clone();
    billing
        .events()
        .on(move |message: Message| {
            let responder = responder.clone();
            tokio::spawn(async move {
                if message.expects_reply() {
                    let sku = message.payload["sku"].as_str().unwrap_or("?").to_owned();
                    let _ = responder
                        .reply(&message, json!({ "sku": sku, "price": 1299 }))
                        .await;
                } else {
                    println!("billing got a broadcast: {}", message.payload);
                }
            });
        })
        .detach();
    let worker = billing.clone();
    let (done_tx, mut done) = tokio::sync::mpsc::unbounded_channel();
    billing
        .events()
        .on(move |job: QueuedMessage| {
            let worker = worker.clone();
            let done_tx = done_tx.clone();
            tokio::spawn(async move {
                println!(
                    "billing works job {} from queue {}: {}",
                    job.id, job.queue, job.payload
                );
                let _ = worker.queue_ack(&job).await;
                let _ = done_tx.send(());
            });
        })
        .detach();
    billing.queue_request("invoices").await?;

    // orders: asks billing for a price, tells every billing client about a sale, queues work.
    let orders = MeshClient::connect(
        MeshConfig::builder(&dsn("orders"))
            .client_id("orders-1")
            .build()?,
    )
    .await?;
    let eu_billing = Query::builder("billing")
        .eq("/region", "eu")
        .lt("/load", 0.8)
        .min("load")
        .build()?;
    let price = orders
        .request(
            &eu_billing,
            json!({ "sku": "kbd-01" }),
            Duration::from_secs(5),
        )
        .await?;
    println!("orders asked billing for a price: {price}");
    orders
        .broadcast(
            &Query::application("billing"),
            json!({ "sale": "starts now" }),
            None,
        )
        .await?;
    orders
        .queue_push(
            "invoices",
            &Query::application("billing"),
            json!({ "order": 42 }),
        )
        .await?;
    tokio::time::timeout(Duration::from_secs(5), done.recv()).await?;

    orders.close();
    billing.close();
    server.shutdown().await;
    Ok(())
}
