//! Follows: `GET /channels/followers` and `GET /channels/followed`.

use http::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::response;

use super::{Answer, Call, HelixControl, HelixInner, refuse};

/// Who follows whom, oldest first.
#[derive(Debug, Default)]
pub(super) struct Follows {
    /// `(user_id, broadcaster_id, since)`.
    edges: Vec<(String, String, Instant)>,
}

pub(super) fn route(
    inner: &mut HelixInner,
    call: &Call<'_>,
    method: &Method,
    path: &[&str],
) -> Option<Answer> {
    match (method, path) {
        (&Method::GET, ["channels", "followers"]) => Some(followers(inner, call)),
        (&Method::GET, ["channels", "followed"]) => Some(followed(inner, call)),
        _ => None,
    }
}

/// Newest follows first, as Twitch lists them.
fn newest_first<'a>(
    inner: &'a HelixInner,
    keep: impl Fn(&(String, String, Instant)) -> bool + 'a,
) -> impl Iterator<Item = &'a (String, String, Instant)> + 'a {
    inner.follows.edges.iter().rev().filter(move |e| keep(e))
}

/// Any token may ask; only the broadcaster or a moderator with `moderator:read:followers`
/// sees who, everyone else gets just `total` (as on Twitch).
fn followers(inner: &HelixInner, call: &Call<'_>) -> Answer {
    let broadcaster_id = call.required("broadcaster_id")?;
    let only_user = call.param("user_id");
    let entitled = call
        .user_with(&["moderator:read:followers"])
        .is_ok_and(|user| inner.moderates(&broadcaster_id, &user));
    let items: Vec<Value> = newest_first(inner, |(user, to, _)| {
        *to == broadcaster_id && only_user.as_ref().is_none_or(|u| u == user)
    })
    .map(|(user, _, since)| {
        let mut item = inner.user_fields("user", user);
        item.insert("followed_at".into(), json!(call.clock.rfc3339(*since)));
        Value::Object(item)
    })
    .collect();
    if entitled {
        Ok(call.page(&items, 100, true))
    } else {
        Ok(response::json(
            StatusCode::OK,
            &json!({ "data": [], "pagination": {}, "total": items.len() }),
        ))
    }
}

/// The token's user must be `user_id` and hold `user:read:follows`.
fn followed(inner: &HelixInner, call: &Call<'_>) -> Answer {
    let user_id = call.required("user_id")?;
    let user = call.user_with(&["user:read:follows"])?;
    if user != user_id {
        return Err(refuse(
            StatusCode::UNAUTHORIZED,
            "The ID in user_id must match the user ID found in the request's OAuth token.",
        ));
    }
    let only = call.param("broadcaster_id");
    let items: Vec<Value> = newest_first(inner, |(from, to, _)| {
        *from == user_id && only.as_ref().is_none_or(|b| b == to)
    })
    .map(|(_, to, since)| {
        let mut item = inner.user_fields("broadcaster", to);
        item.insert("followed_at".into(), json!(call.clock.rfc3339(*since)));
        Value::Object(item)
    })
    .collect();
    Ok(call.page(&items, 100, true))
}

impl HelixControl {
    /// `user_id` follows `broadcaster_id` from now on (`GET /channels/followers` and
    /// `/channels/followed` list it).
    pub fn add_follow(&self, user_id: &str, broadcaster_id: &str) {
        self.state.lock().follows.edges.push((
            user_id.to_owned(),
            broadcaster_id.to_owned(),
            Instant::now(),
        ));
    }
}
