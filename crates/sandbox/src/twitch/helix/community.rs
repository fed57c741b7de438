//! Bits and teams: `GET /bits/cheermotes`, `GET /teams`, `GET /teams/channel`.

use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Answer, Call, HelixControl, HelixInner, bad_request, ok, refuse};

/// Teams, in creation order.
#[derive(Debug, Default)]
pub(super) struct Teams {
    /// `(id, name, member ids)`.
    teams: Vec<(String, String, Vec<String>)>,
}

pub(super) fn route(
    inner: &mut HelixInner,
    call: &Call<'_>,
    method: &Method,
    path: &[&str],
) -> Option<Answer> {
    Some(match (method, path) {
        (&Method::GET, ["bits", "cheermotes"]) => Ok(ok(&json!([
            cheermote("Cheer", "global_first_party", 1),
            cheermote("BibleThump", "global_first_party", 2),
            cheermote("Corgo", "global_third_party", 3),
        ]))),
        (&Method::GET, ["teams"]) => team(inner, call),
        (&Method::GET, ["teams", "channel"]) => call.required("broadcaster_id").map(|id| {
            let data: Vec<Value> = inner
                .teams
                .teams
                .iter()
                .filter(|(_, _, members)| members.contains(&id))
                .map(|team| {
                    let mut item = team_json(inner, team, false);
                    for (key, value) in inner.user_fields("broadcaster", &id) {
                        item[key] = value;
                    }
                    item
                })
                .collect();
            ok(&Value::Array(data))
        }),
        _ => return None,
    })
}

fn cheermote(prefix: &str, kind: &str, order: u32) -> Value {
    let tiers: Vec<Value> = [
        (1, "gray"),
        (100, "purple"),
        (1000, "green"),
        (5000, "blue"),
        (10_000, "red"),
    ]
    .iter()
    .map(|(min, color)| {
        json!({
            "min_bits": min, "id": min.to_string(), "color": color, "can_cheer": true,
            "show_in_bits_card": true, "images": cheermote_images(prefix, *min),
        })
    })
    .collect();
    json!({
        "prefix": prefix, "tiers": tiers, "type": kind, "order": order,
        "last_updated": "2024-01-01T00:00:00Z", "is_charitable": false,
    })
}

/// A tier's images as Twitch lists them: per theme, animated and static, per scale.
fn cheermote_images(prefix: &str, min_bits: u32) -> Value {
    let prefix = prefix.to_lowercase();
    let scales = |theme: &str, format: &str, extension: &str| -> Value {
        ["1", "1.5", "2", "3", "4"]
            .iter()
            .map(|scale| {
                let url = format!(
                    "https://d3aqoihi2n8ty8.cloudfront.net/actions/{prefix}/{theme}/{format}/{min_bits}/{scale}.{extension}"
                );
                ((*scale).to_owned(), Value::String(url))
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let theme = |theme: &str| json!({ "animated": scales(theme, "animated", "gif"), "static": scales(theme, "static", "png") });
    json!({ "dark": theme("dark"), "light": theme("light") })
}

fn team_json(
    inner: &HelixInner,
    (id, name, members): &(String, String, Vec<String>),
    with_users: bool,
) -> Value {
    let mut team = json!({
        "id": id, "team_name": name, "team_display_name": name, "info": format!("The {name} team"),
        "background_image_url": null, "banner": null, "thumbnail_url": "",
        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
    });
    if with_users {
        let users: Vec<Value> = members
            .iter()
            .map(|m| Value::Object(inner.user_fields("user", m)))
            .collect();
        team["users"] = json!(users);
    }
    team
}

/// One team by `name` or `id` (exactly one of them), 404 if there is none.
fn team(inner: &HelixInner, call: &Call<'_>) -> Answer {
    let found = match (call.param("name"), call.param("id")) {
        (Some(name), None) => inner.teams.teams.iter().find(|t| t.1 == name),
        (None, Some(id)) => inner.teams.teams.iter().find(|t| t.0 == id),
        _ => return Err(bad_request("The request must specify either name or id.")),
    };
    match found {
        Some(team) => Ok(ok(&json!([team_json(inner, team, true)]))),
        None => Err(refuse(
            StatusCode::NOT_FOUND,
            "The specified team was not found.",
        )),
    }
}

impl HelixControl {
    /// Adds a team `name` with `members` (user ids); returns its id.
    pub fn add_team(&self, name: &str, members: &[&str]) -> String {
        let mut inner = self.state.lock();
        let id = inner.new_id();
        inner.teams.teams.push((
            id.clone(),
            name.to_owned(),
            members.iter().map(|m| (*m).to_owned()).collect(),
        ));
        id
    }
}
