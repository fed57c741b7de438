//! The application: `GET /oauth2/applications/@me` and application commands, global and
//! per guild.

use http::{Method, StatusCode};
use serde_json::Value;

use super::answer::{Answer, invalid_form_body, no_content, not_found, ok, parse_id, unknown};
use crate::discord::state::{Data, State, id_of};

/// `GET /oauth2/applications/@me` (or `/applications/@me`).
pub(super) fn current(state: &State) -> Answer {
    ok(state.data().application.clone())
}

/// `…/applications/{app}/commands…` and `…/applications/{app}/guilds/{guild}/commands…`:
/// `rest` is what follows the application id.
pub(super) fn commands(state: &State, method: &Method, rest: &[&str], body: &Value) -> Answer {
    let mut data = state.data();
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
            if body["name"]
                .as_str()
                .is_none_or(|n| n.is_empty() || n.chars().count() > 32)
            {
                return invalid_form_body();
            }
            let created = make(&mut data, body);
            data.commands
                .entry(guild)
                .or_default()
                .push(created.clone());
            (StatusCode::CREATED, Some(created))
        }
        (Method::PUT, []) => {
            let Some(list) = body.as_array() else {
                return invalid_form_body();
            };
            let created: Vec<Value> = list.iter().map(|c| make(&mut data, c)).collect();
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
