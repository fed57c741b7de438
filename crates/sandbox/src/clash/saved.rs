//! What `--state` keeps of Clash of Clans: the developer site's keys, so a bot's stored
//! key keeps working after a restart.

use serde_json::{Value, json};

use super::{ClashControl, SiteKey};

impl ClashControl {
    /// `{next_id, keys: [{id, account, name, description, cidr_ranges, key}…]}`.
    pub(crate) fn saved(&self) -> Value {
        let site = self.state.site.lock();
        let keys: Vec<Value> = site
            .keys
            .iter()
            .map(|k| {
                json!({ "id": k.id, "account": k.account, "name": k.name,
                    "description": k.description, "cidr_ranges": k.cidr_ranges, "key": k.key })
            })
            .collect();
        json!({ "next_id": site.next_id, "keys": keys })
    }

    /// Puts back what [`saved`](Self::saved) returned.
    pub(crate) fn restore(&self, saved: &Value) {
        let mut site = self.state.site.lock();
        site.next_id = site.next_id.max(saved["next_id"].as_u64().unwrap_or(0));
        for key in saved["keys"].as_array().into_iter().flatten() {
            let text = |name: &str| key[name].as_str().unwrap_or_default().to_owned();
            if text("key").is_empty() || site.keys.iter().any(|k| k.key == text("key")) {
                continue;
            }
            site.keys.push(SiteKey {
                id: text("id"),
                account: text("account"),
                name: text("name"),
                description: text("description"),
                cidr_ranges: key["cidr_ranges"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c.as_str().map(str::to_owned))
                    .collect(),
                key: text("key"),
            });
        }
    }
}
