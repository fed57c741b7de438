//! NOTICE and WHISPER.

use std::borrow::Cow;

use crate::irc::message::Parts;
use crate::irc::{TagValue, Tags};
use crate::message::owned::impl_into_owned;
use crate::message::util::{b, for_each_tag, non_empty};
use crate::{Badges, Emotes, ParseError};

/// `NOTICE <#channel|*> :text`: a server notice, typed by its `msg-id`
/// (see <https://dev.twitch.tv/docs/irc/msg-id/>).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Notice<'a> {
    /// The channel, `None` for `*` (login-time notices such as a failed authentication).
    pub channel_login: Option<Cow<'a, str>>,
    /// The `msg-id` (`msg_ratelimit`, `msg_duplicate`, `msg_banned`, …), absent on login
    /// failures.
    pub msg_id: Option<Cow<'a, str>>,
    /// The human-readable text.
    pub text: Cow<'a, str>,
    /// Every tag.
    pub tags: Tags<'a>,
}

impl_into_owned!(Notice {
    channel_login,
    msg_id,
    text,
    tags
});

impl<'a> Notice<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Result<Self, ParseError> {
        let target = parts.param("NOTICE", 0)?;
        let channel_login = target.strip_prefix('#').map(b);
        let mut msg_id = None;
        for_each_tag(parts.tags, |key, value| {
            if key == "msg-id" {
                msg_id = non_empty(value);
            }
        });
        Ok(Notice {
            channel_login,
            msg_id,
            text: b(parts.params().nth(1).unwrap_or("")),
            tags: Tags::borrowed(parts.tags),
        })
    }

    /// Whether this notice says the login failed (Twitch then closes the connection).
    pub fn is_login_failure(&self) -> bool {
        self.channel_login.is_none()
            && (self.text.contains("Login authentication failed")
                || self.text.contains("Improperly formatted auth"))
    }
}

/// `WHISPER <to> :text`: a private message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Whisper<'a> {
    /// Sender login.
    pub sender_login: Cow<'a, str>,
    /// Sender id.
    pub sender_id: Cow<'a, str>,
    /// Sender display name.
    pub display_name: TagValue<'a>,
    /// Recipient login.
    pub recipient_login: Cow<'a, str>,
    /// The text (without the `/me` wrapper).
    pub text: Cow<'a, str>,
    /// Whether it was a `/me` action.
    pub is_action: bool,
    /// Badges.
    pub badges: Badges<'a>,
    /// Emotes.
    pub emotes: Emotes<'a>,
    /// Name colour.
    pub color: Option<Cow<'a, str>>,
    /// Message id, `message-id`.
    pub message_id: Cow<'a, str>,
    /// Conversation id, `thread-id`.
    pub thread_id: Cow<'a, str>,
    /// Every tag.
    pub tags: Tags<'a>,
}

impl_into_owned!(Whisper {
    sender_login,
    sender_id,
    display_name,
    recipient_login,
    text,
    is_action,
    badges,
    emotes,
    color,
    message_id,
    thread_id,
    tags
});

impl<'a> Whisper<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Result<Self, ParseError> {
        let (text, is_action) =
            crate::message::privmsg::split_action(parts.params().nth(1).unwrap_or(""));
        let mut msg = Whisper {
            sender_login: b(parts.nick("WHISPER")?),
            sender_id: b(""),
            display_name: TagValue::default(),
            recipient_login: b(parts.param("WHISPER", 0)?),
            text: b(text),
            is_action,
            badges: Badges::default(),
            emotes: Emotes::default(),
            color: None,
            message_id: b(""),
            thread_id: b(""),
            tags: Tags::borrowed(parts.tags),
        };
        for_each_tag(parts.tags, |key, value| match key {
            "user-id" => msg.sender_id = b(value),
            "display-name" => msg.display_name = TagValue::borrowed(value),
            "badges" => msg.badges = Badges::borrowed(value),
            "emotes" => msg.emotes = Emotes::borrowed(value),
            "color" => msg.color = non_empty(value),
            "message-id" => msg.message_id = b(value),
            "thread-id" => msg.thread_id = b(value),
            _ => {}
        });
        Ok(msg)
    }
}
