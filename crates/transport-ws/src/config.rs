//! Everything a [`WsClient`](crate::WsClient) needs to know, built with [`WsConfigBuilder`].

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use rustls::ClientConfig;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};
use transport_core::redact;
use url::Url;

use crate::close::{AlwaysReconnect, CloseClassifier};
use crate::compression::Compression;
use crate::endpoint::{self, Carrier, carrier};
use crate::error::{Error, ErrorKind};
use crate::framing::{DEFAULT_MAX_LINE_LENGTH, Framing};
use core_ratelimit::Backoff;
use transport_core::TlsConfig;

/// Default maximum inbound message size (after inflating) of a WebSocket: 16 MiB. (Lines of
/// `tcp://` / `tls://` connections default to [`DEFAULT_MAX_LINE_LENGTH`].)
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 16 << 20;

/// Outbound rate limit: at most `limit` messages per `window`, of which `reserved` only
/// [`Priority::High`](crate::Priority::High) traffic may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendLimit {
    /// Messages per window, priority traffic included.
    pub limit: NonZeroU32,
    /// The sliding window.
    pub window: Duration,
    /// Slots only priority traffic (heartbeats) may use.
    pub reserved: u32,
}

/// A validated client configuration. Cheap to clone.
#[derive(Clone)]
pub struct WsConfig {
    pub(crate) url: Url,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) max_message_size: usize,
    pub(crate) max_frame_size: usize,
    pub(crate) framing: Framing,
    pub(crate) compression: Compression,
    pub(crate) send_limit: Option<SendLimit>,
    pub(crate) tls: Arc<ClientConfig>,
    pub(crate) reconnect: Backoff,
    pub(crate) classifier: Arc<dyn CloseClassifier>,
    pub(crate) event_buffer: usize,
    pub(crate) connect_timeout: Duration,
    pub(crate) close_timeout: Duration,
    pub(crate) write_timeout: Duration,
}

impl fmt::Debug for WsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be credentials: only names are shown.
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("WsConfig")
            .field("url", &redact::url(&self.url))
            .field("headers", &header_names)
            .field("max_message_size", &self.max_message_size)
            .field("max_frame_size", &self.max_frame_size)
            .field("framing", &self.framing)
            .field("compression", &self.compression)
            .field("send_limit", &self.send_limit)
            .field("reconnect", &self.reconnect)
            .field("event_buffer", &self.event_buffer)
            .field("connect_timeout", &self.connect_timeout)
            .field("close_timeout", &self.close_timeout)
            .field("write_timeout", &self.write_timeout)
            .finish_non_exhaustive()
    }
}

impl WsConfig {
    /// Starts a configuration for `url`: `ws://` or `wss://` for a WebSocket, `tcp://host:port`
    /// or `tls://host:port` for a line protocol (IRC) over plain or TLS TCP.
    pub fn builder(url: impl AsRef<str>) -> WsConfigBuilder {
        WsConfigBuilder::new(url.as_ref())
    }

    /// The URL the first connection goes to.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The maximum inbound message size (after inflating), or line length in
    /// [`Framing::Lines`] over TCP.
    pub fn max_message_size(&self) -> usize {
        self.max_message_size
    }

    /// How inbound data is cut into messages.
    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// The transport compression.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// The outbound rate limit, if any.
    pub fn send_limit(&self) -> Option<SendLimit> {
        self.send_limit
    }
}

/// Builds a [`WsConfig`]. Problems (bad URL, header, certificate) are reported by
/// [`build`](Self::build), not by the setters.
///
/// ```
/// use std::num::NonZeroU32;
/// use std::time::Duration;
/// use transport_ws::{Compression, Backoff, Framing, WsConfig};
///
/// let config = WsConfig::builder("wss://gateway.discord.gg/?v=10&encoding=json&compress=zlib-stream")
///     .compression(Compression::ZlibStream)
///     .max_message_size(8 << 20)
///     // Discord: 120 sends per 60 s per connection; keep 3 for heartbeats.
///     .send_limit(NonZeroU32::new(120).unwrap(), Duration::from_secs(60), 3)
///     .backoff(Backoff::new().max_delay(Duration::from_secs(30)))
///     .build()
///     .unwrap();
/// assert_eq!(config.compression(), Compression::ZlibStream);
///
/// assert!(WsConfig::builder("https://example.com").build().is_err());
///
/// // IRC over TLS TCP: one event per line, lines capped at 64 KiB by default.
/// let irc = WsConfig::builder("tls://irc.chat.twitch.tv:6697").build().unwrap();
/// assert_eq!(irc.framing(), Framing::Lines);
/// assert_eq!(irc.max_message_size(), transport_ws::DEFAULT_MAX_LINE_LENGTH);
/// ```
#[must_use]
pub struct WsConfigBuilder {
    url: String,
    headers: Vec<(String, String)>,
    max_message_size: Option<usize>,
    max_frame_size: Option<usize>,
    framing: Framing,
    compression: Compression,
    send_limit: Option<SendLimit>,
    tls: TlsConfig,
    reconnect: Backoff,
    classifier: Arc<dyn CloseClassifier>,
    event_buffer: usize,
    connect_timeout: Duration,
    close_timeout: Duration,
    write_timeout: Duration,
}

