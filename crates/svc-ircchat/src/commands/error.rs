//! [`CommandError`]: why a command did not run, or failed, for the router's error hook.

use std::time::Duration;

use crate::commands::Permission;

core_error::error_type! {
    /// Why a command did not run or failed; given to the router's error hook.
    pub struct CommandError(CommandErrorKind);
}

/// What went wrong with a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommandErrorKind {
    /// No command (or alias) has this name.
    #[error("unknown command {name:?}")]
    Unknown {
        /// The name as typed (lowercase).
        name: String,
    },
    /// A required argument is missing.
    #[error("missing argument {index}")]
    MissingArgument {
        /// Its zero-based position.
        index: usize,
    },
    /// An argument did not parse as the type asked for (the parse error is the source).
    #[error("argument {index} is not valid")]
    BadArgument {
        /// Its zero-based position.
        index: usize,
    },
    /// The command's cooldown is full for this bucket.
    #[error("on cooldown for {retry_after:?}")]
    OnCooldown {
        /// How long until it may run again.
        retry_after: Duration,
    },
    /// The sender's standing is below what the command needs.
    #[error("needs {needed:?} or above")]
    MissingPermission {
        /// What the command needs.
        needed: Permission,
    },
    /// The handler returned an error (the source).
    #[error("the command failed")]
    Handler,
}
