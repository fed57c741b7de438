//! [`Event`]: a notification's `event`, typed by subscription type and version, with
//! [`RawEvent`] for everything else.

use serde::Deserialize;
use serde_json::Value;

#[allow(clippy::wildcard_imports)]
use crate::events::*;

/// An event body of a type/version this crate does not model (or that failed to decode).
#[derive(Debug, Clone, PartialEq)]
pub struct RawEvent {
    /// `subscription_type`.
    pub subscription_type: String,
    /// `subscription_version`.
    pub subscription_version: String,
    /// The event object as sent.
    pub event: Value,
}

/// A notification's event. Typed variants are boxed so the enum stays small.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `channel.update` (v2).
    ChannelUpdate(Box<ChannelUpdate>),
    /// `stream.online` (v1).
    StreamOnline(Box<StreamOnline>),
    /// `stream.offline` (v1).
    StreamOffline(Box<StreamOffline>),
    /// `channel.follow` (v2).
    ChannelFollow(Box<ChannelFollow>),
    /// `channel.subscribe` (v1).
    ChannelSubscribe(Box<ChannelSubscribe>),
    /// `channel.subscription.gift` (v1).
    ChannelSubscriptionGift(Box<ChannelSubscriptionGift>),
    /// `channel.subscription.message` (v1).
    ChannelSubscriptionMessage(Box<ChannelSubscriptionMessage>),
    /// `channel.cheer` (v1).
    ChannelCheer(Box<ChannelCheer>),
    /// `channel.raid` (v1).
    ChannelRaid(Box<ChannelRaid>),
    /// `channel.ban` (v1).
    ChannelBan(Box<ChannelBan>),
    /// `channel.unban` (v1).
    ChannelUnban(Box<ChannelUnban>),
    /// `channel.moderator.add` (v1).
    ModeratorAdd(Box<ModeratorChange>),
    /// `channel.moderator.remove` (v1).
    ModeratorRemove(Box<ModeratorChange>),
    /// `channel.chat.message` (v1).
    ChatMessage(Box<ChatMessage>),
    /// `channel.chat.notification` (v1).
    ChatNotification(Box<ChatNotification>),
    /// `channel.chat.clear` (v1).
    ChatClear(Box<ChatClear>),
    /// `channel.chat.message_delete` (v1).
    ChatMessageDelete(Box<ChatMessageDelete>),
    /// `channel.channel_points_custom_reward_redemption.add` (v1).
    RewardRedemptionAdd(Box<RewardRedemption>),
    /// `channel.poll.begin` (v1).
    PollBegin(Box<Poll>),
    /// `channel.poll.progress` (v1).
    PollProgress(Box<Poll>),
    /// `channel.poll.end` (v1).
    PollEnd(Box<Poll>),
    /// `channel.prediction.begin` (v1).
    PredictionBegin(Box<Prediction>),
    /// `channel.prediction.progress` (v1).
    PredictionProgress(Box<Prediction>),
    /// `channel.prediction.lock` (v1).
    PredictionLock(Box<Prediction>),
    /// `channel.prediction.end` (v1).
    PredictionEnd(Box<Prediction>),
    /// `channel.hype_train.begin` (v1/v2).
    HypeTrainBegin(Box<HypeTrain>),
    /// `channel.hype_train.progress` (v1/v2).
    HypeTrainProgress(Box<HypeTrain>),
    /// `channel.hype_train.end` (v1/v2).
    HypeTrainEnd(Box<HypeTrain>),
    /// `channel.shoutout.create` (v1).
    ShoutoutCreate(Box<ShoutoutCreate>),
    /// `channel.shoutout.receive` (v1).
    ShoutoutReceive(Box<ShoutoutReceive>),
    /// `user.update` (v1).
    UserUpdate(Box<UserUpdate>),
    /// `user.whisper.message` (v1).
    WhisperMessage(Box<WhisperMessage>),
    /// Any other type or version, or a typed one whose body did not decode.
    Raw(Box<RawEvent>),
}

fn typed<'a, T: Deserialize<'a>>(event: &'a Value, wrap: fn(Box<T>) -> Event) -> Option<Event> {
    match T::deserialize(event) {
        Ok(body) => Some(wrap(Box::new(body))),
        Err(error) => {
            tracing::warn!(%error, "EventSub event body did not decode; delivering it raw");
            None
        }
    }
}

