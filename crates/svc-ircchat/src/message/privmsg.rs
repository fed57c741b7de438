//! PRIVMSG: a chat message in a channel.

use std::borrow::Cow;

use crate::irc::message::Parts;
use crate::irc::{TagValue, Tags};
use crate::message::owned::impl_into_owned;
use crate::message::util::{b, flag, for_each_tag, non_empty};
use crate::{Badges, Emotes, ParseError};

/// A chat message (`PRIVMSG #channel :text`) with Twitch's tags.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[allow(
    clippy::struct_excessive_bools,
    reason = "one field per boolean tag Twitch sends"
)]
pub struct Privmsg<'a> {
    /// Channel login, without `#`.
    pub channel_login: Cow<'a, str>,
    /// Channel (broadcaster) id, `room-id`.
    pub channel_id: Cow<'a, str>,
    /// Sender login (from the prefix).
    pub sender_login: Cow<'a, str>,
    /// Sender user id, `user-id`.
    pub sender_id: Cow<'a, str>,
    /// Sender display name (may hold escapes; see [`TagValue::unescape`]).
    pub display_name: TagValue<'a>,
    /// The text, without the `\x01ACTION …\x01` wrapper of a `/me`.
    pub text: Cow<'a, str>,
    /// Whether it was a `/me` action.
    pub is_action: bool,
    /// Message id, `id` (to reply to or delete it).
    pub message_id: Cow<'a, str>,
    /// Badges, `badges`.
    pub badges: Badges<'a>,
    /// Badge details, `badge-info` (exact subscription months).
    pub badge_info: Badges<'a>,
    /// Emote positions, `emotes`.
    pub emotes: Emotes<'a>,
    /// Name colour (`#RRGGBB`), absent if the user never set one.
    pub color: Option<Cow<'a, str>>,
    /// Bits cheered, `bits`.
    pub bits: Option<u64>,
    /// The user's first message in this channel, `first-msg`.
    pub first_msg: bool,
    /// A returning chatter, `returning-chatter`.
    pub returning_chatter: bool,
    /// Moderator in this channel, `mod`.
    pub is_mod: bool,
    /// Subscriber to this channel, `subscriber`.
    pub is_subscriber: bool,
    /// VIP in this channel, `vip`.
    pub is_vip: bool,
    /// Turbo user, `turbo`.
    pub is_turbo: bool,
    /// `user-type`: empty, `admin`, `global_mod`, `staff` (or `mod`).
    pub user_type: Cow<'a, str>,
    /// When Twitch received it, `tmi-sent-ts` (Unix ms).
    pub sent_at_ms: u64,
    /// The message this one replies to.
    pub reply_parent: Option<ReplyParent<'a>>,
    /// `msg-id` on special messages (`highlighted-message`, `skip-subs-mode-message`, …).
    pub msg_id: Option<Cow<'a, str>>,
    /// Channel-points reward id, `custom-reward-id`.
    pub custom_reward_id: Option<Cow<'a, str>>,
    /// Nonce the sending client chose, `client-nonce`.
    pub client_nonce: Option<Cow<'a, str>>,
    /// Every tag, for anything not lifted into a field.
    pub tags: Tags<'a>,
}

/// The parent of a reply, from the `reply-parent-*` tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReplyParent<'a> {
    /// Parent message id.
    pub message_id: Cow<'a, str>,
    /// Parent sender id.
    pub user_id: Cow<'a, str>,
    /// Parent sender login.
    pub user_login: Cow<'a, str>,
    /// Parent sender display name.
    pub display_name: TagValue<'a>,
    /// Parent text (escaped; [`TagValue::unescape`] restores spaces).
    pub body: TagValue<'a>,
    /// Id of the first message of the thread.
    pub thread_message_id: Option<Cow<'a, str>>,
    /// Login of the thread starter.
    pub thread_user_login: Option<Cow<'a, str>>,
}

impl_into_owned!(ReplyParent {
    message_id,
    user_id,
    user_login,
    display_name,
    body,
    thread_message_id,
    thread_user_login
});

