//! The client: a shared hyper-util connection pool plus the send loop (rate limit,
//! attempt, classify, retry).

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use core_ratelimit::{BucketLimiter, Outcome, RouteKey, Ticket};
use http::{HeaderMap, Method, StatusCode, Uri};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use tokio::time::Instant;
use tracing::Instrument;
use tracing::field::Empty;
use url::Url;

use crate::ratelimit::{RateLimitBodyParser, parse_headers};
use crate::redact::{Redactions, url_for_display};
use crate::retry::is_idempotent;
use crate::{ClientBuilder, Error, ErrorKind, RequestBuilder, Response, RetryPolicy};

pub(crate) type Hyper = HyperClient<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// An HTTP client for one API: a pooled hyper connection set (HTTP/1.1 and HTTP/2 over
/// rustls), a base URL, default headers, timeouts, retries and an optional rate limiter.
///
/// Cloning is cheap and shares the pool; build one per API and clone it around.
///
/// ```no_run
/// # async fn run() -> Result<(), transport_http::Error> {
/// use transport_http::{Client, Secret};
///
/// #[derive(serde::Deserialize)]
/// struct User {
///     id: String,
/// }
///
/// let token = Secret::new("Bot abc");
/// let client = Client::builder()
///     .base_url("https://discord.com/api/v10")
///     .default_secret_header("authorization", &token)
///     .build()?;
/// let me: User = client.get("/users/@me").send().await?.json()?;
/// println!("logged in as {}", me.id);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    hyper: Hyper,
    config: Config,
}

/// Settings fixed when the client is built.
pub(crate) struct Config {
    pub(crate) base_url: Option<Url>,
    pub(crate) default_headers: HeaderMap,
    pub(crate) redactions: Redactions,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
    pub(crate) limiter: Option<BucketLimiter>,
    pub(crate) rate_limit_body: Option<RateLimitBodyParser>,
}

