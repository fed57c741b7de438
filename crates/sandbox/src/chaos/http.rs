//! Chaos for HTTP answers: the server's response, made hostile on its way out.
//!
//! Number chaos rewrites every JSON number, every `Ratelimit-*` header and
//! `Cache-Control: max-age`; [`Chaos::WrongTypeFields`] swaps the type of every JSON
//! field; the body behaviours ([`Chaos::TruncatedBody`], [`Chaos::OversizedBody`],
//! [`Chaos::InvalidUtf8Body`], [`Chaos::SlowBody`]) change how the bytes travel.
//! Upgrades (`101`) pass untouched.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{FutureExt, StreamExt, stream};
use http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::Frame;
use serde_json::Value;

use super::{Chaos, ChaosSwitch};
use crate::response::HttpResponse;

/// The body type the server writes: whole, or streamed by a body behaviour.
pub(crate) type ChaosBody = UnsyncBoxBody<Bytes, Infallible>;

/// What [`Chaos::OversizedBody`] sends: far past any client's cap.
const OVERSIZED_BYTES: usize = 64 * 1024 * 1024;

/// The chunk [`Chaos::OversizedBody`] streams in.
const OVERSIZED_CHUNK: usize = 64 * 1024;

/// The pause between two bytes of a [`Chaos::SlowBody`] body.
const SLOW_BYTE_EVERY: Duration = Duration::from_secs(1);

/// `response` as the switch (if any) wants it.
pub(crate) fn apply(switch: Option<&ChaosSwitch>, response: HttpResponse) -> Response<ChaosBody> {
    let active = switch.map(ChaosSwitch::active).unwrap_or_default();
    if active.is_empty() || response.status() == StatusCode::SWITCHING_PROTOCOLS {
        return response.map(BodyExt::boxed_unsync);
    }
    let on = |chaos| active.contains(&chaos);
    let (mut parts, body) = response.into_parts();
    let mut bytes = whole(body);
    let number = if on(Chaos::HugeNumbers) {
        Some(Number::Huge)
    } else if on(Chaos::NegativeNumbers) {
        Some(Number::Negative)
    } else {
        None
    };
    if let Some(number) = number {
        numbers_in_headers(&mut parts.headers, number);
    }
    if (number.is_some() || on(Chaos::WrongTypeFields))
        && let Ok(mut value) = serde_json::from_slice::<Value>(&bytes)
    {
        if let Some(number) = number {
            rewrite_numbers(&mut value, number);
        }
        if on(Chaos::WrongTypeFields) {
            wrong_types(&mut value);
        }
        bytes = Bytes::from(value.to_string());
    }
    if on(Chaos::InvalidUtf8Body) {
        bytes = invalid_utf8(&bytes);
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = if on(Chaos::OversizedBody) {
        oversized()
    } else if on(Chaos::TruncatedBody) && bytes.len() > 1 {
        // The head announces every byte; half of them come, then the server gives up.
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
        Full::new(bytes.slice(..bytes.len() / 2)).boxed_unsync()
    } else if on(Chaos::SlowBody) && !bytes.is_empty() {
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
        slow(bytes)
    } else {
        Full::new(bytes).boxed_unsync()
    };
    Response::from_parts(parts, body)
}

/// The bytes of a whole body (a `Full` yields one frame, at once).
fn whole(body: Full<Bytes>) -> Bytes {
    match body.collect().now_or_never() {
        Some(Ok(collected)) => collected.to_bytes(),
        Some(Err(never)) => match never {},
        None => Bytes::new(),
    }
}

/// Which way numbers go.
#[derive(Debug, Clone, Copy)]
enum Number {
    Huge,
    Negative,
}

impl Number {
    fn text(self) -> &'static str {
        match self {
            Self::Huge => "18446744073709551615",
            Self::Negative => "-1",
        }
    }

    fn value(self) -> Value {
        match self {
            Self::Huge => Value::from(u64::MAX),
            Self::Negative => Value::from(-1_i64),
        }
    }
}

