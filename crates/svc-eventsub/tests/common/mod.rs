//! Shared helpers: a sandbox EventSub server and event waiting.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use core_events::EventStream;
use futures_util::StreamExt;
use sandbox::Server;
use sandbox::twitch::eventsub::{EventSub, EventSubConfig, EventSubControl};
use svc_eventsub::{
    AccessToken, EventSubBuilder, EventSubClient, EventSubEvent, SubscriptionRequest,
};

/// `stream.online` for broadcaster 1337.
pub fn online() -> SubscriptionRequest {
    SubscriptionRequest::broadcaster("stream.online", "1", "1337")
}

/// `channel.raid` to broadcaster 1337.
pub fn raid() -> SubscriptionRequest {
    SubscriptionRequest::broadcaster("channel.raid", "1", "1337")
}

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

/// A client subscribed to [`online`], connected.
pub async fn subscribed(env: &Env, token: &str) -> EventSubClient {
    builder(env, token)
        .subscribe(online())
        .connect()
        .await
        .expect("connects")
}

/// Matches a `Disconnected` with close code `code`.
pub fn closed_with(code: u16) -> impl FnMut(&EventSubEvent) -> bool {
    move |event| matches!(event, EventSubEvent::Disconnected { code: Some(c), .. } if *c == code)
}

/// Matches a `Connected`.
pub fn is_connected(event: &EventSubEvent) -> bool {
    matches!(event, EventSubEvent::Connected { .. })
}

/// The next event matching `pred`, failing the test after a generous safety timeout.
pub async fn next_matching(
    events: &mut EventStream<EventSubEvent>,
    pred: impl FnMut(&EventSubEvent) -> bool,
) -> EventSubEvent {
    next_matching_within(events, Duration::from_secs(30), pred).await
}

/// The next event matching `pred`, failing the test after `limit`.
pub async fn next_matching_within(
    events: &mut EventStream<EventSubEvent>,
    limit: Duration,
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
    tokio::time::timeout(limit, wait)
        .await
        .unwrap_or_else(|_| panic!("no matching event within {limit:?}"))
}
