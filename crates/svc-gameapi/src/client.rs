//! [`Client`]: the REST client. Every GET goes through the response cache, then the next
//! key's throttle; API errors become typed [`Error`]s.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use core_cache::{CacheControl, TtlCache};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use transport_http::{Method, Secret};

use crate::key_manager::KeyManager;
use crate::keys::KeyRing;
use crate::raw::Body;
use crate::{ClientBuilder, Error, ErrorKind, Reason, Tag};

/// The longest a `Cache-Control: max-age` is believed. The API's answers live seconds to
/// minutes; a larger max-age (a broken or hostile header, up to the 68 years core-cache
/// allows) would keep a stale answer, and stop an event poller, for that long.
pub const MAX_CACHE_TTL: std::time::Duration = std::time::Duration::from_hours(1);

/// A Clash of Clans API client. Cheap to clone; clones share keys, throttles and cache.
///
/// ```no_run
/// # async fn run() -> Result<(), svc_gameapi::Error> {
/// let client = svc_gameapi::Client::builder().key("api-key").build().await?;
/// let clan = client.clan("#2PP").await?;
/// println!("{} has {} members", clan.name, clan.members);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: transport_http::Client,
    pub(crate) keys: KeyRing,
    /// Keys given directly by the user, kept across key-manager refreshes.
    pub(crate) static_keys: Vec<Secret>,
    pub(crate) cache: Option<TtlCache<String, Bytes>>,
    pub(crate) correct_tags: bool,
    /// Whether decoded objects keep their JSON (see [`ClientBuilder::raw_attribute`]).
    pub(crate) raw_attribute: bool,
    pub(crate) retry: Retry,
    pub(crate) key_manager: Option<KeyManager>,
    /// Serialises key-manager refreshes after `accessDenied.invalidIp`.
    pub(crate) refresh: tokio::sync::Mutex<()>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field(
                "base_url",
                &self.inner.http.base_url().map(url::Url::as_str),
            )
            .field("keys", &self.inner.keys.len())
            .field(
                "cache_entries",
                &self.inner.cache.as_ref().map(TtlCache::entry_count),
            )
            .field("correct_tags", &self.inner.correct_tags)
            .field("key_manager", &self.inner.key_manager.is_some())
            .finish_non_exhaustive()
    }
}

/// Retries of failed GETs (see [`ClientBuilder::retry`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Retry {
    pub(crate) attempts: u32,
    pub(crate) base_delay: std::time::Duration,
}

impl Retry {
    fn delay(self, retry: u32) -> std::time::Duration {
        let factor = 2_u32.saturating_pow(retry.saturating_sub(1));
        self.base_delay
            .saturating_mul(factor)
            .min(std::time::Duration::from_secs(10))
    }

    /// 5xx other than maintenance, and transport failures.
    fn should_retry(error: &Error) -> bool {
        match error.kind() {
            ErrorKind::Transport => true,
            ErrorKind::Api { status, reason, .. } => {
                (500..600).contains(status) && *reason != Reason::InMaintenance
            }
            _ => false,
        }
    }
}

/// A decoded answer and when it may be fetched again (from `Cache-Control: max-age`, on
/// tokio's clock).
#[derive(Debug, Clone)]
pub(crate) struct Fetched<T> {
    pub(crate) value: T,
    pub(crate) expires: Option<Instant>,
}

/// The API's error body.
#[derive(Deserialize)]
struct ErrorBody {
    reason: Option<String>,
    message: Option<String>,
}

impl Client {
    /// A builder with the defaults (production URLs, 10 req/s per key, 10,000 cached
    /// responses, 30 s timeout, tag correction on).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The tag as the client will send it: normalised unless correction is off.
    pub fn tag(&self, tag: &str) -> Tag {
        if self.inner.correct_tags {
            Tag::normalize(tag)
        } else {
            Tag::new(tag)
        }
    }

    /// Number of keys in rotation.
    pub fn key_count(&self) -> usize {
        self.inner.keys.len()
    }

