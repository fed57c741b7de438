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
    /// `automod.message.hold` (v2).
    AutomodMessageHold(Box<AutomodMessageHold>),
    /// `automod.message.hold` (v1).
    AutomodMessageHoldV1(Box<AutomodMessageHoldV1>),
    /// `automod.message.update` (v2).
    AutomodMessageUpdate(Box<AutomodMessageUpdate>),
    /// `automod.message.update` (v1).
    AutomodMessageUpdateV1(Box<AutomodMessageUpdateV1>),
    /// `automod.settings.update` (v1).
    AutomodSettingsUpdate(Box<AutomodSettingsUpdate>),
    /// `automod.terms.update` (v1).
    AutomodTermsUpdate(Box<AutomodTermsUpdate>),
    /// `channel.ad_break.begin` (v1).
    AdBreakBegin(Box<AdBreakBegin>),
    /// `channel.bits.use` (v1).
    BitsUse(Box<BitsUse>),
    /// `channel.channel_points_automatic_reward_redemption.add` (v2).
    PointsAutomaticRewardRedemptionAdd(Box<PointsAutomaticRewardRedemptionAdd>),
    /// `channel.channel_points_automatic_reward_redemption.add` (v1).
    PointsAutomaticRewardRedemptionAddV1(Box<PointsAutomaticRewardRedemptionAddV1>),
    /// `channel.channel_points_custom_reward.add` (v1).
    PointsCustomRewardAdd(Box<PointsCustomRewardAdd>),
    /// `channel.channel_points_custom_reward.remove` (v1).
    PointsCustomRewardRemove(Box<PointsCustomRewardRemove>),
    /// `channel.channel_points_custom_reward.update` (v1).
    PointsCustomRewardUpdate(Box<PointsCustomRewardUpdate>),
    /// `channel.channel_points_custom_reward_redemption.update` (v1).
    PointsCustomRewardRedemptionUpdate(Box<PointsCustomRewardRedemptionUpdate>),
    /// `channel.charity_campaign.donate` (v1).
    CharityCampaignDonate(Box<CharityCampaignDonate>),
    /// `channel.charity_campaign.progress` (v1).
    CharityCampaignProgress(Box<CharityCampaignProgress>),
    /// `channel.charity_campaign.start` (v1).
    CharityCampaignStart(Box<CharityCampaignStart>),
    /// `channel.charity_campaign.stop` (v1).
    CharityCampaignStop(Box<CharityCampaignStop>),
    /// `channel.chat.clear_user_messages` (v1).
    ChatClearUserMessages(Box<ChatClearUserMessages>),
    /// `channel.chat.user_message_hold` (v1).
    ChatUserMessageHold(Box<ChatUserMessageHold>),
    /// `channel.chat.user_message_update` (v1).
    ChatUserMessageUpdate(Box<ChatUserMessageUpdate>),
    /// `channel.chat_settings.update` (v1).
    ChatSettingsUpdate(Box<ChatSettingsUpdate>),
    /// `channel.goal.begin` (v1).
    GoalBegin(Box<GoalBegin>),
    /// `channel.goal.end` (v1).
    GoalEnd(Box<GoalEnd>),
    /// `channel.goal.progress` (v1).
    GoalProgress(Box<GoalProgress>),
    /// `channel.guest_star_guest.update` (vbeta).
    GuestStarGuestUpdate(Box<GuestStarGuestUpdate>),
    /// `channel.guest_star_session.begin` (vbeta).
    GuestStarSessionBegin(Box<GuestStarSessionBegin>),
    /// `channel.guest_star_session.end` (vbeta).
    GuestStarSessionEnd(Box<GuestStarSessionEnd>),
    /// `channel.guest_star_settings.update` (vbeta).
    GuestStarSettingsUpdate(Box<GuestStarSettingsUpdate>),
    /// `channel.moderate` (v2).
    Moderate(Box<Moderate>),
    /// `channel.moderate` (v1).
    ModerateV1(Box<ModerateV1>),
    /// `channel.shared_chat.begin` (v1).
    SharedChatBegin(Box<SharedChatBegin>),
    /// `channel.shared_chat.end` (v1).
    SharedChatEnd(Box<SharedChatEnd>),
    /// `channel.shared_chat.update` (v1).
    SharedChatUpdate(Box<SharedChatUpdate>),
    /// `channel.shield_mode.begin` (v1).
    ShieldModeBegin(Box<ShieldModeBegin>),
    /// `channel.shield_mode.end` (v1).
    ShieldModeEnd(Box<ShieldModeEnd>),
    /// `channel.subscription.end` (v1).
    SubscriptionEnd(Box<SubscriptionEnd>),
    /// `channel.suspicious_user.message` (v1).
    SuspiciousUserMessage(Box<SuspiciousUserMessage>),
    /// `channel.suspicious_user.update` (v1).
    SuspiciousUserUpdate(Box<SuspiciousUserUpdate>),
    /// `channel.unban_request.create` (v1).
    UnbanRequestCreate(Box<UnbanRequestCreate>),
    /// `channel.unban_request.resolve` (v1).
    UnbanRequestResolve(Box<UnbanRequestResolve>),
    /// `channel.vip.add` (v1).
    VipAdd(Box<VipAdd>),
    /// `channel.vip.remove` (v1).
    VipRemove(Box<VipRemove>),
    /// `channel.warning.acknowledge` (v1).
    WarningAcknowledge(Box<WarningAcknowledge>),
    /// `channel.warning.send` (v1).
    WarningSend(Box<WarningSend>),
    /// `conduit.shard.disabled` (v1).
    ConduitShardDisabled(Box<ConduitShardDisabled>),
    /// `extension.bits_transaction.create` (v1).
    ExtensionBitsTransactionCreate(Box<ExtensionBitsTransactionCreate>),
    /// `user.authorization.grant` (v1).
    UserAuthorizationGrant(Box<UserAuthorizationGrant>),
    /// `user.authorization.revoke` (v1).
    UserAuthorizationRevoke(Box<UserAuthorizationRevoke>),
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
    #[expect(
        clippy::too_many_lines,
        reason = "one arm per subscription type: the table reads best whole"
    )]
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
            ("automod.message.hold", "2") => typed(&event, Self::AutomodMessageHold),
            ("automod.message.hold", "1") => typed(&event, Self::AutomodMessageHoldV1),
            ("automod.message.update", "2") => typed(&event, Self::AutomodMessageUpdate),
            ("automod.message.update", "1") => typed(&event, Self::AutomodMessageUpdateV1),
            ("automod.settings.update", "1") => typed(&event, Self::AutomodSettingsUpdate),
            ("automod.terms.update", "1") => typed(&event, Self::AutomodTermsUpdate),
            ("channel.ad_break.begin", "1") => typed(&event, Self::AdBreakBegin),
            ("channel.bits.use", "1") => typed(&event, Self::BitsUse),
            ("channel.channel_points_automatic_reward_redemption.add", "2") => {
                typed(&event, Self::PointsAutomaticRewardRedemptionAdd)
            }
            ("channel.channel_points_automatic_reward_redemption.add", "1") => {
                typed(&event, Self::PointsAutomaticRewardRedemptionAddV1)
            }
            ("channel.channel_points_custom_reward.add", "1") => {
                typed(&event, Self::PointsCustomRewardAdd)
            }
            ("channel.channel_points_custom_reward.remove", "1") => {
                typed(&event, Self::PointsCustomRewardRemove)
            }
            ("channel.channel_points_custom_reward.update", "1") => {
                typed(&event, Self::PointsCustomRewardUpdate)
            }
            ("channel.channel_points_custom_reward_redemption.update", "1") => {
                typed(&event, Self::PointsCustomRewardRedemptionUpdate)
            }
            ("channel.charity_campaign.donate", "1") => typed(&event, Self::CharityCampaignDonate),
            ("channel.charity_campaign.progress", "1") => {
                typed(&event, Self::CharityCampaignProgress)
            }
            ("channel.charity_campaign.start", "1") => typed(&event, Self::CharityCampaignStart),
            ("channel.charity_campaign.stop", "1") => typed(&event, Self::CharityCampaignStop),
            ("channel.chat.clear_user_messages", "1") => typed(&event, Self::ChatClearUserMessages),
            ("channel.chat.user_message_hold", "1") => typed(&event, Self::ChatUserMessageHold),
            ("channel.chat.user_message_update", "1") => typed(&event, Self::ChatUserMessageUpdate),
            ("channel.chat_settings.update", "1") => typed(&event, Self::ChatSettingsUpdate),
            ("channel.goal.begin", "1") => typed(&event, Self::GoalBegin),
            ("channel.goal.end", "1") => typed(&event, Self::GoalEnd),
            ("channel.goal.progress", "1") => typed(&event, Self::GoalProgress),
            ("channel.guest_star_guest.update", "beta") => {
                typed(&event, Self::GuestStarGuestUpdate)
            }
            ("channel.guest_star_session.begin", "beta") => {
                typed(&event, Self::GuestStarSessionBegin)
            }
            ("channel.guest_star_session.end", "beta") => typed(&event, Self::GuestStarSessionEnd),
            ("channel.guest_star_settings.update", "beta") => {
                typed(&event, Self::GuestStarSettingsUpdate)
            }
            ("channel.moderate", "2") => typed(&event, Self::Moderate),
            ("channel.moderate", "1") => typed(&event, Self::ModerateV1),
            ("channel.shared_chat.begin", "1") => typed(&event, Self::SharedChatBegin),
            ("channel.shared_chat.end", "1") => typed(&event, Self::SharedChatEnd),
            ("channel.shared_chat.update", "1") => typed(&event, Self::SharedChatUpdate),
            ("channel.shield_mode.begin", "1") => typed(&event, Self::ShieldModeBegin),
            ("channel.shield_mode.end", "1") => typed(&event, Self::ShieldModeEnd),
            ("channel.subscription.end", "1") => typed(&event, Self::SubscriptionEnd),
            ("channel.suspicious_user.message", "1") => typed(&event, Self::SuspiciousUserMessage),
            ("channel.suspicious_user.update", "1") => typed(&event, Self::SuspiciousUserUpdate),
            ("channel.unban_request.create", "1") => typed(&event, Self::UnbanRequestCreate),
            ("channel.unban_request.resolve", "1") => typed(&event, Self::UnbanRequestResolve),
            ("channel.vip.add", "1") => typed(&event, Self::VipAdd),
            ("channel.vip.remove", "1") => typed(&event, Self::VipRemove),
            ("channel.warning.acknowledge", "1") => typed(&event, Self::WarningAcknowledge),
            ("channel.warning.send", "1") => typed(&event, Self::WarningSend),
            ("conduit.shard.disabled", "1") => typed(&event, Self::ConduitShardDisabled),
            ("extension.bits_transaction.create", "1") => {
                typed(&event, Self::ExtensionBitsTransactionCreate)
            }
            ("user.authorization.grant", "1") => typed(&event, Self::UserAuthorizationGrant),
            ("user.authorization.revoke", "1") => typed(&event, Self::UserAuthorizationRevoke),
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

