//! The shared tier's error type, twilight style: a kind to match on plus an optional source.

use std::{error::Error as StdError, fmt};

/// Why a [`SharedCache`](crate::SharedCache) operation failed.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

/// The kinds of [`Error`] the shared tier reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Redis could not be reached or did not answer in time. Treat as a miss (read) or as
    /// "only cached locally" (write).
    StoreUnavailable,
    /// Redis answered with something unusable (for example the key holds another type).
    StoreReply,
}

impl Error {
    pub(crate) fn from_redis(source: redis::RedisError) -> Self {
        let unavailable = source.is_io_error()
            || source.is_connection_refusal()
            || source.is_connection_dropped()
            || source.is_timeout()
            || source.is_unrecoverable_error()
            || matches!(
                source.code(),
                Some("LOADING" | "BUSY" | "MASTERDOWN" | "TRYAGAIN")
            );
        let kind = if unavailable {
            ErrorKind::StoreUnavailable
        } else {
            ErrorKind::StoreReply
        };
        Self {
            kind,
            source: Some(Box::new(source)),
        }
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
        f.write_str(match self.kind {
            ErrorKind::StoreUnavailable => "the shared cache (Redis) is unreachable",
            ErrorKind::StoreReply => "the shared cache (Redis) gave an unusable answer",
        })
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|source| &**source as &(dyn StdError + 'static))
    }
}
