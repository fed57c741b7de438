//! Messages in a channel: history pages, sending, bulk delete, one message (read, edit,
//! delete, its reactions); and the message objects webhooks and interactions post too.
//! Every change is announced over the gateway as Discord does.

use std::collections::BTreeMap;
use std::time::SystemTime;

use http::{Method, StatusCode};
use parking_lot::MutexGuard;
use serde_json::{Value, json};

use super::answer::{
    Answer, error, invalid_form_body, method_not_allowed, no_content, not_found, ok, parse_id,
    unknown,
};
use super::reactions;
use crate::discord::state::{Data, State, id_of, snowflake_time};
use crate::platform::SandboxRequest;
use crate::timestamp;

/// `…/channels/{channel}/messages…`: `rest` is what follows `messages`; the channel exists.
pub(super) fn route(
    state: &State,
    request: &SandboxRequest,
    data: MutexGuard<'_, Data>,
    channel: u64,
    rest: &[&str],
    body: &Value,
) -> Answer {
    let method = &request.method;
    match (method.clone(), rest) {
        (Method::GET, []) => history(request, &data, channel),
        (Method::POST, []) => create(state, data, channel, body),
        (Method::POST, ["bulk-delete"]) => bulk_delete(state, data, channel, body),
        (_, [message, more @ ..]) => {
            let message = parse_id(message).unwrap_or_default();
            by_id(state, data, method, channel, message, more, body)
        }
        _ => not_found(),
    }
}

/// `GET …/messages`: newest first, `limit` 1–100 (default 50), around / before / after one
/// message id (at most one of them), as Discord pages channel history.
fn history(request: &SandboxRequest, data: &Data, channel: u64) -> Answer {
    let limit = match request.query_param("limit").map(str::parse::<usize>) {
        None => 50,
        Some(Ok(limit @ 1..=100)) => limit,
        Some(_) => return invalid_form_body(),
    };
    let anchors: Vec<(&str, Option<u64>)> = ["around", "before", "after"]
        .into_iter()
        .filter_map(|name| request.query_param(name).map(|v| (name, parse_id(v))))
        .collect();
    let empty = BTreeMap::new();
    let history = data.messages.get(&channel).unwrap_or(&empty);
    let messages: Vec<Value> = match anchors.as_slice() {
        [] => history.values().rev().take(limit).cloned().collect(),
        [("before", Some(id))] => history
            .range(..*id)
            .rev()
            .take(limit)
            .map(|(_, m)| m.clone())
            .collect(),
        [("after", Some(id))] => {
            let mut after: Vec<Value> = history
                .range(id + 1..)
                .take(limit)
                .map(|(_, m)| m.clone())
                .collect();
            after.reverse();
            after
        }
        [("around", Some(id))] => {
            let newer: Vec<&Value> = history.range(id..).map(|(_, m)| m).collect();
            let older = history.range(..*id).rev().map(|(_, m)| m);
            let newer_count = newer.len().min(limit.div_ceil(2));
            let older_count = limit - newer_count;
            newer[..newer_count]
                .iter()
                .rev()
                .map(|m| (*m).clone())
                .chain(older.take(older_count).cloned())
                .collect()
        }
        _ => return invalid_form_body(),
    };
    ok(Value::from(messages))
}

/// `POST …/messages`: content up to 2000 characters, or embeds.
fn create(state: &State, mut data: MutexGuard<'_, Data>, channel: u64, body: &Value) -> Answer {
    let content_len = body["content"].as_str().map_or(0, |c| c.chars().count());
    if content_len > 2000 {
        return invalid_form_body();
    }
    if content_len == 0 && body["embeds"].as_array().is_none_or(Vec::is_empty) {
        return error(
            StatusCode::BAD_REQUEST,
            50006,
            "Cannot send an empty message",
        );
    }
    let message = new_message(&mut data, channel, body, None);
    drop(data);
    // Discord echoes a bot's own message over the gateway.
    announce(state, "MESSAGE_CREATE", &message);
    ok(message)
}

