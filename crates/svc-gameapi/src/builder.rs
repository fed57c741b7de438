//! [`ClientBuilder`]: keys or developer-site credentials, limits, cache, URLs.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use transport_http::{RetryPolicy, Secret};

use crate::client::Retry;

use crate::client::{Client, Inner};
use crate::key_manager::{KeyManager, KeyManagerConfig};
use crate::keys::KeyRing;
use crate::{Error, ErrorKind};

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.clashofclans.com/v1";
/// The production developer site (key management).
pub const DEFAULT_DEVELOPER_SITE: &str = "https://developer.clashofclans.com";
/// Requests per second per key unless configured: coc.py's default, which Supercell's
/// limits have tolerated for years. Raise it with [`ClientBuilder::throttle_limit`] only if
/// your keys are known to take more; a key over its limit meets 429s, and persistent abuse
/// risks an IP ban.
pub const DEFAULT_THROTTLE_LIMIT: u32 = 10;
/// Cached responses kept at most unless configured.
pub const DEFAULT_CACHE_MAX_SIZE: u64 = 10_000;
/// Bytes of cached responses (bodies and paths) kept at most unless configured: 64 MiB,
/// room for thousands of clan and player answers.
pub const DEFAULT_CACHE_MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Per-request timeout unless configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Key name the key manager uses unless configured.
pub const DEFAULT_KEY_NAME: &str = "Created with switchboard";

/// Configures a [`Client`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), svc_gameapi::Error> {
/// let client = svc_gameapi::Client::builder()
///     .key("my-api-key")
///     .throttle_limit(10)
///     .cache_max_size(Some(1_000))
///     .cache_max_bytes(8 * 1024 * 1024)
///     .build()
///     .await?;
/// assert!(!format!("{client:?}").contains("my-api-key"));
/// # Ok(())
/// # }
/// ```
#[must_use]
pub struct ClientBuilder {
    keys: Vec<Secret>,
    login: Option<(String, Secret)>,
    key_count: u8,
    key_names: String,
    throttle_limit: u32,
    correct_tags: bool,
    timeout: Duration,
    cache_max_size: Option<u64>,
    raw_attribute: bool,
    cache_max_bytes: u64,
    base_url: String,
    developer_site: String,
    retry: Retry,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("keys", &self.keys.len())
            .field("login", &self.login.is_some())
            .field("key_count", &self.key_count)
            .field("key_names", &self.key_names)
            .field("throttle_limit", &self.throttle_limit)
            .field("correct_tags", &self.correct_tags)
            .field("timeout", &self.timeout)
            .field("cache_max_size", &self.cache_max_size)
            .field("raw_attribute", &self.raw_attribute)
            .field("cache_max_bytes", &self.cache_max_bytes)
            .field("base_url", &self.base_url)
            .field("developer_site", &self.developer_site)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            keys: Vec::new(),
            login: None,
            key_count: 1,
            key_names: DEFAULT_KEY_NAME.to_owned(),
            throttle_limit: DEFAULT_THROTTLE_LIMIT,
            correct_tags: true,
            timeout: DEFAULT_TIMEOUT,
            cache_max_size: Some(DEFAULT_CACHE_MAX_SIZE),
            raw_attribute: false,
            cache_max_bytes: DEFAULT_CACHE_MAX_BYTES,
            base_url: DEFAULT_BASE_URL.to_owned(),
            developer_site: DEFAULT_DEVELOPER_SITE.to_owned(),
            retry: Retry {
                attempts: 3,
                base_delay: Duration::from_millis(250),
            },
        }
    }
}