/// The subscription types and versions [`Event`] types (every type and version in Twitch's
/// EventSub reference that a WebSocket or conduit receives), for listings and tests.
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
    ("automod.message.hold", "2"),
    ("automod.message.hold", "1"),
    ("automod.message.update", "2"),
    ("automod.message.update", "1"),
    ("automod.settings.update", "1"),
    ("automod.terms.update", "1"),
    ("channel.ad_break.begin", "1"),
    ("channel.bits.use", "1"),
    (
        "channel.channel_points_automatic_reward_redemption.add",
        "2",
    ),
    (
        "channel.channel_points_automatic_reward_redemption.add",
        "1",
    ),
    ("channel.channel_points_custom_reward.add", "1"),
    ("channel.channel_points_custom_reward.remove", "1"),
    ("channel.channel_points_custom_reward.update", "1"),
    (
        "channel.channel_points_custom_reward_redemption.update",
        "1",
    ),
    ("channel.charity_campaign.donate", "1"),
    ("channel.charity_campaign.progress", "1"),
    ("channel.charity_campaign.start", "1"),
    ("channel.charity_campaign.stop", "1"),
    ("channel.chat.clear_user_messages", "1"),
    ("channel.chat.user_message_hold", "1"),
    ("channel.chat.user_message_update", "1"),
    ("channel.chat_settings.update", "1"),
    ("channel.goal.begin", "1"),
    ("channel.goal.end", "1"),
    ("channel.goal.progress", "1"),
    ("channel.guest_star_guest.update", "beta"),
    ("channel.guest_star_session.begin", "beta"),
    ("channel.guest_star_session.end", "beta"),
    ("channel.guest_star_settings.update", "beta"),
    ("channel.moderate", "2"),
    ("channel.moderate", "1"),
    ("channel.shared_chat.begin", "1"),
    ("channel.shared_chat.end", "1"),
    ("channel.shared_chat.update", "1"),
    ("channel.shield_mode.begin", "1"),
    ("channel.shield_mode.end", "1"),
    ("channel.subscription.end", "1"),
    ("channel.suspicious_user.message", "1"),
    ("channel.suspicious_user.update", "1"),
    ("channel.unban_request.create", "1"),
    ("channel.unban_request.resolve", "1"),
    ("channel.vip.add", "1"),
    ("channel.vip.remove", "1"),
    ("channel.warning.acknowledge", "1"),
    ("channel.warning.send", "1"),
    ("conduit.shard.disabled", "1"),
    ("extension.bits_transaction.create", "1"),
    ("user.authorization.grant", "1"),
    ("user.authorization.revoke", "1"),
];
