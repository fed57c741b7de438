//! [`TokenStore`]: the tokens of many users and the app token beside them, each kept valid
//! (validated hourly, refreshed before it expires), with a hook to persist rotated
//! refresh tokens.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Weak};

use parking_lot::RwLock;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::auth::RenewedHook;
use crate::{
    AccessToken, Error, ErrorKind, RenewedToken, TokenInfo, TokenManager, UserId, VALIDATE_EVERY,
};

/// A user's token as the store sees it (twitch.py's `tokens_validity` and `users_scopes`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserTokenStatus {
    /// The user.
    pub user_id: UserId,
    /// The user's login, from the last validation.
    pub login: Option<String>,
    /// The scopes the token grants, from the last validation.
    pub scopes: Vec<String>,
    /// When the token was last validated (tokio time).
    pub last_validated: Option<Instant>,
    /// When it expires, as far as known (tokio time).
    pub expires_at: Option<Instant>,
}

struct UserEntry {
    tokens: TokenManager,
    maintenance: JoinHandle<()>,
}

struct Inner {
    auth_url: String,
    client_id: String,
    client_secret: Option<transport_http::Secret>,
    app: RwLock<Option<(TokenManager, JoinHandle<()>)>>,
    users: RwLock<BTreeMap<UserId, UserEntry>>,
    on_renewed: RwLock<Option<RenewedHook>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        for entry in self.users.get_mut().values() {
            entry.maintenance.abort();
        }
        if let Some((_, maintenance)) = self.app.get_mut() {
            maintenance.abort();
        }
    }
}

/// Many users' tokens and the app token, each a [`TokenManager`]: added tokens are
/// validated at once (which tells whose they are and their scopes), then validated hourly
/// and refreshed before they expire by a background task per token (on tokio time). A user
/// whose token turns out revoked, or expired without a way to renew it, is removed.
/// [`on_renewed`](Self::on_renewed) hands every rotated refresh token to the app to save.
///
/// [`HelixClient::as_user`](crate::HelixClient::as_user) and svc-eventsub's
/// `EventSubClient::for_user` pick a user's token from here.
///
/// Cheap to clone (clones share the tokens). Its `Debug` shows user ids, never a secret.
/// Dropping the last clone stops the background tasks.
#[derive(Clone)]
pub struct TokenStore {
    inner: Arc<Inner>,
}

impl fmt::Debug for TokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenStore")
            .field("client_id", &self.inner.client_id)
            .field("users", &self.user_ids())
            .field("app_token", &self.inner.app.read().is_some())
            .finish_non_exhaustive()
    }
}

impl TokenStore {
    /// An empty store for the app `client_id` at `auth_url` ([`TWITCH_AUTH_URL`](crate::TWITCH_AUTH_URL)
    /// or a sandbox). Without `client_secret` user tokens cannot be refreshed and there is
    /// no app token.
    pub fn new(auth_url: &str, client_id: impl Into<String>, client_secret: Option<&str>) -> Self {
        Self {
            inner: Arc::new(Inner {
                auth_url: auth_url.to_owned(),
                client_id: client_id.into(),
                client_secret: client_secret.map(transport_http::Secret::new),
                app: RwLock::new(None),
                users: RwLock::new(BTreeMap::new()),
                on_renewed: RwLock::new(None),
            }),
        }
    }

    /// The app's client id.
    pub fn client_id(&self) -> &str {
        &self.inner.client_id
    }

    fn secret(&self) -> Option<&str> {
        self.inner
            .client_secret
            .as_ref()
            .map(transport_http::Secret::expose)
    }

    /// Gets the app token (client credentials) and keeps it valid beside the user tokens.
    pub async fn fetch_app_token(&self) -> Result<TokenManager, Error> {
        let Some(secret) = self.secret() else {
            return Err(Error::new(ErrorKind::Config(
                "an app token needs the client secret".into(),
            )));
        };
        let tokens = TokenManager::app(&self.inner.auth_url, self.client_id(), secret).await?;
        let maintenance = tokens.spawn_maintenance_with(VALIDATE_EVERY, |error| {
            tracing::warn!(%error, "app token maintenance failed");
        });
        if let Some((_, old)) = self
            .inner
            .app
            .write()
            .replace((tokens.clone(), maintenance))
        {
            old.abort();
        }
        Ok(tokens)
    }

    /// The app token, once [`fetch_app_token`](Self::fetch_app_token) got it.
    pub fn app(&self) -> Option<TokenManager> {
        self.inner
            .app
            .read()
            .as_ref()
            .map(|(tokens, _)| tokens.clone())
    }

