//! Metadata updates as the server validates them: `{key: {type, value}}`, typed, with
//! reserved keys refused.

use serde_json::{Map, Value};

/// Keys the server sets itself; clients may not.
pub(crate) const FORBIDDEN_KEYS: [&str; 6] = [
    "last_heartbeat_time",
    "ip",
    "restricted",
    "encoding",
    "namespace",
    "receive_client_updates",
];

/// Validated values and their types, or `{key: message}` errors.
pub(crate) type Validated = (Vec<(String, String, Value)>, Map<String, Value>);

/// Checks every entry; returns `(key, type, value)` triples and the per-key errors.
pub(crate) fn validate(update: &Value) -> Validated {
    let mut values = Vec::new();
    let mut errors = Map::new();
    let Some(entries) = update.as_object() else {
        errors.insert("*".into(), Value::from("metadata must be an object"));
        return (values, errors);
    };
    for (key, entry) in entries {
        let kind = entry
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let value = entry.get("value").cloned().unwrap_or(Value::Null);
        if FORBIDDEN_KEYS.contains(&key.as_str()) {
            errors.insert(
                key.clone(),
                Value::from(format!("{key}: forbidden metadata key")),
            );
            continue;
        }
        let valid = match kind {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "float" => value.is_f64(),
            "version" => value
                .as_str()
                .is_some_and(|v| semver::Version::parse(v).is_ok()),
            "list" => value.is_array(),
            "boolean" => value.is_boolean(),
            "map" => value.is_object(),
            _ => {
                errors.insert(
                    key.clone(),
                    Value::from(format!("{key}: type '{kind}' doesn't exists")),
                );
                continue;
            }
        };
        if valid {
            values.push((key.clone(), kind.to_owned(), value));
        } else {
            errors.insert(
                key.clone(),
                Value::from(format!("{key}: value fails validation for '{kind}'")),
            );
        }
    }
    (values, errors)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn types_and_forbidden_keys() {
        let (values, errors) = validate(&json!({
            "a": {"type": "integer", "value": 3},
            "b": {"type": "float", "value": 3},
            "c": {"type": "version", "value": "1.0.0"},
            "d": {"type": "version", "value": "1.0"},
            "ip": {"type": "string", "value": "x"},
            "e": {"type": "uuid", "value": "x"},
        }));
        let keys: Vec<&str> = values.iter().map(|(k, _, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "c"]);
        assert_eq!(errors.len(), 4);
        assert!(errors["ip"].as_str().unwrap().contains("forbidden"));
    }
}
