//! The REST API under `/v1`: authorization, throttling, maintenance, then the routes.

// Helpers return the finished error response as `Err`; it is built once per request, so
// boxing it would only add an allocation.
#![allow(clippy::result_large_err)]

use std::sync::atomic::Ordering;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderValue, Method, StatusCode, header};
use serde_json::{Value, json};
use tokio::time::Instant;

use super::{State, percent_decode};
use crate::platform::SandboxRequest;
use crate::response::{self, HttpResponse};

/// The API's error shape: `{"reason", "message"}`.
fn error(status: StatusCode, reason: &str, message: &str) -> HttpResponse {
    response::json(status, &json!({ "reason": reason, "message": message }))
}

fn not_found() -> HttpResponse {
    error(StatusCode::NOT_FOUND, "notFound", "notFound")
}

fn ok(value: &Value, max_age: u64) -> HttpResponse {
    let mut response = response::json(StatusCode::OK, value);
    if let Ok(value) = HeaderValue::from_str(&format!("public max-age={max_age}")) {
        response.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    response
}

// One route table, read top to bottom like the API reference.
#[allow(clippy::too_many_lines)]
pub(super) fn handle(state: &State, request: &SandboxRequest, path: &[String]) -> HttpResponse {
    if let Err(response) = authorize(state, request) {
        return response;
    }
    if state
        .fail_next
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "unknownException",
            "Unknown error happened when handling the request.",
        );
    }
    if state.maintenance.load(Ordering::SeqCst) {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "inMaintenance",
            "API is currently in maintenance, please come back later",
        );
    }
    let override_age = *state.max_age.lock();
    let age = |default: u64| override_age.unwrap_or(default);
    let query = |name: &str| request.query_param(name).map(percent_decode);
    let world = state.world.lock();
    let parts: Vec<&str> = path.iter().map(String::as_str).collect();
    let found =
        |value: Option<&Value>, max_age: u64| value.map_or_else(not_found, |v| ok(v, age(max_age)));
    let list = |items: &Value, max_age: u64| match paginate(items, &query) {
        Ok(page) => ok(&page, age(max_age)),
        Err(response) => response,
    };
    match (&request.method, parts.as_slice()) {
        (&Method::GET, ["clans"]) => {
            search(&world.clans, &query).map_or_else(|r| r, |items| list(&items, 600))
        }
        (&Method::GET, ["clans", tag]) => found(world.clans.get(*tag), 120),
        (&Method::GET, ["clans", tag, "members"]) => world
            .clans
            .get(*tag)
            .map_or_else(not_found, |c| list(&c["memberList"], 120)),
        (&Method::GET, ["clans", tag, "warlog"]) => match world.clans.get(*tag) {
            None => not_found(),
            Some(clan) if clan["isWarLogPublic"] == false => {
                error(StatusCode::FORBIDDEN, "accessDenied", "accessDenied")
            }
            Some(_) => list(world.warlogs.get(*tag).unwrap_or(&json!([])), 600),
        },
        (&Method::GET, ["clans", tag, "currentwar"]) => {
            if world.clans.contains_key(*tag) {
                let war = world
                    .wars
                    .get(*tag)
                    .unwrap_or(&json!({ "state": "notInWar" }))
                    .clone();
                ok(&state.on_clock(war), age(120))
            } else {
                not_found()
            }
        }
        (&Method::GET, ["clans", tag, "currentwar", "leaguegroup"]) => {
            found(world.league_groups.get(*tag), 120)
        }
        (&Method::GET, ["clans", tag, "capitalraidseasons"]) => match world.clans.get(*tag) {
            None => not_found(),
            Some(_) => list(world.raids.get(*tag).unwrap_or(&json!([])), 600),
        },
        (&Method::GET, ["clanwarleagues", "wars", tag]) => match world.league_wars.get(*tag) {
            Some(war) => ok(&state.on_clock(war.clone()), age(120)),
            None => not_found(),
        },
        (&Method::GET, ["players", tag]) => found(world.players.get(*tag), 60),
        (&Method::POST, ["players", tag, "verifytoken"]) => {
            if !world.players.contains_key(*tag) {
                return not_found();
            }
            let token = serde_json::from_slice::<Value>(&request.body)
                .ok()
                .and_then(|b| b["token"].as_str().map(str::to_owned));
            let Some(token) = token else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "badRequest",
                    "body must be {\"token\": string}",
                );
            };
            let status = if world.player_tokens.get(*tag) == Some(&token) {
                "ok"
            } else {
                "invalid"
            };
            response::json(
                StatusCode::OK,
                &json!({ "tag": tag, "token": token, "status": status }),
            )
        }
        (
            &Method::GET,
            [kind @ ("leagues" | "warleagues" | "capitalleagues" | "builderbaseleagues")],
        ) => list(&world.leagues[*kind], 600),
        (
            &Method::GET,
            [
                kind @ ("leagues" | "warleagues" | "capitalleagues" | "builderbaseleagues"),
                id,
            ],
        ) => found(
            world.leagues[*kind].as_array().and_then(|l| {
                l.iter()
                    .find(|x| x["id"].as_u64() == id.parse::<u64>().ok())
            }),
            600,
        ),
        (&Method::GET, ["leagues", id, "seasons"]) if *id == "29000008" => {
            list(&world.leagues["seasons"], 600)
        }
        (&Method::GET, ["leagues", id, "seasons", _season]) if *id == "29000008" => {
            list(&player_ranking(&world.players), 600)
        }
        (&Method::GET, ["leagues", _, "seasons", ..]) => error(
            StatusCode::NOT_FOUND,
            "notFound",
            "seasons exist for the Legend League only",
        ),
        (&Method::GET, ["locations"]) => list(&world.locations["items"], 600),
        (&Method::GET, ["locations", id]) => found(
            world.locations["items"].as_array().and_then(|l| {
                l.iter()
                    .find(|x| x["id"].as_u64() == id.parse::<u64>().ok())
            }),
            600,
        ),
        (&Method::GET, ["locations", id, "rankings", kind]) => {
            if !world.locations["items"]
                .as_array()
                .is_some_and(|l| l.iter().any(|x| x["id"].as_u64() == id.parse::<u64>().ok()))
            {
                return not_found();
            }
            match *kind {
                "clans" | "clans-builder-base" | "capitals" => {
                    list(&clan_ranking(&world.clans, kind), 600)
                }
                "players" | "players-builder-base" => list(&player_ranking(&world.players), 600),
                _ => not_found(),
            }
        }
        (&Method::GET, ["goldpass", "seasons", "current"]) => ok(&world.misc["goldpass"], age(600)),
        (&Method::GET, ["labels", "clans"]) => list(&world.misc["clanLabels"], 600),
        (&Method::GET, ["labels", "players"]) => list(&world.misc["playerLabels"], 600),
        _ => not_found(),
    }
}

