//! A wrapper for credentials that must never be printed.

use std::fmt;
use std::sync::Arc;

/// A credential (token, API key, `Authorization` value) that never shows in `Debug` output.
///
/// Cloning is cheap (shared). The only way to read the value is [`Secret::expose`], which
/// makes every use easy to find.
///
/// ```
/// use transport_core::Secret;
///
/// let token = Secret::new("Bot abc.def");
/// assert_eq!(format!("{token:?}"), "[redacted]");
/// assert_eq!(token.expose(), "Bot abc.def");
/// ```
#[derive(Clone)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Arc::from(value.into()))
    }

    /// The secret value. Call this only to put it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}
