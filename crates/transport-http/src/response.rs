//! A complete response: status, headers and the whole (bounded) body.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode, Version};
use serde::de::DeserializeOwned;

use crate::redact::{HeadersDebug, Redactions};
use crate::{Error, ErrorKind};

/// A response whose body has been read in full (within the client's size bound).
pub struct Response {
    status: StatusCode,
    version: Version,
    headers: HeaderMap,
    body: Bytes,
    redactions: Redactions,
}

impl Response {
    pub(crate) fn new(parts: http::response::Parts, body: Bytes, redactions: Redactions) -> Self {
        Self {
            status: parts.status,
            version: parts.version,
            headers: parts.headers,
            body,
            redactions,
        }
    }

    /// The status code.
    pub const fn status(&self) -> StatusCode {
        self.status
    }

    /// The HTTP version the exchange used (`HTTP/2.0` when ALPN negotiated h2).
    pub const fn version(&self) -> Version {
        self.version
    }

    /// The response headers.
    pub const fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body.
    pub const fn body(&self) -> &Bytes {
        &self.body
    }

    /// The raw body, consuming the response.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// The body as UTF-8 text.
    pub fn text(&self) -> Result<&str, Error> {
        std::str::from_utf8(&self.body).map_err(|e| self.decode_error(e))
    }

    /// Decodes the JSON body with simd-json into `T`.
    ///
    /// A body that is not valid JSON or does not match `T` gives
    /// [`ErrorKind::Decode`] with the status and the start of the body; never a panic.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        // simd-json parses in place, so it needs its own mutable copy of the bytes.
        let mut buffer = self.body.to_vec();
        simd_json::serde::from_slice(&mut buffer).map_err(|e| self.decode_error(e))
    }

    /// The start of the body for error messages, scrubbed of secrets.
    pub(crate) fn body_snippet(&self) -> String {
        self.redactions.snippet(&self.body)
    }

    fn decode_error(&self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        let kind = ErrorKind::Decode {
            status: self.status,
            snippet: self.redactions.snippet(&self.body),
        };
        if self.redactions.body_withheld() {
            // The decoder's message may quote the body, which may hold a credential: only
            // its size is told.
            tracing::debug!(status = %self.status, bytes = self.body.len(), "withheld response body did not decode");
            return Error::with_source(
                kind,
                ScrubbedSource(format!(
                    "a {}-byte body did not decode (details withheld: it may carry credentials)",
                    self.body.len()
                )),
            );
        }
        tracing::debug!(status = %self.status, error = %source, "response body did not decode");
        // The source's message may quote the input, so it is scrubbed as well.
        Error::with_source(
            kind,
            ScrubbedSource(self.redactions.scrub(&source.to_string())),
        )
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("version", &self.version)
            .field("headers", &HeadersDebug(&self.headers))
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// An underlying error's message with secret values scrubbed out.
#[derive(Debug)]
pub(crate) struct ScrubbedSource(pub(crate) String);

impl fmt::Display for ScrubbedSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScrubbedSource {}

#[cfg(test)]
mod tests {
    use std::error::Error as StdError;
    use std::fmt::Write as _;

    use super::*;
    use crate::Secret;

    fn response(status: u16, body: &'static [u8], secret: Option<&str>) -> Response {
        let (mut parts, ()) = http::Response::new(()).into_parts();
        parts.status = StatusCode::from_u16(status).unwrap();
        let mut redactions = Redactions::default();
        if let Some(secret) = secret {
            redactions.push(&Secret::new(secret));
        }
        Response::new(parts, Bytes::from_static(body), redactions)
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct User {
        id: String,
        bot: bool,
    }

    #[test]
    fn decodes_json() {
        let user: User = response(200, br#"{"id":"1","bot":true,"extra":[1,2]}"#, None)
            .json()
            .unwrap();
        assert_eq!(
            user,
            User {
                id: "1".into(),
                bot: true
            }
        );
    }

    #[test]
    fn malformed_json_is_a_decode_error_with_snippet() {
        let error = response(502, b"<html>bad gateway", None)
            .json::<User>()
            .unwrap_err();
        match error.kind() {
            ErrorKind::Decode { status, snippet } => {
                assert_eq!(*status, StatusCode::BAD_GATEWAY);
                assert_eq!(snippet, "<html>bad gateway");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn empty_and_wrong_shape_bodies_are_decode_errors() {
        for body in [&b""[..], b"[1,2]", b"{\"id\":1}", b"{\"id\":\"1\""] {
            let (mut parts, ()) = http::Response::new(()).into_parts();
            parts.status = StatusCode::OK;
            let response = Response::new(parts, Bytes::from(body), Redactions::default());
            let error = response.json::<User>().unwrap_err();
            assert!(matches!(error.kind(), ErrorKind::Decode { .. }), "{body:?}");
        }
    }

    #[test]
    fn decode_snippet_is_scrubbed() {
        let error = response(
            200,
            b"{\"echo\":\"Bearer hunter2hunter2\"",
            Some("Bearer hunter2hunter2"),
        )
        .json::<User>()
        .unwrap_err();
        let shown = format!("{error:?} {error}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    /// A body that may carry a credential nobody knew in advance (a fresh OAuth token)
    /// never reaches the error: not as a snippet, not through the decoder's message.
    #[test]
    fn withheld_body_never_reaches_a_decode_error() {
        let (mut parts, ()) = http::Response::new(()).into_parts();
        parts.status = StatusCode::OK;
        let mut redactions = Redactions::default();
        redactions.withhold_body();
        let body = br#"{"id":"fresh-token-123456","bot":"fresh-token-123456"}"#;
        let error = Response::new(parts, Bytes::from_static(body), redactions)
            .json::<User>()
            .unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Decode { .. }));
        let mut shown = format!("{error:?} {error}");
        let mut source = StdError::source(&error);
        while let Some(cause) = source {
            let _ = write!(shown, " {cause} {cause:?}");
            source = cause.source();
        }
        assert!(!shown.contains("fresh-token"), "{shown}");
    }

    #[test]
    fn text_checks_utf8() {
        assert_eq!(response(200, b"hi", None).text().unwrap(), "hi");
        assert!(response(200, b"\xff", None).text().is_err());
    }
}
