//! Clips and videos: `GET` / `POST /clips`, `GET` / `DELETE /videos`.

use std::time::Duration;

use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::response;

use super::{Answer, Call, HelixControl, HelixInner, bad_request, refuse};

/// Clips and videos, oldest first.
#[derive(Debug, Default)]
pub(super) struct Media {
    clips: Vec<Value>,
    videos: Vec<Value>,
}

pub(super) fn route(
    inner: &mut HelixInner,
    call: &Call<'_>,
    method: &Method,
    path: &[&str],
) -> Option<Answer> {
    Some(match (method, path) {
        (&Method::GET, ["clips"]) => filtered(
            &inner.media.clips,
            call,
            &["id", "broadcaster_id", "game_id"],
        ),
        (&Method::POST, ["clips"]) => create_clip(inner, call),
        (&Method::GET, ["videos"]) => videos(inner, call),
        (&Method::DELETE, ["videos"]) => delete_videos(inner, call),
        _ => return None,
    })
}

/// Items matching exactly one of `filters` (Twitch wants exactly one), newest first, paged.
fn filtered(items: &[Value], call: &Call<'_>, filters: &[&str]) -> Answer {
    let given: Vec<(&str, Vec<String>)> = filters
        .iter()
        .map(|f| (*f, call.params(f)))
        .filter(|(_, values)| !values.is_empty())
        .collect();
    let [(field, values)] = given.as_slice() else {
        return Err(bad_request(&format!(
            "The request must specify exactly one of {}.",
            filters.join(", ")
        )));
    };
    let matching: Vec<Value> = items
        .iter()
        .rev()
        .filter(|item| values.iter().any(|v| item[*field] == v.as_str()))
        .cloned()
        .collect();
    Ok(call.page(&matching, 100, false))
}

/// `GET /videos`: by id, or a user's / a category's videos narrowed by `language`, `type`
/// and `period` and ordered by `sort` (`time`, `trending`, `views`), as Twitch documents.
fn videos(inner: &HelixInner, call: &Call<'_>) -> Answer {
    const KEYS: [&str; 4] = ["language", "period", "sort", "type"];
    let narrowed = KEYS.iter().any(|k| call.param(k).is_some());
    if narrowed && !call.params("id").is_empty() {
        return Err(bad_request(
            "The language, period, sort and type parameters may be given only with user_id or game_id.",
        ));
    }
    let one_of = |name: &str, allowed: &[&str]| match call.param(name) {
        Some(value) if !allowed.contains(&value.as_str()) => Err(bad_request(&format!(
            "The {name} query parameter is not valid."
        ))),
        value => Ok(value),
    };
    let period = one_of("period", &["all", "day", "week", "month"])?;
    let sort = one_of("sort", &["time", "trending", "views"])?;
    let kind = one_of("type", &["all", "archive", "highlight", "upload"])?;
    let language = call.param("language");
    let since = match period.as_deref() {
        Some("day") => Some(Duration::from_hours(24)),
        Some("week") => Some(Duration::from_hours(24 * 7)),
        Some("month") => Some(Duration::from_hours(24 * 30)),
        _ => None,
    }
    .map(|age| call.timestamp_ago(age));
    let mut kept: Vec<Value> = inner
        .media
        .videos
        .iter()
        .filter(|v| kind.as_deref().is_none_or(|k| k == "all" || v["type"] == k))
        .filter(|v| language.as_deref().is_none_or(|l| v["language"] == l))
        // RFC 3339 in UTC with a fixed width compares in time order as text.
        .filter(|v| {
            since
                .as_deref()
                .is_none_or(|s| v["created_at"].as_str() >= Some(s))
        })
        .cloned()
        .collect();
    if sort.as_deref() == Some("views") {
        // `filtered` answers in reverse: ascending here is most viewed first there, and the
        // stable sort keeps equal counts newest first.
        kept.sort_by_key(|v| v["view_count"].as_u64().unwrap_or(0));
    }
    filtered(&kept, call, &["id", "user_id", "game_id"])
}

