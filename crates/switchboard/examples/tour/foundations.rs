//! Step 1: the foundations every service stands on, against the sandbox's echo platform —
//! an HTTP round trip through transport-http, a WebSocket session through transport-ws
//! (including a server-side drop and the automatic reconnect), and the event hub.

use std::time::Duration;

use sandbox::echo::Echo;
use switchboard::events::EventHub;
use transport_ws::{Backoff, Priority, WsClient, WsConfig, WsEvent, WsMessage};

pub(crate) async fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("== foundations (sandbox echo platform)");
    let echo = Echo::new();
    let control = echo.control();
    let server = sandbox::Server::builder().serve(echo).await?;

    // HTTP: a JSON round trip, and a secret that never leaves the process in clear text.
    let http = transport_http::Client::builder()
        .base_url(server.base_url())
        .build()?;
    let token = transport_http::Secret::new("tour-token");
    let response = http
        .post("/echo")
        .secret_header("authorization", &token)
        .json(&serde_json::json!({ "hello": "sandbox" }))
        .send()
        .await?;
    let echoed: serde_json::Value = response.json()?;
    println!(
        "http: POST /echo -> {} body {} (server logged authorization as {})",
        response.status(),
        echoed["body"],
        echoed["headers"]["authorization"]
    );

    // Events: one hub, typed listeners and a wait with a timeout.
    let hub: EventHub<String> = EventHub::new();
    let waiter = hub.wait_for(
        |line: &String| line.starts_with("pushed"),
        Duration::from_secs(5),
    );

    // WebSocket: echo, a server push, then a dropped connection that comes back by itself.
    let config = WsConfig::builder(server.ws_url("/ws"))
        .backoff(Backoff::new().initial_delay(Duration::from_millis(50)))
        .build()?;
    let mut ws = WsClient::start(config);
    let mut connects = 0;
    while let Some(event) = ws.next_event().await {
        match event {
            WsEvent::Connected { .. } => {
                connects += 1;
                if connects == 1 {
                    ws.sender()
                        .send_text("hello over websocket", Priority::Normal)
                        .await?;
                } else {
                    println!("ws: reconnected after the sandbox dropped the socket");
                    break;
                }
            }
            WsEvent::Message(WsMessage::Text(text)) => {
                println!("ws: received {text:?}");
                hub.publish(text.clone());
                if text == "hello over websocket" {
                    control.send(tokio_tungstenite::tungstenite::Message::text(
                        "pushed by the sandbox",
                    ));
                } else {
                    control.drop_all();
                }
            }
            other => println!("ws: {other:?}"),
        }
    }
    let pushed = waiter.await?;
    println!("events: wait_for saw {pushed:?}");
    ws.sender().close(1000, "tour done")?;
    server.shutdown().await;
    Ok(())
}