impl ClientBuilder {
    /// Adds an API key (may be called several times; keys are used round-robin).
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.keys.push(Secret::new(key.into()));
        self
    }

    /// Logs in to the developer site with these credentials when built, and gets keys
    /// for the caller's IP from there (see [`KeyManager`]). Keys given with
    /// [`key`](Self::key) are used as well.
    pub fn login(mut self, email: impl Into<String>, password: impl Into<String>) -> Self {
        self.login = Some((email.into(), Secret::new(password.into())));
        self
    }

    /// How many keys the key manager keeps (1–10, default 1).
    pub fn key_count(mut self, count: u8) -> Self {
        self.key_count = count.clamp(1, 10);
        self
    }

    /// The name of keys the key manager creates and reuses.
    pub fn key_names(mut self, name: impl Into<String>) -> Self {
        self.key_names = name.into();
        self
    }

    /// Requests per second per key (default [`DEFAULT_THROTTLE_LIMIT`], 10; at least 1),
    /// spaced evenly: with 10, one request every 100 ms per key.
    pub fn throttle_limit(mut self, per_second: u32) -> Self {
        self.throttle_limit = per_second.max(1);
        self
    }

    /// Whether tags are normalised before use (default on; see [`crate::Tag::normalize`]).
    pub fn correct_tags(mut self, correct: bool) -> Self {
        self.correct_tags = correct;
        self
    }

    /// Per-request timeout (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Maximum cached responses (default 10,000); `None` disables the cache.
    pub fn cache_max_size(mut self, size: Option<u64>) -> Self {
        self.cache_max_size = size.filter(|size| *size > 0);
        self
    }

    /// Whether returned objects keep the JSON they were decoded from in their `raw` field
    /// ([`RawJson`](crate::model::RawJson)), like coc.py's `raw_attribute` (default off).
    ///
    /// On, every object an endpoint returns and every item of a list page holds a copy of
    /// its JSON text, which roughly doubles the memory each answer takes; off, the field is
    /// one empty pointer. Nested objects (a clan's members inside `GET /clans/{tag}`) keep
    /// none of their own: read them from the enclosing object's JSON.
    pub fn raw_attribute(mut self, keep: bool) -> Self {
        self.raw_attribute = keep;
        self
    }

    /// Maximum bytes of cached responses, bodies and paths counted (default
    /// [`DEFAULT_CACHE_MAX_BYTES`]). Both caps hold at once: a response weighs its bytes but
    /// at least `cache_max_bytes / cache_max_size`, so many small answers stop at the
    /// entry cap and a few large ones at the byte cap.
    pub fn cache_max_bytes(mut self, bytes: u64) -> Self {
        self.cache_max_bytes = bytes;
        self
    }

    /// The API base URL (default [`DEFAULT_BASE_URL`]).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The developer site URL (default [`DEFAULT_DEVELOPER_SITE`]).
    pub fn developer_site(mut self, url: impl Into<String>) -> Self {
        self.developer_site = url.into();
        self
    }

    /// Attempts for GETs answered 5xx (except 503 `inMaintenance`, which lasts minutes and
    /// is left to the caller) or failing in transport, first try included; the delay
    /// before retry *n* is `base_delay × 2ⁿ⁻¹`, at most 10 s. Default: 3 attempts, 250 ms.
    pub fn retry(mut self, attempts: u32, base_delay: Duration) -> Self {
        self.retry = Retry {
            attempts: attempts.max(1),
            base_delay,
        };
        self
    }

    /// Builds the client; with [`login`](Self::login), runs the key manager first.
    pub async fn build(self) -> Result<Client, Error> {
        let http = transport_http::Client::builder()
            .base_url(&self.base_url)
            .timeout(self.timeout)
            .retry(RetryPolicy::none())
            .user_agent(concat!("switchboard-gameapi/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let per_second = NonZeroU32::new(self.throttle_limit).unwrap_or(NonZeroU32::MIN);
        let key_manager = match self.login {
            Some((email, password)) => Some(KeyManager::from_config(KeyManagerConfig {
                developer_site: self.developer_site,
                email,
                password,
                key_names: self.key_names,
                key_count: self.key_count,
                timeout: self.timeout,
            })?),
            None => None,
        };
        let static_keys = self.keys.clone();
        let mut keys = self.keys;
        if let Some(manager) = &key_manager {
            keys.extend(manager.sync().await?.keys);
        }
        if keys.is_empty() {
            return Err(Error::new(ErrorKind::InvalidInput {
                what: "no API key and no login given".to_owned(),
            }));
        }
        let cache = self.cache_max_size.map(|entries| {
            core_cache::TtlCache::builder(self.cache_max_bytes)
                .weigher(|path: &String, body: &bytes::Bytes| {
                    u32::try_from(path.len().saturating_add(body.len())).unwrap_or(u32::MAX)
                })
                .max_entries(entries)
                .build()
        });
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                keys: KeyRing::new(&keys, per_second),
                static_keys,
                cache,
                correct_tags: self.correct_tags,
                raw_attribute: self.raw_attribute,
                retry: self.retry,
                key_manager,
                refresh: tokio::sync::Mutex::new(()),
            }),
        })
    }
}