impl Event {
    /// Decodes `event` for a subscription of `kind` at `version`.
    ///
    /// ```
    /// use svc_eventsub::Event;
    /// let event = serde_json::json!({"broadcaster_user_id": "1", "title": "hi"});
    /// assert!(matches!(Event::parse("channel.update", "2", event.clone()), Event::ChannelUpdate(_)));
    /// assert!(matches!(Event::parse("channel.update", "99", event), Event::Raw(_)));
    /// ```
    pub fn parse(kind: &str, version: &str, event: Value) -> Self {
        let decoded = match (kind, version) {
            ("channel.update", "2") => typed(&event, Self::ChannelUpdate),
            ("stream.online", "1") => typed(&event, Self::StreamOnline),
            ("stream.offline", "1") => typed(&event, Self::StreamOffline),
            ("channel.follow", "2") => typed(&event, Self::ChannelFollow),
            ("channel.subscribe", "1") => typed(&event, Self::ChannelSubscribe),
            ("channel.subscription.gift", "1") => typed(&event, Self::ChannelSubscriptionGift),
            ("channel.subscription.message", "1") => {
                typed(&event, Self::ChannelSubscriptionMessage)
            }
            ("channel.cheer", "1") => typed(&event, Self::ChannelCheer),
            ("channel.raid", "1") => typed(&event, Self::ChannelRaid),
            ("channel.ban", "1") => typed(&event, Self::ChannelBan),
            ("channel.unban", "1") => typed(&event, Self::ChannelUnban),
            ("channel.moderator.add", "1") => typed(&event, Self::ModeratorAdd),
            ("channel.moderator.remove", "1") => typed(&event, Self::ModeratorRemove),
            ("channel.chat.message", "1") => typed(&event, Self::ChatMessage),
            ("channel.chat.notification", "1") => typed(&event, Self::ChatNotification),
            ("channel.chat.clear", "1") => typed(&event, Self::ChatClear),
            ("channel.chat.message_delete", "1") => typed(&event, Self::ChatMessageDelete),
            ("channel.channel_points_custom_reward_redemption.add", "1") => {
                typed(&event, Self::RewardRedemptionAdd)
            }
            ("channel.poll.begin", "1") => typed(&event, Self::PollBegin),
            ("channel.poll.progress", "1") => typed(&event, Self::PollProgress),
            ("channel.poll.end", "1") => typed(&event, Self::PollEnd),
            ("channel.prediction.begin", "1") => typed(&event, Self::PredictionBegin),
            ("channel.prediction.progress", "1") => typed(&event, Self::PredictionProgress),
            ("channel.prediction.lock", "1") => typed(&event, Self::PredictionLock),
            ("channel.prediction.end", "1") => typed(&event, Self::PredictionEnd),
            ("channel.hype_train.begin", "1" | "2") => typed(&event, Self::HypeTrainBegin),
            ("channel.hype_train.progress", "1" | "2") => typed(&event, Self::HypeTrainProgress),
            ("channel.hype_train.end", "1" | "2") => typed(&event, Self::HypeTrainEnd),
            ("channel.shoutout.create", "1") => typed(&event, Self::ShoutoutCreate),
            ("channel.shoutout.receive", "1") => typed(&event, Self::ShoutoutReceive),
            ("user.update", "1") => typed(&event, Self::UserUpdate),
            ("user.whisper.message", "1") => typed(&event, Self::WhisperMessage),
            _ => None,
        };
        decoded.unwrap_or_else(|| {
            Self::Raw(Box::new(RawEvent {
                subscription_type: kind.to_owned(),
                subscription_version: version.to_owned(),
                event,
            }))
        })
    }

    /// Whether this is the raw fallback.
    pub fn is_raw(&self) -> bool {
        matches!(self, Self::Raw(_))
    }
}

/// The subscription types and versions [`Event`] types, for listings and tests.
pub const TYPED_SUBSCRIPTIONS: &[(&str, &str)] = &[
    ("channel.update", "2"),
    ("stream.online", "1"),
    ("stream.offline", "1"),
    ("channel.follow", "2"),
    ("channel.subscribe", "1"),
    ("channel.subscription.gift", "1"),
    ("channel.subscription.message", "1"),
    ("channel.cheer", "1"),
    ("channel.raid", "1"),
    ("channel.ban", "1"),
    ("channel.unban", "1"),
    ("channel.moderator.add", "1"),
    ("channel.moderator.remove", "1"),
    ("channel.chat.message", "1"),
    ("channel.chat.notification", "1"),
    ("channel.chat.clear", "1"),
    ("channel.chat.message_delete", "1"),
    ("channel.channel_points_custom_reward_redemption.add", "1"),
    ("channel.poll.begin", "1"),
    ("channel.poll.progress", "1"),
    ("channel.poll.end", "1"),
    ("channel.prediction.begin", "1"),
    ("channel.prediction.progress", "1"),
    ("channel.prediction.lock", "1"),
    ("channel.prediction.end", "1"),
    ("channel.hype_train.begin", "1"),
    ("channel.hype_train.begin", "2"),
    ("channel.hype_train.progress", "1"),
    ("channel.hype_train.progress", "2"),
    ("channel.hype_train.end", "1"),
    ("channel.hype_train.end", "2"),
    ("channel.shoutout.create", "1"),
    ("channel.shoutout.receive", "1"),
    ("user.update", "1"),
    ("user.whisper.message", "1"),
];
