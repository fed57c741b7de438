//! [`HelixClient`]: authenticated requests to Helix within its point budget.

use std::collections::VecDeque;
use std::time::Duration;

use futures_core::Stream;
use serde::Serialize;
use serde::de::DeserializeOwned;
use transport_http::{Client, Method, RetryPolicy, Secret};

use crate::auth::status_error;
use crate::{CursorTrail, Error, ErrorKind, Page, TokenManager, TokenStore, UserId};

/// Twitch's Helix base URL.
pub const TWITCH_HELIX_URL: &str = "https://api.twitch.tv/helix";

/// The longest a `Ratelimit-Reset` (or 429) may hold requests back. Helix's point budget
/// refills every minute, so its reset is never further away than that; a later one (a
/// broken or hostile header, a clock far off) is capped here instead of parking every
/// request for core-ratelimit's generic hour.
pub const HELIX_MAX_WAIT: Duration = Duration::from_secs(65);

/// A Helix client: `Client-Id` and `Authorization: Bearer` on every request, the shared
/// `Ratelimit-*` point budget (800 points a minute for a typical app) learned from responses
/// so requests wait *before* a 429, one renewal and retry on 401.
///
/// Cheap to clone; clones share the connection pool, the budget and the token.
#[derive(Debug, Clone)]
pub struct HelixClient {
    http: Client,
    tokens: TokenManager,
    store: Option<TokenStore>,
}

impl HelixClient {
    /// A client for `base_url` ([`TWITCH_HELIX_URL`], or a sandbox's `…/helix`).
    pub fn new(base_url: &str, tokens: TokenManager) -> Result<Self, Error> {
        let http = Client::builder()
            .base_url(base_url)
            .ratelimiter(core_ratelimit::BucketLimiter::new(crate::bucket_config()))
            .retry(RetryPolicy::new().max_attempts(4))
            .build()
            .map_err(|e| Error::with_source(ErrorKind::Config("bad Helix base URL".into()), e))?;
        Ok(Self {
            http,
            tokens,
            store: None,
        })
    }

    /// A client on the store's app token that can act as any of its users
    /// ([`as_user`](Self::as_user)); [`ErrorKind::Config`] before
    /// [`TokenStore::fetch_app_token`].
    pub fn with_store(base_url: &str, store: TokenStore) -> Result<Self, Error> {
        let app = store.app().ok_or_else(|| {
            Error::new(ErrorKind::Config(
                "the token store has no app token yet (fetch_app_token)".into(),
            ))
        })?;
        let mut client = Self::new(base_url, app)?;
        client.store = Some(store);
        Ok(client)
    }

    /// This client acting as `user_id` with that user's token from the store (sharing the
    /// connection pool and point budget): for calls that need a user token, such as
    /// creating a poll or reading a user's followed channels. [`ErrorKind::UnknownUser`]
    /// when the store holds no token for them, [`ErrorKind::Config`] without a store.
    pub fn as_user(&self, user_id: &UserId) -> Result<Self, Error> {
        let store = self.store.as_ref().ok_or_else(|| {
            Error::new(ErrorKind::Config(
                "as_user needs a client made with HelixClient::with_store".into(),
            ))
        })?;
        Ok(Self {
            http: self.http.clone(),
            tokens: store.require_user(user_id)?,
            store: Some(store.clone()),
        })
    }

    /// The token store, for a client made with [`with_store`](Self::with_store).
    pub fn store(&self) -> Option<&TokenStore> {
        self.store.as_ref()
    }

