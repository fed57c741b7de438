//! The application: `GET /oauth2/applications/@me` and application commands, global and
//! per guild.

use http::{Method, StatusCode};
use serde_json::Value;

use super::answer::{
    Answer, error, invalid_form_body, no_content, not_found, ok, parse_id, unknown,
};
use super::command_rules;
use crate::discord::state::{Data, State, id_of};

/// `GET /oauth2/applications/@me` (or `/applications/@me`).
pub(super) fn current(state: &State) -> Answer {
    ok(state.data().application.clone())
}

/// `…/applications/{app}/commands…` and `…/applications/{app}/guilds/{guild}/commands…`:
/// `rest` is what follows the application id, which must be the bot's own (another
/// application's commands are `403 Missing Access`, as on Discord).
///
/// A POST creates or replaces by name (and type): an existing command of that name keeps
/// its id and answers `200`, a new one `201`. Bodies are checked as Discord checks them
/// (`command_rules`), answering `400` with Discord's error tree.
#[allow(clippy::too_many_lines)] // one arm per command endpoint, like the API reference
pub(super) fn commands(
    state: &State,
    method: &Method,
    app: &str,
    rest: &[&str],
    body: &Value,
) -> Answer {
    let mut data = state.data();
    if parse_id(app) != Some(id_of(&data.application)) {
        return error(StatusCode::FORBIDDEN, 50001, "Missing Access");
    }
    let (guild, rest) = match rest {
        ["guilds", guild, "commands", more @ ..] => (parse_id(guild), more),
        ["commands", more @ ..] => (None, more),
        _ => return not_found(),
    };
    let application = data.application["id"].clone();
    let make = |data: &mut Data, command: &Value| {
        let id = data.next_id();
        let mut command = command.clone();
        command["id"] = Value::from(id.to_string());
        command["application_id"] = application.clone();
        command["version"] = Value::from(id.to_string());
        if command.get("type").is_none() {
            command["type"] = Value::from(1);
        }
        // Always present in Discord's command object (OpenAPI `ApplicationCommandResponse`).
        for (field, absent) in [
            ("default_member_permissions", Value::Null),
            ("description", Value::from("")),
        ] {
            if command.get(field).is_none() {
                command[field] = absent;
            }
        }
        if let Some(guild) = guild {
            command["guild_id"] = Value::from(guild.to_string());
        }
        command
    };
    match (method.clone(), rest) {
        (Method::GET, []) => ok(Value::from(
            data.commands.get(&guild).cloned().unwrap_or_default(),
        )),
        (Method::POST, []) => {
            if let Some(errors) = command_rules::check(body) {
                return (
                    StatusCode::BAD_REQUEST,
                    Some(command_rules::error_body(errors)),
                );
            }
            let mut created = make(&mut data, body);
            let list = data.commands.entry(guild).or_default();
            if let Some(existing) = list.iter_mut().find(|c| same_command(c, &created)) {
                created["id"] = existing["id"].clone();
                *existing = created.clone();
                return ok(created);
            }
            list.push(created.clone());
            if command_rules::check_counts(list).is_some() {
                list.pop();
                return error(
                    StatusCode::BAD_REQUEST,
                    30032,
                    "Maximum number of application commands reached",
                );
            }
            (StatusCode::CREATED, Some(created))
        }
        (Method::PUT, []) => {
            let Some(list) = body.as_array() else {
                return invalid_form_body();
            };
            let mut errors = serde_json::Map::new();
            for (index, command) in list.iter().enumerate() {
                if let Some(tree) = command_rules::check(command) {
                    errors.insert(index.to_string(), tree);
                }
            }
            if !errors.is_empty() {
                let body = command_rules::error_body(Value::Object(errors));
                return (StatusCode::BAD_REQUEST, Some(body));
            }
            if let Some(tree) = command_rules::check_counts(list) {
                let body = command_rules::error_body(tree);
                return (StatusCode::BAD_REQUEST, Some(body));
            }
            let known = data.commands.get(&guild).cloned().unwrap_or_default();
            let created: Vec<Value> = list
                .iter()
                .map(|c| {
                    let mut command = make(&mut data, c);
                    // A command that stays (same name and type) keeps its id, as on Discord.
                    if let Some(existing) = known.iter().find(|k| same_command(k, &command)) {
                        command["id"] = existing["id"].clone();
                    }
                    command
                })
                .collect();
            data.commands.insert(guild, created.clone());
            ok(Value::from(created))
        }
        (Method::GET, [id]) => {
            let id = parse_id(id).unwrap_or_default();
            data.commands
                .get(&guild)
                .and_then(|list| list.iter().find(|c| id_of(c) == id).cloned())
                .map_or_else(|| unknown("application command", 10063), ok)
        }
        (Method::PATCH, [id]) => {
            let id = parse_id(id).unwrap_or_default();
            let Some(command) = data
                .commands
                .get_mut(&guild)
                .and_then(|list| list.iter_mut().find(|c| id_of(c) == id))
            else {
                return unknown("application command", 10063);
            };
            if let (Some(fields), Some(target)) = (body.as_object(), command.as_object_mut()) {
                for (key, value) in fields {
                    if !matches!(
                        key.as_str(),
                        "id" | "application_id" | "guild_id" | "version"
                    ) {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
            ok(command.clone())
        }
        (Method::DELETE, [id]) => {
            let id = parse_id(id).unwrap_or_default();
            let list = data.commands.entry(guild).or_default();
            let before = list.len();
            list.retain(|c| id_of(c) != id);
            if list.len() == before {
                unknown("application command", 10063)
            } else {
                no_content()
            }
        }
        _ => not_found(),
    }
}

/// Discord identifies a command within its scope by name and type.
fn same_command(a: &Value, b: &Value) -> bool {
    a["name"] == b["name"] && a["type"].as_u64().unwrap_or(1) == b["type"].as_u64().unwrap_or(1)
}
