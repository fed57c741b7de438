//! Chat under chaos: what the session writes instead of a line when hostile behaviours
//! ([`Chaos`]) are on.

use crate::chaos::{Chaos, ChaosSwitch, ENDLESS_LEN, INVALID_UTF8};

/// The text of the PRIVMSG [`Chaos::WrongTypes`] sends before every real one.
pub(crate) const WRONG_TYPES_TEXT: &str = "chaos: wrong types";

/// Tags whose values are all of the wrong shape (numbers that are not, a badge without a
/// version, an emote range that is no range, an empty id).
const BAD_TAGS: &str = "@badge-info=x/y/z;badges=moderator,/,vip/1/2;bits=-12;color=not-a-color;\
emotes=25:a-b,9-2;first-msg=2;id=;mod=yes;returning-chatter=;room-id=-1;subscriber=\\s;\
tmi-sent-ts=soon;turbo=maybe;user-id=;user-type=99999999999999999999999";

/// What to write for one outgoing line.
#[derive(Debug)]
pub(super) struct Planned {
    /// The byte strings to write, in order (lines end in `\r\n`, except an endless one).
    pub(super) chunks: Vec<Vec<u8>>,
    /// Close the connection once written.
    pub(super) then_close: bool,
    /// Write one byte at a time (TCP only).
    pub(super) slow: bool,
}

/// What chaos makes of `line`.
pub(super) fn plan(switch: &ChaosSwitch, line: &str) -> Planned {
    if switch.is_on(Chaos::EndlessLine) {
        return Planned {
            chunks: vec![vec![b'a'; ENDLESS_LEN]],
            then_close: true,
            slow: false,
        };
    }
    let mut chunks = Vec::new();
    if switch.is_on(Chaos::InvalidUtf8) {
        let mut bad = INVALID_UTF8.to_vec();
        bad.extend_from_slice(b"\r\n");
        chunks.push(bad);
    }
    if switch.is_on(Chaos::WrongTypes)
        && let Some(bad) = wrong_types(line)
    {
        chunks.push(bad.into_bytes());
    }
    chunks.push(format!("{line}\r\n").into_bytes());
    Planned {
        chunks,
        then_close: false,
        slow: switch.is_on(Chaos::SlowLoris),
    }
}

/// A PRIVMSG from the same sender to the same channel as `line` (a tagged PRIVMSG), with
/// [`BAD_TAGS`] and [`WRONG_TYPES_TEXT`].
fn wrong_types(line: &str) -> Option<String> {
    let rest = line.strip_prefix('@')?.split_once(' ')?.1;
    let (prefix, target) = rest.split_once(" PRIVMSG ")?;
    let channel = target.split_once(" :")?.0;
    Some(format!(
        "{BAD_TAGS} {prefix} PRIVMSG {channel} :{WRONG_TYPES_TEXT}\r\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_keeps_sender_and_channel() {
        let line = "@badges=;id=1 :bob!bob@bob.tmi.twitch.tv PRIVMSG #chan :hello";
        let bad = wrong_types(line).unwrap();
        assert!(bad.ends_with(" :bob!bob@bob.tmi.twitch.tv PRIVMSG #chan :chaos: wrong types\r\n"));
        assert!(wrong_types(":tmi.twitch.tv 001 bot :Welcome").is_none());
    }

    #[test]
    fn a_calm_switch_writes_the_line() {
        let planned = plan(&ChaosSwitch::default(), "PING :x");
        assert_eq!(planned.chunks, vec![b"PING :x\r\n".to_vec()]);
        assert!(!planned.then_close && !planned.slow);
    }
}
