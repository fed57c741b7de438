//! `GET /gateway` and `GET /gateway/bot`: where to connect, how many shards, and the
//! session start budget.

use serde_json::json;

use super::answer::{Answer, ok};
use crate::discord::state::State;

/// `GET /gateway`: the URL only.
pub(super) fn url(host: &str) -> Answer {
    ok(json!({"url": format!("ws://{host}")}))
}

/// `GET /gateway/bot`: URL, recommended shards and `session_start_limit`.
pub(super) fn bot(state: &State, host: &str) -> Answer {
    let (total, remaining, reset_after) = state.session_start_limit();
    ok(json!({
        "url": format!("ws://{host}"),
        "shards": state.config.shards,
        "session_start_limit": {
            "total": total,
            "remaining": remaining,
            "reset_after": reset_after.as_millis() as u64,
            "max_concurrency": state.config.max_concurrency,
        },
    }))
}
