//! [`IrcMessage`]: one IRC line, split without copying.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use crate::irc::{Params, Prefix, Tags};
use crate::{ParseError, ParseErrorKind};

/// One IRC line split into its parts: `[@tags] [:prefix] COMMAND [params] [:trailing]`.
///
/// Parsing records where each part lies in the line and copies nothing; accessors slice the
/// line on demand and tag values stay escaped until asked for. [`into_owned`](Self::into_owned)
/// makes a `'static` copy (one allocation) to keep or send elsewhere.
///
/// ```
/// use svc_ircchat::IrcMessage;
///
/// let msg = IrcMessage::parse("@id=1;display-name=Ro\\sNi :ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #dallas :hi there")?;
/// assert_eq!(msg.command(), "PRIVMSG");
/// assert_eq!(msg.prefix().unwrap().nick, "ronni");
/// assert_eq!(msg.tags().get("display-name").unwrap().unescape(), "Ro Ni");
/// assert_eq!(msg.params().collect::<Vec<_>>(), ["#dallas", "hi there"]);
/// assert_eq!(msg.to_string(), msg.as_raw());
/// # Ok::<(), svc_ircchat::ParseError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IrcMessage<'a> {
    raw: Cow<'a, str>,
    pub(crate) spans: Spans,
}

/// Where each part lies in the raw line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Spans {
    tags: Range<usize>,
    prefix: Option<Range<usize>>,
    command: Range<usize>,
    middle: Range<usize>,
    trailing: Option<Range<usize>>,
}

/// The parts of a message as slices of one string, the form typed conversion works on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts<'s> {
    pub(crate) tags: &'s str,
    pub(crate) prefix: Option<&'s str>,
    pub(crate) command: &'s str,
    pub(crate) middle: &'s str,
    pub(crate) trailing: Option<&'s str>,
}

impl Spans {
    pub(crate) fn parts<'s>(&self, raw: &'s str) -> Parts<'s> {
        Parts {
            tags: &raw[self.tags.clone()],
            prefix: self.prefix.clone().map(|r| &raw[r]),
            command: &raw[self.command.clone()],
            middle: &raw[self.middle.clone()],
            trailing: self.trailing.clone().map(|r| &raw[r]),
        }
    }
}

fn find_space(line: &str, from: usize) -> Option<usize> {
    line[from..].find(' ').map(|at| at + from)
}

fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && bytes[at] == b' ' {
        at += 1;
    }
    at
}

impl<'a> IrcMessage<'a> {
    /// Parses one line (a trailing `\r\n` or `\n` is ignored).
    ///
    /// Fails on an empty line, on tags or a prefix with no command after them, and on a
    /// command that is neither letters nor a three-digit numeric. Never panics.
    pub fn parse(line: &'a str) -> Result<Self, ParseError> {
        let spans = Self::split(line)?;
        Ok(Self {
            raw: Cow::Borrowed(line),
            spans,
        })
    }

