//! The client itself: configuration and the request helper every resource file uses.

use std::time::Duration;

use core_ratelimit::BucketLimiter;
use serde::de::DeserializeOwned;
use transport_http::{RequestBuilder, RetryPolicy, Secret};

use super::route::Route;
use crate::error::{Error, ErrorKind};

/// Discord's API base for v10.
pub const DEFAULT_API_URL: &str = "https://discord.com/api/v10";

/// A Discord REST client. Cheap to clone (clones share the connection pool and the rate
/// limiter); the token never shows in `Debug`.
///
/// ```
/// use svc_gateway::rest::RestClient;
///
/// let rest = RestClient::builder("my.secret.token").base_url("http://127.0.0.1:9/api/v10").build().unwrap();
/// assert!(!format!("{rest:?}").contains("my.secret.token"));
/// ```
#[derive(Debug, Clone)]
pub struct RestClient {
    http: transport_http::Client,
}

/// Builds a [`RestClient`].
#[derive(Debug)]
#[must_use]
pub struct RestClientBuilder {
    token: Secret,
    base_url: String,
    limiter: Option<BucketLimiter>,
    timeout: Duration,
}

impl RestClient {
    /// A client for the production API.
    pub fn new(token: impl Into<String>) -> Result<Self, Error> {
        Self::builder(token).build()
    }

    /// Starts a configuration.
    pub fn builder(token: impl Into<String>) -> RestClientBuilder {
        RestClientBuilder {
            token: Secret::new(token.into()),
            base_url: DEFAULT_API_URL.to_owned(),
            limiter: None,
            timeout: Duration::from_secs(15),
        }
    }

    /// The API base URL (what the gateway URL of `GET /gateway/bot` is checked against).
    pub(crate) fn base_url(&self) -> Option<&url::Url> {
        self.http.base_url()
    }

    /// The rate limiter (shared by clones).
    pub fn limiter(&self) -> Option<&BucketLimiter> {
        self.http.limiter()
    }

    /// A request for `route`: its method and path, rate-limited under its route key.
    pub(crate) fn route(&self, route: &Route<'_>) -> RequestBuilder {
        let (method, path, key) = route.parts();
        self.http.request(method, path).route(key)
    }

    /// Sends and decodes a JSON answer.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
    ) -> Result<T, Error> {
        let response = request.send().await?;
        response
            .json()
            .map_err(|e| Error::with_source(ErrorKind::Decode, e))
    }

    /// `request` with `X-Audit-Log-Reason` (percent-encoded, as Discord expects) when a
    /// reason is given.
    pub(crate) fn audit_reason(request: RequestBuilder, reason: Option<&str>) -> RequestBuilder {
        match reason {
            Some(reason) => request.header(
                "x-audit-log-reason",
                url::form_urlencoded::byte_serialize(reason.as_bytes()).collect::<String>(),
            ),
            None => request,
        }
    }

    /// Sends and ignores the body (204 answers).
    pub(crate) async fn empty(&self, request: RequestBuilder) -> Result<(), Error> {
        request.send().await?;
        Ok(())
    }
}

impl RestClientBuilder {
    /// The API base (the sandbox's `http://127.0.0.1:PORT/api/v10`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Shares a rate limiter (several clients of one bot token must share one); build it
    /// from [`bucket_config`](super::bucket_config).
    pub fn limiter(mut self, limiter: BucketLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Per-attempt timeout (default 15 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<RestClient, Error> {
        let authorization = Secret::new(format!("Bot {}", self.token.expose()));
        let http = transport_http::Client::builder()
            .base_url(self.base_url)
            .default_secret_header("authorization", &authorization)
            .user_agent(concat!(
                "DiscordBot (https://example.invalid/switchboard, ",
                env!("CARGO_PKG_VERSION"),
                ")"
            ))
            .timeout(self.timeout)
            .retry(RetryPolicy::new().max_attempts(5))
            .ratelimiter(
                self.limiter
                    .unwrap_or_else(|| BucketLimiter::new(super::bucket_config())),
            )
            .rate_limit_body(super::ratelimit::too_many_requests)
            .build()?;
        Ok(RestClient { http })
    }
}
