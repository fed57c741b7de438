//! Twitch Helix REST client and OAuth token handling, shared by both Twitch crates.
//!
//! [`HelixClient`] sends typed requests to Helix within its `Ratelimit-*` point budget
//! (learned from responses through `core-ratelimit`, so requests wait before a 429), turns
//! paginated lists into streams, and renews its token once on a 401. [`TokenManager`] keeps
//! a user or app token valid: validated on start and hourly, refreshed before it expires,
//! revocable. Token values never appear in `Debug`, `Display`, logs or errors.
//!
//! ```no_run
//! # async fn demo() -> Result<(), svc_helix::Error> {
//! use futures_util::TryStreamExt;
//! use svc_helix::{HelixClient, StreamFilter, TokenManager, TWITCH_AUTH_URL, TWITCH_HELIX_URL};
//!
//! let tokens = TokenManager::app(TWITCH_AUTH_URL, "my-client-id", "my-client-secret").await?;
//! let helix = HelixClient::new(TWITCH_HELIX_URL, tokens)?;
//! let users = helix.get_users(&[], &["twitchdev"]).await?;
//! let live: Vec<_> = helix.streams(&StreamFilter::default()).try_collect().await?;
//! println!("{} live streams, {users:?}", live.len());
//! # Ok(()) }
//! ```
//!
//! ```
//! let token = svc_helix::AccessToken::new("oauth:abc");
//! assert_eq!(format!("{token:?}"), "AccessToken([redacted])");
//! ```
//!
//! Every number Twitch sends is checked before it drives a clock or a loop: token lifetimes
//! are clamped ([`MAX_TOKEN_LIFETIME`]; 0 or negative means no known expiry), a
//! `Ratelimit-Reset` never parks requests longer than [`HELIX_MAX_WAIT`], and pagination
//! refuses repeated or oversized cursors ([`CursorTrail`]). Errors from the token endpoint
//! never quote its answer (it carries the fresh token).
//!
//! Errors are typed by what Twitch answered: [`ErrorKind::Unauthorized`] for a token that is
//! invalid and could not be renewed, [`ErrorKind::Status`] with Twitch's status and message
//! otherwise (400 bad request, 401 missing scope or wrong user, 403 not a moderator, 404, 409,
//! 422); [`Error::status`] reads the status of either.
//!
//! Modules: `token` ([`AccessToken`]), `auth` ([`TokenManager`], [`TokenInfo`]), `budget`
//! ([`bucket_config`]: the point budget's limiter settings), `client` ([`HelixClient`]),
//! `page` ([`Page`]), `cursor` ([`CursorTrail`]), `endpoints` (one file per API area: users, streams,
//! games, channels and follows, chat, media (clips, videos), moderation, polls and
//! predictions, community (cheermotes, teams), eventsub), `error`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod budget;
mod client;
mod cursor;
mod endpoints;
mod error;
mod page;
mod token;

pub use auth::{MAX_TOKEN_LIFETIME, TWITCH_AUTH_URL, TokenInfo, TokenManager, VALIDATE_EVERY};
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
pub use page::{Page, Pagination};
pub use token::AccessToken;
