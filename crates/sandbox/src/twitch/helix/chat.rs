//! Chat: `GET /chat/chatters`, `GET` / `PATCH /chat/settings`, `GET /chat/badges[/global]`,
//! `GET /chat/emotes[/global]`, `GET` / `PUT /chat/color`.

use std::collections::HashMap;

use http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use crate::response;

use super::{Answer, Call, HelixControl, HelixInner, bad_request, ok};

/// The named colors anyone may pick (Turbo and Prime users may also use `#RRGGBB`).
const NAMED_COLORS: [&str; 15] = [
    "blue",
    "blue_violet",
    "cadet_blue",
    "chocolate",
    "coral",
    "dodger_blue",
    "firebrick",
    "golden_rod",
    "green",
    "hot_pink",
    "orange_red",
    "red",
    "sea_green",
    "spring_green",
    "yellow_green",
];

/// Per-channel chat state.
#[derive(Debug, Default)]
pub(super) struct Chat {
    /// Settings changed from the defaults, per broadcaster.
    settings: HashMap<String, Map<String, Value>>,
    /// Who is in each chat, in arrival order.
    chatters: HashMap<String, Vec<String>>,
    /// Channel emotes (name, id) per broadcaster.
    emotes: HashMap<String, Vec<(String, String)>>,
    /// Chat colors per user.
    colors: HashMap<String, String>,
}

pub(super) fn route(
    inner: &mut HelixInner,
    call: &Call<'_>,
    method: &Method,
    path: &[&str],
) -> Option<Answer> {
    Some(match (method, path) {
        (&Method::GET, ["chat", "chatters"]) => chatters(inner, call),
        (&Method::GET, ["chat", "settings"]) => call
            .required("broadcaster_id")
            .map(|id| ok(&json!([settings(inner, &id)]))),
        (&Method::PATCH, ["chat", "settings"]) => update_settings(inner, call),
        (&Method::GET, ["chat", "badges", "global"]) => Ok(ok(&json!([
            badge_set("moderator", &["1"]),
            badge_set("vip", &["1"]),
            badge_set("broadcaster", &["1"]),
            badge_set("premium", &["1"]),
        ]))),
        (&Method::GET, ["chat", "badges"]) => call.required("broadcaster_id").map(|_| {
            ok(&json!([
                badge_set("subscriber", &["0", "3", "6", "12"]),
                badge_set("bits", &["1", "100", "1000"]),
            ]))
        }),
        (&Method::GET, ["chat", "emotes", "global"]) => Ok(ok(&json!([
            emote("25", "Kappa", "", "globals", "0"),
            emote("88", "PogChamp", "", "globals", "0"),
            emote("354", "4Head", "", "globals", "0"),
        ]))),
        (&Method::GET, ["chat", "emotes"]) => call.required("broadcaster_id").map(|id| {
            let data: Vec<Value> = inner
                .chat
                .emotes
                .get(&id)
                .into_iter()
                .flatten()
                .map(|(name, emote_id)| emote(emote_id, name, "1000", "subscriptions", &id))
                .collect();
            ok(&Value::Array(data))
        }),
        (&Method::GET, ["chat", "color"]) => {
            let data: Vec<Value> = call
                .params("user_id")
                .iter()
                .map(|id| {
                    let mut item = inner.user_fields("user", id);
                    let color = inner.chat.colors.get(id).cloned().unwrap_or_default();
                    item.insert("color".into(), json!(color));
                    Value::Object(item)
                })
                .collect();
            Ok(ok(&Value::Array(data)))
        }
        (&Method::PUT, ["chat", "color"]) => set_color(inner, call),
        _ => return None,
    })
}

fn badge_set(set_id: &str, versions: &[&str]) -> Value {
    let versions: Vec<Value> = versions
        .iter()
        .map(|v| {
            json!({
                "id": v,
                "image_url_1x": format!("https://static-cdn.jtvnw.net/badges/v1/{set_id}-{v}/1"),
                "image_url_2x": format!("https://static-cdn.jtvnw.net/badges/v1/{set_id}-{v}/2"),
                "image_url_4x": format!("https://static-cdn.jtvnw.net/badges/v1/{set_id}-{v}/3"),
                "title": set_id,
                "description": set_id,
            })
        })
        .collect();
    json!({ "set_id": set_id, "versions": versions })
}

fn emote(id: &str, name: &str, tier: &str, emote_type: &str, set: &str) -> Value {
    json!({
        "id": id, "name": name, "tier": tier, "emote_type": emote_type, "emote_set_id": set,
        "format": ["static"], "scale": ["1.0", "2.0", "3.0"], "theme_mode": ["light", "dark"],
        "images": {
            "url_1x": format!("https://static-cdn.jtvnw.net/emoticons/v2/{id}/static/light/1.0"),
            "url_2x": format!("https://static-cdn.jtvnw.net/emoticons/v2/{id}/static/light/2.0"),
            "url_4x": format!("https://static-cdn.jtvnw.net/emoticons/v2/{id}/static/light/3.0"),
        },
    })
}