/// A request ready to go: everything resolved, nothing left to fail but the network.
pub(crate) struct Prepared {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) route: Option<RouteKey>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) accept_any_status: bool,
    pub(crate) redactions: Redactions,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    pub(crate) fn from_parts(hyper: Hyper, config: Config) -> Self {
        Self {
            inner: Arc::new(Inner { hyper, config }),
        }
    }

    pub(crate) fn config(&self) -> &Config {
        &self.inner.config
    }

    /// A request with `method` to `target`: a path appended to the base URL
    /// (`/users/@me`), or an absolute `http(s)://` URL.
    pub fn request(&self, method: Method, target: impl Into<String>) -> RequestBuilder {
        RequestBuilder::new(self.clone(), method, target.into())
    }

    /// A `GET` request; see [`Client::request`].
    pub fn get(&self, target: impl Into<String>) -> RequestBuilder {
        self.request(Method::GET, target)
    }

    /// A `POST` request; see [`Client::request`].
    pub fn post(&self, target: impl Into<String>) -> RequestBuilder {
        self.request(Method::POST, target)
    }

    /// A `PUT` request; see [`Client::request`].
    pub fn put(&self, target: impl Into<String>) -> RequestBuilder {
        self.request(Method::PUT, target)
    }

    /// A `PATCH` request; see [`Client::request`].
    pub fn patch(&self, target: impl Into<String>) -> RequestBuilder {
        self.request(Method::PATCH, target)
    }

    /// A `DELETE` request; see [`Client::request`].
    pub fn delete(&self, target: impl Into<String>) -> RequestBuilder {
        self.request(Method::DELETE, target)
    }

    /// The base URL paths are appended to, if one was set.
    pub fn base_url(&self) -> Option<&Url> {
        self.inner.config.base_url.as_ref()
    }

    /// The rate limiter requests with a route go through, if one was set.
    pub fn limiter(&self) -> Option<&BucketLimiter> {
        self.inner.config.limiter.as_ref()
    }

    pub(crate) async fn execute(&self, request: Prepared) -> Result<Response, Error> {
        let shown_url = url_for_display(&request.url, &request.redactions);
        let route = request.route.as_ref().map_or_else(
            || request.redactions.scrub(request.url.path()),
            ToString::to_string,
        );
        let span = tracing::info_span!(
            "http_request",
            method = %request.method,
            route = %route,
            url = %shown_url,
            status = Empty,
            attempts = Empty,
            elapsed_ms = Empty,
        );
        self.run(request).instrument(span).await
    }

    /// The retry loop: acquire from the limiter, attempt, then let [`Client::judge`]
    /// decide whether to return or go again (after an optional wait).
    async fn run(&self, request: Prepared) -> Result<Response, Error> {
        let span = tracing::Span::current();
        let started = Instant::now();
        let config = &self.inner.config;
        let limited = config.limiter.as_ref().zip(request.route.as_ref());
        let uri: Uri = request.url.as_str().parse().map_err(|e| {
            Error::with_source(
                ErrorKind::InvalidUrl {
                    url: url_for_display(&request.url, &request.redactions),
                },
                e,
            )
        })?;
        let mut budget = Budget::default();
        let result = loop {
            budget.attempt += 1;
            span.record("attempts", budget.attempt);
            let ticket = match limited {
                Some((limiter, route)) => Some(limiter.acquire(route).await),
                None => None,
            };
            let attempt_started = Instant::now();
            let result = self.attempt(&request, &uri).await;
            if let Ok(response) = &result {
                span.record("status", response.status().as_u16());
                tracing::debug!(
                    attempt = budget.attempt,
                    status = response.status().as_u16(),
                    elapsed_ms = attempt_started.elapsed().as_millis() as u64,
                    "response received"
                );
            }
            match self.judge(&request, result, ticket, &mut budget) {
                Step::Done(result) => break result,
                Step::Retry(wait) => {
                    if let Some(wait) = wait {
                        tokio::time::sleep(wait).await;
                    }
                }
            }
        };
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        result
    }

    /// Decides what an attempt's result means. Two retry budgets: `failures` (connect
    /// errors and 5xx, idempotent methods only) and `rate_limited` (429s, any method:
    /// the server did not act on the request).
    fn judge(
        &self,
        request: &Prepared,
        result: Result<Response, Error>,
        ticket: Option<Ticket>,
        budget: &mut Budget,
    ) -> Step {
        let retry = &self.inner.config.retry;
        let attempt = budget.attempt;
        let may_retry_failure =
            is_idempotent(&request.method) && budget.failures + 1 < retry.attempts();
        let response = match result {
            Ok(response) => response,
            Err(error) => {
                // Dropping the ticket tells the limiter no response came back.
                drop(ticket);
                if *error.kind() == ErrorKind::Connect && may_retry_failure {
                    budget.failures += 1;
                    let delay = retry.backoff(budget.failures);
                    tracing::warn!(attempt, error = %error, ?delay, "connect failed; retrying");
                    return Step::Retry(Some(delay));
                }
                tracing::debug!(attempt, error = %error, "request failed");
                return Step::Done(Err(error));
            }
        };
        let status = response.status();
        let headers = parse_headers(response.headers());
        if status == StatusCode::TOO_MANY_REQUESTS {
            let body = self
                .inner
                .config
                .rate_limit_body
                .map(|parse| parse(response.body()))
                .unwrap_or_default();
            let retry_after = body
                .retry_after
                .or(headers.retry_after)
                .or(headers.reset_after);
            let global = body.global || headers.global;
            let limiter_waits = ticket.is_some() && retry_after.is_some();
            if let Some(ticket) = ticket {
                ticket.complete(Outcome {
                    status: status.as_u16(),
                    headers,
                    retry_after: body.retry_after,
                    global,
                });
            }
            let wait_ok = retry_after.is_none_or(|wait| wait <= retry.rate_limit_wait_cap());
            if budget.rate_limited < retry.rate_limit_budget() && wait_ok {
                budget.rate_limited += 1;
                tracing::warn!(attempt, ?retry_after, global, "rate limited; retrying");
                // A limiter told how long to wait makes the next acquire wait. Otherwise
                // wait here, so a 429 is never answered by hammering.
                let wait = if limiter_waits {
                    None
                } else {
                    Some(retry_after.unwrap_or_else(|| retry.backoff(budget.rate_limited)))
                };
                return Step::Retry(wait);
            }
            tracing::warn!(attempt, ?retry_after, global, "rate limited; giving up");
            return Step::Done(Err(Error::new(ErrorKind::RateLimited {
                retry_after,
                global,
            })));
        }
        if let Some(ticket) = ticket {
            ticket.complete(Outcome {
                status: status.as_u16(),
                headers,
                retry_after: None,
                global: false,
            });
        }
        if status.is_server_error() && may_retry_failure {
            budget.failures += 1;
            let delay = retry.backoff(budget.failures);
            tracing::warn!(
                attempt,
                status = status.as_u16(),
                ?delay,
                "server error; retrying"
            );
            return Step::Retry(Some(delay));
        }
        if status.is_success() || request.accept_any_status {
            return Step::Done(Ok(response));
        }
        Step::Done(Err(Error::new(ErrorKind::Status {
            status,
            body: response.body_snippet(),
        })))
    }

    /// One exchange: send, then read the whole body within the size bound, all under the
    /// request's timeout.
    async fn attempt(&self, request: &Prepared, uri: &Uri) -> Result<Response, Error> {
        let limit = self.inner.config.max_response_bytes;
        let mut outgoing = http::Request::new(Full::new(request.body.clone()));
        *outgoing.method_mut() = request.method.clone();
        *outgoing.uri_mut() = uri.clone();
        *outgoing.headers_mut() = request.headers.clone();
        let exchange = async {
            let response = self.inner.hyper.request(outgoing).await.map_err(classify)?;
            let (parts, body) = response.into_parts();
            // HEAD answers announce the length of a body they do not carry.
            if request.method != Method::HEAD
                && content_length(&parts.headers).is_some_and(|length| length > limit as u64)
            {
                return Err(Error::new(ErrorKind::BodyTooLarge { limit }));
            }
            let body = Limited::new(body, limit)
                .collect()
                .await
                .map_err(|e| {
                    if e.is::<LengthLimitError>() {
                        Error::new(ErrorKind::BodyTooLarge { limit })
                    } else {
                        Error::with_source(ErrorKind::Request, e)
                    }
                })?
                .to_bytes();
            Ok(Response::new(parts, body, request.redactions.clone()))
        };
        match request.timeout {
            Some(after) => tokio::time::timeout(after, exchange)
                .await
                .map_err(|_| Error::new(ErrorKind::Timeout { after }))?,
            None => exchange.await,
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.inner.config;
        f.debug_struct("Client")
            .field(
                "base_url",
                &config
                    .base_url
                    .as_ref()
                    .map(|url| url_for_display(url, &config.redactions)),
            )
            .field(
                "default_headers",
                &crate::redact::HeadersDebug(&config.default_headers),
            )
            .field("timeout", &config.timeout)
            .field("retry", &config.retry)
            .field("max_response_bytes", &config.max_response_bytes)
            .field("limiter", &config.limiter.is_some())
            .finish_non_exhaustive()
    }
}

