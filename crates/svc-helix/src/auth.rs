//! OAuth at `id.twitch.tv`: validate, refresh, client credentials, revoke, and a
//! [`TokenManager`] that keeps one token valid (validated on start and hourly, refreshed
//! before it expires).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::RwLock;
use serde::Deserialize;
use tokio::time::Instant;
use transport_http::{Client, RetryPolicy, Secret};

use crate::{AccessToken, Error, ErrorKind, RefreshToken, UserId};

/// Twitch's OAuth base URL.
pub const TWITCH_AUTH_URL: &str = "https://id.twitch.tv";

/// Twitch asks apps to validate tokens on start and then hourly.
pub const VALIDATE_EVERY: Duration = Duration::from_hours(1);

/// Refresh this long before the token expires.
const REFRESH_MARGIN: Duration = Duration::from_mins(5);

/// The longest lifetime believed from an `expires_in`. Twitch's tokens live hours (user) to
/// about two months (app); a larger number is clamped to this, so the deadline math cannot
/// overflow and the token is still renewed in time. `0` (what `/oauth2/validate` reports for
/// a token without an expiry) and negative numbers mean *no known expiry*: the hourly
/// validation watches such a token instead of renewing it on every request.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_hours(24 * 90);

/// What `/oauth2/validate` says about a token.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct TokenInfo {
    /// The app the token belongs to.
    pub client_id: String,
    /// The user's login (absent for app tokens).
    #[serde(default)]
    pub login: Option<String>,
    /// The user's id (absent for app tokens).
    #[serde(default)]
    pub user_id: Option<UserId>,
    /// Granted scopes.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Seconds until it expires (`0`: no known expiry). Read forgivingly: a negative or
    /// non-numeric value reads as 0, a huge one saturates, so an odd answer never costs
    /// the validation.
    #[serde(default, deserialize_with = "lenient_seconds")]
    pub expires_in: u64,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default, deserialize_with = "lenient_seconds")]
    expires_in: u64,
}

/// Any JSON number as whole non-negative seconds (negative → 0, a fraction cut, huge →
/// `u64::MAX`); anything else (`null`, text) as 0, *no known expiry*.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "saturating float-to-int conversion is the point"
)]
fn lenient_seconds<'de, D>(deserializer: D) -> Result<u64, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    let serde_json::Value::Number(number) = value else {
        return Ok(0);
    };
    Ok(number
        .as_u64()
        .or_else(|| number.as_f64().map(|float| float as u64))
        .unwrap_or(0))
}

/// When a token said to expire in `seconds` from `now` does: `None` for 0 (no known
/// expiry), at most [`MAX_TOKEN_LIFETIME`] away.
fn expiry(now: Instant, seconds: u64) -> Option<Instant> {
    if seconds == 0 {
        return None;
    }
    let lifetime = Duration::from_secs(seconds).min(MAX_TOKEN_LIFETIME);
    if lifetime < Duration::from_secs(seconds) {
        tracing::warn!(
            expires_in = seconds,
            "token lifetime beyond what Twitch issues; clamped"
        );
    }
    now.checked_add(lifetime)
}

/// How a [`TokenManager`] gets a new token when the current one runs out.
#[derive(Clone)]
enum Renewal {
    /// A user token with its refresh token.
    Refresh { refresh_token: Secret },
    /// An app token from client credentials.
    ClientCredentials,
    /// No way to renew.
    None,
}

struct Current {
    token: AccessToken,
    renewal: Renewal,
    expires_at: Option<Instant>,
    info: Option<TokenInfo>,
    last_validated: Option<Instant>,
}

/// What a refresh produced, handed to [`TokenManager::on_renewed`] so an app can save it
/// (Twitch rotates the refresh token: the old one stops working). `Debug` shows no secret.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RenewedToken {
    /// The user the token belongs to (from the last validation; `None` for app tokens).
    pub user_id: Option<UserId>,
    /// The new access token.
    pub access_token: AccessToken,
    /// The refresh token to save (`None` for app tokens).
    pub refresh_token: Option<RefreshToken>,
}

