//! The crate's error type: a kind to match on plus an optional source.

use std::error::Error as StdError;
use std::fmt;

/// A boxed error that caused an [`Error`].
pub type BoxError = Box<dyn StdError + Send + Sync>;

/// Everything that can go wrong in this crate. Match on [`Error::kind`].
pub struct Error {
    kind: ErrorKind,
    source: Option<BoxError>,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A WebSocket message was not a valid EventSub message.
    #[error("malformed EventSub message: {reason}")]
    Malformed {
        /// Why it was rejected.
        reason: String,
    },
    /// A REST call to the subscription or conduit endpoints failed.
    #[error("EventSub REST call failed: {operation}")]
    Http {
        /// Which call (`create subscription`, `update shards`, …).
        operation: &'static str,
    },
    /// Twitch answered with a status this call does not accept.
    #[error("EventSub REST call {operation} answered {status}: {message}")]
    Status {
        /// Which call.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// Twitch's `message` field, if any.
        message: String,
    },
    /// A local limit would be exceeded (subscriptions per socket, sockets per token, cost).
    #[error("EventSub limit reached: {0}")]
    Limit(LimitKind),
    /// The configuration is invalid (keepalive out of 10..=600, bad URL, …).
    #[error("invalid EventSub configuration: {reason}")]
    Config {
        /// What is wrong.
        reason: String,
    },
    /// The WebSocket could not be set up.
    #[error("EventSub WebSocket failed")]
    WebSocket,
    /// No welcome arrived in time on a new connection.
    #[error("no session_welcome within {seconds} s")]
    WelcomeTimeout {
        /// The wait that expired.
        seconds: u64,
    },
    /// The client was stopped.
    #[error("EventSub client stopped")]
    Stopped,
    /// The server offered a URL the client refuses to follow: not `wss://` (a `ws://` one
    /// is accepted only between loopback addresses), or not a URL at all. The source says
    /// which.
    #[error("refused a server-offered URL")]
    InsecureUrl,
    /// The server sent a number outside the range its documentation allows (a conduit
    /// sized differently from what was asked, an endless pagination); the client refuses
    /// to act on it.
    #[error("server sent {field} outside its documented range")]
    OutOfRange {
        /// Which field.
        field: &'static str,
    },
}

/// Which local limit was hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LimitKind {
    /// 300 enabled subscriptions per WebSocket session.
    #[error("at most {max} subscriptions per WebSocket session")]
    SubscriptionsPerSession {
        /// The limit.
        max: usize,
    },
    /// 3 WebSocket sessions per user token.
    #[error("at most {max} WebSocket sessions per user access token")]
    SessionsPerToken {
        /// The limit.
        max: usize,
    },
    /// The total cost of subscriptions would exceed `max_total_cost`.
    #[error("subscription cost {total} would exceed max_total_cost {max}")]
    TotalCost {
        /// What the total would be.
        total: u64,
        /// The maximum Twitch reported (or the default 10).
        max: u64,
    },
}

impl Error {
    /// What went wrong.
    pub const fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The underlying error, if any.
    pub fn into_source(self) -> Option<BoxError> {
        self.source
    }

    /// The kind and the underlying error.
    pub fn into_parts(self) -> (ErrorKind, Option<BoxError>) {
        (self.kind, self.source)
    }

    pub(crate) const fn new(kind: ErrorKind) -> Self {
        Self { kind, source: None }
    }

    pub(crate) fn with_source(kind: ErrorKind, source: impl Into<BoxError>) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }

    /// A failed svc-helix call: Twitch's refusals (and an invalid token that could not be
    /// renewed, as 401) become [`ErrorKind::Status`], the rest [`ErrorKind::Http`].
    pub(crate) fn helix(operation: &'static str, error: svc_helix::Error) -> Self {
        let kind = match (error.status(), error.kind()) {
            (Some(status), svc_helix::ErrorKind::Status { message, .. }) => ErrorKind::Status {
                operation,
                status,
                message: message.clone(),
            },
            (Some(status), _) => ErrorKind::Status {
                operation,
                status,
                message: error.to_string(),
            },
            (None, _) => ErrorKind::Http { operation },
        };
        if let ErrorKind::Status {
            status, message, ..
        } = &kind
        {
            tracing::warn!(operation, status, %message, "EventSub REST call refused");
        }
        Self::with_source(kind, error)
    }

    pub(crate) fn malformed(reason: impl Into<String>) -> Self {
        Self::new(ErrorKind::Malformed {
            reason: reason.into(),
        })
    }

    pub(crate) fn config(reason: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config {
            reason: reason.into(),
        })
    }

    pub(crate) const fn limit(kind: LimitKind) -> Self {
        Self::new(ErrorKind::Limit(kind))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("source", &self.source)
            .finish()
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
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}
