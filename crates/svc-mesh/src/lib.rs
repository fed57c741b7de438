#![doc = include_str!("../README.md")]
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
mod stream;

pub use client::MeshClient;
pub use config::{MeshConfig, MeshConfigBuilder};
pub use dsn::Dsn;
pub use error::{BoxError, Error, ErrorKind};
pub use event::{Delivery, MeshEvent, Message, QueuedMessage};
pub use http_api::{ClientInfo, ProxyRequest, ProxyResponse};
pub use metadata::{Metadata, MetadataValue, RESERVED_KEYS};
pub use packet::OpCode;
#[doc(hidden)]
pub use packet::decode_inbound;
pub use query::{Query, QueryBuilder};
pub use query_op::{Comparison, Logical, QueryOp, Target};
pub use selector::Selector;
pub use stream::{MeshStream, StreamOptions};
pub use transport_http::Method;
pub use transport_ws::Backoff;
