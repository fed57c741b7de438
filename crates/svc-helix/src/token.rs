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

/// A Twitch OAuth refresh token. Twitch rotates it on every refresh, so an app that keeps
/// users across restarts saves the newest one (see [`TokenManager::on_renewed`](crate::TokenManager::on_renewed)).
/// `Debug` and `Display` print `[redacted]`; only [`expose`](Self::expose) gives the value.
///
/// ```
/// use svc_helix::RefreshToken;
///
/// let token = RefreshToken::new("r3fr35h");
/// assert_eq!(token.expose(), "r3fr35h");
/// assert_eq!(format!("{token:?} {token}"), "RefreshToken([redacted]) [redacted]");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RefreshToken(Arc<str>);

impl RefreshToken {
    /// Wraps a refresh token.
    pub fn new(value: impl AsRef<str>) -> Self {
        Self(Arc::from(value.as_ref()))
    }

    /// The token value. Keep it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshToken([redacted])")
    }
}

impl fmt::Display for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}
