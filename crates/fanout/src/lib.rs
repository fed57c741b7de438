//! Event fan-out over Redis Streams: gateway processes publish each dispatch, worker
//! processes handle them.
//!
//! A large bot splits the processes holding gateway sockets from the ones doing the work. A
//! [`Publisher`] in each gateway process writes every dispatch's raw bytes (never
//! re-encoded) to one stream per [`EventGroup`], routed by the payload's
//! [`svc_gateway::event::Envelope`]. [`Worker`]s read them with a consumer group, decode with
//! svc-gateway's model, run typed handlers, acknowledge afterwards, and claim entries a dead
//! worker left behind, so no event is lost when a worker dies.
//!
//! Layout: stream `{prefix}:events:{group}` (see [`EventGroup`]), each entry with fields
//! `shard` (decimal) and `data` (the payload as received); entries that cannot be decoded are
//! copied to `{prefix}:events:dead` with `stream`, `id`, `reason` and their original fields
//! as `field:<name>`. Delivery is at least once: every entry is handled by one worker of the
//! group, and again by another only if the first died before acknowledging it.
//!
//! Throughput: a worker reads up to [`WorkerBuilder::batch`] entries per `XREADGROUP` and
//! pipelines their acknowledgements. Past some 40,000 events per
//! second on one machine, an entry per event costs more in Redis (its `XADD`, its pending
//! entry, its acknowledgement) and in parsing its reply than in anything the worker does;
//! [`Publisher::publish_packed`] then writes a whole batch as one entry per group (fields
//! `events`, `shards`, `lengths`, `data`), which workers unpack and handle event by event
//! with the same guarantees, for several times the throughput.
//!
//! Streams are trimmed by what every consumer group has processed (its oldest pending or
//! first unread entry), so a slow group never loses entries while a fast one runs ahead; a
//! length cap ([`Publisher::max_len`]) remains as a safety valve for a group that stopped
//! consuming, and every entry it drops is warned about and counted
//! ([`Publisher::dropped_unprocessed`]).
//!
//! Handlers return `()` or `Result<(), E>`. One that returns `Err` or panics is isolated:
//! the worker keeps running, the entry stays unacknowledged and is delivered again after
//! [`WorkerBuilder::min_idle`], and the handlers that did finish it are recorded in
//! `{stream}:done:{group}` so that only the failed ones run again. An entry delivered more
//! than [`WorkerBuilder::max_deliveries`] times is poison and goes to the dead-letter
//! stream. Handlers registered with [`WorkerBuilder::on_rest`] get a REST client; built
//! with [`shared_limiter`], its calls wait for Discord's limits shared by every process in
//! Redis.
//!
//! ```no_run
//! use fanout::{EventGroup, Publisher, Worker};
//! use svc_gateway::event::MessageCreate;
//!
//! # async fn run(raw_dispatch: &[u8]) -> Result<(), fanout::Error> {
//! // Gateway process: forward what shard 0 received.
//! let publisher = Publisher::connect("redis://127.0.0.1:6379/").await?;
//! publisher.publish(0, raw_dispatch).await?;
//!
//! // Worker process.
//! let worker = Worker::builder("redis://127.0.0.1:6379/")
//!     .group("bot")
//!     .consumer("worker-1")
//!     .streams([EventGroup::Messages])
//!     .on::<MessageCreate>(|message| async move {
//!         println!("{}", message.content);
//!     })
//!     // A handler returning `Err` leaves the event pending: it is delivered again later.
//!     .on::<MessageCreate>(|message| async move {
//!         std::fs::write("last-message.txt", &message.content)
//!     })
//!     .connect()
//!     .await?;
//! worker.run().await
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod connect;
mod entry;
mod error;
mod group;
mod handler;
mod progress;
mod publisher;
mod shared_limiter;
mod worker;
mod worker_builder;

#[doc(hidden)]
pub use entry::{EntryError, decode_fields};
pub use error::{Error, ErrorKind};
pub use group::{EventGroup, dead_letter_key};
pub use handler::{EventHandler, HandlerError, HandlerOutput, RestHandler};
pub use publisher::{DEFAULT_MAX_LEN, DEFAULT_PREFIX, DEFAULT_TRIM_INTERVAL, Publisher};
pub use shared_limiter::{GLOBAL_WINDOW_MARGIN, shared_limiter};
pub use worker::Worker;
pub use worker_builder::WorkerBuilder;

/// The `redis` crate this one is built on (for [`Publisher::new`] with your own connection).
pub use redis;
