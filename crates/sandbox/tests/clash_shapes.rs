//! Clash of Clans answers of the standalone sandbox (the seeded world, as users get it) in
//! the shapes of the API's recorded answers in `fixtures/clash/`: every field a fixture
//! object always has is there, with the same JSON type. A client written against the real
//! API reads such fields without checking for them.

mod common;

use std::collections::BTreeSet;

use common::{Sandbox, get};
use http::StatusCode;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../../fixtures/clash/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The JSON type of a value, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Checks `actual` against the fixture `samples` of the same thing: a field every object
/// sample has must be in `actual`, of a type some sample has it with (`null` only where a
/// sample is null), recursively; array elements against every sample's elements.
fn check(samples: &[&Value], actual: &Value, path: &str, problems: &mut Vec<String>) {
    let known: Vec<&Value> = samples.iter().copied().filter(|s| !s.is_null()).collect();
    if known.is_empty() {
        return;
    }
    if !known.iter().any(|s| kind(s) == kind(actual)) {
        if !(actual.is_null() && samples.iter().any(|s| s.is_null())) {
            problems.push(format!(
                "{path}: {} where the API sends {}",
                kind(actual),
                kind(known[0])
            ));
        }
        return;
    }
    match actual {
        Value::Object(fields) => {
            let objects: Vec<&serde_json::Map<String, Value>> =
                known.iter().filter_map(|s| s.as_object()).collect();
            let always: BTreeSet<&String> = objects[0]
                .keys()
                .filter(|key| objects.iter().all(|o| o.contains_key(*key)))
                .collect();
            for key in always {
                let at = format!("{path}.{key}");
                match fields.get(key) {
                    None => problems.push(format!("{at}: missing")),
                    Some(value) => {
                        let inner: Vec<&Value> = objects.iter().map(|o| &o[key]).collect();
                        check(&inner, value, &at, problems);
                    }
                }
            }
        }
        Value::Array(items) => {
            let inner: Vec<&Value> = known
                .iter()
                .filter_map(|s| s.as_array())
                .flatten()
                .collect();
            for (i, item) in items.iter().enumerate().take(50) {
                check(&inner, item, &format!("{path}[{i}]"), problems);
            }
        }
        _ => {}
    }
}

/// The recorded players as the API shows one at `town_hall`: the town-hall weapon
/// (`townHallWeaponLevel`) exists from town hall 12 on, and the API leaves the field out
/// below (the recorded set has it on every player).
fn players_like(players: &Value, town_hall: u64) -> Vec<Value> {
    let mut samples: Vec<Value> = players.as_array().cloned().unwrap_or_default();
    if town_hall < 12 {
        for sample in &mut samples {
            if let Some(fields) = sample.as_object_mut() {
                fields.remove("townHallWeaponLevel");
            }
        }
    }
    samples
}

/// The API of a standalone sandbox with a key for it.
struct Api {
    sandbox: Sandbox,
    base: String,
    key: String,
    problems: Vec<String>,
}

impl Api {
    async fn start() -> Self {
        let sandbox = Sandbox::start(&[]);
        let key = common::clash_key(&sandbox).await;
        let base = sandbox.at("/clash/api");
        Self {
            sandbox,
            base,
            key,
            problems: Vec::new(),
        }
    }

    async fn get(&self, path: &str) -> Value {
        let url = format!("{}{}", self.base, path.replace('#', "%23"));
        let (status, body) = get(&url, &[("authorization", &self.key)]).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        body
    }

    /// `GET path` (its `items` when `listed`) checked against `samples`.
    async fn expect(&mut self, path: &str, listed: bool, samples: &[&Value]) -> Value {
        let body = self.get(path).await;
        let actual = if listed { &body["items"] } else { &body };
        check(samples, actual, path, &mut self.problems);
        body
    }
}

#[tokio::test]
async fn the_seeded_world_answers_in_the_recorded_shapes() {
    let mut api = Api::start().await;
    let clan_tag = api.sandbox.at("/clash/clan");
    let (clan, players, war, warlog) = (
        fixture("clan"),
        fixture("players"),
        fixture("war"),
        fixture("warlog"),
    );
    let (leagues, locations, misc) = (fixture("leagues"), fixture("locations"), fixture("misc"));
    let raids = fixture("capitalraidseasons");

    let ours = api
        .expect(&format!("/clans/{clan_tag}"), false, &[&clan])
        .await;
    api.expect(
        &format!("/clans/{clan_tag}/members"),
        true,
        &[&clan["memberList"]],
    )
    .await;
    // Every member's profile, against the recorded players of its town-hall band.
    let members: Vec<String> = ours["memberList"]
        .as_array()
        .expect("the clan has members")
        .iter()
        .filter_map(|m| m["tag"].as_str().map(str::to_owned))
        .collect();
    for member in members {
        let town_hall = api.get(&format!("/players/{member}")).await["townHallLevel"]
            .as_u64()
            .unwrap_or_default();
        let samples = players_like(&players, town_hall);
        let samples: Vec<&Value> = samples.iter().collect();
        api.expect(&format!("/players/{member}"), false, &samples)
            .await;
    }
    api.expect(&format!("/clans/{clan_tag}/currentwar"), false, &[&war])
        .await;
    api.expect(
        &format!("/clans/{clan_tag}/warlog"),
        true,
        &[&warlog["items"]],
    )
    .await;
    api.expect(
        &format!("/clans/{clan_tag}/capitalraidseasons"),
        true,
        &[&raids["items"]],
    )
    .await;
    for kind in [
        "leagues",
        "warleagues",
        "capitalleagues",
        "builderbaseleagues",
    ] {
        api.expect(&format!("/{kind}"), true, &[&leagues[kind]])
            .await;
    }
    api.expect("/locations", true, &[&locations["items"]]).await;
    api.expect("/labels/clans", true, &[&misc["clanLabels"]])
        .await;
    api.expect("/labels/players", true, &[&misc["playerLabels"]])
        .await;
    api.expect("/goldpass/seasons/current", false, &[&misc["goldpass"]])
        .await;

    assert!(
        api.problems.is_empty(),
        "{} differences from the recorded API shapes:\n{}",
        api.problems.len(),
        api.problems.join("\n")
    );
}

/// The comparison itself: a missing field and a wrong type are found.
#[test]
fn the_check_finds_missing_fields_and_wrong_types() {
    let sample = serde_json::json!({"tag": "#A", "level": 3, "labels": [{"id": 1, "name": "x"}]});
    let mut problems = Vec::new();
    check(
        &[&sample],
        &serde_json::json!({"tag": "#A", "level": "3", "labels": [{"id": 1}]}),
        "",
        &mut problems,
    );
    assert_eq!(
        problems,
        [
            ".labels[0].name: missing",
            ".level: string where the API sends number"
        ]
    );
}
