#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod budget;
mod client;
mod cursor;
mod endpoints;
mod error;
mod id;
mod page;
mod token;
mod token_store;

pub use auth::{
    MAX_TOKEN_LIFETIME, RenewedToken, TWITCH_AUTH_URL, TokenInfo, TokenManager, VALIDATE_EVERY,
};
pub use budget::bucket_config;
pub use client::{HELIX_MAX_WAIT, HelixClient, TWITCH_HELIX_URL};
pub use cursor::{CursorTrail, MAX_CURSOR_LEN, MAX_PAGES};
pub use endpoints::channels::{
    ChannelInformation, FollowedChannel, Follower, ModifyChannel, SearchedChannel,
};
pub use endpoints::chat::{BadgeSet, BadgeVersion, ChatColor, ChatEmote, ChatSettings, Chatter};
pub use endpoints::community::{Cheermote, CheermoteTier, Team, TeamMember, TeamRef};
pub use endpoints::eventsub::{
    Conduit, ConduitShard, EventSubTransport, ShardError, ShardUpdate, Subscription,
    SubscriptionPage, SubscriptionTotals,
};
pub use endpoints::games::Game;
pub use endpoints::media::{
    Clip, CreatedClip, Video, VideoFilter, VideoPeriod, VideoSort, VideoType,
};
pub use endpoints::moderation::{BannedUser, BlockedTerm, ChannelRole};
pub use endpoints::polls::{Poll, PollChoice, Prediction, PredictionOutcome};
pub use endpoints::streams::{LiveStream, StreamFilter};
pub use endpoints::users::User;
pub use error::{Error, ErrorKind};
pub use id::{
    BlockedTermId, ClipId, ConduitId, EmoteId, GameId, OutcomeId, PollChoiceId, PollId,
    PredictionId, StreamId, SubscriptionId, TeamId, UserId, VideoId,
};
pub use page::{Page, Pagination};
pub use token::{AccessToken, RefreshToken};
pub use token_store::{TokenStore, UserTokenStatus};
