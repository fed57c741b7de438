//! The sandbox's error type: a kind to match on plus an optional source (see `core-error`).

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Binding the listening socket failed.
    #[error("failed to bind sandbox listener on {addr}")]
    Bind {
        /// The address asked for.
        addr: String,
    },
    /// A world (`--config`) or state (`--state`) file is not valid TOML / JSON of the
    /// expected shape; the source says where.
    #[error("the file does not describe a sandbox world")]
    Config,
    /// A world refers to something that does not exist, or has an id of the wrong shape.
    #[error("invalid world: {reason}")]
    InvalidWorld {
        /// What is wrong.
        reason: String,
    },
    /// Reading a file failed.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: String,
    },
    /// Writing a file failed.
    #[error("cannot write {path}")]
    Write {
        /// The file.
        path: String,
    },
}

core_error::error_type! {
    /// An error starting or running a sandbox server.
    pub struct Error(ErrorKind);
}
