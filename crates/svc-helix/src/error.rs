//! The crate's error type.

use std::fmt;

/// An error from Helix or the OAuth endpoints.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client configuration is unusable.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The request could not be sent or its answer not read.
    #[error("request failed")]
    Transport,
    /// Twitch answered with an error status (`{error, status, message}`): 400 for a bad
    /// request, 401 for a missing scope or a token of the wrong user, 403 for a user who may
    /// not do this (not a moderator), 404, 409, 422, …
    #[error("Twitch answered {status}: {message}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// Twitch's message.
        message: String,
    },
    /// The token is invalid or expired and could not be refreshed.
    #[error("the access token is invalid or expired")]
    Unauthorized,
    /// The answer was not the JSON expected.
    #[error("unexpected response body")]
    Decode,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self { kind, source: None }
    }

    pub(crate) fn with_source(
        kind: ErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The HTTP status Twitch answered with, for [`ErrorKind::Status`] (and 401 for
    /// [`ErrorKind::Unauthorized`]).
    ///
    /// ```
    /// # fn check(error: svc_helix::Error) {
    /// match error.status() {
    ///     Some(403) => println!("not a moderator there: {error}"),
    ///     Some(404) => println!("not found: {error}"),
    ///     _ => println!("{error}"),
    /// }
    /// # }
    /// ```
    pub fn status(&self) -> Option<u16> {
        match &self.kind {
            ErrorKind::Status { status, .. } => Some(*status),
            ErrorKind::Unauthorized => Some(401),
            _ => None,
        }
    }

    /// The underlying error, if any.
    pub fn into_source(self) -> Option<Box<dyn std::error::Error + Send + Sync>> {
        self.source
    }

    /// Kind and source together.
    pub fn into_parts(self) -> (ErrorKind, Option<Box<dyn std::error::Error + Send + Sync>>) {
        (self.kind, self.source)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<transport_http::Error> for Error {
    fn from(error: transport_http::Error) -> Self {
        Self::with_source(ErrorKind::Transport, error)
    }
}
