//! What `--state` keeps of EventSub: conduits (with their shard counts) and the
//! subscriptions that outlive a socket (conduit and webhook transports). WebSocket
//! subscriptions are not kept: Twitch ends them with their socket, and no socket survives
//! a restart.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::control::EventSubControl;
use super::state::ConduitEntry;

impl EventSubControl {
    /// `{conduits: [{id, shard_count}…], subscriptions: […]}`.
    pub(crate) fn saved(&self) -> Value {
        let inner = self.state().lock();
        let conduits: Vec<Value> = inner
            .conduits
            .iter()
            .map(|(id, c)| json!({ "id": id, "shard_count": c.shard_count }))
            .collect();
        let subscriptions: Vec<&Value> = inner
            .subscriptions
            .values()
            .filter(|s| s["transport"]["method"] != "websocket")
            .collect();
        json!({ "conduits": conduits, "subscriptions": subscriptions })
    }

    /// Puts back what [`saved`](Self::saved) returned.
    pub(crate) fn restore(&self, saved: &Value) {
        let mut inner = self.state().lock();
        for conduit in saved["conduits"].as_array().into_iter().flatten() {
            let (Some(id), Some(count)) = (conduit["id"].as_str(), conduit["shard_count"].as_u64())
            else {
                continue;
            };
            inner.conduits.insert(
                id.to_owned(),
                ConduitEntry {
                    shard_count: u32::try_from(count).unwrap_or(1),
                    shards: BTreeMap::new(),
                    next: 0,
                },
            );
        }
        for subscription in saved["subscriptions"].as_array().into_iter().flatten() {
            if let Some(id) = subscription["id"].as_str() {
                inner
                    .subscriptions
                    .insert(id.to_owned(), subscription.clone());
            }
        }
    }
}
