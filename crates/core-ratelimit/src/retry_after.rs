//! [`RetryAfter`]: the answer of a limiter that cannot admit a caller right now.

use std::{fmt, time::Duration};

/// How long to wait before the limiter can admit the caller.
///
/// Returned by the non-blocking `try_acquire` methods. Waiting this long and trying again
/// succeeds unless someone else took the slot first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RetryAfter(pub Duration);

impl fmt::Display for RetryAfter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rate limited; retry after {:?}", self.0)
    }
}

impl std::error::Error for RetryAfter {}
