//! Where the client connects: Twitch, or a local mock (the Twitch CLI's `event websocket
//! start-server` layout, or switchboard's sandbox).

use std::time::Duration;

use crate::error::Error;

/// Twitch's EventSub WebSocket URL.
pub const TWITCH_WS_URL: &str = "wss://eventsub.wss.twitch.tv/ws";
/// Twitch's Helix base URL (subscriptions live under `/eventsub/subscriptions`): svc-helix's
/// [`TWITCH_HELIX_URL`](svc_helix::TWITCH_HELIX_URL).
pub const TWITCH_API_URL: &str = svc_helix::TWITCH_HELIX_URL;

/// The WebSocket URL and REST base the client uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// WebSocket URL without query (`wss://eventsub.wss.twitch.tv/ws`).
    pub ws_url: String,
    /// REST base URL (`https://api.twitch.tv/helix`).
    pub api_url: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Self::twitch()
    }
}

impl Endpoints {
    /// Twitch itself.
    pub fn twitch() -> Self {
        Self {
            ws_url: TWITCH_WS_URL.to_owned(),
            api_url: TWITCH_API_URL.to_owned(),
        }
    }

    /// A mock server at `base` (`http://127.0.0.1:8080`): WebSocket at `ws://…/ws`, REST
    /// under `http://…/eventsub/subscriptions`, like the Twitch CLI mock.
    ///
    /// ```
    /// let endpoints = svc_eventsub::Endpoints::mock("http://127.0.0.1:8080")?;
    /// assert_eq!(endpoints.ws_url, "ws://127.0.0.1:8080/ws");
    /// assert_eq!(endpoints.api_url, "http://127.0.0.1:8080");
    /// # Ok::<(), svc_eventsub::Error>(())
    /// ```
    pub fn mock(base: &str) -> Result<Self, Error> {
        let base = base.trim_end_matches('/');
        let (ws_scheme, rest) = if let Some(rest) = base.strip_prefix("http://") {
            ("ws", rest)
        } else if let Some(rest) = base.strip_prefix("https://") {
            ("wss", rest)
        } else if let Some(rest) = base.strip_prefix("ws://") {
            ("ws", rest.trim_end_matches("/ws"))
        } else if let Some(rest) = base.strip_prefix("wss://") {
            ("wss", rest.trim_end_matches("/ws"))
        } else {
            return Err(Error::config(format!(
                "mock URL must start with http(s):// or ws(s)://, got {base:?}"
            )));
        };
        let http_scheme = if ws_scheme == "ws" { "http" } else { "https" };
        Ok(Self {
            ws_url: format!("{ws_scheme}://{rest}/ws"),
            api_url: format!("{http_scheme}://{rest}"),
        })
    }

    /// The URL of a fresh session with the given keepalive window.
    pub(crate) fn session_url(&self, keepalive: Duration) -> String {
        let separator = if self.ws_url.contains('?') { '&' } else { '?' };
        format!(
            "{}{separator}keepalive_timeout_seconds={}",
            self.ws_url,
            keepalive.as_secs()
        )
    }
}
