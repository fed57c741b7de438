//! The crate's error type: a kind to match on plus an optional source (see `core-error`).

use core_redis::RedisFailure;

/// The kinds of [`Error`] this crate reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Redis could not be reached or did not answer in time. Workers retry with backoff.
    #[error("the Redis server is unreachable")]
    StoreUnavailable,
    /// Redis answered with something unusable (wrong type at a key, invalid address).
    #[error("the Redis server gave an unusable answer")]
    StoreReply,
    /// The payload handed to the publisher is not a gateway payload (no readable `op`).
    #[error("the payload is not a gateway payload")]
    Malformed,
    /// The worker's configuration is incomplete (an `on_rest` handler without a REST
    /// client).
    #[error("the worker's configuration is incomplete")]
    Config,
}

core_error::error_type! {
    /// Why a fan-out operation failed.
    pub struct Error(ErrorKind);
}

/// A failed Redis call as this crate's error (classified by `core-redis`: transport trouble
/// to retry later, or a reply we cannot use), the Redis error kept as the source.
pub(crate) fn store_error(source: redis::RedisError) -> Error {
    let kind = match core_redis::classify(&source) {
        RedisFailure::Unavailable => ErrorKind::StoreUnavailable,
        RedisFailure::Reply => ErrorKind::StoreReply,
    };
    Error::with_source(kind, source)
}
