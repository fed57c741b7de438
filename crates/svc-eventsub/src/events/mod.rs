//! Typed event bodies (`channel.follow`, `channel.chat.message`, …).
//!
//! Typed event bodies, one file per family. Every struct decodes leniently (missing fields
//! take their defaults) so a field Twitch drops does not turn an event into an error.

/// Declares an event body struct whose fields are documented after their wire names.
macro_rules! event_struct {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
        #[serde(default)]
        pub struct $name {
            $(
                #[doc = concat!("The `", stringify!($field), "` field as Twitch sends it.")]
                $(#[$fmeta])*
                pub $field: $ty,
            )*
        }
    };
}

mod channel;
pub use channel::{
    ChannelBan, ChannelCheer, ChannelFollow, ChannelRaid, ChannelSubscribe,
    ChannelSubscriptionGift, ChannelSubscriptionMessage, ChannelUnban, ChannelUpdate,
    ModeratorChange, Reward, RewardRedemption, StreamOffline, StreamOnline,
    SubscriptionMessageText,
};
mod chat;
pub use chat::{Badge, ChatClear, ChatMessage, ChatMessageDelete, ChatNotification, ChatText};
mod hype;
pub use hype::{HypeTrain, HypeTrainContribution, ShoutoutCreate, ShoutoutReceive};
mod poll;
pub use poll::{Poll, PollChoice, Prediction, PredictionOutcome};
mod user;
pub use user::{UserUpdate, WhisperMessage, WhisperText};
mod automod;
pub use automod::{
    AutomodMessageHold, AutomodMessageHoldV1, AutomodMessageUpdate, AutomodMessageUpdateV1,
    AutomodSettingsUpdate, AutomodTermsUpdate,
};
mod goals;
pub use goals::{
    CharityCampaignDonate, CharityCampaignProgress, CharityCampaignStart, CharityCampaignStop,
    GoalBegin, GoalEnd, GoalProgress,
};
mod guest_star;
pub use guest_star::{
    GuestStarGuestUpdate, GuestStarSessionBegin, GuestStarSessionEnd, GuestStarSettingsUpdate,
};
mod misc;
pub use misc::{
    AdBreakBegin, BitsUse, ConduitShardDisabled, ExtensionBitsTransactionCreate, SubscriptionEnd,
    UserAuthorizationGrant, UserAuthorizationRevoke,
};
mod moderation;
pub use moderation::{
    ChatClearUserMessages, ChatSettingsUpdate, ChatUserMessageHold, ChatUserMessageUpdate,
    Moderate, ModerateV1, ShieldModeBegin, ShieldModeEnd, SuspiciousUserMessage,
    SuspiciousUserUpdate, UnbanRequestCreate, UnbanRequestResolve, VipAdd, VipRemove,
    WarningAcknowledge, WarningSend,
};
mod points;
pub use points::{
    PointsAutomaticRewardRedemptionAdd, PointsAutomaticRewardRedemptionAddV1,
    PointsCustomRewardAdd, PointsCustomRewardRedemptionUpdate, PointsCustomRewardRemove,
    PointsCustomRewardUpdate,
};
mod shared_chat;
pub use shared_chat::{SharedChatBegin, SharedChatEnd, SharedChatUpdate};