    /// The token manager.
    pub fn tokens(&self) -> &TokenManager {
        &self.tokens
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<transport_http::Response, Error> {
        let mut renewed = false;
        loop {
            let token = self.tokens.fresh_token().await?;
            let bearer = Secret::new(format!("Bearer {}", token.expose()));
            let mut request = self
                .http
                .request(method.clone(), path)
                .header("client-id", self.tokens.client_id())
                .secret_header("authorization", &bearer)
                // Helix has one point budget for every route (`Bucketing::Single`).
                .route(core_ratelimit::RouteKey::new(
                    &format!("{method} {path}"),
                    None,
                ))
                .accept_any_status();
            for (name, value) in query {
                request = request.query(*name, value);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request.send().await?;
            let status = response.status().as_u16();
            if status == 401 {
                // A 401 about the token itself is worth one renewal; one about a missing
                // scope or the wrong user (`Missing scope: …`, `The ID in … must match …`)
                // is not, and keeps Twitch's message.
                let error = status_error(&response);
                let token_problem = matches!(
                    error.kind(),
                    ErrorKind::Status { message, .. }
                        if message.is_empty() || message.eq_ignore_ascii_case("invalid oauth token")
                );
                if !token_problem {
                    return Err(error);
                }
                if !renewed && self.tokens.renew().await.is_ok() {
                    renewed = true;
                    continue;
                }
                return Err(Error::new(ErrorKind::Unauthorized));
            }
            if !response.status().is_success() {
                return Err(status_error(&response));
            }
            return Ok(response);
        }
    }

    /// `GET path?query` decoded as one page of `T`.
    pub async fn get_page<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Page<T>, Error> {
        let response = self.send(Method::GET, path, query, None).await?;
        response
            .json()
            .map_err(|e| Error::with_source(ErrorKind::Decode, e))
    }

    /// Every item of a paginated `GET`, page after page (following `pagination.cursor`), as
    /// a stream. Pages are fetched only as the stream is read. A cursor the server already
    /// gave (or an absurd one, see [`CursorTrail`]) ends the stream with an error.
    pub fn paginate<T>(
        &self,
        path: &str,
        query: Vec<(&'static str, String)>,
    ) -> impl Stream<Item = Result<T, Error>> + Send + 'static + use<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        struct State<T> {
            client: HelixClient,
            path: String,
            query: Vec<(&'static str, String)>,
            cursor: Option<String>,
            trail: CursorTrail,
            buffer: VecDeque<T>,
            done: bool,
            /// Why the listing stopped early, told after the items already fetched.
            failed: Option<Error>,
        }
        let state = State {
            client: self.clone(),
            path: path.to_owned(),
            query,
            cursor: None,
            trail: CursorTrail::default(),
            buffer: VecDeque::new(),
            done: false,
            failed: None,
        };
        futures_util::stream::unfold(state, |mut state| async move {
            loop {
                if let Some(item) = state.buffer.pop_front() {
                    return Some((Ok(item), state));
                }
                if state.done {
                    return state.failed.take().map(|error| (Err(error), state));
                }
                let mut query = state.query.clone();
                if let Some(cursor) = state.cursor.take() {
                    query.push(("after", cursor));
                }
                match state.client.get_page::<T>(&state.path, &query).await {
                    Ok(page) => {
                        let next = if page.data.is_empty() {
                            Ok(None)
                        } else {
                            state.trail.follow(page.cursor())
                        };
                        state.buffer.extend(page.data);
                        match next {
                            Ok(cursor) => {
                                state.done = cursor.is_none();
                                state.cursor = cursor;
                            }
                            Err(error) => {
                                // What this page brought is still handed out first.
                                state.done = true;
                                state.failed = Some(error);
                            }
                        }
                    }
                    Err(error) => {
                        state.done = true;
                        return Some((Err(error), state));
                    }
                }
            }
        })
    }

    /// `GET` returning a single page's `data`.
    pub(crate) async fn get_data<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Vec<T>, Error> {
        Ok(self.get_page::<T>(path, query).await?.data)
    }

    /// A request with a JSON body, answered with `{data: [...]}`.
    pub(crate) async fn send_json<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: &B,
    ) -> Result<Page<T>, Error> {
        let body =
            serde_json::to_value(body).map_err(|e| Error::with_source(ErrorKind::Decode, e))?;
        let response = self.send(method, path, query, Some(&body)).await?;
        if response.body().is_empty() {
            return Ok(Page::empty());
        }
        response
            .json()
            .map_err(|e| Error::with_source(ErrorKind::Decode, e))
    }

    /// A request without body answered with `{data: [...]}`.
    pub(crate) async fn request_data<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Vec<T>, Error> {
        let response = self.send(method, path, query, None).await?;
        if response.body().is_empty() {
            return Ok(Vec::new());
        }
        let page: Page<T> = response
            .json()
            .map_err(|e| Error::with_source(ErrorKind::Decode, e))?;
        Ok(page.data)
    }

    /// A request (with an optional JSON body) whose whole answer decodes as `R`, `None` for
    /// an empty answer: for answers that carry more than `data` (EventSub's cost totals,
    /// conduit shard errors).
    pub(crate) async fn send_for<R: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<Option<R>, Error> {
        let response = self.send(method, path, query, body).await?;
        if response.body().is_empty() {
            return Ok(None);
        }
        response
            .json()
            .map(Some)
            .map_err(|e| Error::with_source(ErrorKind::Decode, e))
    }

    /// A request without body whose answer (usually 204) carries nothing we need.
    pub(crate) async fn send_empty(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<(), Error> {
        self.send(method, path, query, None).await.map(drop)
    }
}

/// `key=v1&key=v2…` for repeated query parameters.
pub(crate) fn repeated<T: AsRef<str>>(
    name: &'static str,
    values: &[T],
) -> Vec<(&'static str, String)> {
    values
        .iter()
        .map(|v| (name, v.as_ref().to_owned()))
        .collect()
}
