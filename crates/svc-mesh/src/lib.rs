//! A client for [singyeong](https://github.com/queer/singyeong), the metadata-routed service
//! mesh: connect with a DSN, publish typed metadata, and route messages to other services by
//! queries over their metadata — one client (`send`), all of them (`broadcast`), a
//! request/reply pair (`request` / `reply`), or a queue with acks and redelivery. HTTP
//! requests can be proxied to a client chosen the same way.
//!
//! ```no_run
//! use std::time::Duration;
//! use svc_mesh::{MeshClient, MeshConfig, Metadata, Query};
//!
//! # async fn run() -> Result<(), svc_mesh::Error> {
//! let mesh = MeshClient::connect(
//!     MeshConfig::builder("singyeong://api:secret@127.0.0.1:4567")
//!         .metadata(Metadata::new().with("region", "eu")?.with("load", 0.3)?)
//!         .build()?,
//! ).await?;
//! let workers = Query::builder("workers").eq("/region", "eu").lt("/load", 0.8).min("load").build()?;
//! mesh.send(&workers, serde_json::json!({"job": 7}), None).await?;
//! let answer = mesh.request(&workers, "status?", Duration::from_secs(5)).await?;
//! println!("{answer}");
//! # Ok(())
//! # }
//! ```
//!
//! Contents:
//! - [`Query`], [`QueryBuilder`], [`QueryOp`], [`Comparison`], [`Logical`], [`Target`],
//!   [`Selector`]: the routing query language, serialised exactly as the server expects.
//! - [`Metadata`], [`MetadataValue`], [`RESERVED_KEYS`]: typed metadata, checked before sending.
//! - [`Dsn`], [`MeshConfig`], [`MeshConfigBuilder`], [`Backoff`]: where, who, and how
//!   to come back.
//! - [`MeshClient`]: the connection (identify, heartbeats and latency, GOODBYE/zombie
//!   reconnects with metadata restored, restricted mode).
//! - [`MeshEvent`], [`Message`], [`QueuedMessage`], [`Delivery`]: what arrives, on a
//!   [`core_events::EventHub`].
//! - [`ProxyRequest`], [`ProxyResponse`], [`ClientInfo`]: the HTTP API.
//! - [`OpCode`]: gateway opcodes.
//! - [`Error`], [`ErrorKind`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod config;
mod driver;
mod dsn;
mod error;
mod event;
mod http_api;
mod metadata;
mod nonce;
mod packet;
mod pending;
mod query;
mod query_op;
mod selector;

pub use client::MeshClient;
pub use config::{MeshConfig, MeshConfigBuilder};
pub use dsn::Dsn;
pub use error::{BoxError, Error, ErrorKind};
pub use event::{Delivery, MeshEvent, Message, QueuedMessage};
pub use http_api::{ClientInfo, ProxyRequest, ProxyResponse};
pub use metadata::{Metadata, MetadataValue, RESERVED_KEYS};
pub use packet::OpCode;
pub use query::{Query, QueryBuilder};
pub use query_op::{Comparison, Logical, QueryOp, Target};
pub use selector::Selector;
pub use transport_http::Method;
pub use transport_ws::Backoff;
