//! Small helpers the typed conversions share.

use std::borrow::Cow;

use crate::irc::Params;
use crate::irc::message::Parts;
use crate::{ParseError, ParseErrorKind};

/// Calls `f(key, value)` for every tag, in one pass over the raw tags.
#[inline]
pub(crate) fn for_each_tag<'s>(tags: &'s str, mut f: impl FnMut(&'s str, &'s str)) {
    if tags.is_empty() {
        return;
    }
    for pair in tags.split(';') {
        match pair.find('=') {
            Some(at) => f(&pair[..at], &pair[at + 1..]),
            None => f(pair, ""),
        }
    }
}

pub(crate) fn b(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

pub(crate) fn flag(value: &str) -> bool {
    value == "1"
}

pub(crate) fn non_empty(value: &str) -> Option<Cow<'_, str>> {
    (!value.is_empty()).then_some(Cow::Borrowed(value))
}

impl<'s> Parts<'s> {
    pub(crate) fn params(&self) -> Params<'s> {
        Params::new(self.middle, self.trailing)
    }

    pub(crate) fn param(&self, command: &'static str, index: usize) -> Result<&'s str, ParseError> {
        self.params()
            .nth(index)
            .ok_or_else(|| ParseError::new(ParseErrorKind::MissingParam { command, index }))
    }

    /// Parameter `index` as a channel login (`#dallas` → `dallas`).
    pub(crate) fn channel(
        &self,
        command: &'static str,
        index: usize,
    ) -> Result<&'s str, ParseError> {
        let param = self.param(command, index)?;
        Ok(param.strip_prefix('#').unwrap_or(param))
    }

    /// The nick of the prefix, required.
    pub(crate) fn nick(&self, command: &'static str) -> Result<&'s str, ParseError> {
        let prefix = self
            .prefix
            .ok_or_else(|| ParseError::new(ParseErrorKind::MissingPrefix { command }))?;
        Ok(prefix.split(['!', '@']).next().unwrap_or(prefix))
    }

    /// The last parameter (the message text for most commands).
    pub(crate) fn last(&self) -> Option<&'s str> {
        self.trailing.or_else(|| self.params().last())
    }
}
