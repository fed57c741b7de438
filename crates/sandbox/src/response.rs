//! Response helpers. Platforms are picky about details real clients depend on, so these copy
//! them: JSON answers carry `Content-Type: application/json` exactly, with no charset suffix.

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};
use http_body_util::Full;

/// The response type every platform returns.
pub type HttpResponse = Response<Full<Bytes>>;

/// A JSON response with `Content-Type: application/json`.
pub fn json(status: StatusCode, value: &serde_json::Value) -> HttpResponse {
    bytes(status, "application/json", Bytes::from(value.to_string()))
}

/// A plain-text response.
pub fn text(status: StatusCode, body: impl Into<String>) -> HttpResponse {
    bytes(
        status,
        "text/plain; charset=utf-8",
        Bytes::from(body.into()),
    )
}

/// An empty response (204 and friends).
pub fn empty(status: StatusCode) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
}

/// A response with the given content type and body.
pub fn bytes(status: StatusCode, content_type: &'static str, body: Bytes) -> HttpResponse {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// 404 with a JSON body `{"message": "404: Not Found"}`; platforms with their own error shape
/// build theirs.
pub fn not_found() -> HttpResponse {
    json(
        StatusCode::NOT_FOUND,
        &serde_json::json!({ "message": "404: Not Found", "code": 0 }),
    )
}
