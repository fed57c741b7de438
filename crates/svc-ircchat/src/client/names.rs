//! What may go into an IRC line we write: channel names, reply ids, text. Anything a user
//! (or a hostile server, for reply ids) hands over is checked here, so no `\r`, `\n` or
//! space can smuggle a second command onto the line.

use crate::{Error, ErrorKind};

/// Twitch logins (and so channel names) are at most 25 characters.
const MAX_CHANNEL_LEN: usize = 25;

/// `#Dallas` → `dallas`; anything that is not `[a-z0-9_]{1,25}` afterwards is
/// [`ErrorKind::InvalidChannel`].
pub(crate) fn channel_name(raw: &str) -> Result<String, Error> {
    let name = normalize(raw);
    let valid = !name.is_empty()
        && name.len() <= MAX_CHANNEL_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if valid {
        Ok(name)
    } else {
        tracing::warn!(channel = ?raw, "refusing an invalid channel name");
        Err(Error::with_source(
            ErrorKind::InvalidChannel,
            format!("{raw:?} is not a channel name ([a-z0-9_]{{1,25}})"),
        ))
    }
}

/// `#Dallas` → `dallas`, for lookups (no validation).
pub(crate) fn normalize(channel: &str) -> String {
    channel.trim().trim_start_matches('#').to_lowercase()
}

/// Text that must stay on one line.
pub(crate) fn one_line(text: &str) -> Result<&str, Error> {
    if text.contains(['\r', '\n']) {
        tracing::warn!("refusing text that holds a line break");
        return Err(Error::with_source(
            ErrorKind::InvalidMessage,
            "a line break would start another IRC command",
        ));
    }
    Ok(text)
}

/// A message id for `@reply-parent-msg-id=`: it comes from the server, so it is checked like
/// user input (Twitch's are UUIDs).
pub(crate) fn reply_id(id: &str) -> Result<&str, Error> {
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Ok(id)
    } else {
        tracing::warn!("refusing a reply to a message with a malformed id");
        Err(Error::with_source(
            ErrorKind::InvalidMessage,
            "a message id holds only letters, digits and '-'",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_names() {
        assert_eq!(channel_name("#Dallas").unwrap(), "dallas");
        assert_eq!(channel_name(" a_b_9 ").unwrap(), "a_b_9");
        assert_eq!(channel_name(&"x".repeat(25)).unwrap().len(), 25);
        for bad in [
            "",
            "#",
            "dallas\r\nPRIVMSG #other :spam",
            "dal las",
            "dallas,other",
            "dällas",
            &"x".repeat(26),
        ] {
            let error = channel_name(bad).unwrap_err();
            assert_eq!(error.kind(), &ErrorKind::InvalidChannel, "{bad:?}");
        }
    }

    #[test]
    fn lines_and_ids() {
        assert!(one_line("hello there").is_ok());
        for bad in ["a\r\nQUIT", "a\nb", "a\rb"] {
            assert_eq!(
                one_line(bad).unwrap_err().kind(),
                &ErrorKind::InvalidMessage
            );
        }
        assert!(reply_id("b34ccfc7-4977-403a-8a94-33c6bac34fb8").is_ok());
        for bad in ["", "x y", "x;y", "x\r\nQUIT"] {
            assert_eq!(
                reply_id(bad).unwrap_err().kind(),
                &ErrorKind::InvalidMessage
            );
        }
    }
}
