//! Moderation: bans and timeouts (`POST` / `DELETE /moderation/bans`, `GET
//! /moderation/banned`), moderators (`/moderation/moderators`), VIPs (`/channels/vips`) and
//! blocked terms (`/moderation/blocked_terms`).

use std::collections::HashMap;
use std::time::Duration;

use http::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::response;

use super::{Answer, Call, HelixInner, bad_request, ok, refuse};

/// The longest timeout Twitch allows: two weeks.
const MAX_TIMEOUT_SECS: u64 = 1_209_600;

#[derive(Debug, Clone)]
struct Ban {
    user_id: String,
    moderator_id: String,
    reason: String,
    created_at: Instant,
    /// `None` for a ban, the end for a timeout.
    ends_at: Option<Instant>,
}

#[derive(Debug, Clone)]
struct Term {
    id: String,
    text: String,
    moderator_id: String,
    created_at: Instant,
}

/// Moderation state per broadcaster.
#[derive(Debug, Default)]
pub(super) struct Moderation {
    bans: HashMap<String, Vec<Ban>>,
    moderators: HashMap<String, Vec<String>>,
    vips: HashMap<String, Vec<String>>,
    terms: HashMap<String, Vec<Term>>,
}

impl Moderation {
    pub(super) fn is_moderator(&self, broadcaster_id: &str, user_id: &str) -> bool {
        self.moderators
            .get(broadcaster_id)
            .is_some_and(|m| m.iter().any(|u| u == user_id))
    }

    fn is_vip(&self, broadcaster_id: &str, user_id: &str) -> bool {
        self.vips
            .get(broadcaster_id)
            .is_some_and(|m| m.iter().any(|u| u == user_id))
    }

    /// Current bans of a channel (timeouts that ran out are dropped).
    fn bans(&mut self, broadcaster_id: &str) -> &mut Vec<Ban> {
        let bans = self.bans.entry(broadcaster_id.to_owned()).or_default();
        let now = Instant::now();
        bans.retain(|b| b.ends_at.is_none_or(|end| end > now));
        bans
    }
}

pub(super) fn route(
    inner: &mut HelixInner,
    call: &Call<'_>,
    method: &Method,
    path: &[&str],
) -> Option<Answer> {
    Some(match (method, path) {
        (&Method::POST, ["moderation", "bans"]) => ban(inner, call),
        (&Method::DELETE, ["moderation", "bans"]) => unban(inner, call),
        (&Method::GET, ["moderation", "banned"]) => banned(inner, call),
        (&Method::GET, ["moderation", "moderators"]) => list_role(inner, call, Role::Moderator),
        (&Method::POST, ["moderation", "moderators"]) => add_role(inner, call, Role::Moderator),
        (&Method::DELETE, ["moderation", "moderators"]) => {
            remove_role(inner, call, Role::Moderator)
        }
        (&Method::GET, ["channels", "vips"]) => list_role(inner, call, Role::Vip),
        (&Method::POST, ["channels", "vips"]) => add_role(inner, call, Role::Vip),
        (&Method::DELETE, ["channels", "vips"]) => remove_role(inner, call, Role::Vip),
        (&Method::GET, ["moderation", "blocked_terms"]) => blocked_terms(inner, call),
        (&Method::POST, ["moderation", "blocked_terms"]) => add_blocked_term(inner, call),
        (&Method::DELETE, ["moderation", "blocked_terms"]) => remove_blocked_term(inner, call),
        _ => return None,
    })
}

fn ban(inner: &mut HelixInner, call: &Call<'_>) -> Answer {
    let (broadcaster_id, moderator_id) =
        call.moderator(inner, &["moderator:manage:banned_users"])?;
    let body = call.body()?;
    let data = &body["data"];
    let Some(user_id) = data["user_id"].as_str().filter(|u| !u.is_empty()) else {
        return Err(bad_request("The user_id field is required."));
    };
    let duration = match &data["duration"] {
        Value::Null => None,
        value => match value
            .as_u64()
            .filter(|d| (1..=MAX_TIMEOUT_SECS).contains(d))
        {
            Some(secs) => Some(Duration::from_secs(secs)),
            None => {
                return Err(bad_request(
                    "The value in the duration field is not valid (1 through 1209600 seconds).",
                ));
            }
        },
    };
    let reason = data["reason"].as_str().unwrap_or_default();
    if reason.chars().count() > 500 {
        return Err(bad_request("The text in the reason field is too long."));
    }
    if user_id == broadcaster_id {
        return Err(bad_request(
            "The user specified in the user_id field may not be banned.",
        ));
    }
    if inner.user(user_id).is_none() {
        return Err(bad_request(
            "The user specified in the user_id field does not exist.",
        ));
    }
    let now = Instant::now();
    let bans = inner.moderation.bans(&broadcaster_id);
    if let Some(existing) = bans.iter_mut().find(|b| b.user_id == user_id) {
        // A ban cannot be repeated; a timeout can be replaced (or turned into a ban).
        if existing.ends_at.is_none() {
            return Err(bad_request(
                "The user specified in the user_id field is already banned.",
            ));
        }
        existing.ends_at = duration.map(|d| now + d);
        reason.clone_into(&mut existing.reason);
        existing.moderator_id.clone_from(&moderator_id);
    } else {
        bans.push(Ban {
            user_id: user_id.to_owned(),
            moderator_id: moderator_id.clone(),
            reason: reason.to_owned(),
            created_at: now,
            ends_at: duration.map(|d| now + d),
        });
    }
    Ok(ok(&json!([{
        "broadcaster_id": broadcaster_id,
        "moderator_id": moderator_id,
        "user_id": user_id,
        "created_at": call.timestamp(Duration::ZERO),
        "end_time": duration.map(|d| call.timestamp(d)),
    }])))
}

