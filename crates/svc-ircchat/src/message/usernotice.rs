//! USERNOTICE: subs, resubs, gifts, raids, announcements and other channel events.

use std::borrow::Cow;

use crate::irc::message::Parts;
use crate::irc::{TagValue, Tags};
use crate::message::owned::{IntoStatic, impl_into_owned};
use crate::message::util::{b, flag, for_each_tag, non_empty};
use crate::{Badges, Emotes, ParseError};

/// A channel event announced in chat (`USERNOTICE #channel [:text]`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserNotice<'a> {
    /// Channel login, without `#`.
    pub channel_login: Cow<'a, str>,
    /// Channel id, `room-id`.
    pub channel_id: Cow<'a, str>,
    /// The user the event is about, `login`.
    pub sender_login: Cow<'a, str>,
    /// Their id, `user-id`.
    pub sender_id: Cow<'a, str>,
    /// Their display name.
    pub display_name: TagValue<'a>,
    /// The raw `msg-id` (`sub`, `resub`, `raid`, …).
    pub msg_id: Cow<'a, str>,
    /// What happened, with its `msg-param-*` values.
    pub event: UserNoticeEvent<'a>,
    /// What Twitch shows for it, `system-msg` (escaped).
    pub system_message: TagValue<'a>,
    /// The user's own message (resub message, announcement text), if any.
    pub text: Option<Cow<'a, str>>,
    /// Message id, `id`.
    pub message_id: Cow<'a, str>,
    /// Badges.
    pub badges: Badges<'a>,
    /// Badge details.
    pub badge_info: Badges<'a>,
    /// Emotes in `text`.
    pub emotes: Emotes<'a>,
    /// Name colour.
    pub color: Option<Cow<'a, str>>,
    /// Moderator in this channel.
    pub is_mod: bool,
    /// When Twitch sent it (Unix ms).
    pub sent_at_ms: u64,
    /// Every tag (for `msg-param-*` values not lifted into [`UserNoticeEvent`]).
    pub tags: Tags<'a>,
}

/// The event a [`UserNotice`] announces.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UserNoticeEvent<'a> {
    /// A new subscription (`sub`) or a renewed one (`resub`).
    Sub {
        /// `resub` rather than `sub`.
        is_resub: bool,
        /// Total months subscribed, `msg-param-cumulative-months`.
        cumulative_months: u32,
        /// Consecutive months, if the user shares it.
        streak_months: Option<u32>,
        /// `Prime`, `1000`, `2000` or `3000`.
        plan: Cow<'a, str>,
        /// Plan display name (escaped).
        plan_name: TagValue<'a>,
    },
    /// A gifted subscription (`subgift`, also `anonsubgift`).
    SubGift {
        /// Recipient login.
        recipient_login: Cow<'a, str>,
        /// Recipient id.
        recipient_id: Cow<'a, str>,
        /// Recipient display name.
        recipient_display_name: TagValue<'a>,
        /// The recipient's total months.
        months: u32,
        /// Months gifted at once.
        gift_months: u32,
        /// Plan.
        plan: Cow<'a, str>,
    },
    /// Gifts to random viewers (`submysterygift`, also `anonsubmysterygift`).
    SubMysteryGift {
        /// How many subs were gifted.
        count: u32,
        /// Gifts by this sender in the channel so far, if shared.
        sender_total: Option<u32>,
        /// Plan.
        plan: Cow<'a, str>,
    },
    /// A raid.
    Raid {
        /// Raiding channel's login.
        from_login: Cow<'a, str>,
        /// Raiding channel's display name.
        from_display_name: TagValue<'a>,
        /// Viewers brought along.
        viewer_count: u64,
    },
    /// A moderator announcement.
    Announcement {
        /// `PRIMARY`, `BLUE`, `GREEN`, `ORANGE` or `PURPLE`.
        color: Cow<'a, str>,
    },
    /// A ritual (`new_chatter`).
    Ritual {
        /// Ritual name.
        name: Cow<'a, str>,
    },
    /// A bits badge tier reached.
    BitsBadgeTier {
        /// The tier.
        threshold: u64,
    },
    /// Any other `msg-id` (read its `msg-param-*` from [`UserNotice::tags`]).
    Other,
}

