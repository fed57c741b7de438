//! A small event enum shaped like a service's, shared by the integration tests.
// Each test binary includes this module and uses a different subset of it.
#![allow(dead_code)]

use core_events::Extract;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Event {
    Ready { session: u32 },
    Message(Message),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Message {
    pub(crate) channel: u64,
    pub(crate) seq: u32,
}

impl Extract<Event> for Message {
    fn extract(event: Event) -> Option<Self> {
        match event {
            Event::Message(message) => Some(message),
            Event::Ready { .. } => None,
        }
    }
}

pub(crate) fn message(channel: u64, seq: u32) -> Event {
    Event::Message(Message { channel, seq })
}

/// Lets spawned tasks on the current-thread test runtime catch up.
pub(crate) async fn settle() {
    for _ in 0..16 {
        tokio::task::yield_now().await;
    }
}
