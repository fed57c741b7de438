//! IRCv3 tag value escapes, as Twitch uses them.

use std::borrow::Cow;

/// Unescapes a tag value: `\:` → `;`, `\s` → space, `\\` → `\`, `\r` and `\n` → CR and LF;
/// any other escaped character stands for itself and a lone trailing `\` is dropped (IRCv3
/// message-tags). Borrows when there is nothing to unescape, which is nearly always.
pub(crate) fn unescape(raw: &str) -> Cow<'_, str> {
    let Some(first) = raw.find('\\') else {
        return Cow::Borrowed(raw);
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut chars = raw[first..].chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(':') => out.push(';'),
            Some('s') => out.push(' '),
            Some('r') => out.push('\r'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    Cow::Owned(out)
}

/// Escapes a tag value (the inverse of [`unescape`] for the characters it maps).
#[cfg(test)]
pub(crate) fn escape(value: &str) -> Cow<'_, str> {
    if !value.contains([';', ' ', '\\', '\r', '\n']) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            ';' => out.push_str("\\:"),
            ' ' => out.push_str("\\s"),
            '\\' => out.push_str("\\\\"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_every_sequence() {
        assert_eq!(unescape(r"a\sb\:c\\d\re\nf\xg\"), "a b;c\\d\re\nfxg");
        assert!(matches!(unescape("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn escape_round_trips() {
        for text in ["a b;c\\d\r\n", "plain", "", "ü ;"] {
            assert_eq!(unescape(&escape(text)), text);
        }
    }
}
