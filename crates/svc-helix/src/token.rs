//! [`AccessToken`]: an OAuth access token whose value never reaches a log.

use std::fmt;
use std::sync::Arc;

/// A Twitch OAuth access token (user or app). `Debug` and `Display` print `[redacted]`;
/// only [`expose`](Self::expose) gives the value, for building a header or a `PASS` line.
///
/// ```
/// use svc_helix::AccessToken;
///
/// let token = AccessToken::new("oauth:abc123");
/// assert_eq!(token.expose(), "abc123");
/// assert_eq!(format!("{token:?} {token}"), "AccessToken([redacted]) [redacted]");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AccessToken(Arc<str>);

impl AccessToken {
    /// Wraps a token; an `oauth:` prefix (the form chat logins use) is dropped.
    pub fn new(value: impl AsRef<str>) -> Self {
        let value = value.as_ref();
        Self(Arc::from(value.strip_prefix("oauth:").unwrap_or(value)))
    }

    /// The token value. Keep it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken([redacted])")
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}
