//! Building one request: method, path, query, headers, body, rate-limit route.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use core_ratelimit::RouteKey;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde::Serialize;

use crate::client::Prepared;
use crate::redact::{HeadersDebug, REDACTED, Redactions, is_sensitive_header, is_sensitive_query};
use crate::{Client, Error, ErrorKind, Response, Secret, base_url};

/// A request being put together; finish with [`RequestBuilder::send`].
///
/// Mistakes (an invalid header, a body that will not serialise) are remembered and
/// returned by `send`, so the chain never panics halfway.
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder {
    client: Client,
    method: Method,
    target: String,
    query: Vec<(String, QueryValue)>,
    headers: HeaderMap,
    body: Bytes,
    route: Option<RouteKey>,
    timeout: Option<Duration>,
    accept_any_status: bool,
    redactions: Redactions,
    error: Option<Error>,
}

enum QueryValue {
    Plain(String),
    Secret(Secret),
}

impl RequestBuilder {
    pub(crate) fn new(client: Client, method: Method, target: String) -> Self {
        Self {
            client,
            method,
            target,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
            route: None,
            timeout: None,
            accept_any_status: false,
            redactions: Redactions::default(),
            error: None,
        }
    }

    /// Appends `name=value` to the query string (percent-encoded). Values of parameters
    /// named like credentials (`token`, `key`, `password`, `client_secret`…) never appear
    /// in logs.
    pub fn query(mut self, name: impl Into<String>, value: impl fmt::Display) -> Self {
        self.query
            .push((name.into(), QueryValue::Plain(value.to_string())));
        self
    }

    /// Appends a query parameter whose value is a secret: scrubbed from logs and errors
    /// whatever its name.
    pub fn secret_query(mut self, name: impl Into<String>, value: &Secret) -> Self {
        self.redactions.push(value);
        self.query
            .push((name.into(), QueryValue::Secret(value.clone())));
        self
    }

