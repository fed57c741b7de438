//! Subscriptions as Twitch describes them: the object `POST /eventsub/subscriptions`
//! answers with and every notification repeats, and the request that creates one.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A subscription's condition (`{"broadcaster_user_id": "1337"}` and friends). Values are
/// strings on the wire, kept as JSON values so new condition shapes pass through.
pub type Condition = Map<String, Value>;

/// Where Twitch delivers a subscription's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Transport {
    /// A WebSocket session (user token).
    Websocket {
        /// The session id from `session_welcome`.
        session_id: String,
        /// When the session connected (responses only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        connected_at: Option<String>,
        /// When the session disconnected (responses only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        disconnected_at: Option<String>,
    },
    /// A conduit (app token).
    Conduit {
        /// The conduit id.
        conduit_id: String,
    },
    /// A webhook (not driven by this crate, kept so listings parse).
    Webhook {
        /// The callback URL.
        callback: String,
    },
}

impl Transport {
    /// A WebSocket transport for `session_id`, as a create request wants it.
    pub fn websocket(session_id: impl Into<String>) -> Self {
        Self::Websocket {
            session_id: session_id.into(),
            connected_at: None,
            disconnected_at: None,
        }
    }

    /// A conduit transport.
    pub fn conduit(conduit_id: impl Into<String>) -> Self {
        Self::Conduit {
            conduit_id: conduit_id.into(),
        }
    }

    /// The session id for a WebSocket transport.
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Self::Websocket { session_id, .. } => Some(session_id),
            _ => None,
        }
    }
}

/// A subscription as Twitch reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    /// Subscription id.
    pub id: String,
    /// `enabled`, `authorization_revoked`, `user_removed`, `version_removed`,
    /// `websocket_disconnected`, …
    pub status: String,
    /// Subscription type (`channel.follow`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Subscription version (`"2"`).
    pub version: String,
    /// What the subscription is about.
    #[serde(default)]
    pub condition: Condition,
    /// Where events go.
    pub transport: Transport,
    /// Creation time (RFC 3339).
    #[serde(default)]
    pub created_at: String,
    /// The subscription's cost against `max_total_cost`.
    #[serde(default)]
    pub cost: u64,
}

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

    /// The body `POST /eventsub/subscriptions` expects.
    pub(crate) fn body(&self, transport: &Transport) -> Value {
        serde_json::json!({
            "type": self.kind,
            "version": self.version,
            "condition": self.condition,
            "transport": transport,
        })
    }
}
