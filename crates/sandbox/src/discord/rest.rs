//! The REST API over the in-memory guild state.

use std::collections::BTreeMap;
use std::sync::MutexGuard;
use std::time::SystemTime;

use http::{HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{Value, json};

use super::ratelimit::Verdict;
use super::state::{Data, State, id_of, snowflake_time};
use crate::platform::SandboxRequest;
use crate::response::{self, HttpResponse};
use crate::timestamp;

type Answer = (StatusCode, Option<Value>);

fn error(status: StatusCode, code: u64, message: &str) -> Answer {
    (status, Some(json!({"message": message, "code": code})))
}

fn unknown(what: &str, code: u64) -> Answer {
    error(StatusCode::NOT_FOUND, code, &format!("Unknown {what}"))
}

fn ok(value: Value) -> Answer {
    (StatusCode::OK, Some(value))
}

fn no_content() -> Answer {
    (StatusCode::NO_CONTENT, None)
}

fn parse_id(segment: &str) -> Option<u64> {
    segment.parse().ok()
}

/// The rate-limit bucket of a route: method, template, major parameter; and the bucket's
/// hash (the same for every major parameter).
fn bucket(method: &Method, segments: &[&str]) -> (String, String) {
    let major_kinds = ["channels", "guilds", "webhooks"];
    let mut template = Vec::with_capacity(segments.len());
    let mut major = String::new();
    for (index, segment) in segments.iter().enumerate() {
        let previous = index.checked_sub(1).map(|i| segments[i]);
        if index == 1 && major_kinds.contains(&segments[0]) {
            (*segment).clone_into(&mut major);
            template.push("{major}");
        } else if previous == Some("reactions") {
            template.push("{emoji}");
        } else if segment.bytes().all(|b| b.is_ascii_digit())
            || (segments[0] == "webhooks" && index == 2)
            || (segments[0] == "interactions" && index == 2)
        {
            template.push("{id}");
        } else {
            template.push(segment);
        }
    }
    let template = format!("{method} /{}", template.join("/"));
    let hash = format!("{:016x}", fnv(&template));
    (format!("{template}:{major}"), hash)
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub(crate) fn handle(state: &State, request: &SandboxRequest) -> HttpResponse {
    let all = request.segments();
    let mut segments: &[&str] = &all;
    if segments.first() == Some(&"api") {
        segments = &segments[1..];
        if segments
            .first()
            .is_some_and(|v| v.starts_with('v') && v[1..].bytes().all(|b| b.is_ascii_digit()))
        {
            segments = &segments[1..];
        }
    }
    let public = matches!(segments.first(), Some(&"webhooks" | &"interactions"));
    if !public {
        let authorization = request.header("authorization").unwrap_or_default();
        if !authorization.starts_with("Bot ") || !state.token_accepted(authorization) {
            return finish(
                error(StatusCode::UNAUTHORIZED, 0, "401: Unauthorized"),
                Vec::new(),
            );
        }
    }
    let (key, hash) = bucket(&request.method, segments);
    let headers = match state.limits.check(&key, &hash) {
        Verdict::Allowed(headers) => headers,
        Verdict::Limited {
            mut headers,
            retry_after,
            global,
        } => {
            state.counters.rate_limit();
            headers.push((
                "retry-after",
                format!("{}", retry_after.ceil().max(1.0) as u64),
            ));
            let body = json!({"message": "You are being rate limited.", "retry_after": (retry_after * 1000.0).round() / 1000.0, "global": global});
            return finish((StatusCode::TOO_MANY_REQUESTS, Some(body)), headers);
        }
    };
    let body: Value = if request.body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&request.body) {
            Ok(body) => body,
            Err(_) => {
                return finish(
                    error(
                        StatusCode::BAD_REQUEST,
                        50109,
                        "The request body contains invalid JSON.",
                    ),
                    headers,
                );
            }
        }
    };
    let answer = route(state, request, segments, &body);
    finish(answer, headers)
}

