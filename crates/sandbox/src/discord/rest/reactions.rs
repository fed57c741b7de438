//! Reactions: stored per message, reflected in the message's `reactions` array, and
//! announced as `MESSAGE_REACTION_*` dispatches like Discord does.

use http::{Method, StatusCode};
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};

use super::answer::{Answer, method_not_allowed};
use crate::discord::state::{Data, State, id_of};

/// The reaction key of a path segment: percent-decoded (`%F0%9F%91%8D` → `👍`); bad
/// escapes stay as they are.
fn reaction_key(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

/// The emoji object of a key: `name:id` is a custom emoji, anything else a unicode one.
fn emoji(key: &str) -> Value {
    match key.rsplit_once(':') {
        Some((name, id)) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => {
            json!({"id": id, "name": name})
        }
        _ => json!({"id": null, "name": key}),
    }
}

fn user_object(data: &Data, guild: Option<u64>, user: u64) -> Value {
    if id_of(&data.user) == user {
        return data.user.clone();
    }
    guild
        .and_then(|g| data.guilds.get(&g))
        .and_then(|g| g["members"].as_array())
        .and_then(|members| {
            members
                .iter()
                .map(|m| &m["user"])
                .find(|u| id_of(u) == user)
        })
        .cloned()
        .unwrap_or_else(
            || json!({"id": user.to_string(), "username": "unknown", "discriminator": "0"}),
        )
}

fn member_object(data: &Data, guild: u64, user: u64) -> Option<Value> {
    data.guilds
        .get(&guild)?
        .get("members")?
        .as_array()?
        .iter()
        .find(|m| id_of(&m["user"]) == user)
        .cloned()
}

/// Rewrites the message's `reactions` from the stored users.
fn refresh(data: &mut Data, channel: u64, message: u64) {
    let me = id_of(&data.user);
    let list: Vec<Value> = data
        .reactions
        .get(&message)
        .into_iter()
        .flatten()
        .filter(|(_, users)| !users.is_empty())
        .map(|(key, users)| {
            json!({
                "count": users.len(),
                "count_details": {"burst": 0, "normal": users.len()},
                "me": users.contains(&me),
                "me_burst": false,
                "burst_colors": [],
                "emoji": emoji(key),
            })
        })
        .collect();
    if let Some(stored) = data
        .messages
        .get_mut(&channel)
        .and_then(|m| m.get_mut(&message))
    {
        stored["reactions"] = Value::from(list);
    }
}

/// `…/messages/{id}/reactions…`: `rest` is what follows `reactions`.
#[allow(clippy::too_many_lines)] // one arm per reaction endpoint, like the API reference
pub(super) fn handle(
    state: &State,
    method: &Method,
    channel: u64,
    message: u64,
    rest: &[&str],
) -> Answer {
    let mut data = state.data();
    let me = id_of(&data.user);
    let guild = data
        .channels
        .get(&channel)
        .and_then(|c| c["guild_id"].as_str())
        .and_then(|g| g.parse::<u64>().ok());
    let mut base = json!({"channel_id": channel.to_string(), "message_id": message.to_string()});
    if let Some(guild) = guild {
        base["guild_id"] = Value::from(guild.to_string());
    }
    let mut events: Vec<(&'static str, Value)> = Vec::new();
    let key = rest.first().map(|e| reaction_key(e));
    let entries = data.reactions.entry(message).or_default();
    let answer = match (method.clone(), rest, key) {
        (Method::GET, [_], Some(key)) => {
            let users: Vec<u64> = entries
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, users)| users.clone())
                .unwrap_or_default();
            let users: Vec<Value> = users
                .into_iter()
                .map(|u| user_object(&data, guild, u))
                .collect();
            return (StatusCode::OK, Some(Value::from(users)));
        }
        (Method::PUT, [_, "@me"], Some(key)) => {
            let index = entries
                .iter()
                .position(|(k, _)| *k == key)
                .unwrap_or_else(|| {
                    entries.push((key.clone(), Vec::new()));
                    entries.len() - 1
                });
            let users = &mut entries[index].1;
            if !users.contains(&me) {
                users.push(me);
                let mut event = base.clone();
                event["user_id"] = Value::from(me.to_string());
                event["emoji"] = emoji(&key);
                normal_reaction(&mut event);
                if let Some(member) = guild.and_then(|g| member_object(&data, g, me)) {
                    event["member"] = member;
                }
                events.push(("MESSAGE_REACTION_ADD", event));
            }
            (StatusCode::NO_CONTENT, None)
        }
        (Method::DELETE, [_, who], Some(key)) => {
            let user = if *who == "@me" {
                Some(me)
            } else {
                who.parse::<u64>().ok()
            };
            let removed = entries
                .iter_mut()
                .find(|(k, _)| *k == key)
                .zip(user)
                .is_some_and(|((_, users), user)| {
                    let before = users.len();
                    users.retain(|u| *u != user);
                    users.len() != before
                });
            if let (true, Some(user)) = (removed, user) {
                let mut event = base.clone();
                event["user_id"] = Value::from(user.to_string());
                event["emoji"] = emoji(&key);
                normal_reaction(&mut event);
                events.push(("MESSAGE_REACTION_REMOVE", event));
            }
            (StatusCode::NO_CONTENT, None)
        }
        (Method::DELETE, [_], Some(key)) => {
            let before = entries.len();
            entries.retain(|(k, _)| *k != key);
            if entries.len() != before {
                let mut event = base.clone();
                event["emoji"] = emoji(&key);
                events.push(("MESSAGE_REACTION_REMOVE_EMOJI", event));
            }
            (StatusCode::NO_CONTENT, None)
        }
        (Method::DELETE, [], None) => {
            if !entries.is_empty() {
                entries.clear();
                events.push(("MESSAGE_REACTION_REMOVE_ALL", base.clone()));
            }
            (StatusCode::NO_CONTENT, None)
        }
        _ => return method_not_allowed(),
    };
    refresh(&mut data, channel, message);
    drop(data);
    let shard = guild.map_or(0, |g| state.shard_of(g));
    for (name, event) in events {
        state.dispatch(Some(shard), name, &event);
    }
    answer
}

/// The fields MESSAGE_REACTION_ADD and _REMOVE always carry for a normal (not super)
/// reaction: `burst` and `type` (0, normal).
fn normal_reaction(event: &mut Value) {
    event["burst"] = Value::from(false);
    event["type"] = Value::from(0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_handles_emoji_and_bad_escapes() {
        assert_eq!(reaction_key("%F0%9F%91%8D"), "👍");
        assert_eq!(reaction_key("blob%3A123"), "blob:123");
        assert_eq!(reaction_key("100%"), "100%");
        assert_eq!(reaction_key("%zz"), "%zz");
    }

    #[test]
    fn custom_and_unicode_emoji_objects() {
        assert_eq!(emoji("blob:123"), json!({"id": "123", "name": "blob"}));
        assert_eq!(emoji("👍"), json!({"id": null, "name": "👍"}));
        assert_eq!(emoji("a:b"), json!({"id": null, "name": "a:b"}));
    }
}
