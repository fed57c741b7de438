//! Polls and predictions: `GET` / `POST` / `PATCH /polls` and `/predictions`, by the
//! broadcaster (`channel:manage:polls` / `channel:manage:predictions`). A poll completes and
//! a prediction locks when its time runs out (on tokio time).

use std::time::Duration;

use http::Method;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::{Answer, Call, HelixControl, HelixInner, bad_request, ok};

#[derive(Debug)]
struct Running {
    /// The JSON Twitch answers, kept current.
    body: Value,
    /// When the poll completes or the prediction locks.
    ends_at: Instant,
}

/// Polls and predictions, oldest first.
#[derive(Debug, Default)]
pub(super) struct Polls {
    polls: Vec<Running>,
    predictions: Vec<Running>,
}

impl Polls {
    /// Moves everything whose time ran out on: polls `ACTIVE` → `COMPLETED`, predictions
    /// `ACTIVE` → `LOCKED`.
    fn expire(&mut self, clock: &Call<'_>) {
        let now = Instant::now();
        for (list, next) in [
            (&mut self.polls, "COMPLETED"),
            (&mut self.predictions, "LOCKED"),
        ] {
            for item in list.iter_mut().filter(|r| r.ends_at <= now) {
                if item.body["status"] == "ACTIVE" {
                    item.body["status"] = json!(next);
                    let key = if next == "LOCKED" {
                        "locked_at"
                    } else {
                        "ended_at"
                    };
                    item.body[key] = json!(clock.clock.rfc3339(item.ends_at));
                }
            }
        }
    }
}

pub(super) fn route(
    inner: &mut HelixInner,
    call: &Call<'_>,
    method: &Method,
    path: &[&str],
) -> Option<Answer> {
    let kind = match path {
        ["polls"] => Kind::Poll,
        ["predictions"] => Kind::Prediction,
        _ => return None,
    };
    inner.polls.expire(call);
    Some(match *method {
        Method::GET => list(inner, call, kind),
        Method::POST => create(inner, call, kind),
        Method::PATCH => end(inner, call, kind),
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Poll,
    Prediction,
}

impl Kind {
    fn read_scopes(self) -> &'static [&'static str] {
        match self {
            Self::Poll => &["channel:read:polls", "channel:manage:polls"],
            Self::Prediction => &["channel:read:predictions", "channel:manage:predictions"],
        }
    }

    fn manage_scope(self) -> &'static [&'static str] {
        match self {
            Self::Poll => &["channel:manage:polls"],
            Self::Prediction => &["channel:manage:predictions"],
        }
    }

    fn list(self, polls: &mut Polls) -> &mut Vec<Running> {
        match self {
            Self::Poll => &mut polls.polls,
            Self::Prediction => &mut polls.predictions,
        }
    }
}

fn list(inner: &mut HelixInner, call: &Call<'_>, kind: Kind) -> Answer {
    let broadcaster_id = call.required("broadcaster_id")?;
    call.broadcaster(&broadcaster_id, kind.read_scopes())?;
    let ids = call.params("id");
    let items: Vec<Value> = kind
        .list(&mut inner.polls)
        .iter()
        .rev()
        .map(|r| &r.body)
        .filter(|b| b["broadcaster_id"] == broadcaster_id.as_str())
        .filter(|b| ids.is_empty() || ids.iter().any(|id| b["id"] == id.as_str()))
        .cloned()
        .collect();
    Ok(call.page(&items, 25, false))
}

/// `(field, min, max)` checks of a create body.
fn in_range(body: &Value, field: &str, min: u64, max: u64) -> Result<u64, Value> {
    body[field]
        .as_u64()
        .filter(|v| (min..=max).contains(v))
        .ok_or_else(|| {
            json!(format!(
                "The value in {field} must be from {min} through {max}."
            ))
        })
}