/// A clip of a live broadcaster, by a user with `clips:edit`; answered 202 like Twitch.
fn create_clip(inner: &mut HelixInner, call: &Call<'_>) -> Answer {
    let broadcaster_id = call.required("broadcaster_id")?;
    let creator = call.user_with(&["clips:edit"])?;
    if !inner.is_live(&broadcaster_id) {
        return Err(refuse(
            StatusCode::NOT_FOUND,
            "The broadcaster in the broadcaster_id query parameter must be broadcasting live.",
        ));
    }
    let id = format!("SandboxClip{}", inner.new_id());
    let channel = inner.channels.get(&broadcaster_id);
    let field = |name: &str| channel.map_or(Value::from(""), |c| c[name].clone());
    let mut clip = json!({
        "id": id,
        "url": format!("https://clips.twitch.tv/{id}"),
        "embed_url": format!("https://clips.twitch.tv/embed?clip={id}"),
        "creator_id": creator,
        "creator_name": inner.user(&creator).map_or(Value::from(""), |u| u["display_name"].clone()),
        "video_id": "",
        "game_id": field("game_id"),
        "language": "en",
        "title": field("title"),
        "view_count": 0,
        "created_at": call.timestamp(std::time::Duration::ZERO),
        "thumbnail_url": "",
        "duration": 30.0,
        "vod_offset": null,
        "is_featured": false,
    });
    for (key, value) in inner.user_fields("broadcaster", &broadcaster_id) {
        if key != "broadcaster_login" {
            clip[key] = value;
        }
    }
    inner.media.clips.push(clip);
    Ok(response::json(
        StatusCode::ACCEPTED,
        &json!({ "data": [{ "id": id, "edit_url": format!("https://clips.twitch.tv/{id}/edit") }] }),
    ))
}

/// Deletes the caller's own videos (`channel:manage:videos`); answers the ids deleted.
fn delete_videos(inner: &mut HelixInner, call: &Call<'_>) -> Answer {
    let ids = call.params("id");
    if ids.is_empty() || ids.len() > 5 {
        return Err(bad_request(
            "The request must specify from 1 to 5 id parameters.",
        ));
    }
    let user = call.user_with(&["channel:manage:videos"])?;
    let foreign = inner
        .media
        .videos
        .iter()
        .any(|v| ids.iter().any(|id| v["id"] == id.as_str()) && v["user_id"] != user.as_str());
    if foreign {
        return Err(refuse(
            StatusCode::UNAUTHORIZED,
            "The user in the access token may delete only their own videos.",
        ));
    }
    let mut deleted = Vec::new();
    inner.media.videos.retain(|v| {
        let hit = ids.iter().find(|id| v["id"] == id.as_str());
        if let Some(id) = hit {
            deleted.push(id.clone());
        }
        hit.is_none()
    });
    Ok(super::ok(&json!(deleted)))
}

impl HelixControl {
    /// Adds a video (an `archive`) of `user_id`; returns its id.
    pub fn add_video(&self, user_id: &str, title: &str) -> String {
        self.add_video_with(user_id, title, &json!({}))
    }

    /// Adds a video of `user_id` with some fields replaced (`type`, `language`,
    /// `view_count`, `created_at`…); returns its id.
    pub fn add_video_with(&self, user_id: &str, title: &str, fields: &Value) -> String {
        let mut inner = self.state.lock();
        let id = inner.new_id();
        let mut video = json!({
            "id": id, "stream_id": null, "title": title, "description": "",
            "created_at": "2024-01-01T00:00:00Z", "published_at": "2024-01-01T00:00:00Z",
            "url": format!("https://www.twitch.tv/videos/{id}"), "thumbnail_url": "",
            "viewable": "public", "view_count": 0, "language": "en", "type": "archive",
            "duration": "1h2m3s", "muted_segments": null, "game_id": "509658",
        });
        for (key, value) in inner.user_fields("user", user_id) {
            video[key] = value;
        }
        if let Some(fields) = fields.as_object() {
            for (key, value) in fields {
                video[key.as_str()] = value.clone();
            }
        }
        inner.media.videos.push(video);
        id
    }
}
