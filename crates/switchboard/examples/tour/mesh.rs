//! Step: singyeong — two services find each other by metadata, request/reply, a queued job
//! acked, and a GOODBYE after which the client reconnects with its metadata restored.

use std::time::Duration;

use sandbox::singyeong::{Singyeong, SingyeongConfig};
use serde_json::json;
use switchboard::mesh::{
    MeshClient, MeshConfig, MeshEvent, Message, Metadata, Query, QueuedMessage,
};

pub(crate) async fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("== singyeong mesh (sandbox singyeong server)");
    let platform = Singyeong::new(SingyeongConfig::default().password("tour"));
    let control = platform.control();
    let server = sandbox::Server::builder().serve(platform).await?;
    let dsn = |app: &str| format!("singyeong://{app}:tour@{}", server.addr());

    let worker = MeshClient::connect(
        MeshConfig::builder(&dsn("workers"))
            .client_id("worker-1")
            .metadata(Metadata::new().with("region", "eu")?.with("load", 3_i64)?)
            .build()?,
    )
    .await?;
    let responder = worker.clone();
    worker
        .events()
        .on(move |message: Message| {
            let responder = responder.clone();
            tokio::spawn(async move {
                let _ = responder
                    .reply(&message, json!({ "echo": message.payload }))
                    .await;
            });
        })
        .detach();
    let caller = MeshClient::connect(MeshConfig::builder(&dsn("caller")).build()?).await?;
    let target = Query::builder("workers")
        .eq("/region", "eu")
        .lt("/load", 5)
        .build()?;
    let answer = caller
        .request(&target, "ping", Duration::from_secs(5))
        .await?;
    println!("mesh: request to {} -> {answer}", target.to_json()["ops"]);

    let job = worker.events().once(|_: &QueuedMessage| true);
    worker.queue_request("jobs").await?;
    caller
        .queue_push("jobs", &Query::application("workers"), json!({ "job": 1 }))
        .await?;
    let job = tokio::time::timeout(Duration::from_secs(5), job).await??;
    worker.queue_ack(&job).await?;
    println!("mesh: queued job {} delivered and acked", job.payload);

    let ready_again = worker.events().wait_for(
        |e: &MeshEvent| matches!(e, MeshEvent::Ready { .. }),
        Duration::from_secs(5),
    );
    control.goodbye("workers", "worker-1", "load balancing");
    ready_again.await?;
    let restored = control.metadata("workers", "worker-1").unwrap_or_default();
    println!(
        "mesh: GOODBYE -> reconnected, metadata restored: region={} load={}",
        restored.get("region").unwrap_or(&serde_json::Value::Null),
        restored.get("load").unwrap_or(&serde_json::Value::Null)
    );

    caller.close();
    worker.close();
    server.shutdown().await;
    Ok(())
}
