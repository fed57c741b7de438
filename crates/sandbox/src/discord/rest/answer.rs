//! What a REST handler answers, and the error bodies Discord sends
//! (`{"message": …, "code": …}` with Discord's JSON error codes).

use http::StatusCode;
use serde_json::{Value, json};

/// A status and an optional JSON body; headers are added by the router.
pub(super) type Answer = (StatusCode, Option<Value>);

pub(super) fn error(status: StatusCode, code: u64, message: &str) -> Answer {
    (status, Some(json!({"message": message, "code": code})))
}

/// `404 Unknown {what}` with Discord's code for that kind of object.
pub(super) fn unknown(what: &str, code: u64) -> Answer {
    error(StatusCode::NOT_FOUND, code, &format!("Unknown {what}"))
}

/// A route the API does not have.
pub(super) fn not_found() -> Answer {
    error(StatusCode::NOT_FOUND, 0, "404: Not Found")
}

/// A known path with a method it does not take.
pub(super) fn method_not_allowed() -> Answer {
    error(StatusCode::METHOD_NOT_ALLOWED, 0, "405: Method Not Allowed")
}

/// Discord's answer to a body or query that breaks a documented bound.
pub(super) fn invalid_form_body() -> Answer {
    error(StatusCode::BAD_REQUEST, 50035, "Invalid Form Body")
}

pub(super) fn ok(value: Value) -> Answer {
    (StatusCode::OK, Some(value))
}

pub(super) fn no_content() -> Answer {
    (StatusCode::NO_CONTENT, None)
}

/// A snowflake path segment; anything else is no id (and finds nothing).
pub(super) fn parse_id(segment: &str) -> Option<u64> {
    segment.parse().ok()
}
