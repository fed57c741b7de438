//! Shared setup: a Clash sandbox on 127.0.0.1:0 and a client pointed at it.

#![allow(dead_code, unreachable_pub, missing_docs)]

use std::sync::{Arc, Mutex};

use sandbox::Server;
use sandbox::clash::{Clash, ClashControl};
use svc_gameapi::events::{Event, EventsClient};
use svc_gameapi::{Client, ClientBuilder};

pub struct Setup {
    pub server: Server,
    pub control: ClashControl,
    pub key: String,
}

pub async fn sandbox() -> Setup {
    let clash = Clash::new();
    let control = clash.control();
    let key = control.create_key("tests", "127.0.0.1");
    let server = Server::builder().serve(clash).await.expect("sandbox binds");
    Setup {
        server,
        control,
        key,
    }
}

impl Setup {
    pub fn builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(format!("{}/v1", self.server.base_url()))
            .developer_site(self.server.base_url())
            .key(&self.key)
    }

    pub async fn client(&self) -> Client {
        self.builder().build().await.expect("client builds")
    }

    /// An events client with the defaults, and what it publishes, recorded.
    pub async fn events(&self) -> (EventsClient, Arc<Mutex<Vec<Event>>>) {
        let events = EventsClient::new(self.client().await);
        let seen = record(&events);
        (events, seen)
    }

    /// Requests whose path is exactly `path` (tags as sent, `%23`-encoded).
    pub fn requests_to(&self, path: &str) -> usize {
        self.server.log().count(|r| r.path == path)
    }
}

/// `#ABC` → `%23ABC`.
pub fn enc(tag: &str) -> String {
    tag.replace('#', "%23")
}

/// Collects every event the client publishes.
pub fn record(events: &EventsClient) -> Arc<Mutex<Vec<Event>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    events
        .hub()
        .on(move |event: Event| sink.lock().unwrap().push(event))
        .detach();
    seen
}

/// The events recorded since the last call.
pub fn take(seen: &Arc<Mutex<Vec<Event>>>) -> Vec<Event> {
    std::mem::take(&mut *seen.lock().unwrap())
}
