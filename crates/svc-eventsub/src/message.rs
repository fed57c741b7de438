//! The WebSocket message envelope: `metadata` + `payload`, decoded into [`Message`].

use serde::Deserialize;
use serde_json::Value;

use crate::error::Error;
use crate::event::Event;
use svc_helix::Subscription;

/// Every message's `metadata`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Metadata {
    /// Unique per message; a message delivered twice carries the same id (dedupe key).
    pub message_id: String,
    /// `session_welcome`, `session_keepalive`, `notification`, `session_reconnect`,
    /// `revocation`.
    pub message_type: String,
    /// When Twitch sent it (RFC 3339).
    pub message_timestamp: String,
    /// Notification and revocation only.
    #[serde(default)]
    pub subscription_type: Option<String>,
    /// Notification and revocation only.
    #[serde(default)]
    pub subscription_version: Option<String>,
}

/// The `session` object of welcome and reconnect messages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SessionInfo {
    /// Session id: the `session_id` of a WebSocket transport.
    pub id: String,
    /// `connected` or `reconnecting`.
    pub status: String,
    /// When the session connected.
    #[serde(default)]
    pub connected_at: Option<String>,
    /// Keepalive window chosen at connect (welcome only). Read forgivingly, because a
    /// bad number must not cost the session: a negative number reads as 0, a fraction is
    /// cut, one past `u64::MAX` reads as `u64::MAX`, and anything that is not a number as
    /// absent. The session clamps it to Twitch's documented 10..=600 s.
    #[serde(default, deserialize_with = "lenient_seconds")]
    pub keepalive_timeout_seconds: Option<u64>,
    /// Where to reconnect (reconnect only).
    #[serde(default)]
    pub reconnect_url: Option<String>,
}

/// A notification: the subscription it belongs to and the event.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// The subscription, as Twitch repeats it in every notification.
    pub subscription: Subscription,
    /// The event, typed when the type and version are known.
    pub event: Event,
}

/// A decoded message payload.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Message {
    /// `session_welcome`: subscribe with this session id now (10 s window).
    Welcome(SessionInfo),
    /// `session_keepalive`: the connection is alive.
    Keepalive,
    /// `notification`.
    Notification(Box<Notification>),
    /// `session_reconnect`: connect to `reconnect_url`, then close this socket.
    Reconnect(SessionInfo),
    /// `revocation`: Twitch removed the subscription (status says why).
    Revocation(Box<Subscription>),
    /// A message type this crate does not know.
    Unknown {
        /// Its payload.
        payload: Value,
    },
}

/// One WebSocket message: metadata and the decoded payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// The metadata.
    pub metadata: Metadata,
    /// The payload.
    pub message: Message,
}

#[derive(Deserialize)]
struct RawEnvelope {
    metadata: Metadata,
    #[serde(default)]
    payload: Value,
}

#[derive(Deserialize)]
struct SessionPayload {
    session: SessionInfo,
}

#[derive(Deserialize)]
struct SubscriptionPayload {
    subscription: Subscription,
    #[serde(default)]
    event: Value,
}

impl Envelope {
    /// Decodes one WebSocket text message.
    ///
    /// ```
    /// let text = r#"{"metadata":{"message_id":"1","message_type":"session_keepalive",
    ///     "message_timestamp":"2024-01-01T00:00:00Z"},"payload":{}}"#;
    /// let envelope = svc_eventsub::Envelope::parse(text)?;
    /// assert_eq!(envelope.message, svc_eventsub::Message::Keepalive);
    /// # Ok::<(), svc_eventsub::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self, Error> {
        let raw: RawEnvelope =
            serde_json::from_str(text).map_err(|e| Error::malformed(format!("envelope: {e}")))?;
        let message = match raw.metadata.message_type.as_str() {
            "session_welcome" => Message::Welcome(session(raw.payload)?),
            "session_reconnect" => Message::Reconnect(session(raw.payload)?),
            "session_keepalive" => Message::Keepalive,
            "notification" => {
                let payload: SubscriptionPayload = serde_json::from_value(raw.payload)
                    .map_err(|e| Error::malformed(format!("notification payload: {e}")))?;
                let event = Event::parse(
                    &payload.subscription.kind,
                    &payload.subscription.version,
                    payload.event,
                );
                Message::Notification(Box::new(Notification {
                    subscription: payload.subscription,
                    event,
                }))
            }
            "revocation" => {
                let payload: SubscriptionPayload = serde_json::from_value(raw.payload)
                    .map_err(|e| Error::malformed(format!("revocation payload: {e}")))?;
                Message::Revocation(Box::new(payload.subscription))
            }
            _ => Message::Unknown {
                payload: raw.payload,
            },
        };
        Ok(Self {
            metadata: raw.metadata,
            message,
        })
    }
}

/// Any JSON number as whole non-negative seconds (saturating); anything else as `None`.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "saturating float-to-int conversion is the point"
)]
fn lenient_seconds<'de, D>(deserializer: D) -> Result<Option<u64>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = Value::deserialize(deserializer)?;
    let Value::Number(number) = value else {
        return Ok(None);
    };
    let seconds = number.as_u64().or_else(|| {
        number
            .as_i64()
            .map(|_negative| 0)
            // `as` saturates: 1e300 → u64::MAX, -3.5 → 0.
            .or_else(|| number.as_f64().map(|float| float as u64))
    });
    Ok(seconds)
}

fn session(payload: Value) -> Result<SessionInfo, Error> {
    serde_json::from_value::<SessionPayload>(payload)
        .map(|p| p.session)
        .map_err(|e| Error::malformed(format!("session payload: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn welcome(keepalive: &str) -> Result<Envelope, Error> {
        Envelope::parse(&format!(
            r#"{{"metadata":{{"message_id":"w","message_type":"session_welcome","message_timestamp":"t"}},
            "payload":{{"session":{{"id":"s","status":"connected","keepalive_timeout_seconds":{keepalive}}}}}}}"#
        ))
    }

    fn announced(keepalive: &str) -> Option<u64> {
        match welcome(keepalive).expect("a welcome decodes").message {
            Message::Welcome(info) => info.keepalive_timeout_seconds,
            other => panic!("not a welcome: {other:?}"),
        }
    }

    /// A welcome with a hostile keepalive still decodes: losing the welcome would cost the
    /// whole session.
    #[test]
    fn keepalive_numbers_are_read_forgivingly() {
        assert_eq!(announced("30"), Some(30));
        assert_eq!(announced("-5"), Some(0));
        assert_eq!(announced("12.9"), Some(12));
        assert_eq!(announced("1e300"), Some(u64::MAX));
        assert_eq!(announced("18446744073709551616"), Some(u64::MAX));
        assert_eq!(announced("-1e300"), Some(0));
        assert_eq!(announced("null"), None);
        assert_eq!(announced(r#""ten""#), None);
        assert_eq!(announced("[600]"), None);
    }
}
