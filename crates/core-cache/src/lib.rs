//! Bounded caches for switchboard services: remember what a platform told us
//! for exactly as long as it said we may, and keep hot lookups cheap.
//!
//! * [`TtlCache`] — a bounded async cache (moka) where each entry has its own
//!   TTL, typically from a response's `Cache-Control: max-age` (Clash of Clans
//!   asks clients never to poll a resource before it expires).
//! * [`CacheControl`] — a forgiving parser for that header.
//! * [`Index`] — a concurrent map (dashmap) for lookups without expiry.
//! * `SharedCache` (feature `redis`) — a second tier shared between processes:
//!   entries live in Redis with their TTL (`SET … PX`), a local [`TtlCache`] in
//!   front answers repeated reads without a round trip.
//! * [`CacheStats`] — entry counts and weights for reports; [`Index`] reports
//!   its length and an approximate memory figure.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() {
//! use std::time::Duration;
//! use core_cache::{CacheControl, Index, TtlCache};
//!
//! let players: TtlCache<String, String> = TtlCache::builder(10_000)
//!     .weigher(|_tag: &String, body: &String| body.len() as u32)
//!     .build();
//! let ttl = CacheControl::parse("public, max-age=600").ttl().expect("cacheable");
//! players.insert_with_ttl("#8YQ".to_owned(), "{\"name\":\"x\"}".to_owned(), ttl).await;
//! assert!(players.get("#8YQ").await.is_some());
//!
//! tokio::time::advance(Duration::from_secs(600)).await;
//! assert!(players.get("#8YQ").await.is_none());
//!
//! let guild_of_channel: Index<u64, u64> = Index::new();
//! guild_of_channel.insert(42, 7);
//! assert_eq!(guild_of_channel.get(&42), Some(7));
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod cache_control;
mod expiry;
mod index;
mod stats;
mod ttl_cache;

pub use cache_control::CacheControl;
pub use index::Index;
pub use stats::CacheStats;
pub use ttl_cache::{TtlCache, TtlCacheBuilder};

// A tier shared between processes through Redis (feature `redis`).
#[cfg(feature = "redis")]
mod error;
#[cfg(feature = "redis")]
mod shared_cache;

#[cfg(feature = "redis")]
pub use error::{Error, ErrorKind};
/// The Redis client the shared tier uses (for [`redis::aio::ConnectionManager`]).
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis;
#[cfg(feature = "redis")]
pub use shared_cache::{SharedCache, SharedCacheBuilder};