fn unban(inner: &mut HelixInner, call: &Call<'_>) -> Answer {
    let (broadcaster_id, _) = call.moderator(inner, &["moderator:manage:banned_users"])?;
    let user_id = call.required("user_id")?;
    let bans = inner.moderation.bans(&broadcaster_id);
    let before = bans.len();
    bans.retain(|b| b.user_id != user_id);
    if bans.len() == before {
        return Err(bad_request(
            "The user specified in the user_id field is not banned.",
        ));
    }
    Ok(response::empty(StatusCode::NO_CONTENT))
}

fn banned(inner: &mut HelixInner, call: &Call<'_>) -> Answer {
    let broadcaster_id = call.required("broadcaster_id")?;
    call.broadcaster(
        &broadcaster_id,
        &["moderation:read", "moderator:manage:banned_users"],
    )?;
    let only = call.params("user_id");
    let bans = inner.moderation.bans(&broadcaster_id).clone();
    let items: Vec<Value> = bans
        .iter()
        .rev()
        .filter(|b| only.is_empty() || only.contains(&b.user_id))
        .map(|b| {
            let mut item = inner.user_fields("user", &b.user_id);
            item.extend(inner.user_fields("moderator", &b.moderator_id));
            item.insert(
                "expires_at".into(),
                json!(
                    b.ends_at
                        .map_or_else(String::new, |end| call.clock.rfc3339(end))
                ),
            );
            item.insert("created_at".into(), json!(call.clock.rfc3339(b.created_at)));
            item.insert("reason".into(), json!(b.reason));
            Value::Object(item)
        })
        .collect();
    Ok(call.page(&items, 100, false))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Moderator,
    Vip,
}

impl Role {
    fn list(self, moderation: &mut Moderation) -> &mut HashMap<String, Vec<String>> {
        match self {
            Self::Moderator => &mut moderation.moderators,
            Self::Vip => &mut moderation.vips,
        }
    }

    fn read_scopes(self) -> &'static [&'static str] {
        match self {
            Self::Moderator => &["moderation:read", "channel:manage:moderators"],
            Self::Vip => &["channel:read:vips", "channel:manage:vips"],
        }
    }

    fn manage_scope(self) -> &'static [&'static str] {
        match self {
            Self::Moderator => &["channel:manage:moderators"],
            Self::Vip => &["channel:manage:vips"],
        }
    }
}

fn list_role(inner: &mut HelixInner, call: &Call<'_>, role: Role) -> Answer {
    let broadcaster_id = call.required("broadcaster_id")?;
    call.broadcaster(&broadcaster_id, role.read_scopes())?;
    let only = call.params("user_id");
    let ids = role
        .list(&mut inner.moderation)
        .get(&broadcaster_id)
        .cloned()
        .unwrap_or_default();
    let items: Vec<Value> = ids
        .iter()
        .filter(|id| only.is_empty() || only.contains(id))
        .map(|id| Value::Object(inner.user_fields("user", id)))
        .collect();
    Ok(call.page(&items, 100, false))
}

fn add_role(inner: &mut HelixInner, call: &Call<'_>, role: Role) -> Answer {
    let broadcaster_id = call.required("broadcaster_id")?;
    let user_id = call.required("user_id")?;
    call.broadcaster(&broadcaster_id, role.manage_scope())?;
    if inner.user(&user_id).is_none() {
        return Err(bad_request("The ID in user_id was not found."));
    }
    let moderation = &mut inner.moderation;
    let conflict = match role {
        Role::Moderator if moderation.is_vip(&broadcaster_id, &user_id) => Some(
            "The user is a VIP. To make them a moderator, you must first remove them as a VIP.",
        ),
        Role::Vip if moderation.is_moderator(&broadcaster_id, &user_id) => Some(
            "The user is a moderator. To make them a VIP, you must first remove them as a moderator.",
        ),
        _ => None,
    };
    if let Some(message) = conflict {
        return Err(refuse(StatusCode::UNPROCESSABLE_ENTITY, message));
    }
    if role == Role::Moderator
        && moderation
            .bans(&broadcaster_id)
            .iter()
            .any(|b| b.user_id == user_id)
    {
        return Err(bad_request("The user is banned from the channel."));
    }
    let list = role.list(moderation).entry(broadcaster_id).or_default();
    if list.contains(&user_id) {
        let message = match role {
            Role::Moderator => "The user is already a moderator.",
            Role::Vip => "The user is already a VIP.",
        };
        return Err(bad_request(message));
    }
    list.push(user_id);
    Ok(response::empty(StatusCode::NO_CONTENT))
}

