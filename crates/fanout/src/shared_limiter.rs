//! The REST limiter worker processes share: Discord's buckets and global limit in Redis.

use std::time::Duration;

use core_ratelimit::{BucketConfig, BucketLimiter, RedisBucketLimiter};
use redis::aio::ConnectionManager;

/// Time added to Discord's one-second global window: the limiter grants in Redis, the
/// server counts arrivals, and the time between the two varies from request to request,
/// so an exact one-second window could let a 51st request arrive within the server's second.
pub const GLOBAL_WINDOW_MARGIN: Duration = Duration::from_millis(50);

/// A [`BucketLimiter`] for Discord REST whose state lives in Redis under
/// `{prefix}:discord`, shared by every process (gateways and workers) of one bot token:
/// per-route buckets learned from `X-RateLimit-*` headers, and the global 50 requests per
/// second (window widened by [`GLOBAL_WINDOW_MARGIN`]), each decision one atomic Lua script.
///
/// Hand it to svc-gateway's REST client so REST calls from worker handlers wait for the
/// shared limits, then give the client to the worker ([`crate::WorkerBuilder::rest`]):
///
/// ```no_run
/// use fanout::{Worker, shared_limiter};
/// use svc_gateway::event::MessageCreate;
/// use svc_gateway::rest::RestClient;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let conn = core_ratelimit::connect_redis("redis://127.0.0.1:6379/").await?;
/// let rest = RestClient::builder("token").limiter(shared_limiter(conn, "mybot")).build()?;
/// let worker = Worker::builder("redis://127.0.0.1:6379/")
///     .rest(rest)
///     .on_rest::<MessageCreate>(|message, rest| async move {
///         let _ = rest.channel(message.channel_id).await;
///     })
///     .connect()
///     .await?;
/// # drop(worker); Ok(()) }
/// ```
pub fn shared_limiter(conn: ConnectionManager, prefix: &str) -> BucketLimiter {
    let config = BucketConfig {
        global: Some((50, Duration::from_secs(1) + GLOBAL_WINDOW_MARGIN)),
        ..svc_gateway::rest::bucket_config()
    };
    BucketLimiter::from(RedisBucketLimiter::new(
        conn,
        format!("{prefix}:discord"),
        config,
    ))
}
