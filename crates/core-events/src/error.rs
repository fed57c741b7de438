//! The crate's error type, twilight style: a kind to match on plus an optional source.

use std::{error::Error as StdError, fmt, time::Duration};

/// Why an event-hub operation failed.
///
/// Match on [`Error::kind`]; the crate may attach more detail as a source later
/// without breaking callers.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

/// The kinds of [`Error`] an [`EventHub`](crate::EventHub) reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Every handle of the hub was dropped, so no further event can arrive.
    Closed,
    /// [`EventHub::wait_for`](crate::EventHub::wait_for) saw no matching event in time.
    Timeout {
        /// The timeout that elapsed.
        after: Duration,
    },
    /// The requested buffer capacity was 0 or above [`MAX_CAPACITY`](crate::MAX_CAPACITY).
    InvalidCapacity {
        /// The capacity that was asked for.
        requested: usize,
    },
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self { kind, source: None }
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
            ErrorKind::Closed => f.write_str("the event hub was closed (all handles dropped)"),
            ErrorKind::Timeout { after } => {
                write!(f, "no matching event arrived within {after:?}")
            }
            ErrorKind::InvalidCapacity { requested } => write!(
                f,
                "event hub capacity must be between 1 and {}, got {requested}",
                crate::MAX_CAPACITY
            ),
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
