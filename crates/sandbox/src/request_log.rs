//! What clients sent: every request a server received, in order, with secrets redacted.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use http::{HeaderMap, Method};
use parking_lot::Mutex;

/// Header names whose values are replaced by `[redacted]` in the log.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "cookie",
    "set-cookie",
    "client-secret",
    "x-api-key",
];

/// Upper bound on kept entries; the oldest are dropped past it so a long-running sandbox
/// does not grow without bound.
const MAX_ENTRIES: usize = 100_000;

/// One request as recorded.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// Request method.
    pub method: Method,
    /// Path without the query.
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// Headers, secret values replaced by `[redacted]`.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// When it arrived (wall clock).
    pub at: SystemTime,
}

impl RecordedRequest {
    /// Whether the request carried an `Authorization` header (its value is not kept).
    pub fn had_authorization(&self) -> bool {
        self.headers.contains_key(http::header::AUTHORIZATION)
    }
}

/// A copy of `headers` with the values of secret headers replaced by `[redacted]`.
pub(crate) fn redacted(headers: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        if SECRET_HEADERS.contains(&name.as_str()) {
            kept.append(name.clone(), http::HeaderValue::from_static("[redacted]"));
        } else {
            kept.append(name.clone(), value.clone());
        }
    }
    kept
}

/// A shared, cheaply cloned log of requests.
#[derive(Debug, Clone, Default)]
pub struct RequestLog {
    entries: Arc<Mutex<VecDeque<RecordedRequest>>>,
}

impl RequestLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn record(
        &self,
        method: &Method,
        uri: &http::Uri,
        headers: &HeaderMap,
        body: &Bytes,
    ) {
        let entry = RecordedRequest {
            method: method.clone(),
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            headers: redacted(headers),
            body: body.clone(),
            at: SystemTime::now(),
        };
        let mut entries = self.entries.lock();
        if entries.len() >= MAX_ENTRIES {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// A copy of every entry, oldest first.
    pub fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries.lock().iter().cloned().collect()
    }

    /// Number of recorded requests.
    pub fn len(&self) -> usize {
        self.entries.lock().len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of recorded requests matching `predicate`.
    pub fn count(&self, predicate: impl Fn(&RecordedRequest) -> bool) -> usize {
        self.entries
            .lock()
            .iter()
            .filter(|entry| predicate(entry))
            .count()
    }

    /// Forgets every entry.
    pub fn clear(&self) {
        self.entries.lock().clear();
    }
}
