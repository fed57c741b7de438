//! Users, streams, channels, games and search: `GET /users`, `GET /streams`, `GET` /
//! `PATCH /channels`, `GET /games`, `GET /games/top`, `GET /search/channels`,
//! `GET /search/categories`.

use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::response::{self, HttpResponse};

use super::{Answer, Call, HelixInner, bad_request, ok};

pub(super) fn route(
    inner: &mut HelixInner,
    call: &Call<'_>,
    method: &Method,
    path: &[&str],
) -> Option<Answer> {
    Some(match (method, path) {
        (&Method::GET, ["users"]) => users(inner, call),
        (&Method::GET, ["streams"]) => Ok(streams(inner, call)),
        (&Method::GET, ["search", "channels"]) => search_channels(inner, call),
        (&Method::GET, ["search", "categories"]) => search_categories(inner, call),
        (&Method::GET, ["channels"]) => get_channels(inner, call),
        (&Method::PATCH, ["channels"]) => modify_channel(inner, call),
        (&Method::GET, ["games"]) => Ok(games(inner, call)),
        (&Method::GET, ["games", "top"]) => Ok(call.page(&inner.games, 100, false)),
        _ => return None,
    })
}

fn users(inner: &HelixInner, call: &Call<'_>) -> Answer {
    let ids = call.params("id");
    let logins = call.params("login");
    let data: Vec<Value> = if ids.is_empty() && logins.is_empty() {
        // No filter: the token's user (app tokens must name someone).
        let id = call
            .user()
            .map_err(|_| bad_request("An app access token must specify an id or login."))?;
        inner.user(id).cloned().into_iter().collect()
    } else {
        inner
            .users
            .iter()
            .filter(|u| {
                ids.iter().any(|id| u["id"] == id.as_str())
                    || logins.iter().any(|login| u["login"] == login.as_str())
            })
            .cloned()
            .collect()
    };
    Ok(ok(&Value::Array(data)))
}

fn streams(inner: &HelixInner, call: &Call<'_>) -> HttpResponse {
    // Each filter given narrows the list; several values of one filter are alternatives.
    let filters: Vec<(&str, Vec<String>)> = ["user_login", "user_id", "game_id", "language"]
        .into_iter()
        .map(|name| (name, call.params(name)))
        .collect();
    let matching: Vec<Value> = inner
        .streams
        .iter()
        .filter(|s| {
            filters.iter().all(|(name, values)| {
                values.is_empty() || values.iter().any(|v| s[*name] == v.as_str())
            })
        })
        .cloned()
        .collect();
    call.page(&matching, 100, false)
}

fn search_channels(inner: &HelixInner, call: &Call<'_>) -> Answer {
    let query = call.required("query")?.to_lowercase();
    let live_only = call.param("live_only").as_deref() == Some("true");
    let matching: Vec<Value> =
        inner
            .users
            .iter()
            .filter(|u| u["login"].as_str().is_some_and(|l| l.contains(&query)))
            .filter_map(|u| {
                let id = u["id"].as_str().unwrap_or_default();
                let live = inner.is_live(id);
                let channel = inner.channels.get(id);
                let field = |name: &str| channel.map_or(Value::from(""), |c| c[name].clone());
                // Twitch writes an empty string, not null, when the channel is offline.
                let started_at = inner
                    .streams
                    .iter()
                    .find(|s| s["user_id"] == id)
                    .map_or(Value::from(""), |s| s["started_at"].clone());
                (live || !live_only).then(|| json!({
                "id": id, "broadcaster_login": u["login"], "display_name": u["display_name"],
                "broadcaster_language": channel.map_or(Value::from("en"), |c| c["broadcaster_language"].clone()),
                "game_id": field("game_id"), "game_name": field("game_name"),
                "is_live": live, "title": field("title"), "started_at": started_at,
                "tags": channel.map_or(json!([]), |c| c["tags"].clone()), "tag_ids": [],
                "thumbnail_url": u["profile_image_url"],
            }))
            })
            .collect();
    Ok(call.page(&matching, 100, false))
}

fn search_categories(inner: &HelixInner, call: &Call<'_>) -> Answer {
    let query = call.required("query")?.to_lowercase();
    let matching: Vec<Value> = inner
        .games
        .iter()
        .filter(|g| {
            g["name"]
                .as_str()
                .is_some_and(|n| n.to_lowercase().contains(&query))
        })
        .map(|g| json!({ "id": g["id"], "name": g["name"], "box_art_url": g["box_art_url"] }))
        .collect();
    Ok(call.page(&matching, 100, false))
}

fn get_channels(inner: &HelixInner, call: &Call<'_>) -> Answer {
    let ids = call.params("broadcaster_id");
    if ids.is_empty() {
        return Err(bad_request("Missing required parameter \"broadcaster_id\""));
    }
    let data: Vec<Value> = ids
        .iter()
        .filter_map(|id| inner.channels.get(id).cloned())
        .collect();
    Ok(ok(&Value::Array(data)))
}

fn modify_channel(inner: &mut HelixInner, call: &Call<'_>) -> Answer {
    let id = call.required("broadcaster_id")?;
    call.broadcaster(&id, &["channel:manage:broadcast"])?;
    let Value::Object(changes) = call.body()? else {
        return Err(bad_request("body must be a JSON object"));
    };
    if changes
        .get("title")
        .is_some_and(|t| t.as_str().is_some_and(str::is_empty))
    {
        return Err(bad_request(
            "The title field may not contain an empty string.",
        ));
    }
    let Some(Value::Object(channel)) = inner.channels.get_mut(&id) else {
        return Err(bad_request("unknown broadcaster_id"));
    };
    for (key, value) in changes {
        channel.insert(key, value);
    }
    Ok(response::empty(StatusCode::NO_CONTENT))
}

fn games(inner: &HelixInner, call: &Call<'_>) -> HttpResponse {
    let ids = call.params("id");
    let names = call.params("name");
    let igdb_ids = call.params("igdb_id");
    let data: Vec<Value> = inner
        .games
        .iter()
        .filter(|g| {
            ids.iter().any(|id| g["id"] == id.as_str())
                || names.iter().any(|n| g["name"] == n.as_str())
                || igdb_ids.iter().any(|i| g["igdb_id"] == i.as_str())
        })
        .cloned()
        .collect();
    ok(&Value::Array(data))
}
