#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod conduit;
mod dedupe;
mod driver;
mod endpoints;
mod error;
mod event;
mod event_out;
pub mod events;
mod limits;
mod message;
mod offered_url;
mod session;
mod session_state;
mod sockets;
mod subscription;

pub use conduit::{ConduitApp, ConduitBuilder, MAX_SHARDS_PER_CONDUIT};
pub use endpoints::{Endpoints, TWITCH_API_URL, TWITCH_WS_URL};
pub use error::{BoxError, Error, ErrorKind, LimitKind};
pub use event::{Event, RawEvent, TYPED_SUBSCRIPTIONS};
pub use event_out::{EventSubEvent, SessionStats};
pub use limits::{DEFAULT_MAX_TOTAL_COST, MAX_SESSIONS_PER_TOKEN, MAX_SUBSCRIPTIONS_PER_SESSION};
pub use message::{Envelope, Message, Metadata, Notification, SessionInfo};
pub use session::{DEFAULT_DEDUPE_CAPACITY, EventSubBuilder, EventSubClient};
pub use session_state::{MAX_KEEPALIVE, MIN_KEEPALIVE};
pub use subscription::{Condition, SubscriptionRequest};
pub use svc_helix::{
    AccessToken, Conduit, ConduitId, ConduitShard, EventSubTransport, HelixClient, RefreshToken,
    RenewedToken, ShardError, ShardUpdate, Subscription, SubscriptionId, SubscriptionPage,
    SubscriptionTotals, TokenManager, TokenStore, UserId,
};