/// Checks the bearer key, its IP ranges and its rolling one-second window.
fn authorize(state: &State, request: &SandboxRequest) -> Result<(), HttpResponse> {
    let denied = |message: &str| error(StatusCode::FORBIDDEN, "accessDenied", message);
    let key = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or_else(|| denied("Invalid authorization"))?;
    let cidrs = state
        .site
        .lock()
        .keys
        .iter()
        .find(|k| k.key == key)
        .map(|k| k.cidr_ranges.clone())
        .ok_or_else(|| denied("Invalid authorization"))?;
    let ip = state.caller_ip.lock().clone();
    if !cidrs
        .iter()
        .any(|cidr| cidr == &ip || cidr.strip_suffix("/32") == Some(&ip))
    {
        return Err(error(
            StatusCode::FORBIDDEN,
            "accessDenied.invalidIp",
            &format!("Invalid authorization: API key does not allow access from IP {ip}"),
        ));
    }
    let limit = state.rate_limit.load(Ordering::SeqCst) as usize;
    let now = Instant::now();
    let mut windows = state.windows.lock();
    let window = windows.entry(key.to_owned()).or_default();
    while window
        .front()
        .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
    {
        window.pop_front();
    }
    if window.len() >= limit {
        state.throttled.fetch_add(1, Ordering::SeqCst);
        return Err(error(
            StatusCode::TOO_MANY_REQUESTS,
            "requestThrottled",
            "Request was throttled, because amount of requests was above the threshold defined for the used API token.",
        ));
    }
    window.push_back(now);
    Ok(())
}

/// `limit` / `after` / `before` over a JSON array; cursors are base64 `{"pos":N}` like the
/// real API's.
fn paginate(items: &Value, query: &dyn Fn(&str) -> Option<String>) -> Result<Value, HttpResponse> {
    let items = items.as_array().cloned().unwrap_or_default();
    let bad = |what: &str| error(StatusCode::BAD_REQUEST, "badRequest", what);
    let limit = match query("limit") {
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|l| *l > 0)
            .ok_or_else(|| bad("limit must be a positive integer"))?,
        None => items.len().max(1),
    };
    let decode = |cursor: String| -> Result<usize, HttpResponse> {
        let bytes = STANDARD
            .decode(cursor.as_bytes())
            .map_err(|_| bad("invalid cursor"))?;
        serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|v| v["pos"].as_u64())
            .map(|p| p as usize)
            .ok_or_else(|| bad("invalid cursor"))
    };
    let (start, end) = match (query("after"), query("before")) {
        (Some(_), Some(_)) => return Err(bad("only one of after and before may be given")),
        (Some(after), None) => {
            let start = decode(after)?;
            (start, (start + limit).min(items.len()))
        }
        (None, Some(before)) => {
            let end = decode(before)?.min(items.len());
            (end.saturating_sub(limit), end)
        }
        (None, None) => (0, limit.min(items.len())),
    };
    let start = start.min(items.len());
    let cursor = |pos: usize| STANDARD.encode(format!("{{\"pos\":{pos}}}"));
    let mut cursors = serde_json::Map::new();
    if end < items.len() {
        cursors.insert("after".into(), json!(cursor(end)));
    }
    if start > 0 {
        cursors.insert("before".into(), json!(cursor(start)));
    }
    Ok(json!({ "items": items[start..end.max(start)], "paging": { "cursors": cursors } }))
}