impl IntoStatic for UserNoticeEvent<'_> {
    type Static = UserNoticeEvent<'static>;
    fn into_static(self) -> UserNoticeEvent<'static> {
        match self {
            Self::Sub {
                is_resub,
                cumulative_months,
                streak_months,
                plan,
                plan_name,
            } => UserNoticeEvent::Sub {
                is_resub,
                cumulative_months,
                streak_months,
                plan: plan.into_static(),
                plan_name: plan_name.into_static(),
            },
            Self::SubGift {
                recipient_login,
                recipient_id,
                recipient_display_name,
                months,
                gift_months,
                plan,
            } => UserNoticeEvent::SubGift {
                recipient_login: recipient_login.into_static(),
                recipient_id: recipient_id.into_static(),
                recipient_display_name: recipient_display_name.into_static(),
                months,
                gift_months,
                plan: plan.into_static(),
            },
            Self::SubMysteryGift {
                count,
                sender_total,
                plan,
            } => UserNoticeEvent::SubMysteryGift {
                count,
                sender_total,
                plan: plan.into_static(),
            },
            Self::Raid {
                from_login,
                from_display_name,
                viewer_count,
            } => UserNoticeEvent::Raid {
                from_login: from_login.into_static(),
                from_display_name: from_display_name.into_static(),
                viewer_count,
            },
            Self::Announcement { color } => UserNoticeEvent::Announcement {
                color: color.into_static(),
            },
            Self::Ritual { name } => UserNoticeEvent::Ritual {
                name: name.into_static(),
            },
            Self::BitsBadgeTier { threshold } => UserNoticeEvent::BitsBadgeTier { threshold },
            Self::Other => UserNoticeEvent::Other,
        }
    }
}

impl_into_owned!(UserNotice {
    channel_login,
    channel_id,
    sender_login,
    sender_id,
    display_name,
    msg_id,
    event,
    system_message,
    text,
    message_id,
    badges,
    badge_info,
    emotes,
    color,
    is_mod,
    sent_at_ms,
    tags,
});

/// The `msg-param-*` values the typed events use, gathered in the single tag pass.
#[derive(Default)]
struct MsgParams<'s> {
    cumulative_months: &'s str,
    months: &'s str,
    streak_months: &'s str,
    should_share_streak: bool,
    plan: &'s str,
    plan_name: &'s str,
    recipient_login: &'s str,
    recipient_id: &'s str,
    recipient_display_name: &'s str,
    gift_months: &'s str,
    mass_gift_count: &'s str,
    sender_count: &'s str,
    login: &'s str,
    display_name: &'s str,
    viewer_count: &'s str,
    color: &'s str,
    ritual_name: &'s str,
    threshold: &'s str,
}

