//! The crate's error type: a kind to match on plus an optional source (see `core-error`).

use std::time::Duration;

/// The kinds of [`Error`] an [`EventHub`](crate::EventHub) reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Every handle of the hub was dropped, so no further event can arrive.
    #[error("the event hub was closed (all handles dropped)")]
    Closed,
    /// [`EventHub::wait_for`](crate::EventHub::wait_for) saw no matching event in time.
    #[error("no matching event arrived within {after:?}")]
    Timeout {
        /// The timeout that elapsed.
        after: Duration,
    },
    /// The requested buffer capacity was 0 or above [`MAX_CAPACITY`](crate::MAX_CAPACITY).
    #[error("event hub capacity must be between 1 and {max}, got {requested}", max = crate::MAX_CAPACITY)]
    InvalidCapacity {
        /// The capacity that was asked for.
        requested: usize,
    },
}

core_error::error_type! {
    /// Why an event-hub operation failed.
    ///
    /// Match on [`Error::kind`]; the crate may attach more detail as a source later
    /// without breaking callers.
    pub struct Error(ErrorKind);
}
