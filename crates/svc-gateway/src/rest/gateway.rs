//! `GET /gateway/bot`.

use super::RestClient;
use super::route::Route;
use crate::error::Error;
use serde::{Deserialize, Serialize};

/// Where and how to connect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatewayBot {
    /// Gateway URL.
    pub url: String,
    /// Recommended shard count.
    pub shards: u32,
    /// Session start budget.
    pub session_start_limit: SessionStartLimit,
}

/// How many sessions may still start, and how fast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionStartLimit {
    /// Starts per day.
    pub total: u32,
    /// Starts left.
    pub remaining: u32,
    /// Milliseconds until `remaining` resets.
    pub reset_after: u64,
    /// Identifies allowed per 5 s.
    pub max_concurrency: u32,
}

impl RestClient {
    /// `GET /gateway/bot`.
    pub async fn gateway_bot(&self) -> Result<GatewayBot, Error> {
        self.json(self.route(&Route::GetGatewayBot)).await
    }
}
