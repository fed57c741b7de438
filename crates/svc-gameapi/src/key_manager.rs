//! [`KeyManager`]: gets API keys for the caller's IP from the developer site, the way a
//! human would — log in, look at the keys, reuse, revoke, create.
//!
//! API keys are bound to IP addresses (CIDR ranges). A bot whose IP changes (a cloud host,
//! a restart elsewhere) finds its keys refused with `accessDenied.invalidIp`; the manager
//! then logs in again, learns the new IP from the session's `temporaryAPIToken` (a JWT whose
//! claims list it in `limits[1].cidrs[0]`), and makes keys for it.
//!
//! The site's answers carry credentials (the session token, every key's value), so an
//! answer that does not decode is reported without any of it: no body snippet, no decoder
//! message (which could quote it).

use std::fmt;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::json;
use transport_http::{RetryPolicy, Secret};

use crate::{Error, ErrorKind};

/// An account holds at most this many keys.
pub const MAX_KEYS_PER_ACCOUNT: usize = 10;

pub(crate) struct KeyManagerConfig {
    pub(crate) developer_site: String,
    pub(crate) email: String,
    pub(crate) password: Secret,
    pub(crate) key_names: String,
    pub(crate) key_count: u8,
    pub(crate) timeout: Duration,
}

/// Logs in to the developer site and keeps `key_count` keys named `key_names` valid for the
/// caller's IP. Credentials and keys never appear in `Debug`, logs or errors.
pub struct KeyManager {
    http: transport_http::Client,
    email: Secret,
    password: Secret,
    key_names: String,
    key_count: usize,
}

impl fmt::Debug for KeyManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyManager")
            .field(
                "developer_site",
                &self.http.base_url().map(url::Url::as_str),
            )
            .field("key_names", &self.key_names)
            .field("key_count", &self.key_count)
            .finish_non_exhaustive()
    }
}

/// What one run of the key manager found and did.
#[derive(Clone)]
pub struct KeySync {
    /// The caller's IP as the developer site sees it.
    pub ip: String,
    /// The keys to use (at most `key_count`).
    pub keys: Vec<Secret>,
    /// Existing keys reused.
    pub reused: usize,
    /// Keys created.
    pub created: usize,
    /// Stale keys revoked to make room.
    pub revoked: usize,
}

impl fmt::Debug for KeySync {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySync")
            .field("ip", &self.ip)
            .field("keys", &self.keys.len())
            .field("reused", &self.reused)
            .field("created", &self.created)
            .field("revoked", &self.revoked)
            .finish()
    }
}

