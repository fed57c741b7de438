//! What `--state` keeps of Twitch OAuth: every token and refresh token the sandbox knows
//! (seeded ones and those it issued), with when they expire, so a bot that stored a
//! refreshed token still logs in after a restart.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tokio::time::Instant;

use super::{HelixControl, TokenRecord};

/// Now in Unix seconds.
fn epoch_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A token with its expiry as a Unix time rounded down to the minute, so the saved file
/// does not change every second.
fn record_json(token: &str, record: &TokenRecord, now: Instant) -> Value {
    let left = record.expires_at.saturating_duration_since(now).as_secs();
    json!({
        "token": token, "client_id": record.client_id, "login": record.login,
        "user_id": record.user_id, "scopes": record.scopes,
        "expires_at": (epoch_now() + left) / 60 * 60,
    })
}

fn record_of(value: &Value, now: Instant) -> Option<(String, TokenRecord)> {
    let left = value["expires_at"].as_u64()?.checked_sub(epoch_now())?;
    let text = |key: &str| value[key].as_str().map(str::to_owned);
    Some((
        text("token")?,
        TokenRecord {
            client_id: text("client_id")?,
            login: text("login"),
            user_id: text("user_id"),
            scopes: value["scopes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect(),
            expires_at: now + Duration::from_secs(left),
        },
    ))
}

impl HelixControl {
    /// `{issued, tokens: […], refresh_tokens: […]}`, sorted so the file only changes when
    /// they do.
    pub(crate) fn saved(&self) -> Value {
        let inner = self.state.lock();
        let now = Instant::now();
        let list = |map: &std::collections::HashMap<String, TokenRecord>| {
            let mut list: Vec<Value> = map
                .iter()
                .filter(|(_, r)| r.expires_at > now)
                .map(|(token, record)| record_json(token, record, now))
                .collect();
            list.sort_by(|a, b| a["token"].as_str().cmp(&b["token"].as_str()));
            list
        };
        json!({
            "issued": inner.issued,
            "tokens": list(&inner.tokens),
            "refresh_tokens": list(&inner.refresh_tokens),
        })
    }

    /// Puts back what [`saved`](Self::saved) returned.
    pub(crate) fn restore(&self, saved: &Value) {
        let mut inner = self.state.lock();
        let now = Instant::now();
        inner.issued = inner.issued.max(saved["issued"].as_u64().unwrap_or(0));
        for value in saved["tokens"].as_array().into_iter().flatten() {
            if let Some((token, record)) = record_of(value, now) {
                inner.tokens.insert(token, record);
            }
        }
        for value in saved["refresh_tokens"].as_array().into_iter().flatten() {
            if let Some((token, record)) = record_of(value, now) {
                inner.refresh_tokens.insert(token, record);
            }
        }
    }
}
