//! The message source: `nick!user@host` or a server name.

/// Who sent a message: `:nick!user@host` for users, `:tmi.twitch.tv` for the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Prefix<'s> {
    /// The nickname (the login on Twitch), or the server name.
    pub nick: &'s str,
    /// The user part, if given.
    pub user: Option<&'s str>,
    /// The host part, if given.
    pub host: Option<&'s str>,
}

impl<'s> Prefix<'s> {
    /// Splits a raw prefix (without the leading `:`).
    pub fn parse(raw: &'s str) -> Self {
        let (rest, host) = match raw.split_once('@') {
            Some((rest, host)) => (rest, Some(host)),
            None => (raw, None),
        };
        let (nick, user) = match rest.split_once('!') {
            Some((nick, user)) => (nick, Some(user)),
            None => (rest, None),
        };
        Self { nick, user, host }
    }
}
