//! Shared helpers for the end-to-end tests: a Discord sandbox on a free port and a way to
//! read a hub's events with a deadline.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use core_events::{EventHub, EventStream};
use futures_util::StreamExt;
use sandbox::Server;
use sandbox::discord::{Discord, DiscordConfig, DiscordControl};
use svc_gateway::event::{Event, ShardEvent};

pub struct Sandbox {
    pub server: Server,
    pub control: DiscordControl,
}

impl Sandbox {
    pub async fn start(config: DiscordConfig) -> Self {
        let discord = Discord::new(config);
        let control = discord.control();
        let server = Server::builder()
            .serve(discord)
            .await
            .expect("sandbox starts");
        Self { server, control }
    }

    pub fn gateway_url(&self) -> String {
        self.server.ws_url("")
    }

    pub fn api_url(&self) -> String {
        format!("{}/api/v10", self.server.base_url())
    }
}

/// The next event matching `pick`, within `within` (virtual time in paused tests).
pub async fn next_matching<T>(
    stream: &mut EventStream<ShardEvent>,
    within: Duration,
    mut pick: impl FnMut(&ShardEvent) -> Option<T>,
) -> T {
    tokio::time::timeout(within, async {
        loop {
            match stream.next().await {
                Some(Ok(event)) => {
                    if let Some(found) = pick(&event) {
                        return found;
                    }
                }
                Some(Err(lagged)) => panic!("test stream lagged: {lagged:?}"),
                None => panic!("hub closed"),
            }
        }
    })
    .await
    .expect("event within the deadline")
}

pub fn hub() -> EventHub<ShardEvent> {
    EventHub::with_capacity(1 << 16).expect("capacity is valid")
}

pub fn is_name(event: &ShardEvent, name: &str) -> bool {
    event.event.name() == Some(name)
}

pub fn message(content: &str, id: u64) -> serde_json::Value {
    serde_json::json!({
        "id": id.to_string(),
        "channel_id": "1010000000000000000",
        "guild_id": "1000000000000000000",
        "author": {"id": "42", "username": "tester", "discriminator": "0"},
        "content": content,
        "timestamp": "2024-03-01T12:00:00.000000+00:00",
    })
}

pub fn content(event: &ShardEvent) -> Option<String> {
    match &event.event {
        Event::MessageCreate(message) => Some(message.content.clone()),
        _ => None,
    }
}

/// The HTTP status a REST error carries (`None` for other errors).
pub fn status(error: svc_gateway::Error) -> Option<u16> {
    let source = error.into_source()?;
    let http = source.downcast::<transport_http::Error>().ok()?;
    match http.kind() {
        transport_http::ErrorKind::Status { status, .. } => Some(status.as_u16()),
        _ => None,
    }
}

/// A shard on the sandbox with `intents`, started and past READY.
pub async fn ready_shard(
    sandbox: &Sandbox,
    intents: svc_gateway::model::Intents,
) -> (svc_gateway::gateway::Shard, EventStream<ShardEvent>) {
    ready_shard_with(sandbox, intents, |builder| builder).await
}

/// Like [`ready_shard`], with more configuration (compression, encoding…).
pub async fn ready_shard_with(
    sandbox: &Sandbox,
    intents: svc_gateway::model::Intents,
    configure: impl FnOnce(
        svc_gateway::gateway::ShardConfigBuilder,
    ) -> svc_gateway::gateway::ShardConfigBuilder,
) -> (svc_gateway::gateway::Shard, EventStream<ShardEvent>) {
    let hub = hub();
    let mut stream = hub.stream();
    let builder = svc_gateway::gateway::ShardConfig::builder(sandbox.control.token(), intents)
        .gateway_url(sandbox.gateway_url());
    let config = configure(builder).build().expect("valid config");
    let shard = svc_gateway::gateway::Shard::start(config, hub).expect("shard starts");
    next_matching(&mut stream, Duration::from_mins(1), |e| {
        is_name(e, "READY").then_some(())
    })
    .await;
    (shard, stream)
}

/// `rounds` forced disconnects of shard 0 (close 4000 and a dropped socket, in turn), with
/// `before` messages injected before each and `during` while the shard is away; waits for
/// each RESUMED. Returns the numbers carried by the messages received, in order, and how
/// many were sent.
pub async fn disconnect_rounds(
    sandbox: &Sandbox,
    stream: &mut EventStream<ShardEvent>,
    rounds: u64,
    before: u64,
    during: u64,
) -> (Vec<u64>, u64) {
    let mut sent = 0u64;
    let mut received = Vec::new();
    let inject = |count: u64, sent: &mut u64| {
        for _ in 0..count {
            sandbox.control.dispatch(
                Some(0),
                "MESSAGE_CREATE",
                &message(&sent.to_string(), 10_000 + *sent),
            );
            *sent += 1;
        }
    };
    for round in 0..rounds {
        inject(before, &mut sent);
        if round % 2 == 0 {
            sandbox.control.close(Some(0), 4000);
        } else {
            sandbox.control.drop_connections(Some(0));
        }
        // These land while the shard is away: the resume must replay them.
        inject(during, &mut sent);
        next_matching(stream, Duration::from_mins(1), |e| {
            if let Some(text) = content(e) {
                received.push(text.parse::<u64>().expect("numbered message"));
            }
            is_name(e, "RESUMED").then_some(())
        })
        .await;
    }
    // Whatever was sent after the last RESUMED.
    while (received.len() as u64) < sent {
        let got = next_matching(stream, Duration::from_mins(1), content).await;
        received.push(got.parse().expect("numbered message"));
    }
    (received, sent)
}
