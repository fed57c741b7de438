#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Waiting before trying again: one backoff for every retry and reconnect.
mod backoff;

pub use backoff::Backoff;

// Window limits: one backend trait, two in-memory backends, the limiters over them.
mod gcra_window;
mod lane;
mod retry_after;
mod sliding_log;
mod tokio_clock;
mod window_backend;
mod window_limiter;

pub use gcra_window::GcraWindow;
pub use retry_after::RetryAfter;
pub use sliding_log::SlidingLog;
pub use tokio_clock::TokioClock;
pub use window_backend::WindowBackend;
pub use window_limiter::WindowLimiter;

// Per-connection sends and session starts.
mod identify_queue;
mod send_queue;
mod session_budget;

pub use identify_queue::IdentifyQueue;
pub use send_queue::{Priority, SendQueue};
pub use session_budget::{RESET_MARGIN, SessionBudget};

// Header-driven buckets.
mod bucket_config;
mod bucket_limiter;
mod bucket_state;
mod bucket_store;
mod headers;
mod outcome;
mod route;
mod ticket;

pub use bucket_config::{BucketConfig, Bucketing};
pub use bucket_limiter::BucketLimiter;
pub use bucket_state::BucketState;
pub use bucket_store::{BucketStore, MemoryBucketStore};
pub use headers::RateLimitHeaders;
pub use outcome::Outcome;
pub use route::{BucketId, RouteKey};
pub use ticket::Ticket;

// Limits shared between processes through Redis (feature `redis`).
#[cfg(feature = "redis")]
mod cold_start;
#[cfg(feature = "redis")]
mod redis_bucket;
#[cfg(feature = "redis")]
mod redis_connect;
#[cfg(feature = "redis")]
mod redis_identify;
#[cfg(feature = "redis")]
mod redis_window;

#[cfg(feature = "redis")]
pub use cold_start::ColdStart;
/// The Redis client this crate's shared limiters use (for [`redis::aio::ConnectionManager`]).
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis;
#[cfg(feature = "redis")]
pub use redis_bucket::{RedisBucketLimiter, RedisBucketLimiterBuilder, RedisTicket};
#[cfg(feature = "redis")]
pub use redis_connect::connect_redis;
#[cfg(feature = "redis")]
pub use redis_identify::RedisIdentifyQueue;
#[cfg(feature = "redis")]
pub use redis_window::{RedisWindowLimiter, RedisWindowLimiterBuilder};

// Errors.
mod error;

pub use error::{Error, ErrorKind};