impl_into_owned!(Privmsg {
    channel_login,
    channel_id,
    sender_login,
    sender_id,
    display_name,
    text,
    is_action,
    message_id,
    badges,
    badge_info,
    emotes,
    color,
    bits,
    first_msg,
    returning_chatter,
    is_mod,
    is_subscriber,
    is_vip,
    is_turbo,
    user_type,
    sent_at_ms,
    reply_parent,
    msg_id,
    custom_reward_id,
    client_nonce,
    tags,
});

/// Splits `\x01ACTION text\x01` into (`text`, true).
pub(crate) fn split_action(text: &str) -> (&str, bool) {
    match text.strip_prefix("\u{1}ACTION ") {
        Some(rest) => (rest.strip_suffix('\u{1}').unwrap_or(rest), true),
        None => (text, false),
    }
}

impl<'a> Privmsg<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Result<Self, ParseError> {
        let channel_login = parts.channel("PRIVMSG", 0)?;
        let sender_login = parts.nick("PRIVMSG")?;
        let text = parts.params().nth(1).unwrap_or("");
        let (text, is_action) = split_action(text);
        let mut msg = Privmsg {
            channel_login: b(channel_login),
            channel_id: b(""),
            sender_login: b(sender_login),
            sender_id: b(""),
            display_name: TagValue::default(),
            text: b(text),
            is_action,
            message_id: b(""),
            badges: Badges::default(),
            badge_info: Badges::default(),
            emotes: Emotes::default(),
            color: None,
            bits: None,
            first_msg: false,
            returning_chatter: false,
            is_mod: false,
            is_subscriber: false,
            is_vip: false,
            is_turbo: false,
            user_type: b(""),
            sent_at_ms: 0,
            reply_parent: None,
            msg_id: None,
            custom_reward_id: None,
            client_nonce: None,
            tags: Tags::borrowed(parts.tags),
        };
        for_each_tag(parts.tags, |key, value| match key {
            "badge-info" => msg.badge_info = Badges::borrowed(value),
            "badges" => msg.badges = Badges::borrowed(value),
            "bits" => msg.bits = value.parse().ok(),
            "client-nonce" => msg.client_nonce = non_empty(value),
            "color" => msg.color = non_empty(value),
            "custom-reward-id" => msg.custom_reward_id = non_empty(value),
            "display-name" => msg.display_name = TagValue::borrowed(value),
            "emotes" => msg.emotes = Emotes::borrowed(value),
            "first-msg" => msg.first_msg = flag(value),
            "id" => msg.message_id = b(value),
            "mod" => msg.is_mod = flag(value),
            "msg-id" => msg.msg_id = non_empty(value),
            "returning-chatter" => msg.returning_chatter = flag(value),
            "room-id" => msg.channel_id = b(value),
            "subscriber" => msg.is_subscriber = flag(value),
            "tmi-sent-ts" => msg.sent_at_ms = value.parse().unwrap_or(0),
            "turbo" => msg.is_turbo = flag(value),
            "user-id" => msg.sender_id = b(value),
            "user-type" => msg.user_type = b(value),
            "vip" => msg.is_vip = flag(value),
            _ => {
                if let Some(field) = key.strip_prefix("reply-") {
                    let parent = msg.reply_parent.get_or_insert_with(ReplyParent::default);
                    match field {
                        "parent-msg-id" => parent.message_id = b(value),
                        "parent-user-id" => parent.user_id = b(value),
                        "parent-user-login" => parent.user_login = b(value),
                        "parent-display-name" => parent.display_name = TagValue::borrowed(value),
                        "parent-msg-body" => parent.body = TagValue::borrowed(value),
                        "thread-parent-msg-id" => parent.thread_message_id = non_empty(value),
                        "thread-parent-user-login" => parent.thread_user_login = non_empty(value),
                        _ => {}
                    }
                }
            }
        });
        Ok(msg)
    }

    /// Whether the sender is the broadcaster, a moderator or a VIP here.
    pub fn is_privileged(&self) -> bool {
        self.is_mod || self.is_vip || self.badges.is_privileged()
    }
}
