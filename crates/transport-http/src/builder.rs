//! Configuring and building a [`Client`].

use std::fmt;
use std::time::Duration;

use core_ratelimit::BucketLimiter;
use http::HeaderMap;
use http::header::USER_AGENT;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::pki_types::CertificateDer;

use crate::client::Config;
use crate::redact::{HeadersDebug, Redactions};
use crate::request::parse_header;
use crate::{Client, Error, RateLimitBodyParser, RetryPolicy, Secret, TlsConfig, base_url, tls};

/// The default bound on a response body: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// The default per-attempt timeout: 30 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Configures a [`Client`]. Every setting has a sensible default; only the base URL is
/// usually needed.
///
/// ```
/// use std::time::Duration;
/// use transport_http::{Client, RetryPolicy};
///
/// let client = Client::builder()
///     .base_url("http://127.0.0.1:8080/api/v10")
///     .timeout(Duration::from_secs(10))
///     .retry(RetryPolicy::new().max_attempts(4))
///     .user_agent("my-bot/1.0")
///     .build()?;
/// assert_eq!(client.base_url().unwrap().path(), "/api/v10");
/// # Ok::<(), transport_http::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    user_agent: String,
    default_headers: HeaderMap,
    redactions: Redactions,
    tls: TlsConfig,
    max_response_bytes: usize,
    limiter: Option<BucketLimiter>,
    rate_limit_body: Option<RateLimitBodyParser>,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
    error: Option<Error>,
}

impl ClientBuilder {
    /// The defaults: no base URL, 30 s timeout, [`RetryPolicy::new`], webpki roots,
    /// 16 MiB body bound, no rate limiter, 429s read from headers only.
    pub fn new() -> Self {
        Self {
            base_url: None,
            timeout: Some(DEFAULT_TIMEOUT),
            retry: RetryPolicy::new(),
            user_agent: concat!("switchboard-transport-http/", env!("CARGO_PKG_VERSION"))
                .to_owned(),
            default_headers: HeaderMap::new(),
            redactions: Redactions::default(),
            tls: TlsConfig::new(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            limiter: None,
            rate_limit_body: None,
            pool_idle_timeout: Duration::from_secs(90),
            pool_max_idle_per_host: usize::MAX,
            error: None,
        }
    }

    /// The URL request paths are appended to, e.g. `https://discord.com/api/v10` — or the
    /// sandbox's `http://127.0.0.1:PORT/api/v10`. Must be `http` or `https` without query.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Bound on each attempt (connect, TLS, send, whole response body). Default 30 s.
    /// Waits for the rate limiter and backoff between attempts are not counted.
    pub const fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No timeout: an attempt may wait forever for a silent server. Use only where
    /// something else bounds the wait.
    pub const fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// How connect errors, 5xx and 429 are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` sent unless a request sets its own.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// A header sent with every request (a request's own header of that name replaces it).
    pub fn default_header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let (name, value) = (name.as_ref(), value.as_ref());
        if crate::redact::is_sensitive_header(name) {
            self.redactions.push(&Secret::new(value));
        }
        match parse_header(name, value, false) {
            Ok((name, value)) => {
                self.default_headers.append(name, value);
            }
            Err(error) => {
                self.error.get_or_insert(error);
            }
        }
        self
    }

    /// A secret header sent with every request, e.g. `Authorization: Bot <token>`.
    pub fn default_secret_header(mut self, name: impl AsRef<str>, value: &Secret) -> Self {
        self.redactions.push(value);
        match parse_header(name.as_ref(), value.expose(), true) {
            Ok((name, value)) => {
                self.default_headers.append(name, value);
            }
            Err(error) => {
                self.error.get_or_insert(error);
            }
        }
        self
    }

    /// Trusts `certificate` (DER) as a root in addition to the built-in ones; for a
    /// private CA, as in tests.
    pub fn add_root_certificate(mut self, certificate: CertificateDer<'static>) -> Self {
        self.tls = self.tls.add_root_certificate(certificate);
        self
    }

    /// Whether to trust the bundled webpki (Mozilla) roots. Default `true`.
    pub fn built_in_roots(mut self, enabled: bool) -> Self {
        self.tls = self.tls.webpki_roots(enabled);
        self
    }

    /// All TLS settings at once (the workspace's one [`TlsConfig`], shared with
    /// transport-ws); replaces what the other TLS setters configured.
    pub fn tls(mut self, tls: TlsConfig) -> Self {
        self.tls = tls;
        self
    }

