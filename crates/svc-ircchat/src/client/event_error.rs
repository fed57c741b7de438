//! [`EventError`]: the typed error an event carries, so a cause is never only a string.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

/// An error carried by a [`ChatEvent`](crate::ChatEvent) (the transport error behind a
/// disconnect, the Helix error behind an expired token). Events are cloned to every
/// listener, so it is shared; two are equal when they are the same error.
#[derive(Debug, Clone)]
pub struct EventError(Arc<dyn StdError + Send + Sync>);

impl EventError {
    pub(crate) fn new(error: impl StdError + Send + Sync + 'static) -> Self {
        Self(Arc::new(error))
    }

    /// The error itself, to inspect or downcast (`transport_ws::Error`,
    /// `svc_helix::Error`).
    pub fn get(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.0
    }
}

impl PartialEq for EventError {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for EventError {}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl StdError for EventError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0.source()
    }
}