pub(crate) type RenewedHook = Arc<dyn Fn(&RenewedToken) + Send + Sync>;

/// Keeps one access token valid and hands it to requests.
///
/// Cheap to clone (clones share the token). Its `Debug` shows no secret.
#[derive(Clone)]
pub struct TokenManager {
    http: Client,
    client_id: String,
    client_secret: Option<Secret>,
    current: Arc<RwLock<Current>>,
    renewing: Arc<tokio::sync::Mutex<()>>,
    on_renewed: Arc<RwLock<Option<RenewedHook>>>,
}

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenManager")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

fn auth_client(base_url: &str) -> Result<Client, Error> {
    Client::builder()
        .base_url(base_url)
        .retry(RetryPolicy::new().max_attempts(3))
        .build()
        .map_err(|e| Error::with_source(ErrorKind::Config("bad OAuth base URL".into()), e))
}

impl TokenManager {
    /// Manages a user token; with a refresh token and the client secret it is refreshed
    /// before it expires.
    pub fn user(
        auth_url: &str,
        client_id: impl Into<String>,
        token: AccessToken,
        refresh_token: Option<&str>,
        client_secret: Option<&str>,
    ) -> Result<Self, Error> {
        let renewal = match refresh_token {
            Some(refresh) => Renewal::Refresh {
                refresh_token: Secret::new(refresh),
            },
            None => Renewal::None,
        };
        Ok(Self {
            http: auth_client(auth_url)?,
            client_id: client_id.into(),
            client_secret: client_secret.map(Secret::new),
            current: Arc::new(RwLock::new(Current {
                token,
                renewal,
                expires_at: None,
                info: None,
                last_validated: None,
            })),
            renewing: Arc::new(tokio::sync::Mutex::new(())),
            on_renewed: Arc::new(RwLock::new(None)),
        })
    }

    /// Gets an app token with the client-credentials grant.
    pub async fn app(
        auth_url: &str,
        client_id: impl Into<String>,
        client_secret: &str,
    ) -> Result<Self, Error> {
        let manager = Self {
            http: auth_client(auth_url)?,
            client_id: client_id.into(),
            client_secret: Some(Secret::new(client_secret)),
            current: Arc::new(RwLock::new(Current {
                token: AccessToken::new(""),
                renewal: Renewal::ClientCredentials,
                expires_at: None,
                info: None,
                last_validated: None,
            })),
            renewing: Arc::new(tokio::sync::Mutex::new(())),
            on_renewed: Arc::new(RwLock::new(None)),
        };
        manager.renew().await?;
        Ok(manager)
    }

    /// The app's client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The token to use now.
    pub fn token(&self) -> AccessToken {
        self.current.read().token.clone()
    }

    /// What the last validation said.
    pub fn info(&self) -> Option<TokenInfo> {
        self.current.read().info.clone()
    }

    /// When the token was last validated successfully (tokio time), `None` before the
    /// first validation (twitch.py's `tokens_validity`).
    pub fn last_validated(&self) -> Option<Instant> {
        self.current.read().last_validated
    }

    /// When the token expires, as far as known (tokio time; `None`: no known expiry).
    pub fn expires_at(&self) -> Option<Instant> {
        self.current.read().expires_at
    }

    /// The refresh token to use next (it changes on every refresh), `None` for app tokens
    /// and user tokens without one.
    pub fn refresh_token(&self) -> Option<RefreshToken> {
        match &self.current.read().renewal {
            Renewal::Refresh { refresh_token } => Some(RefreshToken::new(refresh_token.expose())),
            Renewal::ClientCredentials | Renewal::None => None,
        }
    }

    /// Calls `hook` after every renewal with the new access token and the rotated refresh
    /// token, so an app can persist them (today's refresh token is useless tomorrow).
    /// Replaces an earlier hook; shared by every clone of this manager.
    pub fn on_renewed(&self, hook: impl Fn(&RenewedToken) + Send + Sync + 'static) {
        *self.on_renewed.write() = Some(Arc::new(hook));
    }

