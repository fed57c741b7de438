//! The crate's error type: a kind to match on plus an optional source.

use std::error::Error as StdError;
use std::fmt;

/// Boxed source error.
type Source = Box<dyn StdError + Send + Sync>;

/// An error from this crate: match on [`Error::kind`], keep the source for logs.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source: Option<Source>,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The URL does not parse, its scheme is not `ws`/`wss`/`tcp`/`tls`, or a `tcp`/`tls`
    /// URL has no port.
    #[error("invalid URL")]
    InvalidUrl,
    /// A URL the server offered is not encrypted (see
    /// [`check_offered_url`](crate::check_offered_url)); it is not used.
    #[error("the server offered an unencrypted URL")]
    InsecureUrl,
    /// A configured header name or value is not valid HTTP.
    #[error("invalid header {name:?}")]
    InvalidHeader {
        /// The header name as given (the value is never shown: it may be a secret).
        name: String,
    },
    /// The TLS configuration is unusable (e.g. a root certificate that does not parse).
    #[error("invalid TLS configuration")]
    TlsConfig,
    /// TCP connect failed or timed out, or the connection broke during the handshake.
    #[error("connection failed")]
    Connect,
    /// The TLS handshake failed (untrusted certificate, name mismatch, ...).
    #[error("TLS handshake failed")]
    Tls,
    /// The server refused the WebSocket upgrade.
    #[error("WebSocket handshake refused{}", status.map(|s| format!(" with HTTP {s}")).unwrap_or_default())]
    Handshake {
        /// HTTP status of the refusal, when the server answered with one.
        status: Option<u16>,
    },
    /// An established connection was lost (I/O error or reset without close handshake).
    #[error("connection lost")]
    ConnectionLost,
    /// The peer violated the WebSocket protocol.
    #[error("WebSocket protocol violation")]
    Protocol,
    /// A message (before or after inflating) is larger than the configured maximum.
    #[error("message larger than {max} bytes")]
    MessageTooLarge {
        /// The configured maximum message size.
        max: usize,
    },
    /// Compressed data could not be inflated.
    #[error("decompression failed")]
    Decompress,
    /// An inbound line of a `tcp://` / `tls://` connection is not UTF-8: it is skipped and
    /// the connection goes on.
    #[error("inbound line is not UTF-8")]
    InvalidUtf8,
    /// An outbound message cannot go out as is: in [`Framing::Lines`](crate::Framing::Lines)
    /// it holds a line break (which would inject another line), or it is binary on a TCP
    /// line connection.
    #[error("message cannot be sent as one line")]
    InvalidMessage,
    /// A send was attempted while no connection is established (or the connection changed
    /// while the send waited for the rate limit).
    #[error("not connected")]
    NotConnected,
    /// The client has stopped; no more connections will be made.
    #[error("client stopped")]
    Stopped,
}

impl Error {
    /// Creates an error without a source.
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self { kind, source: None }
    }

    /// Creates an error with a source.
    pub(crate) fn with_source(kind: ErrorKind, source: impl Into<Source>) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The underlying error, if any.
    pub fn into_source(self) -> Option<Box<dyn StdError + Send + Sync>> {
        self.source
    }

    /// The kind and the underlying error.
    pub fn into_parts(self) -> (ErrorKind, Option<Box<dyn StdError + Send + Sync>>) {
        (self.kind, self.source)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|source| &**source as &(dyn StdError + 'static))
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self::new(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::{Error, ErrorKind};
    use std::error::Error as _;

    #[test]
    fn parts_and_display() {
        let error = Error::with_source(ErrorKind::Handshake { status: Some(401) }, "denied");
        assert_eq!(
            error.to_string(),
            "WebSocket handshake refused with HTTP 401"
        );
        assert_eq!(
            error.source().map(ToString::to_string).as_deref(),
            Some("denied")
        );
        let (kind, source) = error.into_parts();
        assert_eq!(kind, ErrorKind::Handshake { status: Some(401) });
        assert!(source.is_some());
        assert_eq!(
            Error::new(ErrorKind::Handshake { status: None }).to_string(),
            "WebSocket handshake refused"
        );
    }
}
