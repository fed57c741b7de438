//! ROOMSTATE, USERSTATE and GLOBALUSERSTATE: channel settings and our own standing.

use std::borrow::Cow;

use crate::irc::message::Parts;
use crate::irc::{TagValue, Tags};
use crate::message::owned::impl_into_owned;
use crate::message::util::{b, flag, for_each_tag, non_empty};
use crate::{Badges, ParseError};

/// `ROOMSTATE #channel`: chat settings. On JOIN all are sent; later only the changed one, so
/// each is optional.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoomState<'a> {
    /// Channel login.
    pub channel_login: Cow<'a, str>,
    /// Channel id.
    pub channel_id: Cow<'a, str>,
    /// Emote-only mode.
    pub emote_only: Option<bool>,
    /// Followers-only: `-1` off, otherwise the minutes a user must have followed.
    pub followers_only: Option<i64>,
    /// Unique-chat (r9k) mode.
    pub r9k: Option<bool>,
    /// Slow mode seconds (0 = off).
    pub slow_secs: Option<u64>,
    /// Subscribers-only mode.
    pub subs_only: Option<bool>,
    /// Every tag.
    pub tags: Tags<'a>,
}

impl_into_owned!(RoomState {
    channel_login,
    channel_id,
    emote_only,
    followers_only,
    r9k,
    slow_secs,
    subs_only,
    tags
});

impl<'a> RoomState<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Result<Self, ParseError> {
        let mut msg = RoomState {
            channel_login: b(parts.channel("ROOMSTATE", 0)?),
            channel_id: b(""),
            emote_only: None,
            followers_only: None,
            r9k: None,
            slow_secs: None,
            subs_only: None,
            tags: Tags::borrowed(parts.tags),
        };
        for_each_tag(parts.tags, |key, value| match key {
            "room-id" => msg.channel_id = b(value),
            "emote-only" => msg.emote_only = Some(flag(value)),
            "followers-only" => msg.followers_only = value.parse().ok(),
            "r9k" => msg.r9k = Some(flag(value)),
            "slow" => msg.slow_secs = value.parse().ok(),
            "subs-only" => msg.subs_only = Some(flag(value)),
            _ => {}
        });
        Ok(msg)
    }
}

/// `USERSTATE #channel`: our own badges and standing in a channel, sent on JOIN and after each
/// of our PRIVMSGs (Twitch does not echo our own messages).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserState<'a> {
    /// Channel login.
    pub channel_login: Cow<'a, str>,
    /// Our badges here.
    pub badges: Badges<'a>,
    /// Badge details.
    pub badge_info: Badges<'a>,
    /// Our colour.
    pub color: Option<Cow<'a, str>>,
    /// Our display name.
    pub display_name: TagValue<'a>,
    /// Emote sets we may use (comma-separated ids).
    pub emote_sets: Cow<'a, str>,
    /// Moderator here.
    pub is_mod: bool,
    /// Subscriber here.
    pub is_subscriber: bool,
    /// Id of the message we just sent, when this follows a PRIVMSG.
    pub message_id: Option<Cow<'a, str>>,
    /// Every tag.
    pub tags: Tags<'a>,
}

impl_into_owned!(UserState {
    channel_login,
    badges,
    badge_info,
    color,
    display_name,
    emote_sets,
    is_mod,
    is_subscriber,
    message_id,
    tags
});

impl<'a> UserState<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Result<Self, ParseError> {
        let mut msg = UserState {
            channel_login: b(parts.channel("USERSTATE", 0)?),
            badges: Badges::default(),
            badge_info: Badges::default(),
            color: None,
            display_name: TagValue::default(),
            emote_sets: b(""),
            is_mod: false,
            is_subscriber: false,
            message_id: None,
            tags: Tags::borrowed(parts.tags),
        };
        for_each_tag(parts.tags, |key, value| match key {
            "badges" => msg.badges = Badges::borrowed(value),
            "badge-info" => msg.badge_info = Badges::borrowed(value),
            "color" => msg.color = non_empty(value),
            "display-name" => msg.display_name = TagValue::borrowed(value),
            "emote-sets" => msg.emote_sets = b(value),
            "mod" => msg.is_mod = flag(value),
            "subscriber" => msg.is_subscriber = flag(value),
            "id" => msg.message_id = non_empty(value),
            _ => {}
        });
        Ok(msg)
    }

    /// Whether we are broadcaster, moderator or VIP here (the higher send limit applies).
    pub fn is_privileged(&self) -> bool {
        self.is_mod || self.badges.is_privileged()
    }
}

/// `GLOBALUSERSTATE`: who we are, sent once after login.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GlobalUserState<'a> {
    /// Our user id.
    pub user_id: Cow<'a, str>,
    /// Global badges.
    pub badges: Badges<'a>,
    /// Badge details.
    pub badge_info: Badges<'a>,
    /// Our colour.
    pub color: Option<Cow<'a, str>>,
    /// Our display name.
    pub display_name: TagValue<'a>,
    /// Emote sets we may use.
    pub emote_sets: Cow<'a, str>,
    /// Every tag.
    pub tags: Tags<'a>,
}

impl_into_owned!(GlobalUserState {
    user_id,
    badges,
    badge_info,
    color,
    display_name,
    emote_sets,
    tags
});

impl<'a> GlobalUserState<'a> {
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Self {
        let mut msg = GlobalUserState {
            user_id: b(""),
            badges: Badges::default(),
            badge_info: Badges::default(),
            color: None,
            display_name: TagValue::default(),
            emote_sets: b(""),
            tags: Tags::borrowed(parts.tags),
        };
        for_each_tag(parts.tags, |key, value| match key {
            "user-id" => msg.user_id = b(value),
            "badges" => msg.badges = Badges::borrowed(value),
            "badge-info" => msg.badge_info = Badges::borrowed(value),
            "color" => msg.color = non_empty(value),
            "display-name" => msg.display_name = TagValue::borrowed(value),
            "emote-sets" => msg.emote_sets = b(value),
            _ => {}
        });
        msg
    }
}
