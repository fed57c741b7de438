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

/// The non-empty lines of `text`, without their `\n` / `\r\n` endings.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .filter(|line| !line.is_empty())
}

/// Whether `text` can go out as one line.
pub(crate) fn is_one_line(text: &str) -> bool {
    !text.contains(['\r', '\n'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_any_line_ending_and_skips_empty_lines() {
        let text = ":tmi PING\r\n\r\n@a=b :x PRIVMSG #c :hi\nlast";
        assert_eq!(
            lines(text).collect::<Vec<_>>(),
            [":tmi PING", "@a=b :x PRIVMSG #c :hi", "last"]
        );
        assert_eq!(lines("\r\n").count(), 0);
        assert!(is_one_line("PRIVMSG #c :hi"));
        assert!(!is_one_line("PRIVMSG #c :hi\r\nJOIN #x"));
        assert!(!is_one_line("a\rb"));
    }
}