    /// Cached responses right now (0 without a cache).
    pub async fn cached_responses(&self) -> u64 {
        self.cache_stats().await.entries
    }

    /// The cache's weight right now, at most
    /// [`cache_max_bytes`](crate::ClientBuilder::cache_max_bytes): the bytes of cached
    /// responses and their paths, each counted at least `cache_max_bytes / cache_max_size`
    /// (0 without a cache).
    pub async fn cached_bytes(&self) -> u64 {
        self.cache_stats().await.weighted_size
    }

    async fn cache_stats(&self) -> core_cache::CacheStats {
        match &self.inner.cache {
            Some(cache) => {
                // moka counts lazily; settle its bookkeeping first.
                cache.run_pending_tasks().await;
                cache.stats()
            }
            None => core_cache::CacheStats::default(),
        }
    }

    /// Runs the key manager again (new IP, revoked keys) and swaps in the keys it returns.
    /// Without login credentials this does nothing.
    pub async fn refresh_keys(&self) -> Result<(), Error> {
        self.refresh_keys_since(None).await
    }

    /// Refreshes unless the keys changed since `generation` (another request already
    /// refreshed them while this one waited): many requests failing with
    /// `accessDenied.invalidIp` at once log in once, not once each.
    async fn refresh_keys_since(&self, generation: Option<usize>) -> Result<(), Error> {
        let Some(manager) = &self.inner.key_manager else {
            return Ok(());
        };
        let _guard = self.inner.refresh.lock().await;
        if generation.is_some_and(|seen| seen != self.inner.keys.generation()) {
            return Ok(());
        }
        let sync = manager.sync().await?;
        let mut keys = self.inner.static_keys.clone();
        keys.extend(sync.keys);
        self.inner.keys.replace(&keys);
        Ok(())
    }

