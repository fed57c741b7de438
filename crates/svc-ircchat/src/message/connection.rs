//! Connection-level messages: PING, PONG, numerics (001–376) and CAP.

use std::borrow::Cow;

use crate::ParseError;
use crate::irc::message::Parts;
use crate::message::owned::impl_into_owned;
use crate::message::util::b;

/// `PING :tmi.twitch.tv`: answer with a PONG carrying the same argument.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ping<'a> {
    /// The argument to echo.
    pub argument: Option<Cow<'a, str>>,
}

impl_into_owned!(Ping { argument });

/// `PONG tmi.twitch.tv :argument`: the answer to our PING.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pong<'a> {
    /// Our PING's argument.
    pub argument: Option<Cow<'a, str>>,
}

impl_into_owned!(Pong { argument });

impl<'a> Ping<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Self {
        Ping {
            argument: parts.last().map(b),
        }
    }
}

impl<'a> Pong<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Self {
        Pong {
            argument: parts.last().map(b),
        }
    }
}

/// A numeric reply from 001 to 376 (welcome `001`–`004`, MOTD `375`/`372`/`376`, …) other than
/// the NAMES replies, which have their own types.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Numeric<'a> {
    /// The code.
    pub code: u16,
    /// The first parameter (our nick).
    pub target: Cow<'a, str>,
    /// The last parameter (the text).
    pub text: Cow<'a, str>,
}

impl_into_owned!(Numeric { code, target, text });

impl<'a> Numeric<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>, code: u16) -> Self {
        Numeric {
            code,
            target: b(parts.params().next().unwrap_or("")),
            text: b(parts.last().unwrap_or("")),
        }
    }

    /// `001`: login succeeded.
    pub fn is_welcome(&self) -> bool {
        self.code == 1
    }
}

/// `CAP * ACK :twitch.tv/tags …`: the answer to a capability request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Cap<'a> {
    /// `ACK`, `NAK` or `LS`.
    pub subcommand: Cow<'a, str>,
    /// Space-separated capabilities.
    pub capabilities: Cow<'a, str>,
}

impl_into_owned!(Cap {
    subcommand,
    capabilities
});

impl<'a> Cap<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Result<Self, ParseError> {
        Ok(Cap {
            subcommand: b(parts.param("CAP", 1)?),
            capabilities: b(parts.params().nth(2).unwrap_or("")),
        })
    }

    /// Whether the server acknowledged.
    pub fn is_ack(&self) -> bool {
        self.subcommand == "ACK"
    }
}
