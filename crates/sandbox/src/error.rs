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
}

core_error::error_type! {
    /// An error starting or running a sandbox server.
    pub struct Error(ErrorKind);
}
