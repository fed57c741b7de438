//! [`SubscriptionRequest`]: what to subscribe to. The subscription object itself
//! ([`Subscription`], [`EventSubTransport`]) and the REST calls are svc-helix's.

use serde_json::{Map, Value};
use svc_helix::{CursorTrail, EventSubTransport, HelixClient, Subscription, SubscriptionTotals};

use crate::error::{Error, ErrorKind};

/// A subscription's condition (`{"broadcaster_user_id": "1337"}` and friends). Values are
/// strings on the wire, kept as JSON values so new condition shapes pass through.
pub type Condition = Map<String, Value>;

/// What to subscribe to: type, version and condition. The transport is filled in by the
/// session or conduit that creates it.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct SubscriptionRequest {
    /// Subscription type.
    pub kind: String,
    /// Subscription version.
    pub version: String,
    /// Condition.
    pub condition: Condition,
}

impl SubscriptionRequest {
    /// A request for `kind` at `version` with an empty condition.
    pub fn new(kind: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            version: version.into(),
            condition: Condition::new(),
        }
    }

    /// Adds a condition field (`broadcaster_user_id`, `moderator_user_id`, `user_id`, …).
    pub fn condition(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.condition
            .insert(key.into(), Value::String(value.into()));
        self
    }

    /// `channel.follow` v2 for a broadcaster, moderated by `moderator_user_id`.
    pub fn channel_follow(broadcaster_user_id: &str, moderator_user_id: &str) -> Self {
        Self::new("channel.follow", "2")
            .condition("broadcaster_user_id", broadcaster_user_id)
            .condition("moderator_user_id", moderator_user_id)
    }

    /// `channel.chat.message` v1 in a broadcaster's chat, read as `user_id`.
    pub fn chat_message(broadcaster_user_id: &str, user_id: &str) -> Self {
        Self::new("channel.chat.message", "1")
            .condition("broadcaster_user_id", broadcaster_user_id)
            .condition("user_id", user_id)
    }

    /// A broadcaster-only subscription (`stream.online`, `channel.update` v2, …).
    pub fn broadcaster(kind: &str, version: &str, broadcaster_user_id: &str) -> Self {
        Self::new(kind, version).condition("broadcaster_user_id", broadcaster_user_id)
    }

    /// Creates it over `transport` (`POST /eventsub/subscriptions` through svc-helix): the
    /// subscription and the account's cost totals.
    pub(crate) async fn create(
        &self,
        helix: &HelixClient,
        transport: &EventSubTransport,
    ) -> Result<(Subscription, SubscriptionTotals), Error> {
        helix
            .create_subscription(
                &self.kind,
                &self.version,
                Value::Object(self.condition.clone()),
                transport,
            )
            .await
            .map_err(|e| Error::helix("create subscription", e))
    }

    /// Like [`create`](Self::create), but when Twitch answers 409 (the subscription already
    /// exists over this transport: a restart that reused a conduit, a second `subscribe`
    /// of the same thing) the existing subscription is looked up and returned, without
    /// totals — twitch.py's `ignore_conflict`, always on.
    pub(crate) async fn create_or_existing(
        &self,
        helix: &HelixClient,
        transport: &EventSubTransport,
    ) -> Result<(Subscription, Option<SubscriptionTotals>), Error> {
        match self.create(helix, transport).await {
            Ok((subscription, totals)) => Ok((subscription, Some(totals))),
            Err(error) if matches!(error.kind(), ErrorKind::Status { status: 409, .. }) => {
                match self.existing(helix, transport).await? {
                    Some(subscription) => {
                        tracing::debug!(id = %subscription.id, "subscription already existed");
                        Ok((subscription, None))
                    }
                    None => Err(error),
                }
            }
            Err(error) => Err(error),
        }
    }

    /// The subscription matching this request over `transport`, read page by page (a
    /// cursor that repeats ends the search with an error, see [`CursorTrail`]).
    async fn existing(
        &self,
        helix: &HelixClient,
        transport: &EventSubTransport,
    ) -> Result<Option<Subscription>, Error> {
        let condition = Value::Object(self.condition.clone());
        let mut cursor: Option<String> = None;
        let mut trail = CursorTrail::default();
        loop {
            let page = helix
                .subscriptions_page(None, cursor.as_deref())
                .await
                .map_err(|e| Error::helix("list subscriptions", e))?;
            let found = page.data.into_iter().find(|s| {
                s.kind == self.kind
                    && s.version == self.version
                    && s.condition == condition
                    && same_transport(&s.transport, transport)
            });
            if found.is_some() {
                return Ok(found);
            }
            cursor = trail
                .follow(page.pagination.cursor.as_deref())
                .map_err(|e| {
                    Error::with_source(
                        ErrorKind::OutOfRange {
                            field: "pagination cursor",
                        },
                        e,
                    )
                })?;
            if cursor.is_none() {
                return Ok(None);
            }
        }
    }
}

/// Whether a subscription Twitch reports is delivered over `wanted`: the same conduit, or
/// the same WebSocket session.
fn same_transport(reported: &EventSubTransport, wanted: &EventSubTransport) -> bool {
    reported.method == wanted.method
        && match wanted.method.as_str() {
            "conduit" => reported.conduit_id == wanted.conduit_id,
            "websocket" => reported.session_id == wanted.session_id,
            _ => reported.callback == wanted.callback,
        }
}
