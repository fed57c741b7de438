//! Why an interaction's options did not parse: the source of
//! [`ErrorKind::InvalidOptions`](crate::ErrorKind::InvalidOptions).

use std::fmt;

use crate::model::CommandOptionType;

/// One option that did not parse, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError {
    option: String,
    kind: OptionErrorKind,
}

/// Why an option did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OptionErrorKind {
    /// A required option is missing.
    Missing,
    /// The option has another type than the model's (a stale command definition).
    WrongType {
        /// The model's type.
        expected: CommandOptionType,
        /// What came.
        found: CommandOptionType,
    },
    /// The value's shape does not fit the option's type (an integer option sent as text).
    BadValue,
    /// A user, channel, role or attachment the interaction did not resolve.
    Unresolved,
    /// An integer that does not fit the field's type.
    OutOfRange,
    /// A value that is none of the option's choices.
    UnknownChoice(String),
    /// An option the model does not have.
    Unexpected,
    /// A subcommand or group the model does not have.
    UnknownSubcommand,
    /// The command has subcommands but none was given.
    MissingSubcommand,
    /// A context-menu command without (or with the wrong kind of) target.
    NoTarget,
}

impl OptionError {
    /// `option` failed for `kind`.
    pub fn new(option: impl Into<String>, kind: OptionErrorKind) -> Self {
        Self {
            option: option.into(),
            kind,
        }
    }

    /// The option's name.
    pub fn option(&self) -> &str {
        &self.option
    }

    /// Why it failed.
    pub fn kind(&self) -> &OptionErrorKind {
        &self.kind
    }
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let option = &self.option;
        match &self.kind {
            OptionErrorKind::Missing => write!(f, "required option {option:?} is missing"),
            OptionErrorKind::WrongType { expected, found } => write!(
                f,
                "option {option:?} is of type {found:?}, the command expects {expected:?}"
            ),
            OptionErrorKind::BadValue => {
                write!(f, "option {option:?} has a value of the wrong shape")
            }
            OptionErrorKind::Unresolved => {
                write!(
                    f,
                    "option {option:?} names something the interaction did not resolve"
                )
            }
            OptionErrorKind::OutOfRange => write!(f, "option {option:?} is out of range"),
            OptionErrorKind::UnknownChoice(value) => {
                write!(
                    f,
                    "option {option:?} has {value:?}, which is none of its choices"
                )
            }
            OptionErrorKind::Unexpected => {
                write!(f, "option {option:?} is not part of the command")
            }
            OptionErrorKind::UnknownSubcommand => write!(f, "unknown subcommand {option:?}"),
            OptionErrorKind::MissingSubcommand => write!(f, "{option:?} needs a subcommand"),
            OptionErrorKind::NoTarget => write!(f, "context-menu command {option:?} has no target"),
        }
    }
}

impl std::error::Error for OptionError {}