    /// The raw JSON body of `GET {base_url}{path}` (path encoded by the caller, query
    /// included), through the cache, keys, throttle and retries like every call: for
    /// fields this crate does not model yet.
    ///
    /// ```no_run
    /// # async fn run(client: svc_gameapi::Client) -> Result<(), svc_gameapi::Error> {
    /// let body = client.raw_get("/clans/%232PP").await?;
    /// println!("{} bytes", body.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn raw_get(&self, path: &str) -> Result<Bytes, Error> {
        Ok(self.get_raw(path).await?.value)
    }

    /// GET `path` (already encoded, query included) and decode it, through the cache.
    pub(crate) async fn get<T: Body>(&self, path: &str) -> Result<T, Error> {
        Ok(self.get_fetched(path).await?.value)
    }

    pub(crate) async fn get_fetched<T: Body>(&self, path: &str) -> Result<Fetched<T>, Error> {
        let raw = self.get_raw(path).await?;
        self.decoded(path, raw).await
    }

    /// GET `path` from the API even if cached (the answer refreshes the cache): for pollers
    /// that already wait out each max-age themselves.
    pub(crate) async fn get_fresh<T: Body>(&self, path: &str) -> Result<Fetched<T>, Error> {
        let raw = self.fetch_raw(path).await?;
        self.decoded(path, raw).await
    }

    /// Decodes a body fetched for `path`. One that does not decode leaves the cache: a
    /// broken answer is not served again for its max-age once the server has recovered.
    async fn decoded<T: Body>(&self, path: &str, raw: Fetched<Bytes>) -> Result<Fetched<T>, Error> {
        match T::decode(&raw.value, self.inner.raw_attribute) {
            Ok(value) => Ok(Fetched {
                value,
                expires: raw.expires,
            }),
            Err(error) => {
                if let Some(cache) = &self.inner.cache {
                    cache.invalidate(path).await;
                }
                Err(error)
            }
        }
    }

    /// GET `path`, served from the cache while its max-age lasts.
    pub(crate) async fn get_raw(&self, path: &str) -> Result<Fetched<Bytes>, Error> {
        if let Some(cache) = &self.inner.cache
            && let Some((body, expires)) = cache.get_with_deadline(path).await
        {
            tracing::trace!(path, "served from cache");
            return Ok(Fetched {
                value: body,
                expires,
            });
        }
        self.fetch_raw(path).await
    }

    async fn fetch_raw(&self, path: &str) -> Result<Fetched<Bytes>, Error> {
        let response = self.send(Method::GET, path, None).await?;
        let ttl = response
            .headers()
            .get(http_header::CACHE_CONTROL)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| CacheControl::parse(value).ttl())
            .map(|ttl| ttl.min(MAX_CACHE_TTL));
        let body = response.into_body();
        let expires = ttl.map(|ttl| Instant::now() + ttl);
        if let (Some(cache), Some(ttl)) = (&self.inner.cache, ttl) {
            cache
                .insert_with_ttl(path.to_owned(), body.clone(), ttl)
                .await;
        }
        Ok(Fetched {
            value: body,
            expires,
        })
    }

    /// POST a JSON body to `path` (never cached).
    pub(crate) async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<T, Error> {
        let response = self.send(Method::POST, path, Some(body)).await?;
        decode(response.body())
    }

    /// Sends, retrying GETs that failed on the server's side or in transport.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<transport_http::Response, Error> {
        let retry = self.inner.retry;
        let mut attempt = 1;
        loop {
            match self.send_recovering(method.clone(), path, body).await {
                Err(error)
                    if method == Method::GET
                        && attempt < retry.attempts
                        && Retry::should_retry(&error) =>
                {
                    let delay = retry.delay(attempt);
                    tracing::debug!(%error, attempt, ?delay, "retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// Sends with the next key; on `accessDenied.invalidIp` re-runs the key manager once
    /// and tries again (and on `accessDenied` after someone else's refresh, just again).
    async fn send_recovering(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<transport_http::Response, Error> {
        let generation = self.inner.keys.generation();
        match self.send_once(method.clone(), path, body).await {
            Err(error)
                if error.reason() == Some(&Reason::InvalidIp)
                    && self.inner.key_manager.is_some() =>
            {
                tracing::info!("API answered accessDenied.invalidIp; re-running the key manager");
                self.refresh_keys_since(Some(generation)).await?;
                self.send_once(method, path, body).await
            }
            // The key was revoked under us by a refresh that another request ran: the
            // current keys are already good.
            Err(error)
                if error.reason() == Some(&Reason::AccessDenied)
                    && self.inner.keys.generation() != generation =>
            {
                self.send_once(method, path, body).await
            }
            other => other,
        }
    }

    async fn send_once(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<transport_http::Response, Error> {
        let key = self
            .inner
            .keys
            .next()
            .ok_or_else(|| Error::invalid("no API keys"))?;
        key.throttle.ready().await;
        let mut request = self
            .inner
            .http
            .request(method, path)
            .secret_header("authorization", &key.authorization)
            .header("accept", "application/json")
            .accept_any_status();
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        Err(api_error(status.as_u16(), response.body()))
    }
}

use http::header as http_header;

/// Reads `{reason, message}`; a body that is not that still yields a typed error.
fn api_error(status: u16, body: &[u8]) -> Error {
    let mut buffer = body.to_vec();
    let parsed = simd_json::serde::from_slice::<ErrorBody>(&mut buffer).ok();
    let reason = parsed
        .as_ref()
        .and_then(|b| b.reason.as_deref())
        .map_or_else(|| Reason::for_status(status), Reason::parse);
    let message = parsed.and_then(|b| b.message).unwrap_or_default();
    tracing::debug!(status, reason = reason.as_str(), "API error");
    Error::api(status, reason, message)
}

/// Decodes a JSON body with simd-json; failures become [`ErrorKind::Decode`].
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    let mut buffer = body.to_vec();
    simd_json::serde::from_slice(&mut buffer).map_err(|error| {
        let snippet = String::from_utf8_lossy(&body[..body.len().min(120)]).into_owned();
        tracing::warn!(%error, "undecodable API response");
        Error::with_source(ErrorKind::Decode { snippet }, error)
    })
}