fn create(inner: &mut HelixInner, call: &Call<'_>, kind: Kind) -> Answer {
    let body = call.body()?;
    let broadcaster_id = body["broadcaster_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    call.broadcaster(&broadcaster_id, kind.manage_scope())?;
    let title = body["title"].as_str().unwrap_or_default();
    let (options_key, max_title, max_options, window_key, min_window) = match kind {
        Kind::Poll => ("choices", 60, 5, "duration", 15),
        Kind::Prediction => ("outcomes", 45, 10, "prediction_window", 30),
    };
    if title.is_empty() || title.chars().count() > max_title {
        return Err(bad_request(&format!(
            "The title must be 1 to {max_title} characters."
        )));
    }
    let options: Vec<&str> = body[options_key]
        .as_array()
        .map(|a| a.iter().filter_map(|o| o["title"].as_str()).collect())
        .unwrap_or_default();
    if !(2..=max_options).contains(&options.len())
        || options
            .iter()
            .any(|o| o.is_empty() || o.chars().count() > 25)
    {
        return Err(bad_request(&format!(
            "The {options_key} field must hold 2 to {max_options} titles of 1 to 25 characters."
        )));
    }
    let window = in_range(&body, window_key, min_window, 1800)
        .map_err(|m| bad_request(m.as_str().unwrap_or_default()))?;
    let list = kind.list(&mut inner.polls);
    if list.iter().any(|r| {
        r.body["broadcaster_id"] == broadcaster_id.as_str() && r.body["status"] == "ACTIVE"
    }) {
        return Err(bad_request(&format!(
            "The broadcaster already has an active {}.",
            if kind == Kind::Poll {
                "poll"
            } else {
                "prediction"
            }
        )));
    }
    let mut ids = Vec::with_capacity(options.len() + 1);
    for _ in 0..=options.len() {
        ids.push(inner.new_id());
    }
    let options: Vec<Value> = options
        .iter()
        .zip(&ids[1..])
        .map(|(title, id)| match kind {
            Kind::Poll => json!({ "id": id, "title": title, "votes": 0, "channel_points_votes": 0, "bits_votes": 0 }),
            Kind::Prediction => json!({ "id": id, "title": title, "users": 0, "channel_points": 0, "top_predictors": null, "color": "BLUE" }),
        })
        .collect();
    let mut created = json!({
        "id": ids[0],
        "title": title,
        "status": "ACTIVE",
        window_key: window,
        options_key: options,
    });
    for (key, value) in inner.user_fields("broadcaster", &broadcaster_id) {
        created[key] = value;
    }
    match kind {
        Kind::Poll => {
            // A poll starts when it is created; predictions call the same moment created_at.
            created["started_at"] = json!(call.timestamp(Duration::ZERO));
            // Documented as "not used" and always sent with these values.
            created["bits_voting_enabled"] = json!(false);
            created["bits_per_vote"] = json!(0);
            created["channel_points_voting_enabled"] = json!(false);
            created["channel_points_per_vote"] = json!(0);
            created["ended_at"] = Value::Null;
        }
        Kind::Prediction => {
            created["created_at"] = json!(call.timestamp(Duration::ZERO));
            created["winning_outcome_id"] = Value::Null;
            created["ended_at"] = Value::Null;
            created["locked_at"] = Value::Null;
        }
    }
    kind.list(&mut inner.polls).push(Running {
        body: created.clone(),
        ends_at: Instant::now() + Duration::from_secs(window),
    });
    Ok(ok(&json!([created])))
}

fn end(inner: &mut HelixInner, call: &Call<'_>, kind: Kind) -> Answer {
    let body = call.body()?;
    let broadcaster_id = body["broadcaster_id"].as_str().unwrap_or_default();
    call.broadcaster(broadcaster_id, kind.manage_scope())?;
    let id = body["id"].as_str().unwrap_or_default();
    let status = body["status"].as_str().unwrap_or_default();
    let allowed: &[&str] = match kind {
        Kind::Poll => &["TERMINATED", "ARCHIVED"],
        Kind::Prediction => &["RESOLVED", "CANCELED", "LOCKED"],
    };
    if !allowed.contains(&status) {
        return Err(bad_request(&format!(
            "The status must be one of {}.",
            allowed.join(", ")
        )));
    }
    let now = call.timestamp(Duration::ZERO);
    let Some(running) = kind
        .list(&mut inner.polls)
        .iter_mut()
        .find(|r| r.body["id"] == id && r.body["broadcaster_id"] == broadcaster_id)
    else {
        return Err(bad_request("The ID in the id field was not found."));
    };
    let current = running.body["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let target = &mut running.body;
    match (kind, status, current.as_str()) {
        (Kind::Poll, "TERMINATED", "ACTIVE")
        | (Kind::Prediction, "CANCELED", "ACTIVE" | "LOCKED") => target["ended_at"] = json!(now),
        (Kind::Poll, "ARCHIVED", "ACTIVE" | "COMPLETED" | "TERMINATED") => {
            if target["ended_at"].is_null() {
                target["ended_at"] = json!(now);
            }
        }
        (Kind::Prediction, "LOCKED", "ACTIVE") => target["locked_at"] = json!(now),
        (Kind::Prediction, "RESOLVED", "ACTIVE" | "LOCKED") => {
            let winner = body["winning_outcome_id"].as_str().unwrap_or_default();
            let known = target["outcomes"]
                .as_array()
                .is_some_and(|o| o.iter().any(|o| o["id"] == winner));
            if !known {
                return Err(bad_request(
                    "The winning_outcome_id field must name one of the prediction's outcomes.",
                ));
            }
            target["winning_outcome_id"] = json!(winner);
            target["ended_at"] = json!(now);
        }
        _ => {
            return Err(bad_request(&format!(
                "A {current} {} cannot be set to {status}.",
                if kind == Kind::Poll {
                    "poll"
                } else {
                    "prediction"
                }
            )));
        }
    }
    target["status"] = json!(status);
    Ok(ok(&json!([target.clone()])))
}

impl HelixControl {
    /// Casts `votes` votes for the poll choice `choice_id` (no-op if unknown).
    pub fn vote(&self, choice_id: &str, votes: u64) {
        let mut inner = self.state.lock();
        for running in &mut inner.polls.polls {
            if let Some(choices) = running.body["choices"].as_array_mut() {
                for choice in choices.iter_mut().filter(|c| c["id"] == choice_id) {
                    let now = choice["votes"].as_u64().unwrap_or_default();
                    choice["votes"] = json!(now + votes);
                }
            }
        }
    }
}