impl<'a> UserNotice<'a> {
    #[allow(
        clippy::too_many_lines,
        reason = "one flat match over every tag and msg-param"
    )]
    pub(crate) fn from_parts(parts: &Parts<'a>) -> Result<Self, ParseError> {
        let channel_login = parts.channel("USERNOTICE", 0)?;
        let mut notice = UserNotice {
            channel_login: b(channel_login),
            channel_id: b(""),
            sender_login: b(""),
            sender_id: b(""),
            display_name: TagValue::default(),
            msg_id: b(""),
            event: UserNoticeEvent::Other,
            system_message: TagValue::default(),
            text: parts.params().nth(1).map(b),
            message_id: b(""),
            badges: Badges::default(),
            badge_info: Badges::default(),
            emotes: Emotes::default(),
            color: None,
            is_mod: false,
            sent_at_ms: 0,
            tags: Tags::borrowed(parts.tags),
        };
        let mut p = MsgParams::default();
        for_each_tag(parts.tags, |key, value| match key {
            "badge-info" => notice.badge_info = Badges::borrowed(value),
            "badges" => notice.badges = Badges::borrowed(value),
            "color" => notice.color = non_empty(value),
            "display-name" => notice.display_name = TagValue::borrowed(value),
            "emotes" => notice.emotes = Emotes::borrowed(value),
            "id" => notice.message_id = b(value),
            "login" => notice.sender_login = b(value),
            "mod" => notice.is_mod = flag(value),
            "msg-id" => notice.msg_id = b(value),
            "room-id" => notice.channel_id = b(value),
            "system-msg" => notice.system_message = TagValue::borrowed(value),
            "tmi-sent-ts" => notice.sent_at_ms = value.parse().unwrap_or(0),
            "user-id" => notice.sender_id = b(value),
            _ => {
                let Some(param) = key.strip_prefix("msg-param-") else {
                    return;
                };
                match param {
                    "cumulative-months" => p.cumulative_months = value,
                    "months" => p.months = value,
                    "streak-months" => p.streak_months = value,
                    "should-share-streak" => p.should_share_streak = flag(value),
                    "sub-plan" => p.plan = value,
                    "sub-plan-name" => p.plan_name = value,
                    "recipient-user-name" => p.recipient_login = value,
                    "recipient-id" => p.recipient_id = value,
                    "recipient-display-name" => p.recipient_display_name = value,
                    "gift-months" => p.gift_months = value,
                    "mass-gift-count" => p.mass_gift_count = value,
                    "sender-count" => p.sender_count = value,
                    "login" => p.login = value,
                    "displayName" => p.display_name = value,
                    "viewerCount" => p.viewer_count = value,
                    "color" => p.color = value,
                    "ritual-name" => p.ritual_name = value,
                    "threshold" => p.threshold = value,
                    _ => {}
                }
            }
        });
        notice.event = match &*notice.msg_id {
            kind @ ("sub" | "resub") => UserNoticeEvent::Sub {
                is_resub: kind == "resub",
                cumulative_months: p.cumulative_months.parse().unwrap_or(0),
                streak_months: if p.should_share_streak {
                    p.streak_months.parse().ok()
                } else {
                    None
                },
                plan: b(p.plan),
                plan_name: TagValue::borrowed(p.plan_name),
            },
            "subgift" | "anonsubgift" => UserNoticeEvent::SubGift {
                recipient_login: b(p.recipient_login),
                recipient_id: b(p.recipient_id),
                recipient_display_name: TagValue::borrowed(p.recipient_display_name),
                months: p.months.parse().unwrap_or(0),
                gift_months: p.gift_months.parse().unwrap_or(1),
                plan: b(p.plan),
            },
            "submysterygift" | "anonsubmysterygift" => UserNoticeEvent::SubMysteryGift {
                count: p.mass_gift_count.parse().unwrap_or(0),
                sender_total: p.sender_count.parse().ok(),
                plan: b(p.plan),
            },
            "raid" => UserNoticeEvent::Raid {
                from_login: b(p.login),
                from_display_name: TagValue::borrowed(p.display_name),
                viewer_count: p.viewer_count.parse().unwrap_or(0),
            },
            "announcement" => UserNoticeEvent::Announcement {
                color: b(if p.color.is_empty() {
                    "PRIMARY"
                } else {
                    p.color
                }),
            },
            "ritual" => UserNoticeEvent::Ritual {
                name: b(p.ritual_name),
            },
            "bitsbadgetier" => UserNoticeEvent::BitsBadgeTier {
                threshold: p.threshold.parse().unwrap_or(0),
            },
            _ => UserNoticeEvent::Other,
        };
        Ok(notice)
    }

    /// A `msg-param-*` value by its name without the prefix (`"sub-plan"`).
    pub fn param(&self, name: &str) -> Option<TagValue<'_>> {
        self.tags.iter().find_map(|(key, value)| {
            (key.strip_prefix("msg-param-") == Some(name)).then_some(value)
        })
    }
}
