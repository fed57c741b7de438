//! The "you fell behind" report a slow receiver gets instead of silent loss.

use std::{error::Error as StdError, fmt};

/// A receiver fell so far behind that the hub's bounded buffer overwrote
/// `missed` events before it read them.
///
/// The receiver then continues with the oldest event still buffered, so after a
/// `Lagged { missed: n }` the next item is exactly `n` events later than the
/// last one it saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lagged {
    /// How many events this receiver will never see.
    pub missed: u64,
}

impl fmt::Display for Lagged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "receiver lagged behind and missed {} events",
            self.missed
        )
    }
}

impl StdError for Lagged {}
