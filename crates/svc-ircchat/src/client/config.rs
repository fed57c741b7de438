//! [`ChatConfig`]: where to connect, who to log in as, and timings.

use std::time::Duration;

use svc_helix::{AccessToken, TokenManager};
use transport_ws::{Backoff, Framing, TlsConfig, WsConfig};

use crate::client::names::channel_name;
use crate::client::token_hook::TokenHook;
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
        /// Wrap the connection in TLS (rustls; roots from
        /// [`ChatConfigBuilder::tls`], webpki by default).
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
    pub(crate) login_timeout: Duration,
    pub(crate) initial_channels: Vec<String>,
    /// Keeps the OAuth token valid, when set with [`ChatConfigBuilder::oauth_managed`].
    pub(crate) tokens: Option<TokenManager>,
    /// The connection: URL, line framing, TLS, connect timeout, reconnect backoff.
    pub(crate) connection: WsConfig,
    /// Publish [`ChatEvent::Raw`](crate::ChatEvent::Raw) for every line received.
    pub(crate) raw_lines: bool,
    /// How long a JOIN may go without its echo before it counts as failed.
    pub(crate) join_timeout: Duration,
    /// Asked for a new token when the login is refused.
    pub(crate) token_hook: Option<TokenHook>,
}

/// Builder for [`ChatConfig`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ChatConfigBuilder {
    transport: Transport,
    credentials: Credentials,
    ping_interval: Duration,
    pong_timeout: Duration,
    login_timeout: Duration,
    channels: Vec<String>,
    tokens: Option<TokenManager>,
    backoff: Backoff,
    tls: TlsConfig,
    connect_timeout: Duration,
    raw_lines: bool,
    join_timeout: Duration,
    token_hook: Option<TokenHook>,
}

