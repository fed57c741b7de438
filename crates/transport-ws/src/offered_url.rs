//! [`check_offered_url`]: whether a URL a server handed over may be connected to.

use url::Url;

use crate::endpoint::{self, is_loopback, is_secure};
use crate::error::{Error, ErrorKind};
use transport_core::redact;

/// Checks a URL a server offered (Discord's `resume_gateway_url` and `/gateway/bot` url,
/// Twitch EventSub's `reconnect_url`, ...) against the URL the client was configured with,
/// before anything (an identify, a token in a header) is sent to it.
///
/// The offered URL must be encrypted (`wss://`, or `tls://` for line protocols), unless
///
/// - the client was configured for this machine (a loopback host such as the sandbox's
///   `ws://127.0.0.1:PORT`, whatever its scheme) and the offered URL is on this machine
///   too, or
/// - the offered URL has the configured URL's scheme, host and port (the user chose that
///   endpoint; a server pointing back at it sends nothing anywhere new).
///
/// Otherwise a hostile or compromised server could move the connection, and the
/// credentials that travel on it, to clear text: that is
/// [`ErrorKind::InsecureUrl`]. A URL that does not parse, or is not `ws`, `wss`, `tcp`
/// or `tls`, is [`ErrorKind::InvalidUrl`].
///
/// [`Sender::set_url`](crate::Sender::set_url), [`Sender::reconnect_to`](crate::Sender::reconnect_to)
/// and [`CloseAction::ReconnectTo`](crate::CloseAction::ReconnectTo) apply this rule
/// themselves; call it for offered URLs a service opens in a new client.
///
/// ```
/// use transport_ws::{ErrorKind, check_offered_url};
/// use url::Url;
///
/// let discord = Url::parse("https://discord.com/api/v10").unwrap();
/// assert!(check_offered_url(&discord, "wss://gateway.discord.gg").is_ok());
/// let refused = check_offered_url(&discord, "ws://gateway.evil.example").unwrap_err();
/// assert_eq!(refused.kind(), &ErrorKind::InsecureUrl);
///
/// let sandbox = Url::parse("http://127.0.0.1:8080/api/v10").unwrap();
/// assert!(check_offered_url(&sandbox, "ws://127.0.0.1:8080/gateway").is_ok());
/// ```
pub fn check_offered_url(configured: &Url, offered: &str) -> Result<Url, Error> {
    let url = endpoint::parse(offered)?;
    let local = is_loopback(configured) && is_loopback(&url);
    let same_endpoint = url.scheme() == configured.scheme()
        && url.host() == configured.host()
        && url.port_or_known_default() == configured.port_or_known_default();
    if is_secure(&url) || local || same_endpoint {
        return Ok(url);
    }
    tracing::warn!(
        offered = %redact::url(&url),
        configured = %redact::url(configured),
        "refusing an unencrypted URL offered by the server"
    );
    Err(Error::with_source(
        ErrorKind::InsecureUrl,
        format!(
            "the server offered {}, which is not encrypted",
            redact::url(&url)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(configured: &str, offered: &str) -> Result<Url, ErrorKind> {
        check_offered_url(&Url::parse(configured).unwrap(), offered).map_err(|e| e.kind().clone())
    }

    #[test]
    fn encrypted_urls_are_always_accepted() {
        for configured in [
            "wss://gateway.discord.gg",
            "ws://127.0.0.1:1",
            "tls://irc:6697",
        ] {
            assert!(check(configured, "wss://elsewhere.example/?v=10").is_ok());
            assert!(check(configured, "tls://elsewhere.example:6697").is_ok());
        }
    }

    #[test]
    fn clear_text_only_between_loopback_hosts() {
        assert!(check("ws://127.0.0.1:9000/ws", "ws://127.0.0.1:9001/other").is_ok());
        assert!(check("http://localhost:8080/api", "ws://[::1]:9/").is_ok());
        assert!(check("wss://127.0.0.1:9000", "ws://127.0.0.1:9001").is_ok());
        assert_eq!(
            check("ws://127.0.0.1:9000", "ws://example.com/ws"),
            Err(ErrorKind::InsecureUrl)
        );
        assert_eq!(
            check(
                "wss://eventsub.wss.twitch.tv/ws",
                "ws://eventsub.wss.twitch.tv/ws"
            ),
            Err(ErrorKind::InsecureUrl)
        );
        assert_eq!(
            check("https://discord.com/api", "ws://127.0.0.1:80/"),
            Err(ErrorKind::InsecureUrl),
            "a remote server must not steer the client to a local clear-text port either"
        );
        assert_eq!(
            check(
                "tls://irc.chat.twitch.tv:6697",
                "tcp://irc.chat.twitch.tv:6667"
            ),
            Err(ErrorKind::InsecureUrl)
        );
    }

    #[test]
    fn the_configured_endpoint_itself_is_accepted() {
        assert!(check("ws://chat.lan:8080/ws", "ws://chat.lan:8080/ws?resume=1").is_ok());
        assert_eq!(
            check("ws://chat.lan:8080/ws", "ws://chat.lan:8081/ws"),
            Err(ErrorKind::InsecureUrl)
        );
    }

    #[test]
    fn unusable_urls_are_invalid() {
        assert_eq!(check("wss://a", "not a url"), Err(ErrorKind::InvalidUrl));
        assert_eq!(check("wss://a", "https://a/"), Err(ErrorKind::InvalidUrl));
    }
}