fn finish((status, body): Answer, headers: Vec<(&'static str, String)>) -> HttpResponse {
    let mut response = match body {
        Some(body) => response::json(status, &body),
        None => response::empty(status),
    };
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(name), value);
        }
    }
    response
}

#[allow(clippy::too_many_lines)] // one match arm per endpoint reads like the API reference
fn route(state: &State, request: &SandboxRequest, segments: &[&str], body: &Value) -> Answer {
    let method = &request.method;
    let host = request.header("host").unwrap_or("127.0.0.1");
    match (method.clone(), segments) {
        (Method::GET, ["gateway"]) => ok(json!({"url": format!("ws://{host}")})),
        (Method::GET, ["gateway", "bot"]) => {
            let (total, remaining, reset_after) = state.session_start_limit();
            ok(json!({
                "url": format!("ws://{host}"),
                "shards": state.config.shards,
                "session_start_limit": {
                    "total": total,
                    "remaining": remaining,
                    "reset_after": reset_after.as_millis() as u64,
                    "max_concurrency": state.config.max_concurrency,
                },
            }))
        }
        (Method::GET, ["users", "@me"]) => ok(state.data().user.clone()),
        (Method::GET, ["users", id]) => {
            let data = state.data();
            let id = parse_id(id).unwrap_or_default();
            data.guilds
                .values()
                .flat_map(|g| g["members"].as_array().into_iter().flatten())
                .map(|m| &m["user"])
                .find(|u| id_of(u) == id)
                .cloned()
                .map_or_else(|| unknown("User", 10013), ok)
        }
        (Method::GET, ["oauth2", "applications", "@me"] | ["applications", "@me"]) => {
            ok(state.data().application.clone())
        }
        (Method::POST, ["users", "@me", "channels"]) => {
            let mut data = state.data();
            let id = data.next_id();
            let recipient = body["recipient_id"].clone();
            let channel = json!({"id": id.to_string(), "type": 1, "last_message_id": null, "recipients": [{"id": recipient, "username": "someone", "discriminator": "0"}]});
            data.channels.insert(id, channel.clone());
            ok(channel)
        }
        (_, ["channels", channel, rest @ ..]) => channels(
            state,
            request,
            parse_id(channel).unwrap_or_default(),
            rest,
            body,
        ),
        (_, ["guilds", guild, rest @ ..]) => guilds(
            state,
            request,
            parse_id(guild).unwrap_or_default(),
            rest,
            body,
        ),
        (Method::POST, ["interactions", id, token, "callback"]) => {
            interaction_callback(state, id, token, body)
        }
        (Method::POST, ["webhooks", webhook, _token]) => {
            let mut data = state.data();
            let channel = data.channels.keys().next().copied().unwrap_or_default();
            let message = new_message(&mut data, channel, body, Some(webhook));
            drop(data);
            announce(state, "MESSAGE_CREATE", &message);
            if request.query_param("wait") == Some("true") {
                ok(message)
            } else {
                no_content()
            }
        }
        (
            Method::GET | Method::PATCH | Method::DELETE,
            ["webhooks", _app, token, "messages", id],
        ) => webhook_message(state, method, token, id, body),
        (_, ["applications", _app, rest @ ..]) => commands(state, method, rest, body),
        (Method::POST, ["stage-instances"]) => {
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
        (Method::PATCH, ["stage-instances", channel]) => {
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
        (Method::GET, ["stage-instances", channel]) => state
            .data()
            .stage_instances
            .get(&parse_id(channel).unwrap_or_default())
            .cloned()
            .map_or_else(|| unknown("Stage Instance", 10067), ok),
        (Method::DELETE, ["stage-instances", channel]) => state
            .data()
            .stage_instances
            .remove(&parse_id(channel).unwrap_or_default())
            .map_or_else(|| unknown("Stage Instance", 10067), |_| no_content()),
        _ => error(StatusCode::NOT_FOUND, 0, "404: Not Found"),
    }
}

/// `POST /interactions/{id}/{token}/callback`: once per interaction; types 4 and 7 post
/// the message that `@original` then names.
fn interaction_callback(state: &State, id: &str, token: &str, body: &Value) -> Answer {
    let kind = body["type"].as_u64().unwrap_or_default();
    if !matches!(kind, 1 | 4..=10 | 12) {
        return error(StatusCode::BAD_REQUEST, 50035, "Invalid Form Body");
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
        let channel = data.channels.keys().next().copied().unwrap_or_default();
        let message = new_message(&mut data, channel, &body["data"], None);
        data.interaction_messages
            .insert(token.to_owned(), (channel, id_of(&message)));
        drop(data);
        announce(state, "MESSAGE_CREATE", &message);
    }
    no_content()
}

/// `GET`/`PATCH`/`DELETE /webhooks/{id}/{token}/messages/{id | @original}`.
fn webhook_message(state: &State, method: &Method, token: &str, id: &str, body: &Value) -> Answer {
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

/// Applies a message edit (`content`, `embeds`), tells the gateway and answers with the
/// edited message.
fn edit_message(
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
fn announce(state: &State, event: &str, message: &Value) {
    let guild = message["guild_id"].as_str().and_then(parse_id);
    state.dispatch(Some(guild.map_or(0, |g| state.shard_of(g))), event, message);
}

fn new_message(data: &mut Data, channel: u64, body: &Value, webhook: Option<&str>) -> Value {
    let id = data.next_id();
    let guild_id = data
        .channels
        .get(&channel)
        .map_or(Value::Null, |c| c["guild_id"].clone());
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
    });
    if let Some(webhook) = webhook {
        message["webhook_id"] = Value::from(webhook);
    }
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

#[allow(clippy::too_many_lines)] // one arm per endpoint
fn channels(
    state: &State,
    request: &SandboxRequest,
    channel: u64,
    rest: &[&str],
    body: &Value,
) -> Answer {
    let method = &request.method;
    let mut data = state.data();
    if !data.channels.contains_key(&channel) {
        return unknown("Channel", 10003);
    }
    match (method.clone(), rest) {
        (Method::GET, []) => ok(data.channels[&channel].clone()),
        (Method::PATCH, []) => {
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
        (Method::DELETE, []) => {
            let removed = data.channels.remove(&channel).unwrap_or_default();
            data.messages.remove(&channel);
            let guild = removed["guild_id"].as_str().and_then(parse_id);
            drop(data);
            if let Some(guild) = guild {
                state.dispatch(Some(state.shard_of(guild)), "CHANNEL_DELETE", &removed);
            }
            ok(removed)
        }
        (Method::GET, ["messages"]) => {
            // Newest first, `limit` 1–100 (default 50), around / before / after one message
            // id (at most one of them), as Discord pages channel history.
            let limit = match request.query_param("limit").map(str::parse::<usize>) {
                None => 50,
                Some(Ok(limit @ 1..=100)) => limit,
                Some(_) => return error(StatusCode::BAD_REQUEST, 50035, "Invalid Form Body"),
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
                _ => return error(StatusCode::BAD_REQUEST, 50035, "Invalid Form Body"),
            };
            ok(Value::from(messages))
        }
        (Method::POST, ["messages"]) => {
            let content_len = body["content"].as_str().map_or(0, |c| c.chars().count());
            if content_len > 2000 {
                return error(StatusCode::BAD_REQUEST, 50035, "Invalid Form Body");
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
        (Method::POST, ["messages", "bulk-delete"]) => {
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
        (_, ["messages", message, more @ ..]) => {
            let message = parse_id(message).unwrap_or_default();
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
                    let mut event =
                        json!({"id": message.to_string(), "channel_id": channel.to_string()});
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
                    super::reactions::handle(state, method, channel, message, reaction)
                }
                _ => error(StatusCode::METHOD_NOT_ALLOWED, 0, "405: Method Not Allowed"),
            }
        }
        (Method::POST, ["typing"]) => no_content(),
        _ => error(StatusCode::NOT_FOUND, 0, "404: Not Found"),
    }
}

#[allow(clippy::too_many_lines)] // one arm per endpoint
fn guilds(
    state: &State,
    request: &SandboxRequest,
    guild: u64,
    rest: &[&str],
    body: &Value,
) -> Answer {
    let method = &request.method;
    let mut data = state.data();
    let Some(stored) = data.guilds.get(&guild) else {
        return unknown("Guild", 10004);
    };
    let members = stored["members"].as_array().cloned().unwrap_or_default();
    match (method.clone(), rest) {
        (Method::GET, []) => {
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
                object.insert(
                    "approximate_member_count".into(),
                    Value::from(members.len()),
                );
            }
            ok(guild)
        }
        (Method::GET, ["channels"]) => {
            let channels: Vec<Value> = data
                .channels
                .values()
                .filter(|c| c["guild_id"].as_str().and_then(parse_id) == Some(guild))
                .cloned()
                .collect();
            ok(Value::from(channels))
        }
        (Method::GET, ["members"]) => {
            // Needs the GUILD_MEMBERS privileged intent enabled for the application.
            if state.config.allowed_privileged_intents & (1 << 1) == 0 {
                return error(StatusCode::FORBIDDEN, 50001, "Missing Access");
            }
            // Discord: `limit` 1–1000 (default 1), `after` the highest user id seen so far;
            // members come in user-id order.
            let limit = match request.query_param("limit").map(str::parse::<usize>) {
                None => 1,
                Some(Ok(limit @ 1..=1000)) => limit,
                Some(_) => return error(StatusCode::BAD_REQUEST, 50035, "Invalid Form Body"),
            };
            let after = match request.query_param("after").map(str::parse::<u64>) {
                None => 0,
                Some(Ok(after)) => after,
                Some(Err(_)) => return error(StatusCode::BAD_REQUEST, 50035, "Invalid Form Body"),
            };
            let mut page: Vec<Value> = members
                .into_iter()
                .filter(|m| id_of(&m["user"]) > after)
                .collect();
            page.sort_by_key(|m| id_of(&m["user"]));
            page.truncate(limit);
            ok(Value::from(page))
        }
        (Method::DELETE, ["members", user]) => {
            let user = parse_id(user).unwrap_or_default();
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
        (Method::GET, ["members", user]) => {
            let user = parse_id(user).unwrap_or_default();
            members
                .into_iter()
                .find(|m| id_of(&m["user"]) == user)
                .map_or_else(|| unknown("Member", 10007), ok)
        }
        (Method::GET, ["roles"]) => ok(stored["roles"].clone()),
        (Method::POST, ["roles"]) => {
            let id = data.next_id();
            let role = json!({
                "id": id.to_string(), "name": body["name"].as_str().unwrap_or("new role"), "color": body["color"].as_u64().unwrap_or(0),
                "hoist": body["hoist"].as_bool().unwrap_or(false), "position": 1, "permissions": body["permissions"].as_str().unwrap_or("0"),
                "managed": false, "mentionable": body["mentionable"].as_bool().unwrap_or(false), "flags": 0,
            });
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
        (_, ["roles", role]) => {
            let role = parse_id(role).unwrap_or_default();
            role_by_id(state, data, method, guild, role, body)
        }
        (Method::GET, ["bans"]) => ok(Value::from(
            data.bans.get(&guild).cloned().unwrap_or_default(),
        )),
        (Method::PUT, ["bans", user]) => {
            let user_id = parse_id(user).unwrap_or_default();
            let user = members.iter().map(|m| m["user"].clone()).find(|u| id_of(u) == user_id).unwrap_or_else(|| json!({"id": user_id.to_string(), "username": "unknown", "discriminator": "0"}));
            data.bans
                .entry(guild)
                .or_default()
                .push(json!({"reason": body["reason"], "user": user}));
            no_content()
        }
        (Method::DELETE, ["bans", user]) => {
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
        _ => error(StatusCode::NOT_FOUND, 0, "404: Not Found"),
    }
}

/// `GET`, `PATCH`, `DELETE /guilds/{id}/roles/{role}`.
fn role_by_id(
    state: &State,
    mut data: std::sync::MutexGuard<'_, Data>,
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
        _ => return error(StatusCode::METHOD_NOT_ALLOWED, 0, "405: Method Not Allowed"),
    };
    drop(data);
    state.dispatch(Some(state.shard_of(guild)), event.0, &event.1);
    answer
}

fn commands(state: &State, method: &Method, rest: &[&str], body: &Value) -> Answer {
    let mut data = state.data();
    let (guild, rest) = match rest {
        ["guilds", guild, "commands", more @ ..] => (parse_id(guild), more),
        ["commands", more @ ..] => (None, more),
        _ => return error(StatusCode::NOT_FOUND, 0, "404: Not Found"),
    };
    let application = data.application["id"].clone();
    let make = |data: &mut Data, command: &Value| {
        let id = data.next_id();
        let mut command = command.clone();
        command["id"] = Value::from(id.to_string());
        command["application_id"] = application.clone();
        command["version"] = Value::from(id.to_string());
        if command.get("type").is_none() {
            command["type"] = Value::from(1);
        }
        if let Some(guild) = guild {
            command["guild_id"] = Value::from(guild.to_string());
        }
        command
    };
    match (method.clone(), rest) {
        (Method::GET, []) => ok(Value::from(
            data.commands.get(&guild).cloned().unwrap_or_default(),
        )),
        (Method::POST, []) => {
            if body["name"]
                .as_str()
                .is_none_or(|n| n.is_empty() || n.chars().count() > 32)
            {
                return error(StatusCode::BAD_REQUEST, 50035, "Invalid Form Body");
            }
            let created = make(&mut data, body);
            data.commands
                .entry(guild)
                .or_default()
                .push(created.clone());
            (StatusCode::CREATED, Some(created))
        }
        (Method::PUT, []) => {
            let Some(list) = body.as_array() else {
                return error(StatusCode::BAD_REQUEST, 50035, "Invalid Form Body");
            };
            let created: Vec<Value> = list.iter().map(|c| make(&mut data, c)).collect();
            data.commands.insert(guild, created.clone());
            ok(Value::from(created))
        }
        (Method::GET, [id]) => {
            let id = parse_id(id).unwrap_or_default();
            data.commands
                .get(&guild)
                .and_then(|list| list.iter().find(|c| id_of(c) == id).cloned())
                .map_or_else(|| unknown("application command", 10063), ok)
        }
        (Method::PATCH, [id]) => {
            let id = parse_id(id).unwrap_or_default();
            let Some(command) = data
                .commands
                .get_mut(&guild)
                .and_then(|list| list.iter_mut().find(|c| id_of(c) == id))
            else {
                return unknown("application command", 10063);
            };
            if let (Some(fields), Some(target)) = (body.as_object(), command.as_object_mut()) {
                for (key, value) in fields {
                    if !matches!(
                        key.as_str(),
                        "id" | "application_id" | "guild_id" | "version"
                    ) {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
            ok(command.clone())
        }
        (Method::DELETE, [id]) => {
            let id = parse_id(id).unwrap_or_default();
            let list = data.commands.entry(guild).or_default();
            let before = list.len();
            list.retain(|c| id_of(c) != id);
            if list.len() == before {
                unknown("application command", 10063)
            } else {
                no_content()
            }
        }
        _ => error(StatusCode::NOT_FOUND, 0, "404: Not Found"),
    }
}
