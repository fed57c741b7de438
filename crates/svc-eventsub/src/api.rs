//! The EventSub REST calls: subscriptions (create, list, delete) and conduits (create,
//! list, resize, delete, assign shards). svc-helix does not offer these yet, so they are
//! made here over transport-http with the same `Client-Id` + `Authorization: Bearer` pair.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use svc_helix::{AccessToken, TokenManager};
use transport_http::{Client, RequestBuilder, Secret};

use crate::error::{Error, ErrorKind};
use crate::subscription::{Subscription, SubscriptionRequest, Transport};

/// A created subscription with the account's cost totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    /// The new subscription.
    pub subscription: Subscription,
    /// Subscriptions on the account.
    pub total: u64,
    /// Their summed cost.
    pub total_cost: u64,
    /// The budget.
    pub max_total_cost: u64,
}

/// A subscription listing.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SubscriptionList {
    /// The subscriptions (every page).
    pub data: Vec<Subscription>,
    /// Subscriptions on the account.
    #[serde(default)]
    pub total: u64,
    /// Their summed cost.
    #[serde(default)]
    pub total_cost: u64,
    /// The budget.
    #[serde(default)]
    pub max_total_cost: u64,
}

/// A conduit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Conduit {
    /// Conduit id.
    pub id: String,
    /// Number of shards.
    pub shard_count: u32,
}

/// A shard that could not be assigned.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ShardError {
    /// Shard id.
    pub id: String,
    /// Why.
    pub message: String,
    /// Twitch's error code.
    #[serde(default)]
    pub code: String,
}

#[derive(Deserialize)]
struct Page<T> {
    data: Vec<T>,
    #[serde(default)]
    total: u64,
    #[serde(default)]
    total_cost: u64,
    #[serde(default)]
    max_total_cost: u64,
    #[serde(default)]
    pagination: Option<Pagination>,
    #[serde(default)]
    errors: Vec<ShardError>,
}

#[derive(Deserialize)]
struct Pagination {
    #[serde(default)]
    cursor: Option<String>,
}

#[derive(Deserialize)]
struct TwitchError {
    #[serde(default)]
    message: String,
}

/// EventSub REST client for one token (user token for WebSocket subscriptions, app token
/// for conduits).
#[derive(Debug, Clone)]
pub struct EventSubApi {
    http: Client,
    auth: Auth,
}

/// Where the bearer token comes from.
#[derive(Debug, Clone)]
enum Auth {
    /// A fixed token.
    Fixed(Secret),
    /// svc-helix keeps the token valid (validation, refresh, client credentials).
    Managed(TokenManager),
}

impl EventSubApi {
    /// A client for `api_url` (`https://api.twitch.tv/helix` or a mock base) with a fixed token.
    pub fn new(api_url: &str, client_id: &str, token: &AccessToken) -> Result<Self, Error> {
        let bearer = Secret::new(format!("Bearer {}", token.expose()));
        Ok(Self {
            http: Self::http(api_url, client_id)?,
            auth: Auth::Fixed(bearer),
        })
    }

    /// A client whose token svc-helix's [`TokenManager`] keeps fresh (refreshed before it
    /// expires; app tokens renewed by client credentials).
    pub fn with_tokens(api_url: &str, tokens: TokenManager) -> Result<Self, Error> {
        Ok(Self {
            http: Self::http(api_url, tokens.client_id())?,
            auth: Auth::Managed(tokens),
        })
    }

    fn http(api_url: &str, client_id: &str) -> Result<Client, Error> {
        Client::builder()
            .base_url(api_url)
            .default_header("client-id", client_id)
            .build()
            .map_err(|e| {
                Error::with_source(
                    ErrorKind::Config {
                        reason: "HTTP client".into(),
                    },
                    e,
                )
            })
    }

    async fn authorized(&self, request: RequestBuilder) -> Result<RequestBuilder, Error> {
        let bearer = match &self.auth {
            Auth::Fixed(bearer) => bearer.clone(),
            Auth::Managed(tokens) => {
                let token = tokens.fresh_token().await.map_err(|e| {
                    Error::with_source(
                        ErrorKind::Http {
                            operation: "token refresh",
                        },
                        e,
                    )
                })?;
                Secret::new(format!("Bearer {}", token.expose()))
            }
        };
        Ok(request.secret_header("authorization", &bearer))
    }

