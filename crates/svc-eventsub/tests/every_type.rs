//! Every subscription type and version svc-eventsub types: the sandbox triggers it over a
//! real conduit socket (its sample made to fit the subscription, like `twitch event
//! trigger`) and the client decodes it into its typed event, never `Event::Raw`.

mod common;

use common::{next_matching, sandbox};
use sandbox::twitch::eventsub::Trigger;
use svc_eventsub::{
    AccessToken, ConduitApp, Event, EventSubEvent, SubscriptionRequest, TYPED_SUBSCRIPTIONS,
};

const EVENTS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/twitch/eventsub-events.json"
));

/// The condition the fixture catalog gives `kind` (shared by its versions).
fn condition(samples: &serde_json::Value, kind: &str) -> SubscriptionRequest {
    let mut request = SubscriptionRequest::new(kind, "");
    if let Some(fields) = samples[kind]["condition"].as_object() {
        request.condition.clone_from(fields);
    }
    request
}

#[tokio::test(start_paused = true)]
async fn every_typed_subscription_triggered_by_the_sandbox_decodes_typed() {
    let samples: serde_json::Value = serde_json::from_str(EVENTS).unwrap();
    let env = sandbox().await;
    let app = ConduitApp::builder("client-id", AccessToken::new("app-token"))
        .mock_url(&env.server.base_url())
        .unwrap()
        .start()
        .await
        .expect("conduit starts");
    let mut events = app.events();
    for (kind, version) in TYPED_SUBSCRIPTIONS {
        let mut request = condition(&samples, kind);
        request.version = (*version).to_owned();
        app.subscribe(&request)
            .await
            .unwrap_or_else(|e| panic!("subscribing {kind} v{version}: {e}"));
        let delivered = env
            .control
            .trigger(&Trigger::new(*kind).version(*version))
            .await
            .unwrap_or_else(|e| panic!("triggering {kind} v{version}: {e}"));
        assert_eq!(delivered, 1, "{kind} v{version}");
        let EventSubEvent::Notification { notification, .. } = next_matching(&mut events, |e| {
            matches!(e, EventSubEvent::Notification { .. })
        })
        .await
        else {
            unreachable!()
        };
        assert_eq!(notification.subscription.kind, *kind);
        assert_eq!(notification.subscription.version, *version);
        assert!(
            !matches!(notification.event, Event::Raw(_)),
            "{kind} v{version} decoded raw: {:?}",
            notification.event
        );
    }
    app.close().await;
}

/// Every sample of the catalog (each type, each version) is a type [`Event`] models.
#[test]
fn the_catalog_has_no_type_left_raw() {
    let samples: serde_json::Value = serde_json::from_str(EVENTS).unwrap();
    let mut seen = 0;
    for (kind, entry) in samples.as_object().unwrap() {
        let mut versions = vec![(entry["version"].as_str().unwrap(), &entry["event"])];
        for (version, other) in entry["other_versions"].as_object().into_iter().flatten() {
            versions.push((version.as_str(), &other["event"]));
        }
        for (version, event) in versions {
            assert!(
                TYPED_SUBSCRIPTIONS
                    .iter()
                    .any(|(k, v)| *k == kind.as_str() && *v == version),
                "{kind} v{version} is not typed"
            );
            let parsed = Event::parse(kind, version, event.clone());
            assert!(!parsed.is_raw(), "{kind} v{version} decoded raw");
            seen += 1;
        }
    }
    assert_eq!(seen, TYPED_SUBSCRIPTIONS.len());
}
