//! The live traffic feed: every HTTP request a server answered (method, path, status,
//! rate-limit headers), as it happens, for the control API's `/_sandbox/feed` and a
//! console. A bounded broadcast: a slow reader is told how many records it missed, and the
//! most recent records are kept for readers that join late.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use http::HeaderMap;
use parking_lot::Mutex;
use serde::Serialize;
use tokio::sync::broadcast;

/// Records kept for readers that join late.
const RECENT: usize = 500;
/// Records a reader may fall behind before it is told it missed some.
const CAPACITY: usize = 4096;

/// Response headers worth showing: the platforms' rate-limit state.
const RATE_LIMIT_HEADERS: &[&str] = &[
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset-after",
    "x-ratelimit-bucket",
    "x-ratelimit-global",
    "x-ratelimit-scope",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "retry-after",
    "cache-control",
];

/// One thing that happened on a server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Traffic {
    /// A number increasing by one per record.
    pub seq: u64,
    /// Milliseconds since the Unix epoch.
    pub at_ms: u64,
    /// The platform's name (`discord`, `twitch`, …).
    pub platform: &'static str,
    /// `http` for a request and its answer.
    pub kind: &'static str,
    /// Request method.
    pub method: String,
    /// Request path (tokens in webhook and interaction paths redacted).
    pub path: String,
    /// Response status.
    pub status: u16,
    /// Rate-limit and cache headers of the response.
    pub headers: Vec<(String, String)>,
}

#[derive(Debug)]
struct Inner {
    sender: broadcast::Sender<Traffic>,
    recent: Mutex<(u64, VecDeque<Traffic>)>,
}

/// A cheaply cloned handle on the feed.
#[derive(Debug, Clone)]
pub struct Feed {
    inner: Arc<Inner>,
}

impl Default for Feed {
    fn default() -> Self {
        Self::new()
    }
}

impl Feed {
    /// An empty feed.
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(CAPACITY);
        Self {
            inner: Arc::new(Inner {
                sender,
                recent: Mutex::new((0, VecDeque::new())),
            }),
        }
    }

    /// Records from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Traffic> {
        self.inner.sender.subscribe()
    }

    /// The most recent records, oldest first.
    pub fn recent(&self) -> Vec<Traffic> {
        self.inner.recent.lock().1.iter().cloned().collect()
    }

    /// Records an answered HTTP request.
    pub(crate) fn http(
        &self,
        platform: &'static str,
        method: &http::Method,
        path: &str,
        status: http::StatusCode,
        headers: &HeaderMap,
    ) {
        let headers = RATE_LIMIT_HEADERS
            .iter()
            .filter_map(|name| {
                let value = headers.get(*name)?.to_str().ok()?;
                Some(((*name).to_owned(), value.to_owned()))
            })
            .collect();
        let at_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let mut recent = self.inner.recent.lock();
        recent.0 += 1;
        let record = Traffic {
            seq: recent.0,
            at_ms,
            platform,
            kind: "http",
            method: method.to_string(),
            path: redact_path(path),
            status: status.as_u16(),
            headers,
        };
        if recent.1.len() >= RECENT {
            recent.1.pop_front();
        }
        recent.1.push_back(record.clone());
        drop(recent);
        let _ = self.inner.sender.send(record);
    }
}

/// Webhook and interaction tokens sit in the path: `…/webhooks/{id}/{token}…` and
/// `…/interactions/{id}/{token}/callback` lose them.
fn redact_path(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').collect();
    for index in 0..parts.len() {
        if matches!(parts[index], "webhooks" | "interactions") && index + 2 < parts.len() {
            parts[index + 2] = "[redacted]";
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, HeaderValue, Method, StatusCode};

    use super::{Feed, redact_path};

    #[test]
    fn records_reach_subscribers_and_the_recent_list() {
        let feed = Feed::new();
        let mut reader = feed.subscribe();
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("4"));
        headers.insert("authorization", HeaderValue::from_static("Bot secret"));
        feed.http(
            "discord",
            &Method::GET,
            "/api/v10/users/@me",
            StatusCode::OK,
            &headers,
        );
        let record = reader.try_recv().unwrap();
        assert_eq!(record.seq, 1);
        assert_eq!(record.status, 200);
        assert_eq!(
            record.headers,
            vec![("x-ratelimit-remaining".to_owned(), "4".to_owned())]
        );
        assert_eq!(feed.recent(), vec![record]);
    }

    #[test]
    fn tokens_in_paths_are_redacted() {
        assert_eq!(
            redact_path("/api/v10/webhooks/1/secret-token/messages/@original"),
            "/api/v10/webhooks/1/[redacted]/messages/@original"
        );
        assert_eq!(
            redact_path("/api/v10/interactions/5/tok/callback"),
            "/api/v10/interactions/5/[redacted]/callback"
        );
        assert_eq!(redact_path("/api/v10/users/@me"), "/api/v10/users/@me");
    }
}
