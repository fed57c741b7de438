//! Shared helpers for the end-to-end tests: a Discord sandbox on a free port and a way to
//! read a hub's events with a deadline.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use core_events::{EventHub, EventStream};
use futures_util::StreamExt;
use sandbox::Server;
use sandbox::discord::{Discord, DiscordConfig, DiscordControl};
use svc_gateway::{Event, ShardEvent};

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