    pub(crate) fn set_renewed_hook(&self, hook: Option<RenewedHook>) {
        *self.on_renewed.write() = hook;
    }

    /// A token fit for a request now: renewed first if it expires within five minutes.
    pub async fn fresh_token(&self) -> Result<AccessToken, Error> {
        let due = {
            let current = self.current.read();
            current
                .expires_at
                .is_some_and(|at| at.saturating_duration_since(Instant::now()) <= REFRESH_MARGIN)
                && !matches!(current.renewal, Renewal::None)
        };
        if due {
            self.renew().await?;
        }
        Ok(self.token())
    }

    /// Calls `/oauth2/validate`; an invalid token is renewed if possible, else
    /// [`ErrorKind::Unauthorized`].
    pub async fn validate(&self) -> Result<TokenInfo, Error> {
        match self.validate_once().await {
            Err(e) if e.kind() == &ErrorKind::Unauthorized && self.can_renew() => {
                self.renew().await?;
                self.validate_once().await
            }
            other => other,
        }
    }

    fn can_renew(&self) -> bool {
        !matches!(self.current.read().renewal, Renewal::None)
    }

    async fn validate_once(&self) -> Result<TokenInfo, Error> {
        let token = Secret::new(format!("OAuth {}", self.token().expose()));
        let response = self
            .http
            .get("/oauth2/validate")
            .secret_header("authorization", &token)
            .accept_any_status()
            .send()
            .await?;
        if response.status().as_u16() == 401 {
            return Err(Error::new(ErrorKind::Unauthorized));
        }
        if !response.status().is_success() {
            return Err(status_error(&response));
        }
        let info: TokenInfo = response
            .json()
            .map_err(|e| Error::with_source(ErrorKind::Decode, e))?;
        let mut current = self.current.write();
        current.expires_at = expiry(Instant::now(), info.expires_in);
        current.info = Some(info.clone());
        current.last_validated = Some(Instant::now());
        Ok(info)
    }

