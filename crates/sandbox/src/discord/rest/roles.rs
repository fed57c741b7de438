//! Guild roles: list, create, and one role (read, edit, delete), each change announced.

use http::Method;
use parking_lot::MutexGuard;
use serde_json::{Value, json};

use super::answer::{Answer, method_not_allowed, no_content, not_found, ok, parse_id, unknown};
use crate::discord::state::{Data, State, id_of};

/// `…/guilds/{guild}/roles…`: `rest` is what follows `roles`; the guild exists.
pub(super) fn route(
    state: &State,
    method: &Method,
    data: MutexGuard<'_, Data>,
    guild: u64,
    rest: &[&str],
    body: &Value,
) -> Answer {
    match (method.clone(), rest) {
        (Method::GET, []) => ok(data
            .guilds
            .get(&guild)
            .map_or(Value::Null, |g| g["roles"].clone())),
        (Method::POST, []) => create(state, data, guild, body),
        (_, [role]) => {
            let role = parse_id(role).unwrap_or_default();
            by_id(state, data, method, guild, role, body)
        }
        _ => not_found(),
    }
}

/// `POST …/roles`: GUILD_ROLE_CREATE.
fn create(state: &State, mut data: MutexGuard<'_, Data>, guild: u64, body: &Value) -> Answer {
    let id = data.next_id();
    let mut role = json!({
        "id": id.to_string(), "name": body["name"].as_str().unwrap_or("new role"), "color": body["color"].as_u64().unwrap_or(0),
        "hoist": body["hoist"].as_bool().unwrap_or(false), "position": 1, "permissions": body["permissions"].as_str().unwrap_or("0"),
        "managed": false, "mentionable": body["mentionable"].as_bool().unwrap_or(false), "flags": 0,
    });
    // Always present in Discord's role object (OpenAPI `GuildRoleResponse`).
    role["icon"] = Value::Null;
    role["unicode_emoji"] = Value::Null;
    let color = role["color"].clone();
    role["colors"] =
        json!({"primary_color": color, "secondary_color": null, "tertiary_color": null});
    if let Some(roles) = data
        .guilds
        .get_mut(&guild)
        .and_then(|g| g["roles"].as_array_mut())
    {
        roles.push(role.clone());
    }
    drop(data);
    state.dispatch(
        Some(state.shard_of(guild)),
        "GUILD_ROLE_CREATE",
        &json!({"guild_id": guild.to_string(), "role": role}),
    );
    ok(role)
}

/// `GET`, `PATCH`, `DELETE /guilds/{id}/roles/{role}`.
fn by_id(
    state: &State,
    mut data: MutexGuard<'_, Data>,
    method: &Method,
    guild: u64,
    role: u64,
    body: &Value,
) -> Answer {
    let Some(roles) = data
        .guilds
        .get_mut(&guild)
        .and_then(|g| g["roles"].as_array_mut())
    else {
        return unknown("Guild", 10004);
    };
    let Some(index) = roles.iter().position(|r| id_of(r) == role) else {
        return unknown("Role", 10011);
    };
    let (event, answer) = match *method {
        Method::GET => return ok(roles[index].clone()),
        Method::PATCH => {
            let current = &mut roles[index];
            if let (Some(fields), Some(target)) = (body.as_object(), current.as_object_mut()) {
                for (key, value) in fields {
                    if key != "id" {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
            let updated = current.clone();
            (
                (
                    "GUILD_ROLE_UPDATE",
                    json!({"guild_id": guild.to_string(), "role": updated}),
                ),
                ok(updated),
            )
        }
        Method::DELETE => {
            roles.remove(index);
            (
                (
                    "GUILD_ROLE_DELETE",
                    json!({"guild_id": guild.to_string(), "role_id": role.to_string()}),
                ),
                no_content(),
            )
        }
        _ => return method_not_allowed(),
    };
    drop(data);
    state.dispatch(Some(state.shard_of(guild)), event.0, &event.1);
    answer
}
