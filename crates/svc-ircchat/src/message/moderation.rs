//! CLEARCHAT (bans, timeouts, chat clears) and CLEARMSG (one message deleted).

use std::borrow::Cow;

use crate::ParseError;
use crate::irc::Tags;
use crate::irc::message::Parts;
use crate::message::owned::impl_into_owned;
use crate::message::util::{b, for_each_tag};

/// `CLEARCHAT #channel [:login]`: the chat was cleared, or a user banned or timed out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClearChat<'a> {
    /// Channel login.
    pub channel_login: Cow<'a, str>,
    /// Channel id.
    pub channel_id: Cow<'a, str>,
    /// The user whose messages were removed; `None` when the whole chat was cleared.
    pub target_login: Option<Cow<'a, str>>,
    /// Their id.
    pub target_id: Option<Cow<'a, str>>,
    /// Timeout length in seconds; `None` with a target means a permanent ban.
    pub ban_duration_secs: Option<u64>,
    /// When (Unix ms).
    pub sent_at_ms: u64,
    /// Every tag.
    pub tags: Tags<'a>,
}

impl_into_owned!(ClearChat {
    channel_login,
    channel_id,
    target_login,
    target_id,
    ban_duration_secs,
    sent_at_ms,
    tags
});

impl<'a> ClearChat<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Result<Self, ParseError> {
        let mut msg = ClearChat {
            channel_login: b(parts.channel("CLEARCHAT", 0)?),
            channel_id: b(""),
            target_login: parts.params().nth(1).map(b),
            target_id: None,
            ban_duration_secs: None,
            sent_at_ms: 0,
            tags: Tags::borrowed(parts.tags),
        };
        for_each_tag(parts.tags, |key, value| match key {
            "room-id" => msg.channel_id = b(value),
            "target-user-id" => msg.target_id = Some(b(value)),
            "ban-duration" => msg.ban_duration_secs = value.parse().ok(),
            "tmi-sent-ts" => msg.sent_at_ms = value.parse().unwrap_or(0),
            _ => {}
        });
        Ok(msg)
    }

    /// Whether this is a permanent ban.
    pub fn is_ban(&self) -> bool {
        self.target_login.is_some() && self.ban_duration_secs.is_none()
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        self.ban_duration_secs.is_some()
    }
}

/// `CLEARMSG #channel :text`: one message was deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClearMsg<'a> {
    /// Channel login.
    pub channel_login: Cow<'a, str>,
    /// The sender of the deleted message, `login`.
    pub sender_login: Cow<'a, str>,
    /// Id of the deleted message, `target-msg-id`.
    pub target_message_id: Cow<'a, str>,
    /// Its text.
    pub text: Cow<'a, str>,
    /// When (Unix ms).
    pub sent_at_ms: u64,
    /// Every tag.
    pub tags: Tags<'a>,
}

impl_into_owned!(ClearMsg {
    channel_login,
    sender_login,
    target_message_id,
    text,
    sent_at_ms,
    tags
});

impl<'a> ClearMsg<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Result<Self, ParseError> {
        let mut msg = ClearMsg {
            channel_login: b(parts.channel("CLEARMSG", 0)?),
            sender_login: b(""),
            target_message_id: b(""),
            text: b(parts.params().nth(1).unwrap_or("")),
            sent_at_ms: 0,
            tags: Tags::borrowed(parts.tags),
        };
        for_each_tag(parts.tags, |key, value| match key {
            "login" => msg.sender_login = b(value),
            "target-msg-id" => msg.target_message_id = b(value),
            "tmi-sent-ts" => msg.sent_at_ms = value.parse().unwrap_or(0),
            _ => {}
        });
        Ok(msg)
    }
}
