//! The sandbox's error type.

use std::fmt;

/// An error starting or running a sandbox server.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Binding the listening socket failed.
    Bind {
        /// The address asked for.
        addr: String,
    },
    /// A world (`--config`) or state (`--state`) file is not valid TOML / JSON of the
    /// expected shape; the source says where.
    Config,
    /// A world refers to something that does not exist, or has an id of the wrong shape.
    InvalidWorld {
        /// What is wrong.
        reason: String,
    },
    /// Reading a file failed.
    Read {
        /// The file.
        path: String,
    },
    /// Writing a file failed.
    Write {
        /// The file.
        path: String,
    },
}

impl Error {
    pub(crate) fn new(
        kind: ErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            kind,
            source: Some(source.into()),
        }
    }

    /// An error with no underlying cause.
    pub(crate) fn invalid(kind: ErrorKind) -> Self {
        Self { kind, source: None }
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
        match &self.kind {
            ErrorKind::Bind { addr } => write!(f, "failed to bind sandbox listener on {addr}"),
            ErrorKind::Config => f.write_str("the file does not describe a sandbox world"),
            ErrorKind::InvalidWorld { reason } => write!(f, "invalid world: {reason}"),
            ErrorKind::Read { path } => write!(f, "cannot read {path}"),
            ErrorKind::Write { path } => write!(f, "cannot write {path}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
