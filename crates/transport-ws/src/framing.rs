//! [`Framing`]: what one inbound event is, a WebSocket message or a line.

/// Default cap on one line of a `tcp://` / `tls://` connection: 64 KiB. A Twitch IRC line
/// (tags included) stays far below; a server that never ends its line hits it instead of
/// growing the buffer forever. Set another cap with
/// [`WsConfigBuilder::max_message_size`](crate::WsConfigBuilder::max_message_size).
pub const DEFAULT_MAX_LINE_LENGTH: usize = 64 << 10;

/// How inbound data is cut into [`WsMessage`](crate::WsMessage)s, and outbound text
/// written.
///
/// `tcp://` and `tls://` connections always use [`Lines`](Self::Lines).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Framing {
    /// One event per WebSocket message (the default for `ws://` and `wss://`).
    #[default]
    Messages,
    /// One event per line, for line protocols such as IRC: a text message holding several
    /// `\r\n`-terminated lines (Twitch packs them so) becomes one
    /// [`WsMessage::Text`](crate::WsMessage::Text) per line, without its line ending; empty
    /// lines are skipped. Outbound text must be a single line (a `\r` or `\n` would inject
    /// another command): over TCP it is written followed by `\r\n`, over WebSocket as one
    /// text message.
    Lines,
}

/// The lines of one text message, cut one at a time as they are delivered: a message of
/// many tiny lines from a hostile server costs its own size, not an allocation per line up
/// front.
#[derive(Debug, Default)]
pub(crate) struct LineCursor {
    text: String,
    position: usize,
}

impl LineCursor {
    /// Starts on `text` (any previous text must have been used up).
    pub(crate) fn new(text: String) -> Self {
        let mut cursor = Self { text, position: 0 };
        cursor.skip_empty_lines();
        cursor
    }

    /// The next non-empty line, without its `\n` / `\r\n` ending.
    pub(crate) fn next_line(&mut self) -> Option<String> {
        if self.is_empty() {
            // Used up: give the memory back.
            self.text = String::new();
            self.position = 0;
            return None;
        }
        let rest = &self.text[self.position..];
        let (line, used) = match rest.find('\n') {
            Some(end) => (&rest[..end], end + 1),
            None => (rest, rest.len()),
        };
        let line = line.strip_suffix('\r').unwrap_or(line).to_owned();
        self.position += used;
        self.skip_empty_lines();
        Some(line)
    }

    /// Whether no line is left.
    pub(crate) fn is_empty(&self) -> bool {
        self.position >= self.text.len()
    }

    /// Moves past line endings with nothing before them, so that [`is_empty`](Self::is_empty)
    /// is exact without scanning.
    fn skip_empty_lines(&mut self) {
        loop {
            let rest = &self.text.as_bytes()[self.position..];
            let skip = match rest {
                [b'\n', ..] | [b'\r'] => 1,
                [b'\r', b'\n', ..] => 2,
                _ => return,
            };
            self.position += skip;
        }
    }
}

/// Whether `text` can go out as one line.
pub(crate) fn is_one_line(text: &str) -> bool {
    !text.contains(['\r', '\n'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        let mut cursor = LineCursor::new(text.to_owned());
        std::iter::from_fn(|| cursor.next_line()).collect()
    }

    #[test]
    fn splits_on_any_line_ending_and_skips_empty_lines() {
        let text = ":tmi PING\r\n\r\n@a=b :x PRIVMSG #c :hi\nlast";
        assert_eq!(lines(text), [":tmi PING", "@a=b :x PRIVMSG #c :hi", "last"]);
        assert!(lines("\r\n").is_empty());
        assert_eq!(lines("\n\r\na\rb\r\n\r"), ["a\rb"]);
        let mut cursor = LineCursor::new("a\r\n\r\n".to_owned());
        assert!(!cursor.is_empty());
        assert_eq!(cursor.next_line().as_deref(), Some("a"));
        assert!(cursor.is_empty());
        assert_eq!(cursor.next_line(), None);
        assert!(LineCursor::default().is_empty());
        assert!(LineCursor::new("\r\n\n".to_owned()).is_empty());
        assert!(is_one_line("PRIVMSG #c :hi"));
        assert!(!is_one_line("PRIVMSG #c :hi\r\nJOIN #x"));
        assert!(!is_one_line("a\rb"));
    }
}
