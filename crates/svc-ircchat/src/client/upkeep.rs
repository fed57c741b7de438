//! Token upkeep for a managed OAuth token: hourly validation and refresh before expiry in a
//! background task, announcing a token that is gone for good.

use std::time::Duration;

use core_events::EventHub;
use svc_helix::TokenManager;
use tokio::task::JoinHandle;

use crate::client::event::ChatEvent;
use crate::client::event_error::EventError;

/// The running upkeep task; dropping it stops the task.
#[derive(Debug)]
pub(crate) struct TokenUpkeep(JoinHandle<()>);

impl Drop for TokenUpkeep {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl TokenUpkeep {
    /// Keeps `tokens` valid, validating first after `first_validation` (then hourly);
    /// failures that leave no valid token are published as [`ChatEvent::TokenExpired`].
    pub(crate) fn spawn(
        tokens: &TokenManager,
        hub: &EventHub<ChatEvent>,
        first_validation: Duration,
    ) -> Self {
        let hub = hub.clone();
        Self(
            tokens.spawn_maintenance_with(first_validation, move |error| {
                if error.kind() == &svc_helix::ErrorKind::Unauthorized {
                    hub.publish(ChatEvent::TokenExpired {
                        reason: error.to_string(),
                        error: EventError::new(error),
                    });
                }
            }),
        )
    }
}
