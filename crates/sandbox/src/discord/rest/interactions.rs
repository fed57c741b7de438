//! Interaction responses: `POST /interactions/{id}/{token}/callback`.

use http::StatusCode;
use serde_json::Value;

use super::answer::{Answer, error, invalid_form_body, no_content};
use super::messages::{announce, new_message};
use crate::discord::state::{State, id_of};

/// `POST /interactions/{id}/{token}/callback`: once per interaction; types 4 and 5 post
/// the message that `@original` then names.
pub(super) fn callback(state: &State, id: &str, token: &str, body: &Value) -> Answer {
    let kind = body["type"].as_u64().unwrap_or_default();
    if !matches!(kind, 1 | 4..=10 | 12) {
        return invalid_form_body();
    }
    let mut data = state.data();
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