fn remove_role(inner: &mut HelixInner, call: &Call<'_>, role: Role) -> Answer {
    let broadcaster_id = call.required("broadcaster_id")?;
    let user_id = call.required("user_id")?;
    call.broadcaster(&broadcaster_id, role.manage_scope())?;
    let list = role
        .list(&mut inner.moderation)
        .entry(broadcaster_id)
        .or_default();
    let before = list.len();
    list.retain(|u| *u != user_id);
    if list.len() == before {
        let message = match role {
            Role::Moderator => "The user in user_id is not a moderator.",
            Role::Vip => "The user in user_id is not a VIP.",
        };
        return Err(refuse(StatusCode::UNPROCESSABLE_ENTITY, message));
    }
    Ok(response::empty(StatusCode::NO_CONTENT))
}

fn term_json(broadcaster_id: &str, term: &Term, call: &Call<'_>) -> Value {
    let created = call.clock.rfc3339(term.created_at);
    json!({
        "broadcaster_id": broadcaster_id,
        "moderator_id": term.moderator_id,
        "id": term.id,
        "text": term.text,
        "created_at": created,
        "updated_at": created,
        "expires_at": null,
    })
}

const TERM_SCOPES: [&str; 2] = [
    "moderator:read:blocked_terms",
    "moderator:manage:blocked_terms",
];

fn blocked_terms(inner: &HelixInner, call: &Call<'_>) -> Answer {
    let (broadcaster_id, _) = call.moderator(inner, &TERM_SCOPES)?;
    let items: Vec<Value> = inner
        .moderation
        .terms
        .get(&broadcaster_id)
        .into_iter()
        .flatten()
        .rev()
        .map(|t| term_json(&broadcaster_id, t, call))
        .collect();
    Ok(call.page(&items, 100, false))
}

fn add_blocked_term(inner: &mut HelixInner, call: &Call<'_>) -> Answer {
    let (broadcaster_id, moderator_id) =
        call.moderator(inner, &["moderator:manage:blocked_terms"])?;
    let body = call.body()?;
    let text = body["text"].as_str().unwrap_or_default();
    if !(2..=500).contains(&text.chars().count()) {
        return Err(bad_request(
            "The term must contain a minimum of 2 characters and may contain up to a maximum of 500 characters.",
        ));
    }
    let id = inner.new_id();
    let terms = inner
        .moderation
        .terms
        .entry(broadcaster_id.clone())
        .or_default();
    // Adding a term already there answers the existing one, as Twitch does.
    if let Some(existing) = terms.iter().find(|t| t.text.eq_ignore_ascii_case(text)) {
        return Ok(ok(&json!([term_json(&broadcaster_id, existing, call)])));
    }
    let term = Term {
        id,
        text: text.to_owned(),
        moderator_id,
        created_at: Instant::now(),
    };
    let answer = term_json(&broadcaster_id, &term, call);
    terms.push(term);
    Ok(ok(&json!([answer])))
}

fn remove_blocked_term(inner: &mut HelixInner, call: &Call<'_>) -> Answer {
    let (broadcaster_id, _) = call.moderator(inner, &["moderator:manage:blocked_terms"])?;
    let id = call.required("id")?;
    if let Some(terms) = inner.moderation.terms.get_mut(&broadcaster_id) {
        terms.retain(|t| t.id != id);
    }
    // Twitch answers 204 whether or not the term existed.
    Ok(response::empty(StatusCode::NO_CONTENT))
}

impl super::HelixControl {
    /// `user_id` moderates `broadcaster_id`'s channel.
    pub fn add_moderator(&self, broadcaster_id: &str, user_id: &str) {
        self.add_to_role(Role::Moderator, broadcaster_id, user_id);
    }

    /// `user_id` is a VIP in `broadcaster_id`'s channel.
    pub fn add_vip(&self, broadcaster_id: &str, user_id: &str) {
        self.add_to_role(Role::Vip, broadcaster_id, user_id);
    }

    fn add_to_role(&self, role: Role, broadcaster_id: &str, user_id: &str) {
        let mut inner = self.state.lock();
        let list = role
            .list(&mut inner.moderation)
            .entry(broadcaster_id.to_owned())
            .or_default();
        if !list.iter().any(|u| u == user_id) {
            list.push(user_id.to_owned());
        }
    }
}
