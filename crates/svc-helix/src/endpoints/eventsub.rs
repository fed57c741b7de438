//! EventSub subscriptions (create / list / delete) and conduits (create / get / update /
//! delete, update shards) — the REST half EventSub clients build on.

use futures_core::Stream;
use serde::{Deserialize, Serialize};
use serde_json::json;
use transport_http::Method;

use crate::{Error, HelixClient, Page};

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
    /// Conduit id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conduit_id: Option<String>,
    /// Webhook callback URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback: Option<String>,
    /// Webhook secret (only sent, never received).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl EventSubTransport {
    /// Deliver over the WebSocket session `session_id`.
    pub fn websocket(session_id: impl Into<String>) -> Self {
        Self {
            method: "websocket".into(),
            session_id: Some(session_id.into()),
            ..Self::default()
        }
    }

    /// Deliver through conduit `conduit_id`.
    pub fn conduit(conduit_id: impl Into<String>) -> Self {
        Self {
            method: "conduit".into(),
            conduit_id: Some(conduit_id.into()),
            ..Self::default()
        }
    }
}

/// A subscription.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Subscription {
    /// Id.
    pub id: String,
    /// `enabled`, `webhook_callback_verification_pending`, `websocket_disconnected`, …
    pub status: String,
    /// Type (`channel.follow`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// Version.
    pub version: String,
    /// Condition.
    pub condition: serde_json::Value,
    /// Transport.
    pub transport: EventSubTransport,
    /// Created at.
    pub created_at: String,
    /// Cost.
    pub cost: u64,
}

/// The answer to creating or listing subscriptions: the page plus cost totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Conduit {
    /// Id.
    pub id: String,
    /// Number of shards.
    pub shard_count: u32,
}

/// A conduit shard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ConduitShard {
    /// Shard id.
    pub id: String,
    /// Status (answers only).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub status: String,
    /// Its transport.
    pub transport: EventSubTransport,
}

impl HelixClient {
    /// Creates a subscription (`POST /eventsub/subscriptions`).
    pub async fn create_subscription(
        &self,
        kind: &str,
        version: &str,
        condition: serde_json::Value,
        transport: &EventSubTransport,
    ) -> Result<Option<Subscription>, Error> {
        let body = json!({ "type": kind, "version": version, "condition": condition, "transport": transport });
        let page: Page<Subscription> = self
            .send_json(Method::POST, "/eventsub/subscriptions", &[], &body)
            .await?;
        Ok(page.data.into_iter().next())
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
    pub async fn delete_subscription(&self, id: &str) -> Result<(), Error> {
        self.send_empty(
            Method::DELETE,
            "/eventsub/subscriptions",
            &[("id", id.to_owned())],
        )
        .await
    }

    /// The app's conduits (app token).
    pub async fn get_conduits(&self) -> Result<Vec<Conduit>, Error> {
        self.get_data("/eventsub/conduits", &[]).await
    }

    /// Creates a conduit with `shard_count` shards.
    pub async fn create_conduit(&self, shard_count: u32) -> Result<Option<Conduit>, Error> {
        let page: Page<Conduit> = self
            .send_json(
                Method::POST,
                "/eventsub/conduits",
                &[],
                &json!({ "shard_count": shard_count }),
            )
            .await?;
        Ok(page.data.into_iter().next())
    }

    /// Changes a conduit's shard count.
    pub async fn update_conduit(
        &self,
        id: &str,
        shard_count: u32,
    ) -> Result<Option<Conduit>, Error> {
        let body = json!({ "id": id, "shard_count": shard_count });
        let page: Page<Conduit> = self
            .send_json(Method::PATCH, "/eventsub/conduits", &[], &body)
            .await?;
        Ok(page.data.into_iter().next())
    }

    /// Deletes a conduit.
    pub async fn delete_conduit(&self, id: &str) -> Result<(), Error> {
        self.send_empty(
            Method::DELETE,
            "/eventsub/conduits",
            &[("id", id.to_owned())],
        )
        .await
    }

    /// Assigns transports to shards (`PATCH /eventsub/conduits/shards`); answers the shards
    /// updated.
    pub async fn update_conduit_shards(
        &self,
        conduit_id: &str,
        shards: &[ConduitShard],
    ) -> Result<Vec<ConduitShard>, Error> {
        let body = json!({ "conduit_id": conduit_id, "shards": shards });
        Ok(self
            .send_json(Method::PATCH, "/eventsub/conduits/shards", &[], &body)
            .await?
            .data)
    }
}
