//! Player, clan and war tags: normalising what users type, and encoding tags for URLs.

use std::fmt;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};

/// A tag as the API knows it: `#` followed by uppercase characters (`#2PP0JQ8Y`).
///
/// Tags from the API are kept as sent; tags from users go through [`Tag::normalize`] (the
/// client does this for every tag it is given unless tag correction is switched off).
///
/// ```
/// use svc_gameapi::Tag;
///
/// let tag = Tag::normalize(" 2pp oq8y ");
/// assert_eq!(tag.as_str(), "#2PP0Q8Y");
/// assert_eq!(tag.url_encoded(), "%232PP0Q8Y");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Tag(String);

impl Tag {
    /// Wraps `tag` exactly as given (no correction).
    pub fn new(tag: impl Into<String>) -> Self {
        Self(tag.into())
    }

    /// Corrects a user-typed tag the way the game does: uppercase, every character that is
    /// not a letter or digit stripped (spaces, `#`, `%23`, punctuation), `O` read as `0`,
    /// and a single leading `#`.
    pub fn normalize(raw: &str) -> Self {
        let raw = raw.trim();
        // A tag copied out of a URL arrives as `%23ABC`.
        let raw = raw.strip_prefix("%23").unwrap_or(raw);
        let mut tag = String::with_capacity(raw.len() + 1);
        tag.push('#');
        for c in raw.chars().filter(char::is_ascii_alphanumeric) {
            match c.to_ascii_uppercase() {
                'O' => tag.push('0'),
                other => tag.push(other),
            }
        }
        Self(tag)
    }

    /// The tag text, `#` included.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The tag as a URL path segment: `#` becomes `%23`; anything else outside letters and
    /// digits is percent-encoded too, so an uncorrected tag cannot change the path.
    pub fn url_encoded(&self) -> String {
        utf8_percent_encode(&self.0, NON_ALPHANUMERIC).to_string()
    }

    /// Whether the tag is `#` plus at least one character of the game's alphabet, and
    /// nothing else.
    pub fn is_well_formed(&self) -> bool {
        self.0.strip_prefix('#').is_some_and(|rest| {
            !rest.is_empty() && rest.bytes().all(|b| b"0289PYLQGRJCUV".contains(&b))
        })
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl From<&str> for Tag {
    fn from(tag: &str) -> Self {
        Self::new(tag)
    }
}

impl From<String> for Tag {
    fn from(tag: String) -> Self {
        Self(tag)
    }
}

impl AsRef<str> for Tag {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_what_users_type() {
        for (raw, expected) in [
            ("#2PP", "#2PP"),
            ("2pp", "#2PP"),
            ("  #2pp  ", "#2PP"),
            ("%232PP", "#2PP"),
            ("##2P-P", "#2PP"),
            ("#o2oo", "#0200"),
            ("", "#"),
        ] {
            assert_eq!(Tag::normalize(raw).as_str(), expected, "{raw:?}");
        }
    }

    #[test]
    fn url_encoding_escapes_everything_but_alphanumerics() {
        assert_eq!(Tag::new("#2PP").url_encoded(), "%232PP");
        assert_eq!(Tag::new("#a/b?").url_encoded(), "%23a%2Fb%3F");
        assert_eq!(Tag::new("#é ").url_encoded(), "%23%C3%A9%20");
    }

    #[test]
    fn well_formed() {
        assert!(Tag::new("#2PP0JQ8Y").is_well_formed());
        assert!(!Tag::new("2PP").is_well_formed());
        assert!(!Tag::new("#").is_well_formed());
        assert!(!Tag::new("#ABC").is_well_formed());
    }
}
