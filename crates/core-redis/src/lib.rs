//! What every Redis-backed switchboard crate (core-ratelimit's shared limiters, core-cache's
//! shared tier, fanout's streams) needs from Redis, written once:
//!
//! * [`connect`]: a [`ConnectionManager`](redis::aio::ConnectionManager) that reconnects on
//!   its own, with short timeouts so a down server fails a call quickly instead of stalling
//!   it (the callers back off and retry themselves).
//! * [`classify`]: tells "the store is down, retry later" ([`RedisFailure::Unavailable`])
//!   apart from "the store answered something unusable" ([`RedisFailure::Reply`]). Each
//!   crate maps that onto its own `ErrorKind`, keeping the [`redis::RedisError`] as the
//!   error's source.
//!
//! ```
//! use core_redis::{RedisFailure, classify};
//!
//! let refused = redis::RedisError::from(std::io::Error::from(
//!     std::io::ErrorKind::ConnectionRefused,
//! ));
//! assert_eq!(classify(&refused), RedisFailure::Unavailable);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod classify;
mod connect;

pub use classify::{RedisFailure, classify};
pub use connect::{CONNECT_TIMEOUT, connect};

/// The Redis client this crate is built on.
pub use redis;
