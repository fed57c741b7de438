//! The crate's error type: a kind to match on plus an optional source.

use std::time::Duration;

use http::StatusCode;

/// A boxed error that caused an [`Error`].
pub use core_error::BoxError;

core_error::error_type! {
    /// Everything that can go wrong building, sending or decoding a request.
    ///
    /// Match on [`Error::kind`]; the source (a hyper, rustls or simd-json error) is kept for
    /// context. Neither the kind nor the source ever carries a secret: URLs are redacted and
    /// body snippets are scrubbed of the request's secret values.
    pub struct Error(ErrorKind);
}

/// The kinds of [`Error`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client configuration is unusable (for example a TLS setup rustls rejects).
    #[error("invalid client configuration: {reason}")]
    Config {
        /// Why it was rejected.
        reason: String,
    },
    /// The URL could not be parsed, has no base to join onto, or is not http(s).
    #[error("invalid URL `{url}`")]
    InvalidUrl {
        /// The offending URL, with secret query values and credentials redacted.
        url: String,
    },
    /// A header name or value is not valid HTTP.
    #[error("invalid header `{name}`")]
    InvalidHeader {
        /// The header name (never its value).
        name: String,
    },
    /// The request body could not be serialised to JSON.
    #[error("failed to encode the request body as JSON")]
    Encode,
    /// The TCP connection could not be established.
    #[error("failed to connect")]
    Connect,
    /// The TLS handshake failed (unknown issuer, bad name, protocol error…).
    #[error("TLS handshake failed")]
    Tls,
    /// No complete response arrived within the request's timeout.
    #[error("request timed out after {after:?}")]
    Timeout {
        /// The timeout that elapsed.
        after: Duration,
    },
    /// The connection failed after it was established (reset, protocol error…).
    #[error("request failed")]
    Request,
    /// The server answered with a non-success status (after any retries).
    #[error("server answered {status}: {body}")]
    Status {
        /// The final status.
        status: StatusCode,
        /// The start of the response body, lossily decoded and scrubbed of secrets.
        body: String,
    },
    /// The server kept answering 429 and the retry budget ran out.
    #[error("rate limited (retry after {retry_after:?}, global: {global})")]
    RateLimited {
        /// How long the server asked us to wait, if it said.
        retry_after: Option<Duration>,
        /// Whether the limit was the global one (Discord).
        global: bool,
    },
    /// The response body is not the JSON the caller expected.
    #[error("failed to decode the {status} response body: {snippet}")]
    Decode {
        /// The response status.
        status: StatusCode,
        /// The start of the body, lossily decoded and scrubbed of secrets.
        snippet: String,
    },
    /// The response body is larger than the configured bound.
    #[error("response body exceeds {limit} bytes")]
    BodyTooLarge {
        /// The bound, in bytes.
        limit: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_round_trip() {
        let error = Error::with_source(ErrorKind::Connect, std::io::Error::other("refused"));
        assert_eq!(error.to_string(), "failed to connect");
        assert!(std::error::Error::source(&error).is_some());
        let (kind, source) = error.into_parts();
        assert_eq!(kind, ErrorKind::Connect);
        assert_eq!(source.unwrap().to_string(), "refused");
    }

    #[test]
    fn error_is_send_sync() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
    }
}
