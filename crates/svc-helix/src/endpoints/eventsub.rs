//! EventSub subscriptions (create / list / delete, with the account's cost totals) and
//! conduits (create / get / update / delete, get and update shards) — the REST half
//! `svc-eventsub` builds on.

use futures_core::Stream;
use serde::{Deserialize, Serialize};
use serde_json::json;
use transport_http::Method;

use crate::{ConduitId, Error, ErrorKind, HelixClient, Pagination, SubscriptionId};

/// How notifications reach us.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct EventSubTransport {
    /// `websocket`, `webhook` or `conduit`.
    pub method: String,
    /// WebSocket session id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// When the WebSocket session connected (answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connected_at: Option<String>,
    /// When the WebSocket session disconnected (answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disconnected_at: Option<String>,
    /// Conduit id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conduit_id: Option<ConduitId>,
    /// Webhook callback URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback: Option<String>,
    /// Webhook secret (only sent, never received).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl EventSubTransport {
    /// Deliver over the WebSocket session `session_id`.
    ///
    /// ```
    /// let transport = svc_helix::EventSubTransport::websocket("AQoQabc");
    /// assert_eq!(transport.session_id.as_deref(), Some("AQoQabc"));
    /// assert_eq!(
    ///     serde_json::to_string(&transport).unwrap(),
    ///     r#"{"method":"websocket","session_id":"AQoQabc"}"#
    /// );
    /// ```
    pub fn websocket(session_id: impl Into<String>) -> Self {
        Self {
            method: "websocket".into(),
            session_id: Some(session_id.into()),
            ..Self::default()
        }
    }

    /// Deliver through conduit `conduit_id`.
    pub fn conduit(conduit_id: impl Into<ConduitId>) -> Self {
        Self {
            method: "conduit".into(),
            conduit_id: Some(conduit_id.into()),
            ..Self::default()
        }
    }
}

/// A subscription, as `POST /eventsub/subscriptions` answers it and every EventSub
/// notification repeats it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Subscription {
    /// Id.
    pub id: SubscriptionId,
    /// `enabled`, `webhook_callback_verification_pending`, `websocket_disconnected`,
    /// `authorization_revoked`, `user_removed`, `version_removed`, …
    #[serde(default)]
    pub status: String,
    /// Type (`channel.follow`, …).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Version.
    #[serde(default)]
    pub version: String,
    /// Condition (`{"broadcaster_user_id": "1337"}` and friends).
    #[serde(default)]
    pub condition: serde_json::Value,
    /// Transport.
    #[serde(default)]
    pub transport: EventSubTransport,
    /// Created at (RFC 3339).
    #[serde(default)]
    pub created_at: String,
    /// Cost against `max_total_cost`.
    #[serde(default)]
    pub cost: u64,
}

/// The account's subscription totals, reported with every create and list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SubscriptionTotals {
    /// Number of subscriptions.
    pub total: u64,
    /// Their summed cost.
    pub total_cost: u64,
    /// The cost allowed.
    pub max_total_cost: u64,
}

/// A conduit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Conduit {
    /// Id.
    pub id: ConduitId,
    /// Number of shards.
    #[serde(default)]
    pub shard_count: u32,
}

/// A conduit shard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ConduitShard {
    /// Shard id.
    pub id: String,
    /// Status (answers only): `enabled`, `websocket_disconnected`, …
    #[serde(skip_serializing_if = "String::is_empty")]
    pub status: String,
    /// Its transport.
    pub transport: EventSubTransport,
}

impl ConduitShard {
    /// Shard `id` delivered over the WebSocket session `session_id` (for
    /// [`HelixClient::update_conduit_shards`]).
    pub fn websocket(id: u32, session_id: impl Into<String>) -> Self {
        Self {
            id: id.to_string(),
            status: String::new(),
            transport: EventSubTransport::websocket(session_id),
        }
    }
}

/// A shard `PATCH /eventsub/conduits/shards` refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ShardError {
    /// Shard id.
    pub id: String,
    /// Why.
    pub message: String,
    /// Twitch's code (`websocket_session_not_found`, …).
    pub code: String,
}

/// The answer to [`HelixClient::update_conduit_shards`]: shards updated and shards refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ShardUpdate {
    /// Shards now pointing at their new transport.
    #[serde(rename = "data")]
    pub updated: Vec<ConduitShard>,
    /// Shards Twitch refused.
    pub errors: Vec<ShardError>,
}

/// One page of `GET /eventsub/subscriptions`, with the totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SubscriptionPage {
    /// The subscriptions on this page.
    pub data: Vec<Subscription>,
    /// The account's totals.
    #[serde(flatten)]
    pub totals: SubscriptionTotals,
    /// Where the next page starts.
    pub pagination: Pagination,
}