#[derive(Deserialize)]
struct LoginBody {
    #[serde(rename = "temporaryAPIToken")]
    temporary_api_token: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Claims {
    limits: Vec<Limit>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Limit {
    cidrs: Vec<String>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct SiteKey {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    cidr_ranges: Vec<String>,
    #[serde(default)]
    key: String,
}

#[derive(Deserialize)]
struct KeyList {
    #[serde(default)]
    keys: Vec<SiteKey>,
}

#[derive(Deserialize)]
struct Created {
    key: SiteKey,
}

impl KeyManager {
    /// A key manager for the developer site at `developer_site` (normally
    /// [`DEFAULT_DEVELOPER_SITE`](crate::DEFAULT_DEVELOPER_SITE)), keeping `key_count`
    /// (1–10) keys named `key_names`. [`ClientBuilder::login`](crate::ClientBuilder::login)
    /// makes one for you; use this to manage keys without a client.
    pub fn new(
        developer_site: impl Into<String>,
        email: impl Into<String>,
        password: impl Into<String>,
        key_names: impl Into<String>,
        key_count: u8,
    ) -> Result<Self, Error> {
        Self::from_config(KeyManagerConfig {
            developer_site: developer_site.into(),
            email: email.into(),
            password: Secret::new(password.into()),
            key_names: key_names.into(),
            key_count,
            timeout: crate::DEFAULT_TIMEOUT,
        })
    }

    pub(crate) fn from_config(config: KeyManagerConfig) -> Result<Self, Error> {
        let http = transport_http::Client::builder()
            .base_url(&config.developer_site)
            .timeout(config.timeout)
            .retry(RetryPolicy::none())
            .build()?;
        Ok(Self {
            http,
            email: Secret::new(config.email),
            password: config.password,
            key_names: config.key_names,
            key_count: usize::from(config.key_count).clamp(1, MAX_KEYS_PER_ACCOUNT),
        })
    }

    /// Logs in, then reuses keys named like ours whose CIDR ranges hold the caller's IP,
    /// revokes stale keys named like ours if the account is full, and creates keys until
    /// there are `key_count`.
    pub async fn sync(&self) -> Result<KeySync, Error> {
        let (session, ip) = self.login().await?;
        let listed: KeyList = self.call("/api/apikey/list", &session, &json!({})).await?;
        let ours = |key: &SiteKey| key.name == self.key_names;
        let mut keys: Vec<Secret> = listed
            .keys
            .iter()
            .filter(|key| ours(key) && key.cidr_ranges.iter().any(|cidr| cidr_matches(cidr, &ip)))
            .take(self.key_count)
            .map(|key| Secret::new(key.key.clone()))
            .collect();
        let reused = keys.len();
        let mut total = listed.keys.len();
        let mut stale = listed
            .keys
            .iter()
            .filter(|key| ours(key) && !key.cidr_ranges.iter().any(|cidr| cidr_matches(cidr, &ip)));
        let (mut created, mut revoked) = (0, 0);
        while keys.len() < self.key_count {
            if total >= MAX_KEYS_PER_ACCOUNT {
                let Some(old) = stale.next() else {
                    return Err(Error::new(ErrorKind::KeyManager {
                        message: format!(
                            "the account holds {MAX_KEYS_PER_ACCOUNT} keys and none named {:?} can be revoked",
                            self.key_names
                        ),
                    }));
                };
                let _: serde_json::Value = self
                    .call("/api/apikey/revoke", &session, &json!({ "id": old.id }))
                    .await?;
                tracing::info!(key_id = %old.id, "revoked a stale API key");
                total -= 1;
                revoked += 1;
            }
            let body = json!({
                "name": self.key_names,
                "description": format!("Created for {ip} by switchboard"),
                "cidrRanges": [ip],
                "scopes": ["clash"],
            });
            let new: Created = self.call("/api/apikey/create", &session, &body).await?;
            tracing::info!(key_id = %new.key.id, "created an API key");
            keys.push(Secret::new(new.key.key));
            total += 1;
            created += 1;
        }
        tracing::info!(%ip, reused, created, revoked, "API keys ready");
        Ok(KeySync {
            ip,
            keys,
            reused,
            created,
            revoked,
        })
    }

    /// `POST /api/login`: the session cookie and the caller's IP.
    async fn login(&self) -> Result<(Secret, String), Error> {
        let response = self
            .http
            .post("/api/login")
            .redact(&self.email)
            .redact(&self.password)
            .json(&json!({ "email": self.email.expose(), "password": self.password.expose() }))
            .secret_response()
            .accept_any_status()
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(site_error(
                "login",
                response.status().as_u16(),
                response.body(),
            ));
        }
        let cookie = response
            .headers()
            .get_all(http::header::SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .filter_map(|value| value.split(';').next())
            .map(str::trim)
            .find(|pair| pair.starts_with("session="))
            .ok_or_else(|| {
                Error::new(ErrorKind::KeyManager {
                    message: "login answer carried no session cookie".to_owned(),
                })
            })?;
        let session = Secret::new(cookie.to_owned());
        let body: LoginBody = decode_withheld("login", response.body())?;
        let token = body.temporary_api_token.ok_or_else(|| {
            Error::new(ErrorKind::KeyManager {
                message: "login answer carried no temporaryAPIToken".to_owned(),
            })
        })?;
        let ip = ip_from_token(&token)?;
        Ok((session, ip))
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        session: &Secret,
        body: &serde_json::Value,
    ) -> Result<T, Error> {
        let response = self
            .http
            .post(path)
            .secret_header("cookie", session)
            .json(body)
            .secret_response()
            .accept_any_status()
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(site_error(
                path,
                response.status().as_u16(),
                response.body(),
            ));
        }
        decode_withheld(path, response.body())
    }
}

/// The caller's IP from the `temporaryAPIToken` claims: `limits[1].cidrs[0]`, without a
/// `/32` suffix.
fn ip_from_token(token: &str) -> Result<String, Error> {
    let bad = |what: &str| {
        Error::new(ErrorKind::KeyManager {
            message: format!("temporaryAPIToken: {what}"),
        })
    };
    let payload = token.split('.').nth(1).ok_or_else(|| bad("not a JWT"))?;
    let json = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| bad("claims are not base64url"))?;
    let claims: Claims = decode_withheld("temporaryAPIToken claims", &json)?;
    let cidr = claims
        .limits
        .get(1)
        .and_then(|limit| limit.cidrs.first())
        .ok_or_else(|| bad("no limits[1].cidrs[0] claim"))?;
    Ok(cidr.split('/').next().unwrap_or(cidr).to_owned())
}

/// Decodes a developer-site answer. It may hold credentials, so a failure tells only what
/// did not decode and its size: no snippet, and not the decoder's message, which can quote
/// the input.
fn decode_withheld<T: serde::de::DeserializeOwned>(what: &str, body: &[u8]) -> Result<T, Error> {
    let mut buffer = body.to_vec();
    simd_json::serde::from_slice(&mut buffer).map_err(|_| {
        tracing::warn!(what, bytes = body.len(), "undecodable developer-site answer");
        Error::new(ErrorKind::KeyManager {
            message: format!(
                "the {what} answer ({} bytes) did not decode; its content is withheld because it may carry credentials",
                body.len()
            ),
        })
    })
}

/// Whether a key's CIDR entry covers `ip` (exact address or `ip/32`).
fn cidr_matches(cidr: &str, ip: &str) -> bool {
    cidr == ip || cidr.strip_suffix("/32") == Some(ip)
}

fn site_error(what: &str, status: u16, body: &[u8]) -> Error {
    #[derive(Deserialize)]
    struct Status {
        message: Option<String>,
    }
    #[derive(Deserialize)]
    struct Body {
        status: Option<Status>,
        description: Option<String>,
    }
    let mut buffer = body.to_vec();
    let detail = simd_json::serde::from_slice::<Body>(&mut buffer)
        .ok()
        .and_then(|b| b.status.and_then(|s| s.message).or(b.description))
        .unwrap_or_default();
    Error::new(ErrorKind::KeyManager {
        message: format!("{what} failed with {status}: {detail}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ip_from_claims() {
        let claims = r#"{"iss":"supercell","limits":[{"tier":"developer/bronze","type":"throttling"},{"cidrs":["203.0.113.7/32"],"type":"client"}]}"#;
        let token = format!("e30.{}.sig", URL_SAFE_NO_PAD.encode(claims));
        assert_eq!(ip_from_token(&token).unwrap(), "203.0.113.7");
        assert!(ip_from_token("nonsense").is_err());
        let no_limits = format!("e30.{}.sig", URL_SAFE_NO_PAD.encode("{}"));
        assert!(ip_from_token(&no_limits).is_err());
    }

    #[test]
    fn cidr() {
        assert!(cidr_matches("1.2.3.4", "1.2.3.4"));
        assert!(cidr_matches("1.2.3.4/32", "1.2.3.4"));
        assert!(!cidr_matches("1.2.3.5", "1.2.3.4"));
    }
}