    /// Parses an owned line; the result owns it.
    pub fn parse_owned(line: String) -> Result<IrcMessage<'static>, ParseError> {
        let spans = IrcMessage::split(&line)?;
        Ok(IrcMessage {
            raw: Cow::Owned(line),
            spans,
        })
    }

    fn split(line: &str) -> Result<Spans, ParseError> {
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let bytes = line.as_bytes();
        let missing = || ParseError::new(ParseErrorKind::MissingCommand);
        if bytes.is_empty() {
            return Err(ParseError::new(ParseErrorKind::Empty));
        }
        let mut at = 0;
        let mut tags = 0..0;
        if bytes[0] == b'@' {
            let end = find_space(line, 1).ok_or_else(missing)?;
            tags = 1..end;
            at = skip_spaces(bytes, end);
        }
        let mut prefix = None;
        if at < bytes.len() && bytes[at] == b':' {
            let end = find_space(line, at + 1).ok_or_else(missing)?;
            prefix = Some(at + 1..end);
            at = skip_spaces(bytes, end);
        }
        if at >= bytes.len() {
            return Err(missing());
        }
        let command_end = find_space(line, at).unwrap_or(bytes.len());
        let command = at..command_end;
        let word = &bytes[command.clone()];
        let is_numeric = word.len() == 3 && word.iter().all(u8::is_ascii_digit);
        if !is_numeric && !word.iter().all(u8::is_ascii_alphabetic) {
            return Err(ParseError::new(ParseErrorKind::BadCommand));
        }
        let at = skip_spaces(bytes, command_end);
        let (middle, trailing) = if at < bytes.len() && bytes[at] == b':' {
            (at..at, Some(at + 1..bytes.len()))
        } else {
            match line[at..].find(" :") {
                Some(found) => (at..at + found, Some(at + found + 2..bytes.len())),
                None => (at..bytes.len(), None),
            }
        };
        Ok(Spans {
            tags,
            prefix,
            command,
            middle,
            trailing,
        })
    }

    /// The line as received (without its line ending, if it was parsed with one it is kept).
    pub fn as_raw(&self) -> &str {
        &self.raw
    }

    /// The tags (empty when the line had none).
    pub fn tags(&self) -> Tags<'_> {
        Tags::borrowed(&self.raw[self.spans.tags.clone()])
    }

    /// The prefix (the sender), if any.
    pub fn prefix(&self) -> Option<Prefix<'_>> {
        self.spans
            .prefix
            .clone()
            .map(|r| Prefix::parse(&self.raw[r]))
    }

    /// The command: `PRIVMSG`, `001`, …
    pub fn command(&self) -> &str {
        &self.raw[self.spans.command.clone()]
    }

    /// Every parameter, the trailing one last.
    pub fn params(&self) -> Params<'_> {
        let parts = self.parts();
        Params::new(parts.middle, parts.trailing)
    }

    /// The trailing parameter (after ` :`), if the line had one.
    pub fn trailing(&self) -> Option<&str> {
        self.spans.trailing.clone().map(|r| &self.raw[r])
    }

    pub(crate) fn parts(&self) -> Parts<'_> {
        self.spans.parts(&self.raw)
    }

    pub(crate) fn raw_cow(&self) -> &Cow<'a, str> {
        &self.raw
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> IrcMessage<'static> {
        IrcMessage {
            raw: Cow::Owned(self.raw.into_owned()),
            spans: self.spans,
        }
    }
}

impl fmt::Debug for IrcMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IrcMessage")
            .field("tags", &self.tags())
            .field("prefix", &self.prefix())
            .field("command", &self.command())
            .field("params", &self.params().collect::<Vec<_>>())
            .finish()
    }
}

/// Writes the message back in canonical form: single spaces, the trailing parameter after
/// ` :`. A line Twitch sent comes back byte for byte.
impl fmt::Display for IrcMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = self.parts();
        if self.raw.starts_with('@') {
            write!(f, "@{} ", parts.tags)?;
        }
        if let Some(prefix) = parts.prefix {
            write!(f, ":{prefix} ")?;
        }
        f.write_str(parts.command)?;
        for param in Params::new(parts.middle, None) {
            write!(f, " {param}")?;
        }
        if let Some(trailing) = parts.trailing {
            write!(f, " :{trailing}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_every_part() {
        let msg = IrcMessage::parse(":tmi.twitch.tv PONG tmi.twitch.tv :nonce\r\n").unwrap();
        assert!(msg.tags().is_empty());
        assert_eq!(msg.prefix().unwrap().nick, "tmi.twitch.tv");
        assert_eq!(msg.command(), "PONG");
        assert_eq!(msg.params().collect::<Vec<_>>(), ["tmi.twitch.tv", "nonce"]);
        assert_eq!(msg.trailing(), Some("nonce"));
    }

    #[test]
    fn rejects_broken_lines() {
        for (line, kind) in [
            ("", ParseErrorKind::Empty),
            ("\r\n", ParseErrorKind::Empty),
            ("@a=b", ParseErrorKind::MissingCommand),
            (":prefix", ParseErrorKind::MissingCommand),
            ("@a=b :prefix ", ParseErrorKind::MissingCommand),
            ("PRIV-MSG #a", ParseErrorKind::BadCommand),
            ("12 #a", ParseErrorKind::BadCommand),
        ] {
            assert_eq!(
                IrcMessage::parse(line).unwrap_err().kind(),
                &kind,
                "{line:?}"
            );
        }
    }

    #[test]
    fn parameters_without_trailing() {
        let msg = IrcMessage::parse("JOIN #a  #b").unwrap();
        assert_eq!(msg.params().collect::<Vec<_>>(), ["#a", "#b"]);
        assert_eq!(msg.trailing(), None);
        let msg = IrcMessage::parse("PING :").unwrap();
        assert_eq!(msg.params().collect::<Vec<_>>(), [""]);
    }
}
