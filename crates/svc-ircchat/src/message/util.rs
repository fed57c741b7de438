//! Small helpers the typed conversions share.

use std::borrow::Cow;

use crate::irc::Params;
use crate::irc::message::Parts;
use crate::{ParseError, ParseErrorKind};

/// Calls `f(key, value)` for every tag, in one pass over the raw tags (a plain byte loop:
/// tags are short, so one scan beats a `memchr` call per `;` and per `=`).
#[inline]
pub(crate) fn for_each_tag<'s>(tags: &'s str, mut f: impl FnMut(&'s str, &'s str)) {
    if tags.is_empty() {
        return;
    }
    let bytes = tags.as_bytes();
    let mut start = 0;
    let mut eq = usize::MAX;
    for (i, &byte) in bytes.iter().enumerate() {
        if byte == b'=' && eq == usize::MAX {
            eq = i;
        } else if byte == b';' {
            emit(tags, start, eq, i, &mut f);
            start = i + 1;
            eq = usize::MAX;
        }
    }
    emit(tags, start, eq, bytes.len(), &mut f);
}

/// `=` and `;` are ASCII, so every index here is a char boundary.
#[inline]
fn emit<'s>(
    tags: &'s str,
    start: usize,
    eq: usize,
    end: usize,
    f: &mut impl FnMut(&'s str, &'s str),
) {
    if eq == usize::MAX {
        f(&tags[start..end], "");
    } else {
        f(&tags[start..eq], &tags[eq + 1..end]);
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
