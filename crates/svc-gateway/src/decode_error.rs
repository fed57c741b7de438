//! Why a gateway payload could not be decoded.

use std::error::Error as StdError;
use std::fmt;

/// A gateway payload that could not be decoded. Decoding never panics: malformed, truncated
/// or oversized input ends here.
#[derive(Debug)]
pub struct DecodeError {
    kind: DecodeErrorKind,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

/// What was wrong with the payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// Not valid JSON, or valid JSON of the wrong shape (the source says where).
    #[error("malformed gateway payload")]
    Malformed,
    /// No `op` field.
    #[error("gateway payload has no opcode")]
    MissingOpcode,
    /// An opcode a server never sends.
    #[error("unknown or unexpected opcode {op}")]
    UnknownOpcode {
        /// The opcode.
        op: u64,
    },
    /// A dispatch (op 0) without an event name.
    #[error("dispatch without an event name")]
    MissingEventName,
    /// An opcode that needs `d` came without one.
    #[error("opcode {op} came without data")]
    MissingData {
        /// The opcode.
        op: u8,
    },
}

impl DecodeError {
    pub(crate) fn new(kind: DecodeErrorKind) -> Self {
        Self { kind, source: None }
    }

    pub(crate) fn with_source(
        kind: DecodeErrorKind,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }

    /// What was wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.kind
    }

    /// The underlying parser error, if any.
    pub fn into_source(self) -> Option<Box<dyn StdError + Send + Sync>> {
        self.source
    }

    /// Kind and source.
    pub fn into_parts(self) -> (DecodeErrorKind, Option<Box<dyn StdError + Send + Sync>>) {
        (self.kind, self.source)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl StdError for DecodeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}
