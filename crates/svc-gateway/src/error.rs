//! The crate's error type.

use std::error::Error as StdError;
use std::fmt;

/// An error from a shard, the REST client or the bot client.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The gateway closed with a code that retrying cannot fix (4004 authentication failed,
    /// 4010 invalid shard, 4011 sharding required, 4012 invalid API version, 4013 invalid
    /// intents, 4014 disallowed intents). The shard stopped.
    #[error("gateway closed the session for good with {code}: {reason}")]
    FatalClose {
        /// The close code.
        code: u16,
        /// The close reason.
        reason: String,
    },
    /// A gateway payload over Discord's 4096-byte limit; it was not sent.
    #[error("gateway payload of {size} bytes exceeds the 4096-byte limit")]
    PayloadTooLarge {
        /// Its size.
        size: usize,
    },
    /// The shard is not connected (or stopped) so the payload could not be sent.
    #[error("the shard is not connected")]
    NotConnected,
    /// The shard or client has stopped.
    #[error("stopped")]
    Stopped,
    /// A REST request failed (the source says how).
    #[error("REST request failed")]
    Http,
    /// A REST answer could not be decoded.
    #[error("could not decode a REST answer")]
    Decode,
    /// A configuration value is invalid.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Waiting for something timed out.
    #[error("timed out")]
    Timeout,
    /// No handler is registered for an interaction (its command path or custom id).
    #[error("no handler for interaction {0:?}")]
    UnknownInteraction(String),
    /// An interaction's options do not parse into the handler's type; the source (an
    /// `interactions::OptionError`) names the option and says why.
    #[error("the options of {0:?} do not parse")]
    InvalidOptions(String),
    /// An interaction handler returned an error (the source) or panicked.
    #[error("the handler of {0:?} failed")]
    Handler(String),
    /// Too late to answer: the first response is due within 3 s, the token lasts 15 min.
    #[error("too late to answer the interaction")]
    InteractionExpired,
    /// The interaction already has its first response.
    #[error("the interaction was already answered")]
    AlreadyAnswered,
    /// Follow-ups and edits need the first response (or a defer) before them.
    #[error("the interaction has not been answered yet")]
    NotAnswered,
    /// A command definition breaks one of Discord's rules.
    #[error("invalid command {command:?}: {reason}")]
    InvalidCommand {
        /// The command's name.
        command: String,
        /// The rule it breaks.
        reason: String,
    },
    /// A URL the server offered (`GET /gateway/bot`'s `url`) is not `wss://`, so the token
    /// would travel in clear; `ws://` is accepted only between loopback hosts.
    #[error("the server offered a gateway URL that is not wss://")]
    InsecureUrl,
    /// `GET /gateway/bot` answered a value no bot can run with (zero shards, more shards
    /// than the configured maximum, zero concurrency, more session starts remaining than
    /// in total, a URL that does not parse).
    #[error("GET /gateway/bot answered an unusable {field}")]
    InvalidGatewayBot {
        /// The field (`shards`, `max_concurrency`, `session_start_limit.remaining`, `url`).
        field: &'static str,
    },
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self { kind, source: None }
    }

    pub(crate) fn with_source(
        kind: ErrorKind,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
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
    pub fn into_source(self) -> Option<Box<dyn StdError + Send + Sync>> {
        self.source
    }

    /// Kind and source.
    pub fn into_parts(self) -> (ErrorKind, Option<Box<dyn StdError + Send + Sync>>) {
        (self.kind, self.source)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

impl From<transport_http::Error> for Error {
    fn from(error: transport_http::Error) -> Self {
        Self::with_source(ErrorKind::Http, error)
    }
}
