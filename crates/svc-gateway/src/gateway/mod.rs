//! Gateway shards: configuration, the session state machine, close-code policy, and the
//! payloads a shard sends.

mod close_code;
mod commands;
mod config;
mod encoding;
mod handle;
mod manager;
mod offered_url;
mod raw;
mod recommended;
mod shard;

pub use close_code::{CloseBehaviour, close_behaviour};
pub use commands::{MAX_PAYLOAD_BYTES, RequestGuildMembers, UpdateVoiceState};
pub use config::{DEFAULT_GATEWAY_URL, GatewayCompression, ShardConfig, ShardConfigBuilder};
pub use encoding::GatewayEncoding;
pub use handle::ShardHandle;
pub use manager::{ShardManager, ShardScheme};
pub use raw::RawDispatch;
pub use recommended::{DEFAULT_MAX_SHARDS, MAX_CONCURRENCY};
pub(crate) use shard::Readiness;
pub use shard::{SessionInfo, Shard, ShardStats};
