//! A channel: read, edit, delete, typing; its messages are in [`super::messages`].

use http::Method;
use parking_lot::MutexGuard;
use serde_json::Value;

use super::answer::{Answer, no_content, not_found, ok, parse_id, unknown};
use super::messages;
use crate::discord::state::{Data, State};
use crate::platform::SandboxRequest;

/// `…/channels/{channel}…`: `rest` is what follows the channel id.
pub(super) fn route(
    state: &State,
    request: &SandboxRequest,
    channel: u64,
    rest: &[&str],
    body: &Value,
) -> Answer {
    let data = state.data();
    if !data.channels.contains_key(&channel) {
        return unknown("Channel", 10003);
    }
    match (request.method.clone(), rest) {
        (Method::GET, []) => ok(data.channels[&channel].clone()),
        (Method::PATCH, []) => update(state, data, channel, body),
        (Method::DELETE, []) => delete(state, data, channel),
        (_, ["messages", more @ ..]) => messages::route(state, request, data, channel, more, body),
        (Method::POST, ["typing"]) => no_content(),
        _ => not_found(),
    }
}

/// `PATCH /channels/{id}`: takes every field given; CHANNEL_UPDATE in a guild.
fn update(state: &State, mut data: MutexGuard<'_, Data>, channel: u64, body: &Value) -> Answer {
    let Some(current) = data.channels.get_mut(&channel) else {
        return unknown("Channel", 10003);
    };
    if let (Some(fields), Some(target)) = (body.as_object(), current.as_object_mut()) {
        for (key, value) in fields {
            target.insert(key.clone(), value.clone());
        }
    }
    let updated = current.clone();
    let guild = updated["guild_id"].as_str().and_then(parse_id);
    drop(data);
    if let Some(guild) = guild {
        state.dispatch(Some(state.shard_of(guild)), "CHANNEL_UPDATE", &updated);
    }
    ok(updated)
}

/// `DELETE /channels/{id}`: the channel and its messages go; CHANNEL_DELETE in a guild.
fn delete(state: &State, mut data: MutexGuard<'_, Data>, channel: u64) -> Answer {
    let removed = data.channels.remove(&channel).unwrap_or_default();
    data.messages.remove(&channel);
    let guild = removed["guild_id"].as_str().and_then(parse_id);
    drop(data);
    if let Some(guild) = guild {
        state.dispatch(Some(state.shard_of(guild)), "CHANNEL_DELETE", &removed);
    }
    ok(removed)
}