/// `POST …/messages/bulk-delete`: 2 to 100 ids, one MESSAGE_DELETE_BULK.
fn bulk_delete(
    state: &State,
    mut data: MutexGuard<'_, Data>,
    channel: u64,
    body: &Value,
) -> Answer {
    let ids: Vec<u64> = body["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().and_then(parse_id))
        .collect();
    if !(2..=100).contains(&ids.len()) {
        return error(
            StatusCode::BAD_REQUEST,
            50016,
            "You must provide between 2 and 100 messages",
        );
    }
    if let Some(messages) = data.messages.get_mut(&channel) {
        for id in &ids {
            messages.remove(id);
        }
    }
    let guild = data.channels[&channel]["guild_id"].clone();
    drop(data);
    if let Some(g) = guild.as_str().and_then(parse_id) {
        let ids: Vec<String> = ids.iter().map(u64::to_string).collect();
        state.dispatch(
            Some(state.shard_of(g)),
            "MESSAGE_DELETE_BULK",
            &json!({"ids": ids, "channel_id": channel.to_string(), "guild_id": guild}),
        );
    }
    no_content()
}

/// `…/messages/{message}…`: read, edit, delete, or its reactions (`more`).
fn by_id(
    state: &State,
    mut data: MutexGuard<'_, Data>,
    method: &Method,
    channel: u64,
    message: u64,
    more: &[&str],
    body: &Value,
) -> Answer {
    let Some(stored) = data
        .messages
        .get_mut(&channel)
        .and_then(|m| m.get_mut(&message))
    else {
        return unknown("Message", 10008);
    };
    match (method.clone(), more) {
        (Method::GET, []) => ok(stored.clone()),
        (Method::PATCH, []) => edit_message(state, data, channel, message, body),
        (Method::DELETE, []) => {
            data.messages.get_mut(&channel).map(|m| m.remove(&message));
            data.reactions.remove(&message);
            let mut event = json!({"id": message.to_string(), "channel_id": channel.to_string()});
            let guild = data.channels[&channel]["guild_id"].clone();
            drop(data);
            if let Some(g) = guild.as_str().and_then(parse_id) {
                event["guild_id"] = guild;
                state.dispatch(Some(state.shard_of(g)), "MESSAGE_DELETE", &event);
            }
            no_content()
        }
        (_, ["reactions", reaction @ ..]) => {
            drop(data);
            reactions::handle(state, method, channel, message, reaction)
        }
        _ => method_not_allowed(),
    }
}

/// Applies a message edit (`content`, `embeds`), tells the gateway and answers with the
/// edited message.
pub(super) fn edit_message(
    state: &State,
    mut data: MutexGuard<'_, Data>,
    channel: u64,
    id: u64,
    body: &Value,
) -> Answer {
    let Some(stored) = data.messages.get_mut(&channel).and_then(|m| m.get_mut(&id)) else {
        return unknown("Message", 10008);
    };
    for key in ["content", "embeds"] {
        if let Some(value) = body.get(key) {
            stored[key] = value.clone();
        }
    }
    rich_embeds(stored);
    stored["edited_timestamp"] = Value::from(timestamp::discord(SystemTime::now()));
    let mut edited = stored.clone();
    if let Some(guild) = data.channels.get(&channel).map(|c| &c["guild_id"])
        && !guild.is_null()
    {
        edited["guild_id"] = guild.clone();
    }
    drop(data);
    // Discord sends the whole edited message over the gateway.
    announce(state, "MESSAGE_UPDATE", &edited);
    ok(edited)
}

/// Embeds a bot sends are `rich` ones; Discord fills in the type.
fn rich_embeds(message: &mut Value) {
    for embed in message["embeds"].as_array_mut().into_iter().flatten() {
        if let Some(embed) = embed.as_object_mut() {
            embed.entry("type").or_insert_with(|| Value::from("rich"));
        }
    }
}

/// Tells the gateway about a created or edited message (`event`), as Discord does for
/// every message in a channel the bot can see. `message` carries `guild_id` when in a guild.
pub(in crate::discord) fn announce(state: &State, event: &str, message: &Value) -> usize {
    let guild = message["guild_id"].as_str().and_then(parse_id);
    state.dispatch_counted(Some(guild.map_or(0, |g| state.shard_of(g))), event, message)
}

/// Stores a new message in `channel`, authored by the bot or by `webhook`, and returns it
/// (with `guild_id` when the channel is in a guild).
pub(in crate::discord) fn new_message(
    data: &mut Data,
    channel: u64,
    body: &Value,
    webhook: Option<&str>,
) -> Value {
    // A webhook posts as itself: its id, the name the post asks for, the `0000`
    // discriminator Discord gives webhook authors.
    let author = match webhook {
        Some(webhook) => json!({
            "id": webhook,
            "username": body["username"].as_str().unwrap_or("Webhook"),
            "discriminator": "0000",
            "avatar": null,
            "bot": true,
        }),
        None => data.user.clone(),
    };
    let mut message = new_message_by(data, channel, body, &author);
    if let Some(webhook) = webhook {
        message["webhook_id"] = Value::from(webhook);
        if let Some(stored) = data
            .messages
            .get_mut(&channel)
            .and_then(|m| m.get_mut(&id_of(&message)))
        {
            stored["webhook_id"] = Value::from(webhook);
        }
    }
    message
}

/// Stores a new message in `channel` written by `author` (a user object) and returns it
/// (with `guild_id` when the channel is in a guild).
pub(in crate::discord) fn new_message_by(
    data: &mut Data,
    channel: u64,
    body: &Value,
    author: &Value,
) -> Value {
    let id = data.next_id();
    let guild_id = data
        .channels
        .get(&channel)
        .map_or(Value::Null, |c| c["guild_id"].clone());
    let mut message = json!({
        "id": id.to_string(),
        "channel_id": channel.to_string(),
        "author": author,
        "content": body["content"].as_str().unwrap_or_default(),
        "timestamp": timestamp::discord(snowflake_time(id)),
        "edited_timestamp": null,
        "tts": body["tts"].as_bool().unwrap_or(false),
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body["embeds"].as_array().cloned().unwrap_or_default(),
        "reactions": [],
        "pinned": false,
        "type": if body.get("message_reference").is_some() { 19 } else { 0 },
        "flags": 0,
        "components": body["components"].as_array().cloned().unwrap_or_default(),
    });
    if let Some(reference) = body.get("message_reference") {
        message["message_reference"] = reference.clone();
    }
    if let Some(nonce) = body.get("nonce") {
        message["nonce"] = nonce.clone();
    }
    rich_embeds(&mut message);
    data.messages
        .entry(channel)
        .or_default()
        .insert(id, message.clone());
    if !guild_id.is_null() {
        message["guild_id"] = guild_id;
    }
    message
}