    /// Gets a new token now (refresh grant or client credentials).
    pub async fn renew(&self) -> Result<(), Error> {
        let _one_at_a_time = self.renewing.lock().await;
        let renewal = self.current.read().renewal.clone();
        let secret = self
            .client_secret
            .as_ref()
            .map(|s| s.expose().to_owned())
            .unwrap_or_default();
        let form = match &renewal {
            Renewal::Refresh { refresh_token } => form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token.expose()),
                ("client_id", &self.client_id),
                ("client_secret", &secret),
            ]),
            Renewal::ClientCredentials => form(&[
                ("grant_type", "client_credentials"),
                ("client_id", &self.client_id),
                ("client_secret", &secret),
            ]),
            Renewal::None => return Err(Error::new(ErrorKind::Unauthorized)),
        };
        let mut request = self
            .http
            .post("/oauth2/token")
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(secret) = &self.client_secret {
            request = request.redact(secret);
        }
        if let Renewal::Refresh { refresh_token } = &renewal {
            request = request.redact(refresh_token);
        }
        // The answer carries the fresh token (and refresh token): no error may quote it.
        let response = request
            .body(form)
            .secret_response()
            .accept_any_status()
            .send()
            .await?;
        if matches!(response.status().as_u16(), 400 | 401 | 403) {
            return Err(Error::new(ErrorKind::Unauthorized));
        }
        if !response.status().is_success() {
            return Err(status_error(&response));
        }
        let answer: TokenResponse = response
            .json()
            .map_err(|e| Error::with_source(ErrorKind::Decode, e))?;
        let renewed = {
            let mut current = self.current.write();
            current.token = AccessToken::new(answer.access_token);
            current.expires_at = expiry(Instant::now(), answer.expires_in);
            if let (Renewal::Refresh { .. }, Some(refresh)) =
                (&current.renewal, answer.refresh_token)
            {
                current.renewal = Renewal::Refresh {
                    refresh_token: Secret::new(refresh),
                };
            }
            RenewedToken {
                user_id: current.info.as_ref().and_then(|info| info.user_id.clone()),
                access_token: current.token.clone(),
                refresh_token: match &current.renewal {
                    Renewal::Refresh { refresh_token } => {
                        Some(RefreshToken::new(refresh_token.expose()))
                    }
                    Renewal::ClientCredentials | Renewal::None => None,
                },
            }
        };
        tracing::info!(client_id = %self.client_id, "access token renewed");
        // Outside the lock: the hook may read this manager.
        let hook = self.on_renewed.read().clone();
        if let Some(hook) = hook {
            hook(&renewed);
        }
        Ok(())
    }

    /// Revokes the current token (`POST /oauth2/revoke`).
    pub async fn revoke(&self) -> Result<(), Error> {
        let token = self.token();
        let form = form(&[("client_id", &self.client_id), ("token", token.expose())]);
        let response = self
            .http
            .post("/oauth2/revoke")
            .header("content-type", "application/x-www-form-urlencoded")
            .redact(&Secret::new(token.expose()))
            .body(form)
            .accept_any_status()
            .send()
            .await?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(status_error(&response))
        }
    }

    /// Validates now and then every hour in a background task (as Twitch requires), renewing
    /// the token before it expires. The task ends when the returned handle is dropped or
    /// aborted. Failures are logged; see [`spawn_maintenance_with`](Self::spawn_maintenance_with)
    /// to act on them.
    pub fn spawn_maintenance(&self) -> tokio::task::JoinHandle<()> {
        self.spawn_maintenance_with(Duration::ZERO, |error| {
            tracing::warn!(%error, "token maintenance failed");
        })
    }

    /// Like [`spawn_maintenance`](Self::spawn_maintenance), with the first validation
    /// `first_validation` from now (a caller that has just validated passes
    /// [`VALIDATE_EVERY`]) and `on_failure` called for every failed validation or refresh
    /// (an [`ErrorKind::Unauthorized`] one means the token is gone for good: revoked, or
    /// expired without a way to renew it).
    pub fn spawn_maintenance_with(
        &self,
        first_validation: Duration,
        on_failure: impl Fn(Error) + Send + 'static,
    ) -> tokio::task::JoinHandle<()> {
        let manager = self.clone();
        tokio::spawn(async move {
            let mut validate_at = Instant::now() + first_validation;
            loop {
                if Instant::now() >= validate_at {
                    validate_at = Instant::now() + VALIDATE_EVERY;
                    if let Err(error) = manager.validate().await {
                        tracing::warn!(%error, "token validation failed");
                        on_failure(error);
                    }
                }
                let expires_at = manager.current.read().expires_at;
                let refresh_at = expires_at
                    .map(|at| at.checked_sub(REFRESH_MARGIN).unwrap_or(at))
                    .filter(|_| manager.can_renew());
                let wake = refresh_at.map_or(validate_at, |r| r.min(validate_at));
                tokio::time::sleep_until(wake).await;
                if refresh_at.is_some_and(|r| r <= Instant::now())
                    && let Err(error) = manager.renew().await
                {
                    tracing::warn!(%error, "token refresh failed");
                    on_failure(error);
                    // Try again at the next validation rather than spinning.
                    tokio::time::sleep_until(validate_at).await;
                }
            }
        })
    }
}

pub(crate) fn status_error(response: &transport_http::Response) -> Error {
    #[derive(Deserialize)]
    struct Body {
        #[serde(default)]
        message: String,
    }
    let message = response
        .json::<Body>()
        .map(|b| b.message)
        .unwrap_or_default();
    Error::new(ErrorKind::Status {
        status: response.status().as_u16(),
        message,
    })
}

/// An `application/x-www-form-urlencoded` body.
fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::form;

    #[test]
    fn form_values_are_escaped_so_they_cannot_add_fields() {
        let body = form(&[("client_id", "a b"), ("token", "x&grant_type=evil")]);
        let pairs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(
            pairs,
            [
                ("client_id".to_owned(), "a b".to_owned()),
                ("token".to_owned(), "x&grant_type=evil".to_owned()),
            ]
        );
    }
}