impl fmt::Debug for WsConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        // The URL as given may carry a token in its query: shown redacted (or not at all).
        let url =
            Url::parse(&self.url).map_or_else(|_| "<unparsed>".to_owned(), |u| redact::url(&u));
        f.debug_struct("WsConfigBuilder")
            .field("url", &url)
            .field("headers", &header_names)
            .finish_non_exhaustive()
    }
}

impl WsConfigBuilder {
    fn new(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            headers: Vec::new(),
            max_message_size: None,
            max_frame_size: None,
            framing: Framing::Messages,
            compression: Compression::None,
            send_limit: None,
            tls: TlsConfig::new(),
            reconnect: Backoff::new(),
            classifier: Arc::new(AlwaysReconnect),
            event_buffer: 256,
            connect_timeout: Duration::from_secs(15),
            close_timeout: Duration::from_secs(5),
            write_timeout: Duration::from_secs(10),
        }
    }

    /// Adds a header to the upgrade request. Values are treated as secrets: never logged
    /// or shown by `Debug`.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Largest inbound message, after inflating (default 16 MiB), or for `tcp://` /
    /// `tls://` the longest line (default [`DEFAULT_MAX_LINE_LENGTH`], 64 KiB). Larger
    /// messages end the connection (with close code 1009 on a WebSocket) and an
    /// [`ErrorKind::MessageTooLarge`] error, then reconnect per the backoff. With
    /// [`Compression::ZstdStream`] it also caps the server's compression window (a frame
    /// asking for more is refused the same way, see [`ZstdStream`](crate::ZstdStream)).
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = Some(bytes);
        self
    }

    /// Largest inbound WebSocket frame (default: the maximum message size).
    pub fn max_frame_size(mut self, bytes: usize) -> Self {
        self.max_frame_size = Some(bytes);
        self
    }

    /// How inbound data is cut into messages (default [`Framing::Messages`]; `tcp://` and
    /// `tls://` always use [`Framing::Lines`]).
    pub fn framing(mut self, framing: Framing) -> Self {
        self.framing = framing;
        self
    }

    /// Transport compression of inbound binary WebSocket messages.
    pub fn compression(mut self, compression: Compression) -> Self {
        self.compression = compression;
        self
    }

    /// Rate-limits outbound messages: `limit` per `window` (priority traffic included), with
    /// `reserved` of those slots kept for [`Priority::High`](crate::Priority::High).
    ///
    /// The limit spans the client's lifetime, not each connection: sends before a reconnect
    /// still count afterwards, which can only make the client more conservative.
    pub fn send_limit(mut self, limit: NonZeroU32, window: Duration, reserved: u32) -> Self {
        self.send_limit = Some(SendLimit {
            limit,
            window,
            reserved,
        });
        self
    }

    /// TLS settings for `wss://` and `tls://` (default: webpki roots).
    pub fn tls(mut self, tls: TlsConfig) -> Self {
        self.tls = tls;
        self
    }

    /// The reconnect backoff (default: [`Backoff::new`]).
    pub fn backoff(mut self, policy: Backoff) -> Self {
        self.reconnect = policy;
        self
    }

    /// The hook deciding what a server close means (default: always reconnect).
    pub fn close_classifier(mut self, classifier: impl CloseClassifier) -> Self {
        self.classifier = Arc::new(classifier);
        self
    }

    /// Capacity of the event channel (default 256, minimum 1). When it is full the client
    /// stops reading the socket until the service catches up; sends keep working.
    pub fn event_buffer(mut self, capacity: usize) -> Self {
        self.event_buffer = capacity.max(1);
        self
    }

    /// Limit for TCP connect + TLS handshake + WebSocket handshake, on every path (default
    /// 15 s). A server that accepts and then stalls costs one timeout and a reconnect.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long to wait for the server to answer a close frame (default 5 s).
    pub fn close_timeout(mut self, timeout: Duration) -> Self {
        self.close_timeout = timeout;
        self
    }

    /// Limit for writing one message (default 10 s). A server that stops reading would
    /// otherwise stall the client, service-requested reconnects included; past the limit the
    /// connection counts as lost.
    pub fn write_timeout(mut self, timeout: Duration) -> Self {
        self.write_timeout = timeout;
        self
    }

    /// Validates everything and builds the configuration.
    pub fn build(self) -> Result<WsConfig, Error> {
        let url = endpoint::parse(&self.url)?;
        let (framing, default_max) = match carrier(&url) {
            Carrier::WebSocket => (self.framing, DEFAULT_MAX_MESSAGE_SIZE),
            Carrier::Tcp => (Framing::Lines, DEFAULT_MAX_LINE_LENGTH),
        };
        let max_message_size = self.max_message_size.unwrap_or(default_max);
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| {
                let invalid = || ErrorKind::InvalidHeader { name: name.clone() };
                let header_name = HeaderName::try_from(name.as_str())
                    .map_err(|source| Error::with_source(invalid(), source))?;
                let mut header_value = HeaderValue::try_from(value.as_str())
                    .map_err(|source| Error::with_source(invalid(), source))?;
                header_value.set_sensitive(true);
                Ok((header_name, header_value))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(WsConfig {
            url,
            headers,
            max_message_size,
            max_frame_size: self.max_frame_size.unwrap_or(max_message_size),
            framing,
            compression: self.compression,
            send_limit: self.send_limit,
            tls: self.tls.build().map_err(|source| {
                tracing::warn!(error = %source, "unusable TLS settings");
                Error::with_source(ErrorKind::TlsConfig, source)
            })?,
            reconnect: self.reconnect,
            classifier: self.classifier,
            event_buffer: self.event_buffer,
            connect_timeout: self.connect_timeout,
            close_timeout: self.close_timeout,
            write_timeout: self.write_timeout,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{DEFAULT_MAX_MESSAGE_SIZE, WsConfig};
    use crate::error::ErrorKind;
    use crate::framing::{DEFAULT_MAX_LINE_LENGTH, Framing};

    #[test]
    fn urls_are_validated() {
        assert!(WsConfig::builder("ws://127.0.0.1:1/x").build().is_ok());
        assert!(WsConfig::builder("wss://example.com").build().is_ok());
        assert!(WsConfig::builder("tcp://127.0.0.1:6667").build().is_ok());
        for bad in [
            "http://example.com",
            "not a url",
            "ws://",
            "file:///tmp",
            "tls://no.port.example",
        ] {
            let error = WsConfig::builder(bad).build().unwrap_err();
            assert_eq!(error.kind(), &ErrorKind::InvalidUrl, "{bad}");
        }
    }

    #[test]
    fn headers_are_validated_and_redacted() {
        let config = WsConfig::builder("ws://127.0.0.1:1")
            .header("Authorization", "Bot very-secret-token")
            .build()
            .unwrap();
        let debug = format!("{config:?}");
        assert!(debug.contains("authorization"), "{debug}");
        assert!(!debug.contains("very-secret-token"), "{debug}");

        let error = WsConfig::builder("ws://127.0.0.1:1")
            .header("Bad Name", "x")
            .build()
            .unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::InvalidHeader {
                name: "Bad Name".into()
            }
        );
        let error = WsConfig::builder("ws://127.0.0.1:1")
            .header("Authorization", "line\nbreak")
            .build()
            .unwrap_err();
        assert!(!error.to_string().contains("line"));
        let builder = WsConfig::builder("ws://127.0.0.1:1").header("Authorization", "hidden");
        assert!(!format!("{builder:?}").contains("hidden"));
        let builder = WsConfig::builder("wss://a.example/ws?token=hidden&v=10");
        assert!(!format!("{builder:?}").contains("hidden"));
        let config = builder.build().unwrap();
        assert!(!format!("{config:?}").contains("hidden"));
    }

    #[test]
    fn tcp_means_lines_capped_at_64_kib() {
        let config = WsConfig::builder("tcp://127.0.0.1:6667").build().unwrap();
        assert_eq!(config.framing(), Framing::Lines);
        assert_eq!(config.max_message_size(), DEFAULT_MAX_LINE_LENGTH);
        let config = WsConfig::builder("tls://127.0.0.1:6697")
            .max_message_size(512)
            .build()
            .unwrap();
        assert_eq!(config.max_message_size(), 512);
        let config = WsConfig::builder("wss://irc-ws.chat.twitch.tv")
            .framing(Framing::Lines)
            .build()
            .unwrap();
        assert_eq!(config.framing(), Framing::Lines);
        assert_eq!(config.max_message_size(), DEFAULT_MAX_MESSAGE_SIZE);
    }

    #[test]
    fn frame_size_defaults_to_message_size() {
        let config = WsConfig::builder("ws://127.0.0.1:1")
            .max_message_size(1234)
            .build()
            .unwrap();
        assert_eq!(config.max_frame_size, 1234);
        assert_eq!(config.max_message_size(), 1234);
    }
}