impl ChatConfig {
    /// Twitch's WebSocket endpoint.
    pub const TWITCH_WS: &'static str = "wss://irc-ws.chat.twitch.tv:443";
    /// Twitch's TLS TCP endpoint (host, port).
    pub const TWITCH_TLS: (&'static str, u16) = ("irc.chat.twitch.tv", 6697);

    /// A builder for Twitch's WebSocket endpoint, logged in anonymously.
    pub fn builder() -> ChatConfigBuilder {
        ChatConfigBuilder {
            transport: Transport::WebSocket(Self::TWITCH_WS.to_owned()),
            credentials: Credentials::Anonymous,
            ping_interval: Duration::from_mins(1),
            pong_timeout: Duration::from_secs(10),
            login_timeout: Duration::from_secs(15),
            channels: Vec::new(),
            tokens: None,
            backoff: default_backoff(),
            tls: TlsConfig::new(),
            connect_timeout: Duration::from_secs(15),
            raw_lines: false,
            join_timeout: Duration::from_secs(10),
            token_hook: None,
        }
    }

    /// How chat is reached.
    pub fn transport(&self) -> &Transport {
        &self.transport
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

/// 500 ms doubling up to 60 s, up to a quarter shaved off by jitter, starting over after a
/// connection that lasted a minute (so a server that drops every login at once is met with
/// growing delays, not a reconnect storm).
fn default_backoff() -> Backoff {
    Backoff::new()
        .initial_delay(Duration::from_millis(500))
        .max_delay(Duration::from_mins(1))
        .jitter(0.25)
}

impl ChatConfigBuilder {
    /// Connect with this transport.
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
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
        self.credentials = Credentials::OAuth {
            login: login.into().to_lowercase(),
            token: AccessToken::new(token),
        };
        self.tokens = None;
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
        self.credentials = Credentials::OAuth {
            login: login.into().to_lowercase(),
            token: tokens.token(),
        };
        self.tokens = Some(tokens);
        self
    }

    /// A hook that may supply a new token when Twitch refuses the login (an expired or
    /// revoked token), as twitchio's `event_token_expired`: it is awaited, and `Some(token)`
    /// is used for this and every later login. `None` falls back to renewing a managed token
    /// ([`oauth_managed`](Self::oauth_managed)) if there is one; otherwise the refusal stands
    /// ([`ErrorKind::LoginRefused`] from [`ChatClient::connect`](crate::ChatClient::connect),
    /// a final [`ChatEvent::Disconnected`](crate::ChatEvent::Disconnected) later). One new
    /// token per refusal: a second refusal in a row is final.
    ///
    /// [`ErrorKind::LoginRefused`]: crate::ErrorKind::LoginRefused
    pub fn on_token_expired<F, Fut>(mut self, hook: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Option<AccessToken>> + Send + 'static,
    {
        self.token_hook = Some(TokenHook::new(hook));
        self
    }

    /// Log in anonymously (read-only).
    pub fn anonymous(mut self) -> Self {
        self.credentials = Credentials::Anonymous;
        self.tokens = None;
        self
    }

    /// Send our own PING after this much time (default 60 s) to detect a dead connection.
    pub fn ping_interval(mut self, interval: Duration) -> Self {
        self.ping_interval = interval;
        self
    }

    /// How long to wait for any answer to our PING before reconnecting (default 10 s).
    pub fn pong_timeout(mut self, timeout: Duration) -> Self {
        self.pong_timeout = timeout;
        self
    }

    /// Reconnect backoff: first delay and cap (defaults 500 ms and 60 s; doubled per failure,
    /// up to a quarter shaved off by jitter). Shorthand for
    /// [`reconnect_backoff`](Self::reconnect_backoff) with those two settings.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.backoff = self
            .backoff
            .initial_delay(initial)
            .max_delay(max.max(initial));
        self
    }

    /// The reconnect backoff in full (the workspace's one [`Backoff`]): delays, jitter, when
    /// a connection counts as healthy (the sequence starts over after one), an attempt limit
    /// (reaching it stops the client).
    pub fn reconnect_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// TLS settings for `wss://` and TLS TCP (default: webpki roots, verification on).
    pub fn tls(mut self, tls: TlsConfig) -> Self {
        self.tls = tls;
        self
    }

    /// Limit for opening a connection: TCP connect, TLS handshake and WebSocket upgrade
    /// together (default 15 s); a server that accepts and then stalls is retried after the
    /// backoff. The login itself has its own limit (15 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Publish every line received as [`ChatEvent::Raw`](crate::ChatEvent::Raw) (default
    /// off: each raw line is a copy and a slot in the event hub's buffer, which a busy client
    /// with nobody listening for them should not pay).
    pub fn raw_lines(mut self, on: bool) -> Self {
        self.raw_lines = on;
        self
    }

    /// How long a JOIN may go without Twitch echoing it before
    /// [`ChatEvent::JoinFailed`](crate::ChatEvent::JoinFailed) reports it (default 10 s;
    /// counted from when the JOIN is written, after the JOIN pacing).
    pub fn join_timeout(mut self, timeout: Duration) -> Self {
        self.join_timeout = timeout;
        self
    }

    /// Channels to join on start (and rejoin after every reconnect, like any joined channel).
    /// Names are checked by [`build`](Self::build).
    pub fn channels<I, S>(mut self, channels: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.channels = channels
            .into_iter()
            .map(|c| c.as_ref().to_owned())
            .collect();
        self
    }

    /// Finishes the configuration: [`ErrorKind::Config`] for a bad login or URL,
    /// [`ErrorKind::InvalidChannel`] for a channel that is not `[a-z0-9_]{1,25}` (after
    /// stripping `#` and lowercasing).
    pub fn build(self) -> Result<ChatConfig, Error> {
        if let Credentials::OAuth { login, .. } = &self.credentials
            && (login.is_empty()
                || !login
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        {
            return Err(Error::new(ErrorKind::Config(format!(
                "invalid login {login:?}"
            ))));
        }
        let initial_channels = self
            .channels
            .iter()
            .map(|channel| channel_name(channel))
            .collect::<Result<Vec<_>, _>>()?;
        let url = match &self.transport {
            Transport::WebSocket(url) => {
                if !(url.starts_with("ws://") || url.starts_with("wss://")) {
                    return Err(Error::new(ErrorKind::Config(format!(
                        "not a WebSocket URL: {url}"
                    ))));
                }
                url.clone()
            }
            Transport::Tcp { host, port, tls } => {
                let scheme = if *tls { "tls" } else { "tcp" };
                if host.contains(':') {
                    format!("{scheme}://[{host}]:{port}")
                } else {
                    format!("{scheme}://{host}:{port}")
                }
            }
        };
        let connection = WsConfig::builder(&url)
            .framing(Framing::Lines)
            .backoff(self.backoff)
            .tls(self.tls)
            .connect_timeout(self.connect_timeout)
            .build()
            .map_err(|error| {
                Error::with_source(
                    ErrorKind::Config("unusable chat URL or TLS settings".into()),
                    error,
                )
            })?;
        Ok(ChatConfig {
            transport: self.transport,
            credentials: self.credentials,
            ping_interval: self.ping_interval,
            pong_timeout: self.pong_timeout,
            login_timeout: self.login_timeout,
            initial_channels,
            tokens: self.tokens,
            connection,
            raw_lines: self.raw_lines,
            join_timeout: self.join_timeout,
            token_hook: self.token_hook,
        })
    }
}
