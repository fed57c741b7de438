//! The crate's error type, twilight style: a kind to match on plus an optional source.

use std::{error::Error as StdError, fmt};

/// Why a fan-out operation failed.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

/// The kinds of [`Error`] this crate reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Redis could not be reached or did not answer in time. Workers retry with backoff.
    StoreUnavailable,
    /// Redis answered with something unusable (wrong type at a key, invalid address).
    StoreReply,
    /// The payload handed to the publisher is not a gateway payload (no readable `op`).
    Malformed,
    /// The worker's configuration is incomplete (an `on_rest` handler without a REST
    /// client).
    Config,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, source: Option<Box<dyn StdError + Send + Sync>>) -> Self {
        Self { kind, source }
    }

    /// The kind of failure, for matching.
    pub const fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Consumes the error, returning the underlying cause if there is one.
    pub fn into_source(self) -> Option<Box<dyn StdError + Send + Sync>> {
        self.source
    }

    /// Consumes the error, returning its kind and underlying cause.
    pub fn into_parts(self) -> (ErrorKind, Option<Box<dyn StdError + Send + Sync>>) {
        (self.kind, self.source)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::StoreUnavailable => f.write_str("the Redis server is unreachable"),
            ErrorKind::StoreReply => f.write_str("the Redis server gave an unusable answer"),
            ErrorKind::Malformed => f.write_str("the payload is not a gateway payload"),
            ErrorKind::Config => f.write_str("the worker's configuration is incomplete"),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|source| &**source as &(dyn StdError + 'static))
    }
}

/// Classifies a Redis error: transport trouble (retry later) or a reply we cannot use.
pub(crate) fn store_error(source: redis::RedisError) -> Error {
    let unavailable = source.is_io_error()
        || source.is_connection_refusal()
        || source.is_connection_dropped()
        || source.is_timeout()
        || source.is_unrecoverable_error()
        || matches!(
            source.code(),
            Some("LOADING" | "BUSY" | "MASTERDOWN" | "TRYAGAIN" | "CLUSTERDOWN")
        );
    let kind = if unavailable {
        ErrorKind::StoreUnavailable
    } else {
        ErrorKind::StoreReply
    };
    Error::new(kind, Some(Box::new(source)))
}
