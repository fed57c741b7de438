//! The crate's errors: [`ParseError`] for bad IRC lines and [`Error`] for the chat client.

use std::fmt;

/// Why an IRC line could not be parsed or converted into a [`ServerMessage`](crate::ServerMessage).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    kind: ParseErrorKind,
}

/// What was wrong with the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The line is empty (or only a line ending).
    #[error("empty line")]
    Empty,
    /// Tags or a prefix were not followed by a command.
    #[error("no command")]
    MissingCommand,
    /// The command holds characters IRC does not allow in one.
    #[error("malformed command")]
    BadCommand,
    /// A typed message lacked a parameter its command requires.
    #[error("{command} is missing parameter {index}")]
    MissingParam {
        /// The IRC command.
        command: &'static str,
        /// The zero-based index of the parameter.
        index: usize,
    },
    /// A typed message lacked its prefix (the sender).
    #[error("{command} has no prefix")]
    MissingPrefix {
        /// The IRC command.
        command: &'static str,
    },
}

impl ParseError {
    pub(crate) fn new(kind: ParseErrorKind) -> Self {
        Self { kind }
    }

    /// What was wrong.
    pub fn kind(&self) -> &ParseErrorKind {
        &self.kind
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid IRC message: {}", self.kind)
    }
}

impl std::error::Error for ParseError {}

/// An error from the chat client.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What went wrong in the chat client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The configuration is unusable (bad URL, bad login name).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Connecting (TCP, TLS or WebSocket handshake) failed.
    #[error("connecting to chat failed")]
    Connect,
    /// Twitch refused the login (bad or expired token).
    #[error("login refused: {0}")]
    LoginRefused(String),
    /// The OAuth token is invalid or expired and could not be refreshed (found when
    /// validating it, see [`ChatConfigBuilder::oauth_managed`](crate::ChatConfigBuilder::oauth_managed)).
    #[error("the access token is invalid or expired")]
    InvalidToken,
    /// The client has been shut down.
    #[error("the chat client is closed")]
    Closed,
    /// Waiting for something took too long.
    #[error("timed out")]
    Timeout,
    /// A message would not fit in one IRC line, or cannot be sent on this login.
    #[error("message rejected: {0}")]
    BadMessage(String),
    /// A channel name is not a Twitch login (`[a-z0-9_]{1,25}` after stripping `#` and
    /// lowercasing): anything else could smuggle a second IRC command onto the line.
    #[error("invalid channel name")]
    InvalidChannel,
    /// Message text, a raw line or a reply id holds what would break the IRC line (`\r`,
    /// `\n`; spaces or `;` in a reply id): it would inject another command.
    #[error("message would break the IRC line")]
    InvalidMessage,
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
