//! Discord for switchboard: typed gateway events decoded with simd-json, shards that
//! identify, heartbeat and resume, a sharding manager, a REST client with per-route
//! buckets, a cache, and a bot API on the shared event hub.
//!
//! ```
//! use svc_gateway::{Envelope, Event};
//!
//! let mut payload = br#"{"t":null,"s":null,"op":10,"d":{"heartbeat_interval":41250}}"#.to_vec();
//! assert_eq!(Envelope::from_slice(&payload).unwrap().op, 10);
//! let Event::Hello(hello) = Event::from_slice(&mut payload).unwrap() else { panic!("not hello") };
//! assert_eq!(hello.heartbeat_interval, 41_250);
//! ```
//!
//! Contents:
//! - [`Client`]: the bot API (REST, shards, cache, listeners in one object).
//! - [`model`]: typed ids, timestamps, permissions and intents, the entities.
//! - [`Event`], [`Envelope`], [`DecodeError`] and one payload type per event.
//! - [`gateway`]: [`gateway::Shard`] and its configuration.
//! - [`cache`]: [`cache::Cache`], fed by events.
//! - [`rest`]: [`rest::RestClient`], one file per resource.
//! - [`Error`], [`ErrorKind`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cache;
mod client;
mod decode_error;
mod error;
mod event;
pub mod gateway;
pub mod model;
pub mod rest;

pub use client::{Client, ClientBuilder};
pub use decode_error::{DecodeError, DecodeErrorKind};
pub use error::{Error, ErrorKind};
pub use event::*;
