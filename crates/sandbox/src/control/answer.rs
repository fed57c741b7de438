//! How the control API answers: JSON objects with `"ok": true` and what happened
//! (`delivered`: how many connections got it), or `"ok": false` with an `error` message and
//! a 4xx status (400 a bad request, 404 nothing matched).

use http::StatusCode;
use serde_json::{Map, Value, json};

use crate::response::{self, HttpResponse};

/// A refused control call.
#[derive(Debug)]
pub(super) struct Refusal {
    status: StatusCode,
    message: String,
}

/// What a handler returns: the answer's fields, or why not.
pub(super) type Answer = Result<Value, Refusal>;

/// 400: the request does not say what it needs.
pub(super) fn bad_request(message: impl Into<String>) -> Refusal {
    Refusal {
        status: StatusCode::BAD_REQUEST,
        message: message.into(),
    }
}

/// 404: nothing matched (no such user, nobody subscribed, no connection).
pub(super) fn not_found(message: impl Into<String>) -> Refusal {
    Refusal {
        status: StatusCode::NOT_FOUND,
        message: message.into(),
    }
}

/// `{"delivered": n, …}`, or 404 with `nobody` when `n` is 0.
pub(super) fn delivered(count: usize, nobody: impl FnOnce() -> String, extra: Value) -> Answer {
    if count == 0 {
        return Err(not_found(nobody()));
    }
    let mut answer = json!({ "delivered": count });
    if let (Some(answer), Value::Object(extra)) = (answer.as_object_mut(), extra) {
        answer.extend(extra);
    }
    Ok(answer)
}

/// The finished HTTP response.
pub(super) fn respond(answer: Answer) -> HttpResponse {
    match answer {
        Ok(mut value) => {
            if !value.is_object() {
                value = json!({ "result": value });
            }
            if let Some(fields) = value.as_object_mut() {
                fields.insert("ok".into(), Value::Bool(true));
            }
            response::json(StatusCode::OK, &value)
        }
        Err(refusal) => response::json(
            refusal.status,
            &json!({ "ok": false, "error": refusal.message }),
        ),
    }
}

/// A request's JSON body (an empty body is `{}`).
pub(super) struct Body(Map<String, Value>);

impl Body {
    pub(super) fn parse(bytes: &[u8]) -> Result<Self, Refusal> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(Map::new()));
        }
        match serde_json::from_slice(bytes) {
            Ok(Value::Object(fields)) => Ok(Self(fields)),
            Ok(_) => Err(bad_request("the body must be a JSON object")),
            Err(error) => Err(bad_request(format!("the body is not JSON: {error}"))),
        }
    }

    /// A field, as JSON.
    pub(super) fn value(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    /// A text field (numbers are read as their text).
    pub(super) fn text(&self, name: &str) -> Option<String> {
        match self.value(name)? {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        }
    }

    /// A text field the call needs.
    pub(super) fn required(&self, name: &str) -> Result<String, Refusal> {
        self.text(name)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| bad_request(format!("{name} is required")))
    }

    /// A whole number, or `default` when absent.
    pub(super) fn number(&self, name: &str, default: u64) -> Result<u64, Refusal> {
        match self.value(name) {
            None => Ok(default),
            Some(value) => value
                .as_u64()
                .or_else(|| value.as_str()?.parse().ok())
                .ok_or_else(|| bad_request(format!("{name} must be a whole number"))),
        }
    }

    /// A flag, `false` when absent.
    pub(super) fn flag(&self, name: &str) -> bool {
        self.value(name).is_some_and(|v| {
            v.as_bool()
                .unwrap_or_else(|| v.as_str().is_some_and(|s| s == "true"))
        })
    }

    /// Name/value pairs from `{"k": "v"}` or `[["k", "v"]]` (values as text).
    pub(super) fn pairs(&self, name: &str) -> Result<Vec<(String, String)>, Refusal> {
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match self.value(name) {
            None => Ok(Vec::new()),
            Some(Value::Object(map)) => Ok(map.iter().map(|(k, v)| (k.clone(), text(v))).collect()),
            Some(Value::Array(list)) => list
                .iter()
                .map(|pair| match pair.as_array().map(Vec::as_slice) {
                    Some([k, v]) => Ok((text(k), text(v))),
                    _ => Err(bad_request(format!("{name} must hold [name, value] pairs"))),
                })
                .collect(),
            Some(_) => Err(bad_request(format!(
                "{name} must be an object or a list of pairs"
            ))),
        }
    }
}
