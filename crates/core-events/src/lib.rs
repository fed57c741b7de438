//! The typed event hub every switchboard service shares, so a user learns one
//! way to react to events whatever the platform.
//!
//! A service publishes its event enum into an [`EventHub`] from its socket read
//! loop — [`publish`](EventHub::publish) never blocks — and users subscribe with
//! [`on`](EventHub::on) / [`on_async`](EventHub::on_async) (a handler task),
//! [`once`](EventHub::once) / [`wait_for`](EventHub::wait_for) (a future for one
//! matching event) or [`stream`](EventHub::stream) (a `Stream`). Each of them can
//! pick a single payload type out of the enum through [`Extract`]. The buffer is
//! bounded: a receiver that falls behind loses the oldest events and is told
//! how many ([`Lagged`], [`Listener::missed`], [`HubStats::missed`]).
//!
//! ```
//! use std::time::Duration;
//! use core_events::{EventHub, Extract};
//!
//! #[derive(Clone, Debug)]
//! enum Event {
//!     Ready,
//!     Message(Message),
//! }
//!
//! #[derive(Clone, Debug, PartialEq)]
//! struct Message {
//!     text: String,
//! }
//!
//! impl Extract<Event> for Message {
//!     fn extract(event: Event) -> Option<Self> {
//!         match event {
//!             Event::Message(message) => Some(message),
//!             Event::Ready => None,
//!         }
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), core_events::Error> {
//! let hub = EventHub::<Event>::new();
//! let (tx, mut texts) = tokio::sync::mpsc::unbounded_channel();
//! let listener = hub.on::<Message>(move |message| {
//!     let _ = tx.send(message.text);
//! });
//! let ready = hub.wait_for(|event: &Event| matches!(event, Event::Ready), Duration::from_secs(5));
//!
//! hub.publish(Event::Ready);
//! hub.publish(Event::Message(Message { text: "hello".into() }));
//!
//! ready.await?;
//! assert_eq!(texts.recv().await.as_deref(), Some("hello"));
//! listener.cancel();
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod extract;
mod hub;
mod lagged;
mod listener;
mod stats;
mod stream;
mod wait;

pub use error::{Error, ErrorKind};
pub use extract::Extract;
pub use hub::{DEFAULT_CAPACITY, EventHub, MAX_CAPACITY};
pub use lagged::Lagged;
pub use listener::Listener;
pub use stats::HubStats;
pub use stream::EventStream;
