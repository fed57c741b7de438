//! Application command bodies checked as Discord checks them, with its error tree
//! (`{"code": 50035, "message": "Invalid Form Body", "errors": {…}}`, each broken field
//! holding `{"_errors": [{"code", "message"}]}` under its path).
//!
//! - names: 1–32 characters of `^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]$`, lowercase, for
//!   chat input commands and every option (user and message commands may hold spaces and
//!   capitals);
//! - chat input descriptions and option descriptions: 1–100 characters;
//! - at most 25 options per level, 25 choices per option, required options before optional;
//! - per scope, at most 100 chat input, 5 user and 5 message commands.

use serde_json::{Map, Value, json};

const MAX_OPTIONS: usize = 25;
const MAX_CHOICES: usize = 25;
const MAX_CHAT_INPUT: usize = 100;
const MAX_CONTEXT_MENU: usize = 5;
/// Option types 1 and 2: subcommands and groups, whose `options` are their own level.
const SUB_COMMAND: u64 = 1;
const SUB_COMMAND_GROUP: u64 = 2;

/// The errors of one command, as Discord's error tree; `None` when it is valid.
pub(super) fn check(command: &Value) -> Option<Value> {
    let mut errors = Map::new();
    let kind = command["type"].as_u64().unwrap_or(1);
    let name = command["name"].as_str().unwrap_or_default();
    let chat_input = kind == 1;
    let name_ok = if chat_input {
        valid_name(name)
    } else {
        (1..=32).contains(&name.chars().count())
    };
    if !name_ok {
        errors.insert(
            "name".into(),
            field_error(
                "APPLICATION_COMMAND_INVALID_NAME",
                "Command name is invalid",
            ),
        );
    }
    if chat_input {
        check_description(command, &mut errors);
        check_options(command, &mut errors);
    }
    (!errors.is_empty()).then_some(Value::Object(errors))
}

/// The errors of a scope's whole list (after a create or a bulk overwrite): too many
/// commands of a type.
pub(super) fn check_counts(commands: &[Value]) -> Option<Value> {
    let count = |kind: u64| {
        commands
            .iter()
            .filter(|c| c["type"].as_u64().unwrap_or(1) == kind)
            .count()
    };
    let too_many =
        count(1) > MAX_CHAT_INPUT || count(2) > MAX_CONTEXT_MENU || count(3) > MAX_CONTEXT_MENU;
    too_many.then(|| {
        json!({"_errors": [{
            "code": "APPLICATION_COMMANDS_TOO_MANY",
            "message": "Maximum number of application commands reached",
        }]})
    })
}

/// Discord's error body around an error tree.
pub(super) fn error_body(errors: Value) -> Value {
    let mut body = json!({"code": 50035, "message": "Invalid Form Body"});
    body["errors"] = errors;
    body
}

fn valid_name(name: &str) -> bool {
    (1..=32).contains(&name.chars().count())
        && name.chars().all(|c| {
            // `\p{L}\p{N}` and the Devanagari and Thai scripts (whose vowel signs are marks,
            // not letters, but Rust's Alphabetic property holds them).
            c == '-' || c == '_' || c.is_alphanumeric() || is_deva_or_thai(c)
        })
        && name.to_lowercase() == name
}

fn is_deva_or_thai(c: char) -> bool {
    matches!(c, '\u{0900}'..='\u{097F}' | '\u{A8E0}'..='\u{A8FF}' | '\u{0E00}'..='\u{0E7F}')
}

fn check_description(item: &Value, errors: &mut Map<String, Value>) {
    let length = item["description"].as_str().map(|d| d.chars().count());
    if !length.is_some_and(|l| (1..=100).contains(&l)) {
        errors.insert(
            "description".into(),
            field_error(
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            ),
        );
    }
}

