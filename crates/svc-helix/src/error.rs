//! The crate's error type: a kind to match on plus an optional source (see `core-error`).

core_error::error_type! {
    /// An error from Helix or the OAuth endpoints.
    pub struct Error(ErrorKind);
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
    /// No token is stored for this user in the [`TokenStore`](crate::TokenStore) (twitch.py's
    /// `TokenError`): add it with [`TokenStore::add_user`](crate::TokenStore::add_user).
    #[error("no token stored for user {user_id}")]
    UnknownUser {
        /// The user asked for.
        user_id: String,
    },
}

impl Error {
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
}

impl From<transport_http::Error> for Error {
    fn from(error: transport_http::Error) -> Self {
        Self::with_source(ErrorKind::Transport, error)
    }
}
