//! The crate's error type: a kind callers match on, plus an optional source (see
//! `core-error`).

use std::time::Duration;

/// Boxed source error.
pub use core_error::BoxError;

core_error::error_type! {
    /// An error from the mesh client: match on [`kind`](Self::kind).
    pub struct Error(ErrorKind);
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The DSN does not parse (`singyeong://app:password@host:port?encoding=json`).
    #[error("invalid singyeong DSN: {reason}")]
    InvalidDsn {
        /// Why (never contains the password).
        reason: String,
    },
    /// The DSN asks for an encoding this client does not speak (only `json`).
    #[error("unsupported encoding {encoding:?}: only json is supported")]
    UnsupportedEncoding {
        /// The encoding asked for.
        encoding: String,
    },
    /// A client or application id is empty or contains whitespace.
    #[error("invalid {field}: {reason}")]
    InvalidId {
        /// Which id.
        field: &'static str,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A metadata key is reserved by the server (`ip`, `restricted`, `encoding`,
    /// `last_heartbeat_time`, `namespace`, `receive_client_updates`).
    #[error("metadata key {key:?} is reserved by singyeong and cannot be set")]
    ReservedMetadataKey {
        /// The key.
        key: String,
    },
    /// A metadata value does not fit its declared type (a non-finite float, a bad version).
    #[error("metadata value for {key:?} is invalid: {reason}")]
    InvalidMetadata {
        /// The key.
        key: String,
        /// Why.
        reason: String,
    },
    /// A query is malformed (a path not starting with `/`, an empty logical op…).
    #[error("invalid query: {reason}")]
    InvalidQuery {
        /// Why.
        reason: String,
    },
    /// The client is in restricted mode: it may only update metadata.
    #[error("restricted clients may only update metadata; {action} refused")]
    Restricted {
        /// What was attempted.
        action: &'static str,
    },
    /// The server refused the identify or a payload with op 3 INVALID.
    #[error("server answered INVALID: {error}")]
    Invalid {
        /// The server's error text.
        error: String,
    },
    /// The server reported an unrecoverable error with op 8 ERROR.
    #[error("server reported ERROR: {error}")]
    Server {
        /// The server's error text.
        error: String,
    },
    /// No identified connection right now (connecting, reconnecting, or stopped).
    #[error("not connected to singyeong")]
    NotConnected,
    /// The client was closed.
    #[error("client closed")]
    Closed,
    /// No answer in time (connect, request reply, queue confirm).
    #[error("timed out after {after:?}")]
    Timeout {
        /// How long was waited.
        after: Duration,
    },
    /// The WebSocket transport failed.
    #[error("WebSocket transport error")]
    Transport,
    /// An HTTP API call (proxy, query) failed.
    #[error("HTTP API error")]
    Http,
    /// A payload could not be encoded or decoded.
    #[error("malformed payload: {reason}")]
    Payload {
        /// What was wrong.
        reason: String,
    },
    /// A [`MeshStream`](crate::MeshStream) was read so slowly that the event hub dropped
    /// `missed` events for it; the stream goes on with the next one.
    #[error("the event stream fell behind and missed {missed} events")]
    Lagged {
        /// How many events this stream will never see.
        missed: u64,
    },
    /// Too many requests (or queue pushes) already wait for an answer; nothing was sent.
    #[error("{limit} requests or queue pushes already await an answer")]
    TooManyPending {
        /// The limit.
        limit: usize,
    },
}
