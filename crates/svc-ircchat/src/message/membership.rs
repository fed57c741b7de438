//! JOIN, PART and the NAMES list (353 / 366).

use std::borrow::Cow;

use crate::ParseError;
use crate::irc::message::Parts;
use crate::message::owned::impl_into_owned;
use crate::message::util::b;

/// `:login!login@login.tmi.twitch.tv JOIN #channel` (ours confirms a join; others need the
/// membership capability).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Join<'a> {
    /// Channel login.
    pub channel_login: Cow<'a, str>,
    /// Who joined.
    pub user_login: Cow<'a, str>,
}

impl_into_owned!(Join {
    channel_login,
    user_login
});

/// `PART #channel`: someone (or we) left.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Part<'a> {
    /// Channel login.
    pub channel_login: Cow<'a, str>,
    /// Who left.
    pub user_login: Cow<'a, str>,
}

impl_into_owned!(Part {
    channel_login,
    user_login
});

impl<'a> Join<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Result<Self, ParseError> {
        Ok(Join {
            channel_login: b(parts.channel("JOIN", 0)?),
            user_login: b(parts.nick("JOIN")?),
        })
    }
}

impl<'a> Part<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Result<Self, ParseError> {
        Ok(Part {
            channel_login: b(parts.channel("PART", 0)?),
            user_login: b(parts.nick("PART")?),
        })
    }
}

/// `353 <nick> = #channel :name name …`: part of a channel's chatter list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Names<'a> {
    /// Channel login.
    pub channel_login: Cow<'a, str>,
    /// Space-separated logins; see [`Names::iter`].
    pub names: Cow<'a, str>,
}

impl_into_owned!(Names {
    channel_login,
    names
});

impl<'a> Names<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Result<Self, ParseError> {
        Ok(Names {
            channel_login: b(parts.channel("353", 2)?),
            names: b(parts.params().nth(3).unwrap_or("")),
        })
    }

    /// Every login in this chunk.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.names.split(' ').filter(|n| !n.is_empty())
    }
}

/// `366 <nick> #channel :End of /NAMES list`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EndOfNames<'a> {
    /// Channel login.
    pub channel_login: Cow<'a, str>,
}

impl_into_owned!(EndOfNames { channel_login });

impl<'a> EndOfNames<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Result<Self, ParseError> {
        Ok(EndOfNames {
            channel_login: b(parts.channel("366", 1)?),
        })
    }
}
