//! The crate's error type, twilight style: a kind to match on plus an optional source.

use std::{error::Error as StdError, fmt};

/// Why a rate-limit operation failed.
///
/// Match on [`Error::kind`]; the crate may attach more detail as a source later without
/// breaking callers.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

/// The kinds of [`Error`] this crate reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A rate-limit header was present but its value could not be read.
    HeaderInvalid {
        /// The header's name, lower-cased (for example `x-ratelimit-limit`).
        name: String,
    },
    /// The shared store (Redis) could not be reached or did not answer in time. Nothing was
    /// taken; waiting callers retry with backoff.
    StoreUnavailable,
    /// The shared store answered with something unusable (for example the key holds another
    /// type, or the address is invalid).
    StoreReply,
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
        match &self.kind {
            ErrorKind::HeaderInvalid { name } => {
                write!(f, "rate-limit header `{name}` has an invalid value")
            }
            ErrorKind::StoreUnavailable => {
                f.write_str("the shared rate-limit store is unreachable")
            }
            ErrorKind::StoreReply => {
                f.write_str("the shared rate-limit store gave an unusable answer")
            }
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

/// What was wrong with a header value; the value itself is never echoed (it is untrusted
/// input and may be large).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Problem(pub(crate) &'static str);