    /// Sets a header, replacing any client default of the same name. `Authorization`,
    /// `Cookie` and similar names are treated as secret even when set here.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let name = name.as_ref();
        let sensitive = is_sensitive_header(name);
        if sensitive {
            self.redactions.push(&Secret::new(value.as_ref()));
        }
        match parse_header(name, value.as_ref(), sensitive) {
            Ok((name, value)) => {
                self.headers.append(name, value);
            }
            Err(error) => self.fail(error),
        }
        self
    }

    /// Sets a header whose value is a secret (`Authorization: Bot …`, `Client-Secret`…):
    /// marked sensitive for hyper, shown as `[redacted]` in `Debug`, scrubbed from errors.
    pub fn secret_header(mut self, name: impl AsRef<str>, value: &Secret) -> Self {
        self.redactions.push(value);
        match parse_header(name.as_ref(), value.expose(), true) {
            Ok((name, value)) => {
                self.headers.append(name, value);
            }
            Err(error) => self.fail(error),
        }
        self
    }

    /// Also scrub `value` from logs and errors, for a secret that travels in the path (a
    /// webhook token, say).
    pub fn redact(mut self, value: &Secret) -> Self {
        self.redactions.push(value);
        self
    }

    /// The response body may carry secrets nobody knows in advance (an OAuth token
    /// endpoint's fresh token, a key manager's API keys): errors about this request
    /// ([`ErrorKind::Status`], [`ErrorKind::Decode`]) then show no snippet of it, and a
    /// decoder's message that could quote it is left out.
    pub fn secret_response(mut self) -> Self {
        self.redactions.withhold_body();
        self
    }

    /// Serialises `body` as JSON and sets `Content-Type: application/json`.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match simd_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Bytes::from(bytes);
                self.headers
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            Err(e) => self.fail(Error::with_source(ErrorKind::Encode, e)),
        }
        self
    }

    /// Sends `body` as it is (set a `Content-Type` with [`RequestBuilder::header`]).
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Goes through the client's [`BucketLimiter`](core_ratelimit::BucketLimiter) under
    /// `route`. Without a route (or without a limiter) the request is not limited.
    pub fn route(mut self, route: RouteKey) -> Self {
        self.route = Some(route);
        self
    }

    /// Overrides the client's per-attempt timeout for this request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Returns non-2xx final answers as an `Ok` [`Response`] instead of
    /// [`ErrorKind::Status`] (429 and 5xx are still retried first).
    pub fn accept_any_status(mut self) -> Self {
        self.accept_any_status = true;
        self
    }

    /// Sends the request, retrying per the client's [`RetryPolicy`](crate::RetryPolicy).
    pub async fn send(self) -> Result<Response, Error> {
        let client = self.client.clone();
        let prepared = self.prepare()?;
        client.execute(prepared).await
    }

    fn fail(&mut self, error: Error) {
        tracing::debug!(error = %error, "request builder rejected input");
        self.error.get_or_insert(error);
    }

    fn prepare(self) -> Result<Prepared, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let config = self.client.config();
        let mut redactions = config.redactions.clone();
        redactions.extend(&self.redactions);
        let mut url = base_url::resolve(config.base_url.as_ref(), &self.target, &redactions)?;
        if !self.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &self.query {
                let value = match value {
                    QueryValue::Plain(value) => value.as_str(),
                    QueryValue::Secret(secret) => secret.expose(),
                };
                pairs.append_pair(name, value);
            }
        }
        let mut headers = config.default_headers.clone();
        // A request header replaces the default of the same name rather than adding to it.
        for name in self.headers.keys() {
            headers.remove(name);
        }
        // The owning iterator yields a name only with the first of its values.
        let mut current: Option<HeaderName> = None;
        for (name, value) in self.headers {
            if name.is_some() {
                current = name;
            }
            if let Some(name) = &current {
                headers.append(name.clone(), value);
            }
        }
        Ok(Prepared {
            method: self.method,
            url,
            headers,
            body: self.body,
            route: self.route,
            timeout: self.timeout.or(config.timeout),
            accept_any_status: self.accept_any_status,
            redactions,
        })
    }
}

impl fmt::Debug for RequestBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(name, value)| match value {
                QueryValue::Plain(value) if !is_sensitive_query(name) => {
                    (name.as_str(), self.shown_query_value(value))
                }
                _ => (name.as_str(), REDACTED),
            })
            .collect();
        f.debug_struct("RequestBuilder")
            .field("method", &self.method)
            .field("target", &self.redactions.scrub(&self.target))
            .field("query", &query)
            .field("headers", &HeadersDebug(&self.headers))
            .field("body_len", &self.body.len())
            .field("route", &self.route)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RequestBuilder {
    /// A plain query value as shown in `Debug`: itself, unless it contains a known secret.
    fn shown_query_value<'a>(&self, value: &'a str) -> &'a str {
        if self.redactions.scrub(value) == value {
            value
        } else {
            REDACTED
        }
    }
}

/// Parses a header, marking it sensitive when asked (hyper then keeps it out of HPACK
/// tables and `HeaderValue`'s own `Debug` hides it).
pub(crate) fn parse_header(
    name: &str,
    value: &str,
    sensitive: bool,
) -> Result<(HeaderName, HeaderValue), Error> {
    let invalid = |source: Box<dyn std::error::Error + Send + Sync>| {
        let shown = if name.len() <= 64 && HeaderName::from_bytes(name.as_bytes()).is_ok() {
            name.to_owned()
        } else {
            "[invalid name]".to_owned()
        };
        Error::with_source(ErrorKind::InvalidHeader { name: shown }, source)
    };
    let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| invalid(e.into()))?;
    let mut header_value = HeaderValue::from_str(value).map_err(|e| invalid(e.into()))?;
    header_value.set_sensitive(sensitive || is_sensitive_header(name));
    Ok((header_name, header_value))
}
