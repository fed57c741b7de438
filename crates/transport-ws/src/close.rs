//! Close frames and the hook that lets a service decide what a close means.

use url::Url;

/// A WebSocket close frame: status code and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseFrame {
    /// The close status code (1000 normal, 4000–4999 application defined, ...).
    pub code: u16,
    /// The reason text (often empty).
    pub reason: String,
}

/// Which side started closing a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseInitiator {
    /// The server sent a close frame, or the connection dropped without one.
    Server,
    /// This client closed: asked to by the service, or because of bad inbound data
    /// (1007 undecodable, 1009 too large, 1002 protocol violation).
    Client,
}

/// What to do after the server closed the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseAction {
    /// Reconnect to the current URL after the policy's backoff delay.
    Reconnect,
    /// Reconnect to another URL (e.g. Discord's `resume_gateway_url`) after the backoff delay;
    /// later reconnects keep using it.
    ReconnectTo(Url),
    /// Stop: no more connections, the event stream ends.
    Stop,
}

/// Decides, for a connection the *server* ended, whether to reconnect.
///
/// `close` is `None` when the connection dropped without a close frame. The hook runs on the
/// connection task: keep it quick and non-blocking. Connections this client closed itself are
/// not classified (a service-requested close does what the service asked; a close for bad
/// inbound data always reconnects per the policy).
///
/// Any `Fn(Option<&CloseFrame>) -> CloseAction` closure is a classifier:
///
/// ```
/// use transport_ws::{CloseAction, CloseClassifier, CloseFrame};
///
/// // Discord: these codes mean the bot configuration is wrong; retrying cannot help.
/// let discord = |close: Option<&CloseFrame>| match close.map(|c| c.code) {
///     Some(4004 | 4010 | 4011 | 4012 | 4013 | 4014) => CloseAction::Stop,
///     _ => CloseAction::Reconnect,
/// };
/// let frame = CloseFrame { code: 4004, reason: "Authentication failed.".into() };
/// assert_eq!(discord.classify(Some(&frame)), CloseAction::Stop);
/// assert_eq!(discord.classify(None), CloseAction::Reconnect);
/// ```
pub trait CloseClassifier: Send + Sync + 'static {
    /// Classifies a close by the server.
    fn classify(&self, close: Option<&CloseFrame>) -> CloseAction;
}

impl<F> CloseClassifier for F
where
    F: Fn(Option<&CloseFrame>) -> CloseAction + Send + Sync + 'static,
{
    fn classify(&self, close: Option<&CloseFrame>) -> CloseAction {
        self(close)
    }
}

/// The default: always reconnect.
#[derive(Debug, Clone, Copy, Default)]
pub struct AlwaysReconnect;

impl CloseClassifier for AlwaysReconnect {
    fn classify(&self, _close: Option<&CloseFrame>) -> CloseAction {
        CloseAction::Reconnect
    }
}
