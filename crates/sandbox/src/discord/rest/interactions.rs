//! Interaction responses: `POST /interactions/{id}/{token}/callback`.

use std::time::Duration;

use http::StatusCode;
use serde_json::Value;

use super::answer::{Answer, error, invalid_form_body, no_content};
use super::messages::{announce, new_message};
use crate::discord::state::{State, id_of};

/// How long after the interaction its first answer may come.
const ANSWER_WINDOW: Duration = Duration::from_secs(3);
/// How long an interaction token stays valid for follow-ups and `@original`.
const TOKEN_LIFETIME: Duration = Duration::from_mins(15);

/// `POST /interactions/{id}/{token}/callback`: once per interaction, within 3 s of it (for
/// interactions the sandbox sent); types 4 and 5 post the message that `@original` then
/// names.
pub(super) fn callback(state: &State, id: &str, token: &str, body: &Value) -> Answer {
    let kind = body["type"].as_u64().unwrap_or_default();
    if !matches!(kind, 1 | 4..=10 | 12) {
        return invalid_form_body();
    }
    let mut data = state.data();
    if data
        .issued_at
        .get(token)
        .is_some_and(|at| at.elapsed() > ANSWER_WINDOW)
    {
        return error(StatusCode::NOT_FOUND, 10062, "Unknown interaction");
    }
    if !data.acknowledged.insert(id.to_owned()) {
        return error(
            StatusCode::BAD_REQUEST,
            40060,
            "Interaction has already been acknowledged.",
        );
    }
    if matches!(kind, 4 | 5) {
        // Where the interaction happened, for those the sandbox sent.
        let channel = data
            .issued
            .get(token)
            .copied()
            .unwrap_or_else(|| data.channels.keys().next().copied().unwrap_or_default());
        let mut message = new_message(&mut data, channel, &body["data"], None);
        if let Some(metadata) = data.issued_metadata.get(token).cloned() {
            message["interaction_metadata"] = metadata.clone();
            if let Some(stored) = data
                .messages
                .get_mut(&channel)
                .and_then(|m| m.get_mut(&id_of(&message)))
            {
                stored["interaction_metadata"] = metadata;
            }
        }
        data.interaction_messages
            .insert(token.to_owned(), (channel, id_of(&message)));
        drop(data);
        announce(state, "MESSAGE_CREATE", &message);
    }
    no_content()
}

/// Refuses `token` as Discord does once an interaction token is older than 15 minutes
/// (only for interactions the sandbox sent; other webhook tokens do not expire).
pub(super) fn expired_token(state: &State, token: &str) -> Option<Answer> {
    state
        .data()
        .issued_at
        .get(token)
        .is_some_and(|at| at.elapsed() > TOKEN_LIFETIME)
        .then(|| error(StatusCode::UNAUTHORIZED, 50027, "Invalid Webhook Token"))
}