/// Attempts made so far, and how many of each retry budget is spent.
#[derive(Default)]
struct Budget {
    attempt: u32,
    failures: u32,
    rate_limited: u32,
}

/// What to do after an attempt.
enum Step {
    Done(Result<Response, Error>),
    /// Go again, after sleeping this long if set.
    Retry(Option<Duration>),
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(http::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Sorts a hyper-util error into TLS, connect or other request failures.
fn classify(error: hyper_util::client::legacy::Error) -> Error {
    let kind = if caused_by_rustls(&error) {
        ErrorKind::Tls
    } else if error.is_connect() {
        ErrorKind::Connect
    } else {
        ErrorKind::Request
    };
    Error::with_source(kind, error)
}

/// Whether a rustls error is anywhere in the chain. hyper-rustls wraps it in an
/// `io::Error`, whose `source()` skips the wrapped error, so look inside with `get_ref`.
fn caused_by_rustls(error: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<rustls::Error>() {
            return true;
        }
        if let Some(inner) = error
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            && caused_by_rustls(inner)
        {
            return true;
        }
        current = error.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rustls_errors_inside_io_errors() {
        let tls = std::io::Error::other(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        ));
        assert!(caused_by_rustls(&tls));
        let plain = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(!caused_by_rustls(&plain));
    }

    #[test]
    fn content_length_parsing() {
        let mut headers = HeaderMap::new();
        assert_eq!(content_length(&headers), None);
        headers.insert(http::header::CONTENT_LENGTH, "42".parse().unwrap());
        assert_eq!(content_length(&headers), Some(42));
        headers.insert(http::header::CONTENT_LENGTH, "x".parse().unwrap());
        assert_eq!(content_length(&headers), None);
    }

    #[test]
    fn public_types_are_send_sync_and_send_is_spawnable() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        fn assert_send<T: Send>(_: &T) {}
        assert_send_sync::<Client>();
        assert_send_sync::<crate::RequestBuilder>();
        assert_send_sync::<Response>();
        let client = Client::builder().build().unwrap();
        // Services spawn requests onto the runtime: the future must be Send.
        assert_send(&client.get("http://127.0.0.1:9/").send());
    }
}
