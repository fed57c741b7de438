//! Webhooks: executing one (`POST /webhooks/{id}/{token}`) and its messages, which
//! include an interaction's `@original` response and follow-ups (posted in the
//! interaction's channel).

use http::Method;
use serde_json::Value;

use super::answer::{Answer, no_content, ok, parse_id, unknown};
use super::messages::{announce, edit_message, new_message};
use crate::discord::state::State;
use crate::platform::SandboxRequest;

/// `POST /webhooks/{id}/{token}`: posts as the webhook; the message comes back only with
/// `?wait=true`.
pub(super) fn execute(
    state: &State,
    request: &SandboxRequest,
    webhook: &str,
    token: &str,
    body: &Value,
) -> Answer {
    if let Some(expired) = super::interactions::expired_token(state, token) {
        return expired;
    }
    let mut data = state.data();
    // An interaction's follow-up goes where the interaction happened.
    let channel = data
        .issued
        .get(token)
        .copied()
        .unwrap_or_else(|| data.channels.keys().next().copied().unwrap_or_default());
    let message = new_message(&mut data, channel, body, Some(webhook));
    drop(data);
    announce(state, "MESSAGE_CREATE", &message);
    if request.query_param("wait") == Some("true") {
        ok(message)
    } else {
        no_content()
    }
}

/// `GET`/`PATCH`/`DELETE /webhooks/{id}/{token}/messages/{id | @original}`.
pub(super) fn message(
    state: &State,
    method: &Method,
    token: &str,
    id: &str,
    body: &Value,
) -> Answer {
    if let Some(expired) = super::interactions::expired_token(state, token) {
        return expired;
    }
    let mut data = state.data();
    let found = if id == "@original" {
        data.interaction_messages.get(token).copied()
    } else {
        let id = parse_id(id).unwrap_or_default();
        data.messages
            .iter()
            .find(|(_, messages)| messages.contains_key(&id))
            .map(|(channel, _)| (*channel, id))
    };
    let Some((channel, id)) = found else {
        return unknown("Message", 10008);
    };
    let Some(stored) = data.messages.get_mut(&channel).and_then(|m| m.get_mut(&id)) else {
        return unknown("Message", 10008);
    };
    match *method {
        Method::GET => ok(stored.clone()),
        Method::PATCH => edit_message(state, data, channel, id, body),
        _ => {
            data.messages.get_mut(&channel).map(|m| m.remove(&id));
            no_content()
        }
    }
}
