//! The live traffic feed: every HTTP request a server answered (method, path, status,
//! rate-limit headers) and every WebSocket frame in and out (text with credentials
//! redacted), as it happens, for the control API's `/_sandbox/feed` and a console. A
//! bounded broadcast: a slow reader is told how many records it missed, and the most recent
//! records are kept for readers that join late.

use std::collections::VecDeque;
use std::fmt::Write as _;
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

/// Frame text kept per record; the rest is cut (with a note of how much).
const FRAME_TEXT: usize = 2048;

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
    /// `http` for a request and its answer, `frame` for a WebSocket frame.
    pub kind: &'static str,
    /// Request method (`GET` for a WebSocket's frames, which follow its upgrade).
    pub method: String,
    /// Request path (tokens in webhook and interaction paths redacted).
    pub path: String,
    /// Response status (0 for a frame).
    pub status: u16,
    /// Rate-limit and cache headers of the response.
    pub headers: Vec<(String, String)>,
    /// A frame's direction: `in` (from the client) or `out`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<&'static str>,
    /// A frame's text (tokens and passwords redacted; binary frames as their size).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame: Option<String>,
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
        self.publish(Traffic {
            seq: 0,
            at_ms: 0,
            platform,
            kind: "http",
            method: method.to_string(),
            path: redact_path(path),
            status: status.as_u16(),
            headers,
            direction: None,
            frame: None,
        });
    }

    /// Records a WebSocket frame on `platform`'s socket at `path`.
    pub(crate) fn frame(
        &self,
        platform: &'static str,
        path: &str,
        direction: &'static str,
        message: &tokio_tungstenite::tungstenite::Message,
    ) {
        use tokio_tungstenite::tungstenite::Message;
        let frame = match message {
            Message::Text(text) => redact_frame(text),
            Message::Binary(bytes) => format!("<binary, {} bytes>", bytes.len()),
            Message::Close(Some(close)) => format!("<close {}>", u16::from(close.code)),
            Message::Close(None) => "<close>".to_owned(),
            // Pings and pongs would drown the feed.
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => return,
        };
        self.publish(Traffic {
            seq: 0,
            at_ms: 0,
            platform,
            kind: "frame",
            method: "GET".to_owned(),
            path: redact_path(path),
            status: 0,
            headers: Vec::new(),
            direction: Some(direction),
            frame: Some(frame),
        });
    }

    /// Numbers, stamps, keeps and sends a record.
    fn publish(&self, mut record: Traffic) {
        record.at_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let mut recent = self.inner.recent.lock();
        recent.0 += 1;
        record.seq = recent.0;
        if recent.1.len() >= RECENT {
            recent.1.pop_front();
        }
        recent.1.push_back(record.clone());
        drop(recent);
        let _ = self.inner.sender.send(record);
    }
}

/// A text frame with its credentials replaced: JSON fields named `token`, `auth`,
/// `password` or `access_token` (Discord IDENTIFY and RESUME, singyeong IDENTIFY), and IRC's
/// `PASS oauth:…`; cut to [`FRAME_TEXT`] bytes.
fn redact_frame(text: &str) -> String {
    let mut text = if text.starts_with("PASS ") {
        "PASS [redacted]".to_owned()
    } else if text.contains("\"token\"")
        || text.contains("\"auth\"")
        || text.contains("\"password\"")
        || text.contains("\"access_token\"")
    {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(mut value) => {
                redact_value(&mut value);
                value.to_string()
            }
            // Not JSON but naming a credential: show nothing of it.
            Err(_) => "<redacted>".to_owned(),
        }
    } else {
        text.to_owned()
    };
    if text.len() > FRAME_TEXT {
        let mut cut = FRAME_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let more = text.len() - cut;
        text.truncate(cut);
        let _ = write!(text, "… ({more} more bytes)");
    }
    text
}

fn redact_value(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                if matches!(key.as_str(), "token" | "auth" | "password" | "access_token") {
                    *field = serde_json::Value::from("[redacted]");
                } else {
                    redact_value(field);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_value),
        _ => {}
    }
}

/// Where a WebSocket's frames go: the feed, the platform and the socket's path.
#[derive(Debug, Clone)]
pub(crate) struct Tap {
    pub(crate) feed: Feed,
    pub(crate) platform: &'static str,
    pub(crate) path: String,
}

impl Tap {
    pub(crate) fn frame(
        &self,
        direction: &'static str,
        message: &tokio_tungstenite::tungstenite::Message,
    ) {
        self.feed
            .frame(self.platform, &self.path, direction, message);
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
    fn credentials_in_frames_are_redacted() {
        use tokio_tungstenite::tungstenite::Message;
        let feed = Feed::new();
        let identify = r#"{"op":2,"d":{"token":"Bot secret","intents":1}}"#;
        feed.frame("discord", "/", "in", &Message::text(identify));
        feed.frame("twitch", "/", "in", &Message::text("PASS oauth:secret"));
        feed.frame("twitch", "/", "out", &Message::text("x".repeat(5000)));
        feed.frame("twitch", "/", "out", &Message::Ping(Vec::new().into()));
        let frames: Vec<String> = feed.recent().into_iter().filter_map(|r| r.frame).collect();
        assert_eq!(frames.len(), 3, "pings stay out");
        assert!(
            !frames[0].contains("secret") && frames[0].contains("intents"),
            "{}",
            frames[0]
        );
        assert_eq!(frames[1], "PASS [redacted]");
        assert!(
            frames[2].ends_with("(2952 more bytes)"),
            "{}",
            &frames[2][2040..]
        );
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