fn empty(operation: &str) -> Error {
    Error::with_source(
        ErrorKind::Decode,
        format!("{operation}: no data in the answer"),
    )
}

impl HelixClient {
    /// Creates a subscription (`POST /eventsub/subscriptions`, 202): the subscription and the
    /// account's totals after it.
    pub async fn create_subscription(
        &self,
        kind: &str,
        version: &str,
        condition: serde_json::Value,
        transport: &EventSubTransport,
    ) -> Result<(Subscription, SubscriptionTotals), Error> {
        let body = json!({ "type": kind, "version": version, "condition": condition, "transport": transport });
        let page: SubscriptionPage = self
            .send_for(Method::POST, "/eventsub/subscriptions", &[], Some(&body))
            .await?
            .ok_or_else(|| empty("create subscription"))?;
        let subscription = page
            .data
            .into_iter()
            .next()
            .ok_or_else(|| empty("create subscription"))?;
        Ok((subscription, page.totals))
    }

    /// One page of subscriptions (optionally only those with `status`), starting `after` a
    /// cursor, with the account's totals.
    pub async fn subscriptions_page(
        &self,
        status: Option<&str>,
        after: Option<&str>,
    ) -> Result<SubscriptionPage, Error> {
        let mut query = Vec::new();
        if let Some(status) = status {
            query.push(("status", status.to_owned()));
        }
        if let Some(after) = after {
            query.push(("after", after.to_owned()));
        }
        Ok(self
            .send_for(Method::GET, "/eventsub/subscriptions", &query, None)
            .await?
            .unwrap_or_default())
    }

    /// Every subscription (optionally only those with `status`), page by page.
    pub fn subscriptions(
        &self,
        status: Option<&str>,
    ) -> impl Stream<Item = Result<Subscription, Error>> + Send + 'static {
        let query = status
            .map(|s| vec![("status", s.to_owned())])
            .unwrap_or_default();
        self.paginate("/eventsub/subscriptions", query)
    }

    /// Deletes a subscription.
    pub async fn delete_subscription(&self, id: &SubscriptionId) -> Result<(), Error> {
        self.send_empty(
            Method::DELETE,
            "/eventsub/subscriptions",
            &[("id", id.to_string())],
        )
        .await
    }

    /// The app's conduits (app token).
    pub async fn get_conduits(&self) -> Result<Vec<Conduit>, Error> {
        self.get_data("/eventsub/conduits", &[]).await
    }

    /// Creates a conduit with `shard_count` shards.
    pub async fn create_conduit(&self, shard_count: u32) -> Result<Conduit, Error> {
        let body = json!({ "shard_count": shard_count });
        self.send_json(Method::POST, "/eventsub/conduits", &[], &body)
            .await?
            .data
            .into_iter()
            .next()
            .ok_or_else(|| empty("create conduit"))
    }

    /// Changes a conduit's shard count (shards past the new count are dropped).
    pub async fn update_conduit(&self, id: &ConduitId, shard_count: u32) -> Result<Conduit, Error> {
        let body = json!({ "id": id, "shard_count": shard_count });
        self.send_json(Method::PATCH, "/eventsub/conduits", &[], &body)
            .await?
            .data
            .into_iter()
            .next()
            .ok_or_else(|| empty("update conduit"))
    }

    /// Deletes a conduit (and the subscriptions delivered through it).
    pub async fn delete_conduit(&self, id: &ConduitId) -> Result<(), Error> {
        self.send_empty(
            Method::DELETE,
            "/eventsub/conduits",
            &[("id", id.to_string())],
        )
        .await
    }

    /// A conduit's shards with their status and transport (optionally only those with
    /// `status`), page by page.
    pub fn conduit_shards(
        &self,
        conduit_id: &ConduitId,
        status: Option<&str>,
    ) -> impl Stream<Item = Result<ConduitShard, Error>> + Send + 'static {
        let mut query = vec![("conduit_id", conduit_id.to_string())];
        if let Some(status) = status {
            query.push(("status", status.to_owned()));
        }
        self.paginate("/eventsub/conduits/shards", query)
    }

    /// Assigns transports to shards (`PATCH /eventsub/conduits/shards`): the shards updated
    /// and the shards refused.
    pub async fn update_conduit_shards(
        &self,
        conduit_id: &ConduitId,
        shards: &[ConduitShard],
    ) -> Result<ShardUpdate, Error> {
        let body = json!({ "conduit_id": conduit_id, "shards": shards });
        Ok(self
            .send_for(Method::PATCH, "/eventsub/conduits/shards", &[], Some(&body))
            .await?
            .unwrap_or_default())
    }
}
