//! The tags section (`@key=value;key2=value2`), read lazily.

use std::borrow::Cow;
use std::fmt;

use crate::irc::unescape;

/// The raw tags of a message (without the leading `@`). Lookups scan the string; values stay
/// escaped until [`TagValue::unescape`] is asked for.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Tags<'a> {
    raw: Cow<'a, str>,
}

impl<'a> Tags<'a> {
    pub(crate) fn borrowed(raw: &'a str) -> Self {
        Self {
            raw: Cow::Borrowed(raw),
        }
    }

    /// The value of `key`, if the tag is present (a tag present without `=` has an empty value).
    pub fn get(&self, key: &str) -> Option<TagValue<'_>> {
        self.iter().find_map(|(k, v)| (k == key).then_some(v))
    }

    /// Every `(key, value)` pair in wire order.
    pub fn iter(&self) -> TagsIter<'_> {
        TagsIter {
            rest: if self.raw.is_empty() {
                None
            } else {
                Some(&self.raw)
            },
        }
    }

    /// Whether the message carried no tags.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The tags exactly as sent, escapes included.
    pub fn as_raw(&self) -> &str {
        &self.raw
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> Tags<'static> {
        Tags {
            raw: Cow::Owned(self.raw.into_owned()),
        }
    }
}

impl<'s> IntoIterator for &'s Tags<'_> {
    type Item = (&'s str, TagValue<'s>);
    type IntoIter = TagsIter<'s>;

    fn into_iter(self) -> TagsIter<'s> {
        self.iter()
    }
}

impl fmt::Debug for Tags<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Iterator over `(key, value)` pairs of [`Tags`].
#[derive(Debug, Clone)]
pub struct TagsIter<'s> {
    rest: Option<&'s str>,
}

impl<'s> Iterator for TagsIter<'s> {
    type Item = (&'s str, TagValue<'s>);

    fn next(&mut self) -> Option<Self::Item> {
        let (pair, rest) = split_pair(self.rest?);
        self.rest = rest;
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        Some((key, TagValue::borrowed(value)))
    }
}

/// Splits `key=value;rest` at the first `;`.
pub(crate) fn split_pair(text: &str) -> (&str, Option<&str>) {
    match text.find(';') {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    }
}

/// One tag value, still escaped as on the wire.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct TagValue<'a>(Cow<'a, str>);

impl<'a> TagValue<'a> {
    pub(crate) fn borrowed(raw: &'a str) -> Self {
        Self(Cow::Borrowed(raw))
    }

    /// The value with escapes resolved (`\s` → space, `\:` → `;`, …). Borrows unless an escape
    /// is present.
    pub fn unescape(&self) -> Cow<'_, str> {
        unescape(&self.0)
    }

    /// The value exactly as sent.
    pub fn raw_str(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> TagValue<'static> {
        TagValue(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for TagValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.unescape(), f)
    }
}

impl fmt::Display for TagValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.unescape())
    }
}

impl PartialEq<str> for TagValue<'_> {
    fn eq(&self, other: &str) -> bool {
        self.unescape() == other
    }
}

impl PartialEq<&str> for TagValue<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.unescape() == *other
    }
}
