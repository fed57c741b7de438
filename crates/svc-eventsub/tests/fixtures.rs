//! Every fixture message decodes, and every typed subscription sample decodes typed.

use svc_eventsub::{Envelope, Event, Message, TYPED_SUBSCRIPTIONS};

const MESSAGES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/twitch/eventsub-messages.json"
));
const EVENTS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/twitch/eventsub-events.json"
));

#[test]
fn every_fixture_message_decodes() {
    let messages: Vec<serde_json::Value> = serde_json::from_str(MESSAGES).unwrap();
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for message in &messages {
        let envelope = Envelope::parse(&message.to_string()).expect("fixture message decodes");
        let kind = match &envelope.message {
            Message::Welcome(info) => {
                assert_eq!(info.keepalive_timeout_seconds, Some(10));
                "welcome"
            }
            Message::Keepalive => "keepalive",
            Message::Notification(notification) => {
                assert!(
                    !notification.event.is_raw(),
                    "{} decoded raw",
                    notification.subscription.kind
                );
                assert_eq!(
                    envelope.metadata.subscription_type.as_deref(),
                    Some(notification.subscription.kind.as_str())
                );
                "notification"
            }
            Message::Reconnect(info) => {
                assert!(info.reconnect_url.is_some());
                "reconnect"
            }
            Message::Revocation(subscription) => {
                assert_eq!(subscription.status, "authorization_revoked");
                "revocation"
            }
            other => panic!("unexpected {other:?}"),
        };
        *kinds.entry(kind).or_default() += 1;
    }
    assert_eq!(kinds["welcome"], 1);
    assert_eq!(kinds["reconnect"], 1);
    assert_eq!(kinds["revocation"], 1);
    assert_eq!(kinds["notification"], 32);
}

#[test]
fn every_typed_subscription_has_a_sample_that_decodes_typed() {
    let samples: serde_json::Value = serde_json::from_str(EVENTS).unwrap();
    for (kind, version) in TYPED_SUBSCRIPTIONS
        .iter()
        .filter(|(_, v)| *v == "1" || *v == "2")
    {
        let sample = &samples[kind];
        if sample["version"] != *version {
            continue; // hype_train v2 shares v1's sample
        }
        let event = Event::parse(kind, version, sample["event"].clone());
        assert!(!event.is_raw(), "{kind} v{version} decoded raw");
    }
    let unknown = Event::parse(
        "channel.follow",
        "1",
        samples["channel.follow"]["event"].clone(),
    );
    assert!(unknown.is_raw(), "an unmodelled version stays raw");
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    for text in [
        "",
        "{",
        "[]",
        r#"{"metadata":{}}"#,
        r#"{"metadata":{"message_id":"1","message_type":"session_welcome","message_timestamp":"t"},"payload":{}}"#,
    ] {
        let error = Envelope::parse(text).unwrap_err();
        assert!(
            matches!(error.kind(), svc_eventsub::ErrorKind::Malformed { .. }),
            "{text}"
        );
    }
}
