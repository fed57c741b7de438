//! The HTTP client every switchboard service talks REST through: one pooled hyper 1
//! client over rustls (ring, webpki roots, HTTP/1.1 and HTTP/2 by ALPN; plain `http://`
//! for the sandbox), a configurable base URL, per-attempt timeouts, retries with
//! exponential backoff and jitter, header-driven rate limiting through
//! [`core_ratelimit`]'s `BucketLimiter`, bounded response bodies decoded with simd-json,
//! and a tracing span per request in which no secret ever appears.
//!
//! ```
//! use std::time::Duration;
//! use transport_http::{Client, RetryPolicy, Secret};
//!
//! let token = Secret::new("Bot my.secret.token");
//! let client = Client::builder()
//!     .base_url("http://127.0.0.1:8080/api/v10") // the sandbox; https://discord.com/api/v10 in production
//!     .default_secret_header("authorization", &token)
//!     .timeout(Duration::from_secs(10))
//!     .retry(RetryPolicy::new().max_attempts(3))
//!     .build()?;
//!
//! let request = client
//!     .post("/channels/123/messages")
//!     .json(&serde_json_free::Message { content: "hi" })
//!     .query("token", "also-secret");
//! // Secrets never show, whoever prints what.
//! let shown = format!("{client:?} {request:?}");
//! assert!(!shown.contains("my.secret.token") && !shown.contains("also-secret"));
//! // `request.send().await?.json::<T>()?` sends it and decodes the answer.
//! # mod serde_json_free {
//! #     #[derive(serde::Serialize)]
//! #     pub struct Message { pub content: &'static str }
//! # }
//! # Ok::<(), transport_http::Error>(())
//! ```
//!
//! Behaviour worth knowing:
//! - Paths are appended to the base URL (`/users/@me` onto `…/api/v10`); absolute
//!   `http(s)://` URLs bypass it.
//! - Connect errors and 5xx are retried for idempotent methods only; 429s for any
//!   method (the server did not act), waiting as the limiter or `retry_after` says, until
//!   the [`RetryPolicy`] budget ends in [`ErrorKind::RateLimited`]. How long a 429 asks to
//!   wait comes from its headers, or from its body where the service set a
//!   [`ClientBuilder::rate_limit_body`] parser for its platform's format.
//! - Non-2xx final answers are [`ErrorKind::Status`] unless the request says
//!   [`RequestBuilder::accept_any_status`]. Redirects are not followed.
//! - The timeout bounds each attempt (connect, TLS, headers and the whole body); bodies
//!   larger than the bound (16 MiB by default) fail with [`ErrorKind::BodyTooLarge`].
//!
//! Modules: [`ClientBuilder`] (configuration, TLS through [`TlsConfig`], the workspace's one
//! rustls setup from transport-core, re-exported here), [`Client`] (pool and send loop),
//! [`RequestBuilder`], [`Response`], [`RetryPolicy`], [`Secret`], [`Error`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod base_url;
mod builder;
mod client;
mod error;
mod ratelimit;
mod request;
mod response;
mod retry;
mod tls;

// Redaction is shared with transport-ws: one set of rules for every URL either one logs.
use transport_core::redact;

pub use builder::{ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT};
pub use client::Client;
pub use error::{BoxError, Error, ErrorKind};
pub use http::{Method, StatusCode};
pub use ratelimit::{RateLimitBodyParser, TooManyRequests};
pub use request::RequestBuilder;
pub use response::Response;
pub use retry::RetryPolicy;
pub use transport_core::{Secret, TlsConfig};