/// The settings Twitch reports for a channel, defaults filled in.
fn settings(inner: &HelixInner, broadcaster_id: &str) -> Value {
    let mut settings = json!({
        "broadcaster_id": broadcaster_id,
        "emote_mode": false,
        "follower_mode": false,
        "follower_mode_duration": null,
        "moderator_id": broadcaster_id,
        "non_moderator_chat_delay": false,
        "non_moderator_chat_delay_duration": null,
        "slow_mode": false,
        "slow_mode_wait_time": null,
        "subscriber_mode": false,
        "unique_chat_mode": false,
    });
    if let Some(changed) = inner.chat.settings.get(broadcaster_id) {
        for (key, value) in changed {
            settings[key] = value.clone();
        }
    }
    settings
}

fn update_settings(inner: &mut HelixInner, call: &Call<'_>) -> Answer {
    let (broadcaster_id, _) = call.moderator(inner, &["moderator:manage:chat_settings"])?;
    let Value::Object(changes) = call.body()? else {
        return Err(bad_request("body must be a JSON object"));
    };
    let number = |key: &str| changes.get(key).and_then(Value::as_u64);
    if number("slow_mode_wait_time").is_some_and(|w| !(3..=120).contains(&w)) {
        return Err(bad_request(
            "The value in slow_mode_wait_time is outside the allowed range of 3 through 120.",
        ));
    }
    if number("follower_mode_duration").is_some_and(|d| d > 129_600) {
        return Err(bad_request(
            "The value in follower_mode_duration is outside the allowed range of 0 through 129600.",
        ));
    }
    let known = [
        "emote_mode",
        "follower_mode",
        "follower_mode_duration",
        "non_moderator_chat_delay",
        "non_moderator_chat_delay_duration",
        "slow_mode",
        "slow_mode_wait_time",
        "subscriber_mode",
        "unique_chat_mode",
    ];
    let stored = inner
        .chat
        .settings
        .entry(broadcaster_id.clone())
        .or_default();
    for (key, value) in changes {
        if known.contains(&key.as_str()) {
            stored.insert(key, value);
        }
    }
    // Turning a mode on without its duration uses Twitch's defaults.
    if stored.get("slow_mode") == Some(&json!(true)) && !stored.contains_key("slow_mode_wait_time")
    {
        stored.insert("slow_mode_wait_time".into(), json!(30));
    }
    if stored.get("slow_mode") == Some(&json!(false)) {
        stored.insert("slow_mode_wait_time".into(), Value::Null);
    }
    Ok(ok(&json!([settings(inner, &broadcaster_id)])))
}

fn chatters(inner: &HelixInner, call: &Call<'_>) -> Answer {
    let (broadcaster_id, _) = call.moderator(inner, &["moderator:read:chatters"])?;
    let items: Vec<Value> = inner
        .chat
        .chatters
        .get(&broadcaster_id)
        .into_iter()
        .flatten()
        .map(|id| {
            let user = inner.user(id);
            let login = user.map_or_else(|| json!(format!("chatter{id}")), |u| u["login"].clone());
            let name = user.map_or_else(|| login.clone(), |u| u["display_name"].clone());
            json!({ "user_id": id, "user_login": login, "user_name": name })
        })
        .collect();
    Ok(call.page(&items, 1000, true))
}

fn set_color(inner: &mut HelixInner, call: &Call<'_>) -> Answer {
    let user_id = call.required("user_id")?;
    let color = call.required("color")?;
    call.same_user(&user_id, &["user:manage:chat_color"])?;
    let hex = color.len() == 7
        && color.starts_with('#')
        && color[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if !hex && !NAMED_COLORS.contains(&color.as_str()) {
        return Err(bad_request(
            "The named color in the color query parameter is not valid.",
        ));
    }
    inner.chat.colors.insert(user_id, color);
    Ok(response::empty(StatusCode::NO_CONTENT))
}

impl HelixControl {
    /// `count` chatters join `broadcaster_id`'s chat (ids `7000000`, `7000001`, … after any
    /// already there; logins `chatter<id>`).
    pub fn add_chatters(&self, broadcaster_id: &str, count: usize) {
        let mut inner = self.state.lock();
        let list = inner
            .chat
            .chatters
            .entry(broadcaster_id.to_owned())
            .or_default();
        let start = list.len();
        list.extend((start..start + count).map(|n| format!("{}", 7_000_000 + n)));
    }

    /// Adds a subscriber emote to `broadcaster_id`'s channel.
    pub fn add_channel_emote(&self, broadcaster_id: &str, id: &str, name: &str) {
        self.state
            .lock()
            .chat
            .emotes
            .entry(broadcaster_id.to_owned())
            .or_default()
            .push((name.to_owned(), id.to_owned()));
    }
}