/// Checks `item["options"]` (a command's, a subcommand's or a group's).
fn check_options(item: &Value, errors: &mut Map<String, Value>) {
    let Some(options) = item["options"].as_array() else {
        return;
    };
    if options.len() > MAX_OPTIONS {
        errors.insert(
            "options".into(),
            field_error("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."),
        );
        return;
    }
    let mut tree = Map::new();
    let mut optional_seen = false;
    for (index, option) in options.iter().enumerate() {
        let mut own = Map::new();
        if !valid_name(option["name"].as_str().unwrap_or_default()) {
            own.insert(
                "name".into(),
                field_error(
                    "APPLICATION_COMMAND_INVALID_NAME",
                    "Command name is invalid",
                ),
            );
        }
        check_description(option, &mut own);
        let kind = option["type"].as_u64().unwrap_or_default();
        if matches!(kind, SUB_COMMAND | SUB_COMMAND_GROUP) {
            check_options(option, &mut own);
        } else {
            let required = option["required"].as_bool().unwrap_or(false);
            if required && optional_seen {
                own.insert(
                    "required".into(),
                    field_error(
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    ),
                );
            }
            optional_seen |= !required;
        }
        if option["choices"]
            .as_array()
            .is_some_and(|choices| choices.len() > MAX_CHOICES)
        {
            own.insert(
                "choices".into(),
                field_error("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."),
            );
        }
        if !own.is_empty() {
            tree.insert(index.to_string(), Value::Object(own));
        }
    }
    if !tree.is_empty() {
        errors.insert("options".into(), Value::Object(tree));
    }
}

fn field_error(code: &str, message: &str) -> Value {
    json!({"_errors": [{"code": code, "message": message}]})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_commands_pass_and_each_rule_names_its_field() {
        let ok = json!({"name": "roll", "description": "Rolls dice", "options": [
            {"type": 3, "name": "dice", "description": "Like 2d6", "required": true},
            {"type": 4, "name": "times", "description": "How often"},
        ]});
        assert_eq!(check(&ok), None);
        assert_eq!(
            check(&json!({"type": 2, "name": "Show Avatar", "description": ""})),
            None
        );
        assert_eq!(check(&json!({"name": "नमस्ते", "description": "hi"})), None);

        let errors = check(&json!({"name": "Roll", "description": ""})).unwrap();
        assert_eq!(
            errors["name"]["_errors"][0]["code"],
            "APPLICATION_COMMAND_INVALID_NAME"
        );
        assert_eq!(
            errors["description"]["_errors"][0]["code"],
            "BASE_TYPE_BAD_LENGTH"
        );
        let errors = check(&json!({"name": "has space", "description": "x"})).unwrap();
        assert!(errors.get("name").is_some());

        let late = json!({"name": "roll", "description": "d", "options": [
            {"type": 4, "name": "times", "description": "t"},
            {"type": 3, "name": "dice", "description": "d", "required": true},
        ]});
        let errors = check(&late).unwrap();
        assert_eq!(
            errors["options"]["1"]["required"]["_errors"][0]["code"],
            "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID"
        );

        let option = |i: usize| json!({"type": 3, "name": format!("o{i}"), "description": "d"});
        let wide = json!({"name": "wide", "description": "d", "options": (0..26).map(option).collect::<Vec<_>>()});
        assert!(check(&wide).unwrap().get("options").is_some());
        let choice = |i: usize| json!({"name": format!("c{i}"), "value": i});
        let choosy = json!({"name": "pick", "description": "d", "options": [
            {"type": 4, "name": "n", "description": "d", "choices": (0..26).map(choice).collect::<Vec<_>>()},
        ]});
        assert!(
            check(&choosy).unwrap()["options"]["0"]
                .get("choices")
                .is_some()
        );
    }

    #[test]
    fn counts_per_type_are_capped() {
        let chat: Vec<Value> = (0..100)
            .map(|i| json!({"type": 1, "name": format!("c{i}")}))
            .collect();
        assert_eq!(check_counts(&chat), None);
        let mut more = chat;
        more.push(json!({"type": 1, "name": "one-more"}));
        assert!(check_counts(&more).is_some());
        let users: Vec<Value> = (0..6)
            .map(|i| json!({"type": 2, "name": format!("U{i}")}))
            .collect();
        assert!(check_counts(&users).is_some());
        assert_eq!(check_counts(&users[..5]), None);
    }
}
