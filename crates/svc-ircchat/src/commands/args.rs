//! [`Args`]: a command's arguments, split with quoting, read as any `FromStr` type.
//!
//! Why `FromStr` rather than a trait or derive of our own: every number, `bool`, `String`,
//! `char` and most domain types already implement it, a user's own type needs one
//! `impl FromStr` and no macro, and the parse error is kept as the
//! [`CommandError`]'s source, so the error hook can say exactly what was wrong.

use std::str::FromStr;

use core_error::BoxError;

use crate::commands::{CommandError, CommandErrorKind};

/// The arguments after a command's name: `!so "two words" 3` has `two words` and `3`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    items: Vec<String>,
    raw: String,
}

impl Args {
    pub(crate) fn new(raw: &str) -> Self {
        Self {
            items: crate::commands::parse::split_args(raw),
            raw: raw.to_owned(),
        }
    }

    /// Argument `index` as a `T`: [`CommandErrorKind::MissingArgument`] if absent,
    /// [`CommandErrorKind::BadArgument`] (with the parse error as source) if it does not
    /// parse.
    pub fn get<T>(&self, index: usize) -> Result<T, CommandError>
    where
        T: FromStr,
        T::Err: Into<BoxError>,
    {
        match self.opt(index)? {
            Some(value) => Ok(value),
            None => Err(CommandError::new(CommandErrorKind::MissingArgument {
                index,
            })),
        }
    }

    /// Argument `index` as a `T`, `None` if absent (an optional argument).
    pub fn opt<T>(&self, index: usize) -> Result<Option<T>, CommandError>
    where
        T: FromStr,
        T::Err: Into<BoxError>,
    {
        self.items
            .get(index)
            .map(|item| {
                item.parse::<T>().map_err(|error| {
                    CommandError::with_source(CommandErrorKind::BadArgument { index }, error)
                })
            })
            .transpose()
    }

    /// Every argument as text.
    pub fn as_slice(&self) -> &[String] {
        &self.items
    }

    /// How many arguments there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The text after the command's name, unsplit (for "the rest of the line" arguments).
    pub fn raw(&self) -> &str {
        &self.raw
    }
}
