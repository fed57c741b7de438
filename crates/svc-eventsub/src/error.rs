//! The crate's error type: a kind to match on plus an optional source (see `core-error`).

/// A boxed error that caused an [`Error`].
pub use core_error::BoxError;

core_error::error_type! {
    /// Everything that can go wrong in this crate. Match on [`Error::kind`].
    pub struct Error(ErrorKind);
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
    /// Every shard offered to [`ConduitBuilder::first_free_shard`](crate::ConduitBuilder::first_free_shard)
    /// is already enabled, by another process (twitch.py's `ShardNotFound`).
    #[error("every candidate conduit shard is already enabled")]
    ShardNotFound {
        /// The shard ids that were checked.
        tried: Vec<u32>,
    },
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
    /// A failed svc-helix call: Twitch's refusals (and an invalid token that could not be
    /// renewed, as 401) become [`ErrorKind::Status`], the rest [`ErrorKind::Http`].
    pub(crate) fn helix(operation: &'static str, error: svc_helix::Error) -> Self {
        let kind = match (error.status(), error.kind()) {
            (Some(status), svc_helix::ErrorKind::Status { message, .. }) => ErrorKind::Status {
                operation,
                status,
                message: message.clone(),
            },
            // Twitch said nothing of its own (an invalid token that could not be renewed):
            // svc-helix's error stays the source rather than being copied into the message.
            (Some(status), _) => ErrorKind::Status {
                operation,
                status,
                message: String::new(),
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

    /// A message whose `part` did not decode; the parser's error (where, and why) is kept
    /// as the source rather than copied into the reason.
    pub(crate) fn undecodable(part: &str, source: serde_json::Error) -> Self {
        Self::with_source(
            ErrorKind::Malformed {
                reason: part.to_owned(),
            },
            source,
        )
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