    /// Adds a user's token (and its refresh token, so it can be renewed): validates it,
    /// which tells whose it is, and keeps it valid from then on. A token of a user already
    /// stored replaces theirs. An app token is refused with [`ErrorKind::Config`]; an
    /// invalid one with [`ErrorKind::Unauthorized`].
    pub async fn add_user(
        &self,
        token: AccessToken,
        refresh_token: Option<&str>,
    ) -> Result<TokenInfo, Error> {
        let tokens = TokenManager::user(
            &self.inner.auth_url,
            self.client_id(),
            token,
            refresh_token,
            self.secret(),
        )?;
        tokens.set_renewed_hook(self.inner.on_renewed.read().clone());
        let info = tokens.validate().await?;
        let Some(user_id) = info.user_id.clone() else {
            return Err(Error::new(ErrorKind::Config(
                "an app token is not a user token".into(),
            )));
        };
        let maintenance = self.maintain(&user_id, &tokens);
        let entry = UserEntry {
            tokens,
            maintenance,
        };
        if let Some(old) = self.inner.users.write().insert(user_id.clone(), entry) {
            old.maintenance.abort();
        }
        tracing::info!(%user_id, scopes = info.scopes.len(), "user token stored");
        Ok(info)
    }

    /// Hourly validation and timely refresh of one user's token; a token gone for good
    /// removes the user.
    fn maintain(&self, user_id: &UserId, tokens: &TokenManager) -> JoinHandle<()> {
        let store: Weak<Inner> = Arc::downgrade(&self.inner);
        let user_id = user_id.clone();
        tokens.spawn_maintenance_with(VALIDATE_EVERY, move |error| {
            tracing::warn!(%error, %user_id, "user token maintenance failed");
            if error.kind() == &ErrorKind::Unauthorized
                && let Some(inner) = store.upgrade()
            {
                tracing::warn!(%user_id, "user token is gone for good; removed from the store");
                // The task calling this is the entry's own: aborted, it ends at its next
                // await.
                let removed = inner.users.write().remove(&user_id);
                if let Some(entry) = removed {
                    entry.maintenance.abort();
                }
            }
        })
    }

    /// Removes a user's token (its background task stops); the manager, to revoke it if
    /// wanted.
    pub fn remove_user(&self, user_id: &UserId) -> Option<TokenManager> {
        let entry = self.inner.users.write().remove(user_id)?;
        entry.maintenance.abort();
        Some(entry.tokens)
    }

    /// A user's token manager (twitch.py's `get_token`, with the refresh token at
    /// [`TokenManager::refresh_token`]).
    pub fn user(&self, user_id: &UserId) -> Option<TokenManager> {
        self.inner
            .users
            .read()
            .get(user_id)
            .map(|entry| entry.tokens.clone())
    }

    /// A user's token manager, or [`ErrorKind::UnknownUser`].
    pub fn require_user(&self, user_id: &UserId) -> Result<TokenManager, Error> {
        self.user(user_id).ok_or_else(|| {
            Error::new(ErrorKind::UnknownUser {
                user_id: user_id.to_string(),
            })
        })
    }

    /// The users with a stored token, in id order.
    pub fn user_ids(&self) -> Vec<UserId> {
        self.inner.users.read().keys().cloned().collect()
    }

    /// The scopes a user's token grants (from its last validation).
    pub fn scopes(&self, user_id: &UserId) -> Option<Vec<String>> {
        self.user(user_id)
            .map(|tokens| tokens.info().map(|info| info.scopes).unwrap_or_default())
    }

    /// Every stored user's scopes and validity (twitch.py's `users_scopes` and
    /// `tokens_validity` in one).
    pub fn statuses(&self) -> Vec<UserTokenStatus> {
        self.inner
            .users
            .read()
            .iter()
            .map(|(user_id, entry)| {
                let info = entry.tokens.info();
                UserTokenStatus {
                    user_id: user_id.clone(),
                    login: info.as_ref().and_then(|i| i.login.clone()),
                    scopes: info.map(|i| i.scopes).unwrap_or_default(),
                    last_validated: entry.tokens.last_validated(),
                    expires_at: entry.tokens.expires_at(),
                }
            })
            .collect()
    }

    /// Calls `hook` after every user token's renewal with the new access token and the
    /// rotated refresh token (tokens stored now and later), so the app can save them and
    /// start with them after a restart.
    pub fn on_renewed(&self, hook: impl Fn(&RenewedToken) + Send + Sync + 'static) {
        let hook: RenewedHook = Arc::new(hook);
        *self.inner.on_renewed.write() = Some(Arc::clone(&hook));
        for entry in self.inner.users.read().values() {
            entry.tokens.set_renewed_hook(Some(Arc::clone(&hook)));
        }
    }
}
