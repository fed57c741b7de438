#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// What Discord sends and what it means: entities, then the events carrying them.
pub mod event;
pub mod model;

// Talking to Discord: gateway shards, REST, and the bot API over both.
mod client;
pub mod gateway;
pub mod rest;

pub use client::{Client, ClientBuilder};
pub use gateway::Shard;
pub use rest::RestClient;

// What the bot remembers between events.
pub mod cache;

// Application commands and interactions as a framework: derives, router, contexts, sync.
pub mod interactions;

// Errors: the clients' and the decoders'.
mod decode_error;
mod error;

pub use decode_error::{DecodeError, DecodeErrorKind};
pub use error::{Error, ErrorKind};

// `encoding=etf` (feature `etf`).
#[cfg(feature = "etf")]
mod etf;

#[cfg(feature = "etf")]
#[cfg_attr(docsrs, doc(cfg(feature = "etf")))]
pub use etf::EtfError;
