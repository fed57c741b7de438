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