fn search(
    clans: &std::collections::HashMap<String, Value>,
    query: &dyn Fn(&str) -> Option<String>,
) -> Result<Value, HttpResponse> {
    let bad = |what: &str| error(StatusCode::BAD_REQUEST, "badRequest", what);
    let name = query("name");
    if name.as_ref().is_some_and(|n| n.chars().count() < 3) {
        return Err(bad("name must be at least three characters long"));
    }
    let number = |key: &str| -> Result<Option<u64>, HttpResponse> {
        query(key)
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| bad(&format!("{key} must be a number")))
            })
            .transpose()
    };
    let (min_members, max_members, min_points, min_level, location) = (
        number("minMembers")?,
        number("maxMembers")?,
        number("minClanPoints")?,
        number("minClanLevel")?,
        number("locationId")?,
    );
    let frequency = query("warFrequency");
    let labels: Vec<u64> = query("labelIds")
        .map(|l| l.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_default();
    if name.is_none()
        && frequency.is_none()
        && labels.is_empty()
        && [min_members, max_members, min_points, min_level, location]
            .iter()
            .all(Option::is_none)
    {
        return Err(bad("at least one filtering parameter must be given"));
    }
    let mut found: Vec<Value> = clans
        .values()
        .filter(|c| {
            name.as_ref().is_none_or(|n| {
                c["name"]
                    .as_str()
                    .is_some_and(|cn| cn.to_lowercase().contains(&n.to_lowercase()))
            })
        })
        .filter(|c| min_members.is_none_or(|m| c["members"].as_u64().unwrap_or(0) >= m))
        .filter(|c| max_members.is_none_or(|m| c["members"].as_u64().unwrap_or(0) <= m))
        .filter(|c| min_points.is_none_or(|m| c["clanPoints"].as_u64().unwrap_or(0) >= m))
        .filter(|c| min_level.is_none_or(|m| c["clanLevel"].as_u64().unwrap_or(0) >= m))
        .filter(|c| location.is_none_or(|l| c["location"]["id"].as_u64() == Some(l)))
        .filter(|c| {
            frequency
                .as_ref()
                .is_none_or(|f| c["warFrequency"].as_str() == Some(f))
        })
        .filter(|c| {
            labels.iter().all(|l| {
                c["labels"]
                    .as_array()
                    .is_some_and(|ls| ls.iter().any(|x| x["id"].as_u64() == Some(*l)))
            })
        })
        .map(|c| {
            let mut c = c.clone();
            c.as_object_mut().map(|o| o.remove("memberList"));
            c
        })
        .collect();
    found.sort_by_key(|c| {
        (
            std::cmp::Reverse(c["clanPoints"].as_u64().unwrap_or(0)),
            c["tag"].as_str().unwrap_or("").to_owned(),
        )
    });
    Ok(Value::Array(found))
}

fn clan_ranking(clans: &std::collections::HashMap<String, Value>, kind: &str) -> Value {
    let field = match kind {
        "clans-builder-base" => "clanBuilderBasePoints",
        "capitals" => "clanCapitalPoints",
        _ => "clanPoints",
    };
    let mut ranked: Vec<&Value> = clans.values().collect();
    ranked.sort_by_key(|c| {
        (
            std::cmp::Reverse(c[field].as_u64().unwrap_or(0)),
            c["tag"].as_str().unwrap_or("").to_owned(),
        )
    });
    Value::Array(
        ranked
            .iter()
            .enumerate()
            .map(|(i, c)| json!({
                "tag": c["tag"], "name": c["name"], "location": c["location"], "badgeUrls": c["badgeUrls"],
                "clanLevel": c["clanLevel"], "members": c["members"], field: c[field], "rank": i + 1, "previousRank": i + 1,
            }))
            .collect(),
    )
}

fn player_ranking(players: &std::collections::HashMap<String, Value>) -> Value {
    let mut ranked: Vec<&Value> = players.values().collect();
    ranked.sort_by_key(|p| {
        (
            std::cmp::Reverse(p["trophies"].as_u64().unwrap_or(0)),
            p["tag"].as_str().unwrap_or("").to_owned(),
        )
    });
    Value::Array(
        ranked
            .iter()
            .enumerate()
            .map(|(i, p)| json!({
                "tag": p["tag"], "name": p["name"], "expLevel": p["expLevel"], "trophies": p["trophies"],
                "attackWins": p["attackWins"], "defenseWins": p["defenseWins"], "rank": i + 1, "previousRank": i + 1,
                "clan": p["clan"], "league": p["league"],
            }))
            .collect(),
    )
}