    /// Uses `config` instead of building one; roots set on this builder are then ignored.
    /// Its ALPN protocols are replaced by `h2, http/1.1`. Build it with
    /// `ClientConfig::builder_with_provider(rustls::crypto::ring::default_provider().into())`:
    /// the workspace links no other crypto provider.
    pub fn tls_config(mut self, config: rustls::ClientConfig) -> Self {
        self.tls = self.tls.client_config(std::sync::Arc::new(config));
        self
    }

    /// **Disables certificate verification**: any certificate for any name is accepted
    /// (the handshake signature is still checked). Off by default; for local
    /// experiments with self-signed servers only, never in production.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.tls = self.tls.danger_accept_invalid_certs(accept);
        self
    }

    /// Largest response body accepted; larger ones fail with
    /// [`ErrorKind::BodyTooLarge`](crate::ErrorKind::BodyTooLarge). Default 16 MiB.
    pub const fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Sends requests that carry a [`RouteKey`](core_ratelimit::RouteKey) through
    /// `limiter`, and feeds it every response's rate-limit headers.
    pub fn ratelimiter(mut self, limiter: BucketLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// How to read a 429 body's wait and global flag, in the platform's format (a service
    /// sets its own, e.g. Discord's `{"retry_after": 1.5, "global": false}`). Without one,
    /// a 429 is read from its headers only.
    pub fn rate_limit_body(mut self, parser: RateLimitBodyParser) -> Self {
        self.rate_limit_body = Some(parser);
        self
    }

    /// How long an unused pooled connection is kept. Default 90 s.
    pub const fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// How many idle connections are kept per host. Default unbounded.
    pub const fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// Builds the client: checks the base URL, headers and TLS settings.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let base_url = self
            .base_url
            .as_deref()
            .map(base_url::parse_base)
            .transpose()?;
        let mut default_headers = self.default_headers;
        if !default_headers.contains_key(USER_AGENT) {
            let (name, value) = parse_header(USER_AGENT.as_str(), &self.user_agent, false)?;
            default_headers.insert(name, value);
        }
        let tls = tls::client_config(&self.tls)?;
        let mut http = HttpConnector::new();
        // hyper-rustls decides between http and https; HttpConnector must accept both.
        http.enforce_http(false);
        http.set_nodelay(true);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(http);
        let hyper = HyperClient::builder(TokioExecutor::new())
            .timer(TokioTimer::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .build(connector);
        Ok(Client::from_parts(
            hyper,
            Config {
                base_url,
                default_headers,
                redactions: self.redactions,
                timeout: self.timeout,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
                limiter: self.limiter,
                rate_limit_body: self.rate_limit_body,
            },
        ))
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field(
                "base_url",
                &self.base_url.as_deref().map(|u| self.redactions.scrub(u)),
            )
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("default_headers", &HeadersDebug(&self.default_headers))
            .field("tls", &self.tls)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("limiter", &self.limiter.is_some())
            .field("rate_limit_body", &self.rate_limit_body.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn builds_with_defaults() {
        let client = ClientBuilder::new().build().unwrap();
        assert!(client.base_url().is_none());
    }

    #[test]
    fn bad_base_url_fails_build() {
        let error = Client::builder().base_url("nope").build().unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::InvalidUrl { .. }));
    }

    #[test]
    fn bad_default_header_fails_build() {
        let error = Client::builder()
            .default_header("bad name", "x")
            .build()
            .unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::InvalidHeader { .. }));
        let error = Client::builder()
            .default_secret_header("authorization", &Secret::new("line\nbreak"))
            .build()
            .unwrap_err();
        assert_eq!(
            *error.kind(),
            ErrorKind::InvalidHeader {
                name: "authorization".into()
            }
        );
        assert!(!format!("{error:?}").contains("line"));
    }

    #[test]
    fn debug_hides_default_secrets() {
        let builder = Client::builder()
            .default_secret_header("authorization", &Secret::new("Bot topsecretvalue"))
            .default_header("cookie", "session=topsecretcookie");
        let shown = format!("{builder:?}");
        assert!(!shown.contains("topsecret"), "{shown}");
        let shown = format!("{:?}", builder.build().unwrap());
        assert!(!shown.contains("topsecret"), "{shown}");
    }
}