/// `Ratelimit-*` / `X-Ratelimit-*` headers and `Cache-Control: max-age`.
fn numbers_in_headers(headers: &mut HeaderMap, number: Number) {
    let names: Vec<_> = headers
        .keys()
        .filter(|name| name.as_str().contains("ratelimit"))
        .cloned()
        .collect();
    for name in names {
        headers.insert(name, HeaderValue::from_static(number.text()));
    }
    if headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("max-age"))
    {
        let value = format!("public, max-age={}", number.text());
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(header::CACHE_CONTROL, value);
        }
    }
}

fn rewrite_numbers(value: &mut Value, number: Number) {
    match value {
        Value::Number(_) => *value = number.value(),
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_numbers(v, number)),
        Value::Object(fields) => fields.values_mut().for_each(|v| rewrite_numbers(v, number)),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

fn wrong_types(value: &mut Value) {
    match value {
        Value::Number(n) => *value = Value::String(n.to_string()),
        Value::String(s) => *value = Value::from(s.len()),
        Value::Bool(b) => *value = Value::String(b.to_string()),
        Value::Array(items) => items.iter_mut().for_each(wrong_types),
        Value::Object(fields) => fields.values_mut().for_each(wrong_types),
        Value::Null => {}
    }
}

/// `0xFF 0xFE` right after the first `"` (inside a JSON string), or at the start.
fn invalid_utf8(bytes: &Bytes) -> Bytes {
    let at = bytes.iter().position(|&b| b == b'"').map_or(0, |i| i + 1);
    let mut out = Vec::with_capacity(bytes.len() + 2);
    out.extend_from_slice(&bytes[..at]);
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&bytes[at..]);
    Bytes::from(out)
}

/// [`OVERSIZED_BYTES`] of spaces after a `[`, chunked, produced as they are read.
fn oversized() -> ChaosBody {
    let chunks = OVERSIZED_BYTES / OVERSIZED_CHUNK;
    let filler = Bytes::from(vec![b' '; OVERSIZED_CHUNK]);
    let frames = stream::iter(0..chunks).map(move |i| {
        let data = if i == 0 {
            Bytes::from_static(b"[")
        } else {
            filler.clone()
        };
        Ok::<_, Infallible>(Frame::data(data))
    });
    StreamBody::new(frames).boxed_unsync()
}

/// One byte every [`SLOW_BYTE_EVERY`].
fn slow(bytes: Bytes) -> ChaosBody {
    let frames = stream::unfold((bytes, 0_usize), |(bytes, at)| async move {
        if at >= bytes.len() {
            return None;
        }
        tokio::time::sleep(SLOW_BYTE_EVERY).await;
        let frame = Frame::data(bytes.slice(at..=at));
        Some((Ok::<_, Infallible>(frame), (bytes, at + 1)))
    });
    StreamBody::new(frames).boxed_unsync()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(response: Response<ChaosBody>) -> Bytes {
        let (_, body) = response.into_parts();
        body.collect()
            .now_or_never()
            .expect("whole bodies are ready")
            .expect("infallible")
            .to_bytes()
    }

    #[test]
    fn numbers_and_types_are_rewritten_and_clearing_restores() {
        let switch = ChaosSwitch::default();
        let answer = || {
            let mut r = crate::response::json(
                StatusCode::OK,
                &serde_json::json!({ "n": 5, "s": "x", "b": true, "a": [1] }),
            );
            r.headers_mut()
                .insert("ratelimit-remaining", HeaderValue::from_static("7"));
            r
        };
        switch.on(Chaos::NegativeNumbers);
        let out = apply(Some(&switch), answer());
        assert_eq!(out.headers()["ratelimit-remaining"], "-1");
        let v: Value = serde_json::from_slice(&body(out)).unwrap();
        assert_eq!(
            v,
            serde_json::json!({ "n": -1, "s": "x", "b": true, "a": [-1] })
        );
        switch.clear();
        switch.on(Chaos::WrongTypeFields);
        let v: Value = serde_json::from_slice(&body(apply(Some(&switch), answer()))).unwrap();
        assert_eq!(
            v,
            serde_json::json!({ "n": "5", "s": 1, "b": "true", "a": ["1"] })
        );
        switch.clear();
        let out = apply(Some(&switch), answer());
        assert_eq!(out.headers()["ratelimit-remaining"], "7");
        switch.on(Chaos::InvalidUtf8Body);
        assert!(std::str::from_utf8(&body(apply(Some(&switch), answer()))).is_err());
    }
}
