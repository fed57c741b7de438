//! Subscriptions: `GET /subscriptions` (the broadcaster's subscribers) and
//! `GET /subscriptions/user` (whether a user subscribes to a channel).

use std::collections::HashMap;

use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::response;

use super::{Answer, Call, HelixControl, HelixInner, ok, refuse};

/// Subscribers per broadcaster: `(user_id, tier)`, oldest first.
#[derive(Debug, Default)]
pub(super) struct Subscriptions {
    by_broadcaster: HashMap<String, Vec<(String, String)>>,
}

pub(super) fn route(
    inner: &mut HelixInner,
    call: &Call<'_>,
    method: &Method,
    path: &[&str],
) -> Option<Answer> {
    match (method, path) {
        (&Method::GET, ["subscriptions"]) => Some(subscribers(inner, call)),
        (&Method::GET, ["subscriptions", "user"]) => Some(check(inner, call)),
        _ => None,
    }
}

/// Points a subscription of `tier` earns the broadcaster (Twitch: 1, 2 and 6).
fn points(tier: &str) -> u64 {
    match tier {
        "2000" => 2,
        "3000" => 6,
        _ => 1,
    }
}

fn plan_name(tier: &str) -> &'static str {
    match tier {
        "2000" => "Channel Subscription (Tier 2)",
        "3000" => "Channel Subscription (Tier 3)",
        _ => "Channel Subscription (Tier 1)",
    }
}

fn subscribers(inner: &HelixInner, call: &Call<'_>) -> Answer {
    let broadcaster_id = call.required("broadcaster_id")?;
    call.broadcaster(&broadcaster_id, &["channel:read:subscriptions"])?;
    let only = call.params("user_id");
    let all = inner
        .subscriptions
        .by_broadcaster
        .get(&broadcaster_id)
        .map_or(&[][..], Vec::as_slice);
    let items: Vec<Value> = all
        .iter()
        .rev()
        .filter(|(user, _)| only.is_empty() || only.contains(user))
        .map(|(user, tier)| {
            let mut item = inner.user_fields("broadcaster", &broadcaster_id);
            item.extend(inner.user_fields("user", user));
            item.extend(inner.user_fields("gifter", ""));
            item.insert("is_gift".into(), json!(false));
            item.insert("plan_name".into(), json!(plan_name(tier)));
            item.insert("tier".into(), json!(tier));
            Value::Object(item)
        })
        .collect();
    let mut page = call.page_body(&items, 100, true);
    page["points"] = json!(all.iter().map(|(_, tier)| points(tier)).sum::<u64>());
    Ok(response::json(StatusCode::OK, &page))
}

fn check(inner: &HelixInner, call: &Call<'_>) -> Answer {
    let broadcaster_id = call.required("broadcaster_id")?;
    let user_id = call.required("user_id")?;
    call.same_user(&user_id, &["user:read:subscriptions"])?;
    let tier = inner
        .subscriptions
        .by_broadcaster
        .get(&broadcaster_id)
        .and_then(|list| list.iter().find(|(u, _)| *u == user_id))
        .map(|(_, tier)| tier.clone());
    let Some(tier) = tier else {
        return Err(refuse(
            StatusCode::NOT_FOUND,
            &format!("{user_id} has no subscription to {broadcaster_id}"),
        ));
    };
    let mut item = inner.user_fields("broadcaster", &broadcaster_id);
    item.insert("is_gift".into(), json!(false));
    item.insert("tier".into(), json!(tier));
    Ok(ok(&json!([item])))
}

impl HelixControl {
    /// `user_id` subscribes to `broadcaster_id` at `tier` (`1000`, `2000`, `3000`).
    pub fn add_subscription(&self, user_id: &str, broadcaster_id: &str, tier: &str) {
        let mut inner = self.state.lock();
        let list = inner
            .subscriptions
            .by_broadcaster
            .entry(broadcaster_id.to_owned())
            .or_default();
        list.retain(|(u, _)| u != user_id);
        list.push((user_id.to_owned(), tier.to_owned()));
    }
}
