//! The REST client: `Authorization: Bot …`, per-route buckets learned from `X-RateLimit-*`
//! (core-ratelimit's `BucketLimiter`), the 50/s global limit, 429 retries. Every endpoint
//! is a variant of one `Route` table (method, path and rate-limit key from one definition);
//! the endpoint methods live in one file per resource, like the API reference.

mod application;
mod channel;
mod client;
mod command;
mod gateway;
mod guild;
mod interaction;
mod message;
mod ratelimit;
mod reaction;
mod route;
mod stage;
mod user;
mod webhook;

pub use client::{DEFAULT_API_URL, RestClient, RestClientBuilder};
pub use gateway::{GatewayBot, SessionStartLimit};
pub use interaction::{EPHEMERAL, InteractionResponse, InteractionResponseData};
pub use message::{CreateMessage, EditMessage, HistoryAnchor};
pub use ratelimit::bucket_config;
pub use stage::CreateStageInstance;
