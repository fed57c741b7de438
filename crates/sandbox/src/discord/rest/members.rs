//! Guild members: the paged list (behind the GUILD_MEMBERS intent), one member, kicks.

use http::Method;
use parking_lot::MutexGuard;
use serde_json::{Value, json};

use super::answer::{
    Answer, error, invalid_form_body, no_content, not_found, ok, parse_id, unknown,
};
use super::guilds::member_list;
use crate::discord::state::{Data, State, id_of};
use crate::platform::SandboxRequest;

/// `…/guilds/{guild}/members…`: `rest` is what follows `members`; the guild exists.
pub(super) fn route(
    state: &State,
    request: &SandboxRequest,
    data: MutexGuard<'_, Data>,
    guild: u64,
    rest: &[&str],
) -> Answer {
    match (request.method.clone(), rest) {
        (Method::GET, []) => list(state, request, &data, guild),
        (Method::DELETE, [user]) => kick(state, data, guild, parse_id(user).unwrap_or_default()),
        (Method::GET, [user]) => {
            let user = parse_id(user).unwrap_or_default();
            member_list(&data, guild)
                .into_iter()
                .find(|m| id_of(&m["user"]) == user)
                .map_or_else(|| unknown("Member", 10007), ok)
        }
        _ => not_found(),
    }
}

/// `GET …/members`: needs the GUILD_MEMBERS privileged intent enabled for the application.
/// Discord: `limit` 1–1000 (default 1), `after` the highest user id seen so far; members
/// come in user-id order.
fn list(state: &State, request: &SandboxRequest, data: &Data, guild: u64) -> Answer {
    if state.config.allowed_privileged_intents & (1 << 1) == 0 {
        return error(http::StatusCode::FORBIDDEN, 50001, "Missing Access");
    }
    let limit = match request.query_param("limit").map(str::parse::<usize>) {
        None => 1,
        Some(Ok(limit @ 1..=1000)) => limit,
        Some(_) => return invalid_form_body(),
    };
    let after = match request.query_param("after").map(str::parse::<u64>) {
        None => 0,
        Some(Ok(after)) => after,
        Some(Err(_)) => return invalid_form_body(),
    };
    let mut page: Vec<Value> = member_list(data, guild)
        .into_iter()
        .filter(|m| id_of(&m["user"]) > after)
        .collect();
    page.sort_by_key(|m| id_of(&m["user"]));
    page.truncate(limit);
    ok(Value::from(page))
}

/// `DELETE …/members/{user}`: the member goes; GUILD_MEMBER_REMOVE.
fn kick(state: &State, mut data: MutexGuard<'_, Data>, guild: u64, user: u64) -> Answer {
    let Some(list) = data
        .guilds
        .get_mut(&guild)
        .and_then(|g| g["members"].as_array_mut())
    else {
        return unknown("Guild", 10004);
    };
    let Some(index) = list.iter().position(|m| id_of(&m["user"]) == user) else {
        return unknown("Member", 10007);
    };
    let removed = list.remove(index);
    drop(data);
    state.dispatch(
        Some(state.shard_of(guild)),
        "GUILD_MEMBER_REMOVE",
        &json!({"guild_id": guild.to_string(), "user": removed["user"]}),
    );
    no_content()
}
