//! [`ChatConfig`]: where to connect, who to log in as, and timings.

use std::time::Duration;

use svc_helix::{AccessToken, TokenManager};

use crate::{Error, ErrorKind};

/// How to reach chat.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transport {
    /// IRC over WebSocket: `wss://irc-ws.chat.twitch.tv:443` (or a sandbox's `ws://…`).
    WebSocket(String),
    /// IRC over TCP: `irc.chat.twitch.tv:6697` with TLS, or plain for a sandbox.
    Tcp {
        /// Host name.
        host: String,
        /// Port.
        port: u16,
        /// Wrap the connection in TLS (rustls, webpki roots).
        tls: bool,
    },
}

/// Who logs in.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// Read-only `justinfan<digits>` login.
    Anonymous,
    /// A user: `PASS oauth:<token>`, `NICK <login>`.
    OAuth {
        /// The login name (lowercase).
        login: String,
        /// A user access token with `chat:read` / `chat:edit`.
        token: AccessToken,
    },
}

/// Chat client configuration; build with [`ChatConfig::builder`].
#[derive(Debug, Clone)]
pub struct ChatConfig {
    pub(crate) transport: Transport,
    pub(crate) credentials: Credentials,
    pub(crate) ping_interval: Duration,
    pub(crate) pong_timeout: Duration,
    pub(crate) backoff_initial: Duration,
    pub(crate) backoff_max: Duration,
    pub(crate) login_timeout: Duration,
    pub(crate) initial_channels: Vec<String>,
    /// Keeps the OAuth token valid, when set with [`ChatConfigBuilder::oauth_managed`].
    pub(crate) tokens: Option<TokenManager>,
}

/// Builder for [`ChatConfig`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ChatConfigBuilder {
    config: ChatConfig,
}

impl ChatConfig {
    /// Twitch's WebSocket endpoint.
    pub const TWITCH_WS: &'static str = "wss://irc-ws.chat.twitch.tv:443";

    /// A builder for Twitch's WebSocket endpoint, logged in anonymously.
    pub fn builder() -> ChatConfigBuilder {
        ChatConfigBuilder {
            config: ChatConfig {
                transport: Transport::WebSocket(Self::TWITCH_WS.to_owned()),
                credentials: Credentials::Anonymous,
                ping_interval: Duration::from_mins(1),
                pong_timeout: Duration::from_secs(10),
                backoff_initial: Duration::from_millis(500),
                backoff_max: Duration::from_mins(1),
                login_timeout: Duration::from_secs(15),
                initial_channels: Vec::new(),
                tokens: None,
            },
        }
    }

    /// The login name (for anonymous logins, the generated `justinfan` name is chosen per
    /// connection, so this is `None`).
    pub fn login(&self) -> Option<&str> {
        match &self.credentials {
            Credentials::OAuth { login, .. } => Some(login),
            Credentials::Anonymous => None,
        }
    }
}

impl ChatConfigBuilder {
    /// Connect with this transport.
    pub fn transport(mut self, transport: Transport) -> Self {
        self.config.transport = transport;
        self
    }

    /// IRC over WebSocket at `url`.
    pub fn websocket(self, url: impl Into<String>) -> Self {
        self.transport(Transport::WebSocket(url.into()))
    }

    /// IRC over TCP.
    pub fn tcp(self, host: impl Into<String>, port: u16, tls: bool) -> Self {
        self.transport(Transport::Tcp {
            host: host.into(),
            port,
            tls,
        })
    }

    /// Log in as `login` with `token` (an `oauth:` prefix is accepted).
    pub fn oauth(mut self, login: impl Into<String>, token: impl AsRef<str>) -> Self {
        self.config.credentials = Credentials::OAuth {
            login: login.into().to_lowercase(),
            token: AccessToken::new(token),
        };
        self.config.tokens = None;
        self
    }

    /// Log in as `login` with the user token `tokens` keeps valid (svc-helix's
    /// [`TokenManager`], the same one a [`HelixClient`](svc_helix::HelixClient) uses), as
    /// Twitch asks of chat bots:
    ///
    /// - [`ChatClient::connect`](crate::ChatClient::connect) validates the token first
    ///   (`/oauth2/validate`): an invalid one that cannot be refreshed fails with
    ///   [`ErrorKind::InvalidToken`], a token of another user with [`ErrorKind::Config`],
    ///   before any chat connection is opened;
    /// - while the client runs the token is validated every hour and, if the manager has a
    ///   refresh token, refreshed five minutes before it expires; a token that is gone for
    ///   good is announced with [`ChatEvent::TokenExpired`](crate::ChatEvent::TokenExpired);
    /// - every (re)connect logs in with the current token, and a login refused with
    ///   `Login authentication failed` renews the token once and tries again.
    pub fn oauth_managed(mut self, login: impl Into<String>, tokens: TokenManager) -> Self {
        self.config.credentials = Credentials::OAuth {
            login: login.into().to_lowercase(),
            token: tokens.token(),
        };
        self.config.tokens = Some(tokens);
        self
    }

    /// Log in anonymously (read-only).
    pub fn anonymous(mut self) -> Self {
        self.config.credentials = Credentials::Anonymous;
        self.config.tokens = None;
        self
    }

    /// Send our own PING after this much time (default 60 s) to detect a dead connection.
    pub fn ping_interval(mut self, interval: Duration) -> Self {
        self.config.ping_interval = interval;
        self
    }

    /// How long to wait for any answer to our PING before reconnecting (default 10 s).
    pub fn pong_timeout(mut self, timeout: Duration) -> Self {
        self.config.pong_timeout = timeout;
        self
    }

    /// Reconnect backoff: first delay and cap (defaults 500 ms and 60 s; doubled per failure).
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.config.backoff_initial = initial;
        self.config.backoff_max = max.max(initial);
        self
    }

    /// Channels to join on start (and rejoin after every reconnect, like any joined channel).
    pub fn channels<I, S>(mut self, channels: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.config.initial_channels = channels
            .into_iter()
            .map(|c| normalize(c.as_ref()))
            .collect();
        self
    }

    /// Finishes the configuration.
    pub fn build(self) -> Result<ChatConfig, Error> {
        if let Credentials::OAuth { login, .. } = &self.config.credentials
            && (login.is_empty()
                || !login
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        {
            return Err(Error::new(ErrorKind::Config(format!(
                "invalid login {login:?}"
            ))));
        }
        if let Transport::WebSocket(url) = &self.config.transport
            && !(url.starts_with("ws://") || url.starts_with("wss://"))
        {
            return Err(Error::new(ErrorKind::Config(format!(
                "not a WebSocket URL: {url}"
            ))));
        }
        Ok(self.config)
    }
}

/// `#Dallas` → `dallas`.
pub(crate) fn normalize(channel: &str) -> String {
    channel.trim().trim_start_matches('#').to_lowercase()
}