    async fn call<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        request: RequestBuilder,
    ) -> Result<Option<T>, Error> {
        let response = self
            .authorized(request)
            .await?
            .accept_any_status()
            .send()
            .await
            .map_err(|e| Error::with_source(ErrorKind::Http { operation }, e))?;
        let status = response.status();
        if !status.is_success() {
            let message = response
                .json::<TwitchError>()
                .map(|e| e.message)
                .unwrap_or_default();
            tracing::warn!(operation, status = status.as_u16(), %message, "EventSub REST call refused");
            return Err(Error::new(ErrorKind::Status {
                operation,
                status: status.as_u16(),
                message,
            }));
        }
        if response.body().is_empty() {
            return Ok(None);
        }
        response
            .json::<T>()
            .map(Some)
            .map_err(|e| Error::with_source(ErrorKind::Http { operation }, e))
    }

    async fn page<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        request: RequestBuilder,
    ) -> Result<Page<T>, Error> {
        self.call::<Page<T>>(operation, request)
            .await?
            .ok_or_else(|| Error::malformed(format!("{operation}: empty body")))
    }

    /// `POST /eventsub/subscriptions`.
    pub async fn create_subscription(
        &self,
        request: &SubscriptionRequest,
        transport: &Transport,
    ) -> Result<Created, Error> {
        let body = request.body(transport);
        let page = self
            .page::<Subscription>(
                "create subscription",
                self.http.post("/eventsub/subscriptions").json(&body),
            )
            .await?;
        let subscription = page
            .data
            .into_iter()
            .next()
            .ok_or_else(|| Error::malformed("create subscription: empty data"))?;
        Ok(Created {
            subscription,
            total: page.total,
            total_cost: page.total_cost,
            max_total_cost: page.max_total_cost,
        })
    }

    /// `GET /eventsub/subscriptions`, following the pagination cursor.
    pub async fn list_subscriptions(&self) -> Result<SubscriptionList, Error> {
        let mut list = SubscriptionList {
            data: Vec::new(),
            total: 0,
            total_cost: 0,
            max_total_cost: 0,
        };
        let mut cursor: Option<String> = None;
        loop {
            let mut request = self.http.get("/eventsub/subscriptions");
            if let Some(after) = &cursor {
                request = request.query("after", after);
            }
            let page = self
                .page::<Subscription>("list subscriptions", request)
                .await?;
            list.data.extend(page.data);
            list.total = page.total;
            list.total_cost = page.total_cost;
            list.max_total_cost = page.max_total_cost;
            cursor = page
                .pagination
                .and_then(|p| p.cursor)
                .filter(|c| !c.is_empty());
            if cursor.is_none() {
                return Ok(list);
            }
        }
    }

    /// `DELETE /eventsub/subscriptions?id=…`.
    pub async fn delete_subscription(&self, id: &str) -> Result<(), Error> {
        self.call::<Value>(
            "delete subscription",
            self.http.delete("/eventsub/subscriptions").query("id", id),
        )
        .await
        .map(drop)
    }

    /// `POST /eventsub/conduits`.
    pub async fn create_conduit(&self, shard_count: u32) -> Result<Conduit, Error> {
        let page = self
            .page::<Conduit>(
                "create conduit",
                self.http
                    .post("/eventsub/conduits")
                    .json(&json!({ "shard_count": shard_count })),
            )
            .await?;
        page.data
            .into_iter()
            .next()
            .ok_or_else(|| Error::malformed("create conduit: empty data"))
    }

    /// `GET /eventsub/conduits`.
    pub async fn list_conduits(&self) -> Result<Vec<Conduit>, Error> {
        Ok(self
            .page::<Conduit>("list conduits", self.http.get("/eventsub/conduits"))
            .await?
            .data)
    }

    /// `PATCH /eventsub/conduits`: resize.
    pub async fn update_conduit(&self, id: &str, shard_count: u32) -> Result<Conduit, Error> {
        let page = self
            .page::<Conduit>(
                "update conduit",
                self.http
                    .patch("/eventsub/conduits")
                    .json(&json!({ "id": id, "shard_count": shard_count })),
            )
            .await?;
        page.data
            .into_iter()
            .next()
            .ok_or_else(|| Error::malformed("update conduit: empty data"))
    }

    /// `DELETE /eventsub/conduits?id=…`.
    pub async fn delete_conduit(&self, id: &str) -> Result<(), Error> {
        self.call::<Value>(
            "delete conduit",
            self.http.delete("/eventsub/conduits").query("id", id),
        )
        .await
        .map(drop)
    }

    /// `PATCH /eventsub/conduits/shards`: points shards at WebSocket sessions. Returns the
    /// shards Twitch refused.
    pub async fn assign_shards(
        &self,
        conduit_id: &str,
        shards: &[(u32, String)],
    ) -> Result<Vec<ShardError>, Error> {
        let shards: Vec<Value> = shards
            .iter()
            .map(|(id, session_id)| json!({ "id": id.to_string(), "transport": Transport::websocket(session_id.clone()) }))
            .collect();
        let page = self
            .page::<Value>(
                "assign shards",
                self.http
                    .patch("/eventsub/conduits/shards")
                    .json(&json!({ "conduit_id": conduit_id, "shards": shards })),
            )
            .await?;
        Ok(page.errors)
    }
}
