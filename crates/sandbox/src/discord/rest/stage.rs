//! Stage instances: `POST /stage-instances` and `GET`/`PATCH`/`DELETE
//! /stage-instances/{channel}`.

use http::Method;
use serde_json::{Value, json};

use super::answer::{Answer, no_content, not_found, ok, parse_id, unknown};
use crate::discord::state::State;

/// `…/stage-instances…`: `rest` is what follows `stage-instances`.
pub(super) fn route(state: &State, method: &Method, rest: &[&str], body: &Value) -> Answer {
    match (method.clone(), rest) {
        (Method::POST, []) => create(state, body),
        (Method::PATCH, [channel]) => update(state, channel, body),
        (Method::GET, [channel]) => state
            .data()
            .stage_instances
            .get(&parse_id(channel).unwrap_or_default())
            .cloned()
            .map_or_else(|| unknown("Stage Instance", 10067), ok),
        (Method::DELETE, [channel]) => state
            .data()
            .stage_instances
            .remove(&parse_id(channel).unwrap_or_default())
            .map_or_else(|| unknown("Stage Instance", 10067), |_| no_content()),
        _ => not_found(),
    }
}

/// `POST /stage-instances`: opens a stage on a guild channel.
fn create(state: &State, body: &Value) -> Answer {
    let mut data = state.data();
    let channel_id = body["channel_id"]
        .as_str()
        .and_then(parse_id)
        .unwrap_or_default();
    let Some(guild_id) = data
        .channels
        .get(&channel_id)
        .map(|c| c["guild_id"].clone())
    else {
        return unknown("Channel", 10003);
    };
    let id = data.next_id();
    let stage = json!({"id": id.to_string(), "guild_id": guild_id, "channel_id": channel_id.to_string(), "topic": body["topic"], "privacy_level": body["privacy_level"].as_u64().unwrap_or(2), "discoverable_disabled": false});
    data.stage_instances.insert(channel_id, stage.clone());
    ok(stage)
}

/// `PATCH /stage-instances/{channel}`: topic and privacy level.
fn update(state: &State, channel: &str, body: &Value) -> Answer {
    let mut data = state.data();
    let Some(stage) = data
        .stage_instances
        .get_mut(&parse_id(channel).unwrap_or_default())
    else {
        return unknown("Stage Instance", 10067);
    };
    if let Some(topic) = body.get("topic") {
        stage["topic"] = topic.clone();
    }
    if let Some(privacy) = body.get("privacy_level") {
        stage["privacy_level"] = privacy.clone();
    }
    ok(stage.clone())
}
