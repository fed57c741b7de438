//! Shared helpers: a sandbox EventSub server and event waiting.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use core_events::EventStream;
use futures_util::StreamExt;
use sandbox::Server;
use sandbox::twitch::eventsub::{EventSub, EventSubConfig, EventSubControl};
use svc_eventsub::{AccessToken, EventSubBuilder, EventSubClient, EventSubEvent};

pub struct Env {
    pub server: Server,
    pub control: EventSubControl,
}

pub async fn sandbox() -> Env {
    sandbox_with(EventSubConfig::default()).await
}

pub async fn sandbox_with(config: EventSubConfig) -> Env {
    let eventsub = EventSub::with_config(config);
    let control = eventsub.control();
    let server = Server::builder()
        .serve(eventsub)
        .await
        .expect("sandbox starts");
    Env { server, control }
}

pub fn builder(env: &Env, token: &str) -> EventSubBuilder {
    EventSubClient::builder("client-id", AccessToken::new(token))
        .mock_url(&env.server.base_url())
        .expect("mock url")
}

/// The next event matching `pred`, failing the test after a generous safety timeout.
pub async fn next_matching(
    events: &mut EventStream<EventSubEvent>,
    mut pred: impl FnMut(&EventSubEvent) -> bool,
) -> EventSubEvent {
    let wait = async {
        loop {
            match events.next().await {
                Some(Ok(event))
                    if {
                        if std::env::var_os("EVENTSUB_DEBUG").is_some() {
                            eprintln!("{event:?}");
                        }
                        pred(&event)
                    } =>
                {
                    return event;
                }
                Some(_) => {}
                None => panic!("event stream ended"),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(30), wait)
        .await
        .expect("event within 30 s")
}
