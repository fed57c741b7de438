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
//! - [`interactions`]: slash commands and interactions as a framework (derives, router,
//!   contexts, command sync).
//! - [`cache`]: [`cache::Cache`], fed by events.
//! - [`rest`]: [`rest::RestClient`], one file per resource.
//! - [`Error`], [`ErrorKind`].
//! - With the `etf` feature: `Event::from_etf`, `EtfError` and
//!   `gateway::GatewayEncoding::Etf` for `encoding=etf`.
//!
//! Coming from the Python client (`acord.Client`): `run` → [`Client::start`], `disconnect`
//! → [`Client::shutdown`], `on`/`wait_for`/`dispatch` → [`Client::on`] (typed, no event
//! names), [`Client::wait_for`], [`Client::dispatch`]; `get_guild`/`get_channel`/
//! `get_user`/`get_message` (plus [`Client::get_member`], [`Client::get_role`]) read the cache
//! and each `fetch_*` asks REST and stores the answer in the cache; `get_shard` →
//! [`Client::shard_id_for`]; `user`/`guilds` → [`Client::current_user`],
//! [`Client::guild_ids`]; `fetch_glob_app_command(s)`, `create_application_command`,
//! `bulk_update_*_app_commands` → [`Client::fetch_command`], [`Client::fetch_commands`],
//! [`Client::create_command`], [`Client::bulk_overwrite_commands`] (global with `None`, a
//! guild's with `Some`); `register_application_command` and `run(update_app_commands=True,
//! exclude_app_cmds=…)` → [`interactions::Router`] and [`interactions::Router::sync`] (writes
//! only on a difference; [`interactions::SyncOptions::exclude`]); `create_stage_instance` → [`Client::create_stage_instance`];
//! `session_id`/`shards` → [`Client::shard_stats`] and [`gateway::Shard::session`];
//! `encoding=`/`compress=` → [`ClientBuilder::encoding`] (ETF behind the `etf` feature) and
//! [`ClientBuilder::compression`];
//! `on_error` has no counterpart: handlers are plain closures and REST calls return
//! [`Error`], so errors are handled where they happen instead of in a global hook.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cache;
mod client;
mod decode_error;
mod error;
#[cfg(feature = "etf")]
mod etf;
mod event;
pub mod gateway;
pub mod interactions;
pub mod model;
pub mod rest;

pub use client::{Client, ClientBuilder};
pub use decode_error::{DecodeError, DecodeErrorKind};
pub use error::{Error, ErrorKind};
#[cfg(feature = "etf")]
pub use etf::EtfError;
pub use event::*;
