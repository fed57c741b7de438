//! A guild: read, its channels and bans; members and roles are in [`super::members`] and
//! [`super::roles`].

use http::Method;
use parking_lot::MutexGuard;
use serde_json::{Value, json};

use super::answer::{Answer, no_content, not_found, ok, parse_id, unknown};
use super::{members, roles};
use crate::discord::state::{Data, State, id_of};
use crate::platform::SandboxRequest;

/// `…/guilds/{guild}…`: `rest` is what follows the guild id.
pub(super) fn route(
    state: &State,
    request: &SandboxRequest,
    guild: u64,
    rest: &[&str],
    body: &Value,
) -> Answer {
    let method = &request.method;
    let data = state.data();
    let Some(stored) = data.guilds.get(&guild) else {
        return unknown("Guild", 10004);
    };
    match (method.clone(), rest) {
        (Method::GET, []) => ok(public_view(stored)),
        (Method::GET, ["channels"]) => {
            let channels: Vec<Value> = data
                .channels
                .values()
                .filter(|c| c["guild_id"].as_str().and_then(parse_id) == Some(guild))
                .cloned()
                .collect();
            ok(Value::from(channels))
        }
        (_, ["members", more @ ..]) => members::route(state, request, data, guild, more),
        (_, ["roles", more @ ..]) => roles::route(state, method, data, guild, more, body),
        (_, ["bans", more @ ..]) => bans(method, data, guild, more, body),
        _ => not_found(),
    }
}

/// The guild as `GET /guilds/{id}` shows it: without what only GUILD_CREATE carries, with
/// `approximate_member_count`.
fn public_view(stored: &Value) -> Value {
    let member_count = stored["members"].as_array().map_or(0, Vec::len);
    let mut guild = stored.clone();
    if let Some(object) = guild.as_object_mut() {
        for key in [
            "members",
            "channels",
            "threads",
            "presences",
            "voice_states",
            "joined_at",
            "large",
            "member_count",
            "unavailable",
            "stage_instances",
            "guild_scheduled_events",
        ] {
            object.remove(key);
        }
        object.insert("approximate_member_count".into(), Value::from(member_count));
    }
    guild
}

/// The guild's member objects (empty for an unknown guild).
pub(super) fn member_list(data: &Data, guild: u64) -> Vec<Value> {
    data.guilds
        .get(&guild)
        .and_then(|g| g["members"].as_array())
        .cloned()
        .unwrap_or_default()
}

/// `GET …/bans`, `PUT` and `DELETE …/bans/{user}`.
fn bans(
    method: &Method,
    mut data: MutexGuard<'_, Data>,
    guild: u64,
    rest: &[&str],
    body: &Value,
) -> Answer {
    match (method.clone(), rest) {
        (Method::GET, []) => ok(Value::from(
            data.bans.get(&guild).cloned().unwrap_or_default(),
        )),
        (Method::PUT, [user]) => {
            let user_id = parse_id(user).unwrap_or_default();
            let user = member_list(&data, guild).iter().map(|m| m["user"].clone()).find(|u| id_of(u) == user_id).unwrap_or_else(|| json!({"id": user_id.to_string(), "username": "unknown", "discriminator": "0"}));
            data.bans
                .entry(guild)
                .or_default()
                .push(json!({"reason": body["reason"], "user": user}));
            no_content()
        }
        (Method::DELETE, [user]) => {
            let user_id = parse_id(user).unwrap_or_default();
            let bans = data.bans.entry(guild).or_default();
            let before = bans.len();
            bans.retain(|b| id_of(&b["user"]) != user_id);
            if bans.len() == before {
                unknown("Ban", 10026)
            } else {
                no_content()
            }
        }
        _ => not_found(),
    }
}
