//! The crate's error type: a kind to match on, and the underlying cause (see `core-error`).

/// A boxed underlying error.
pub use core_error::BoxError;

core_error::error_type! {
    /// An error from the Clash of Clans client. Match on [`Error::kind`].
    pub struct Error(ErrorKind);
}

/// The `reason` of an API error body (`{"reason": "...", "message": "..."}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// 400 `badRequest`: the parameters were wrong.
    BadRequest,
    /// 403 `accessDenied`: missing or wrong key.
    AccessDenied,
    /// 403 `accessDenied.invalidIp`: the key does not allow the caller's IP.
    InvalidIp,
    /// 404 `notFound`.
    NotFound,
    /// 429 `requestThrottled`: too many requests for this key.
    RequestThrottled,
    /// 500 `unknownException`.
    UnknownException,
    /// 503 `inMaintenance`: the game is in maintenance.
    InMaintenance,
    /// Any other reason, as sent.
    Other(String),
}

impl Reason {
    /// Reads the API's `reason` string.
    pub fn parse(reason: &str) -> Self {
        match reason {
            "badRequest" => Self::BadRequest,
            "accessDenied" => Self::AccessDenied,
            "accessDenied.invalidIp" => Self::InvalidIp,
            "notFound" => Self::NotFound,
            "requestThrottled" => Self::RequestThrottled,
            "unknownException" => Self::UnknownException,
            "inMaintenance" => Self::InMaintenance,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The reason for a status when the body carried none.
    pub(crate) fn for_status(status: u16) -> Self {
        match status {
            400 => Self::BadRequest,
            403 => Self::AccessDenied,
            404 => Self::NotFound,
            429 => Self::RequestThrottled,
            503 => Self::InMaintenance,
            500..=599 => Self::UnknownException,
            other => Self::Other(format!("status {other}")),
        }
    }

    /// The API's spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Self::BadRequest => "badRequest",
            Self::AccessDenied => "accessDenied",
            Self::InvalidIp => "accessDenied.invalidIp",
            Self::NotFound => "notFound",
            Self::RequestThrottled => "requestThrottled",
            Self::UnknownException => "unknownException",
            Self::InMaintenance => "inMaintenance",
            Self::Other(other) => other,
        }
    }
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The API answered with an error body.
    #[error("API error {status} {}: {message}", reason.as_str())]
    Api {
        /// HTTP status.
        status: u16,
        /// The `reason` field, typed.
        reason: Reason,
        /// The `message` field.
        message: String,
    },
    /// The request could not be sent or its answer not read (connect, TLS, reset, timeout).
    #[error("transport error")]
    Transport,
    /// The answer was not the JSON expected.
    #[error("failed to decode the response: {snippet}")]
    Decode {
        /// The start of the body.
        snippet: String,
    },
    /// An argument was refused before sending (a malformed tag, an empty key list…).
    #[error("invalid input: {what}")]
    InvalidInput {
        /// What was wrong.
        what: String,
    },
    /// The developer site refused the login or a key operation.
    #[error("developer site: {message}")]
    KeyManager {
        /// What the site said (never the credentials).
        message: String,
    },
}

impl Error {
    pub(crate) fn api(status: u16, reason: Reason, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Api {
            status,
            reason,
            message: message.into(),
        })
    }

    pub(crate) fn invalid(what: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput { what: what.into() })
    }

    /// The API reason, when the error is an API error.
    pub fn reason(&self) -> Option<&Reason> {
        match &self.kind {
            ErrorKind::Api { reason, .. } => Some(reason),
            _ => None,
        }
    }
}

impl From<transport_http::Error> for Error {
    fn from(error: transport_http::Error) -> Self {
        let kind = match error.kind() {
            transport_http::ErrorKind::Decode { snippet, .. } => ErrorKind::Decode {
                snippet: snippet.clone(),
            },
            transport_http::ErrorKind::Status { status, body } => {
                return Self::with_source(
                    ErrorKind::Api {
                        status: status.as_u16(),
                        reason: Reason::for_status(status.as_u16()),
                        message: body.clone(),
                    },
                    error,
                );
            }
            transport_http::ErrorKind::RateLimited { .. } => ErrorKind::Api {
                status: 429,
                reason: Reason::RequestThrottled,
                message: "rate limited, retries exhausted".to_owned(),
            },
            // What was refused is named here; how is the source's to say (printing the
            // transport error here too would show it twice).
            transport_http::ErrorKind::Config { .. } => ErrorKind::InvalidInput {
                what: "the HTTP client configuration".to_owned(),
            },
            transport_http::ErrorKind::InvalidUrl { .. } => ErrorKind::InvalidInput {
                what: "the request URL".to_owned(),
            },
            transport_http::ErrorKind::InvalidHeader { .. } => ErrorKind::InvalidInput {
                what: "a request header".to_owned(),
            },
            transport_http::ErrorKind::Encode => ErrorKind::InvalidInput {
                what: "the request body".to_owned(),
            },
            _ => ErrorKind::Transport,
        };
        Self::with_source(kind, error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip() {
        for text in [
            "badRequest",
            "accessDenied",
            "accessDenied.invalidIp",
            "notFound",
            "requestThrottled",
            "unknownException",
            "inMaintenance",
            "somethingNew",
        ] {
            assert_eq!(Reason::parse(text).as_str(), text);
        }
        assert_eq!(Reason::parse("accessDenied.invalidIp"), Reason::InvalidIp);
    }

    #[test]
    fn parts() {
        let error = Error::api(404, Reason::NotFound, "notFound");
        assert_eq!(error.reason(), Some(&Reason::NotFound));
        assert_eq!(error.to_string(), "API error 404 notFound: notFound");
        let (kind, source) = error.into_parts();
        assert!(matches!(kind, ErrorKind::Api { status: 404, .. }));
        assert!(source.is_none());
    }

    #[tokio::test]
    async fn a_refused_request_setting_names_what_and_leaves_how_to_the_source() {
        let Err(error) = crate::Client::builder()
            .key("k")
            .base_url("not a url")
            .build()
            .await
        else {
            panic!("a base URL that is not a URL was accepted");
        };
        assert_eq!(
            error.kind(),
            &ErrorKind::InvalidInput {
                what: "the request URL".to_owned()
            }
        );
        assert_eq!(error.to_string(), "invalid input: the request URL");
        let source = std::error::Error::source(&error).expect("the transport error");
        assert!(source.downcast_ref::<transport_http::Error>().is_some());
    }
}
