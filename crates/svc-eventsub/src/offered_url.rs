//! The rule for URLs a server hands over (`session_reconnect`'s `reconnect_url`): only
//! `wss://`, unless the configured URL is a loopback `ws://` (a local mock or the sandbox),
//! in which case a loopback `ws://` is accepted too. A hostile or compromised server could
//! otherwise move the session onto an unencrypted socket, or onto another host in clear.
//!
//! transport-ws is getting the same rule as a public function; this one is then replaced
//! by it.

use std::net::IpAddr;

use url::{Host, Url};

use crate::error::{Error, ErrorKind};

/// `offered` if a client configured with `configured` may follow it, else
/// [`ErrorKind::InsecureUrl`].
pub(crate) fn check_offered_url(configured: &str, offered: &str) -> Result<String, Error> {
    let refuse = |why: &'static str| Error::with_source(ErrorKind::InsecureUrl, why);
    let url = Url::parse(offered).map_err(|e| Error::with_source(ErrorKind::InsecureUrl, e))?;
    match url.scheme() {
        "wss" => Ok(offered.to_owned()),
        "ws" => {
            let local_setup = Url::parse(configured)
                .is_ok_and(|configured| configured.scheme() == "ws" && is_loopback(&configured));
            if !local_setup {
                Err(refuse(
                    "ws:// offered while the configured URL is not a loopback ws://",
                ))
            } else if !is_loopback(&url) {
                Err(refuse("ws:// offered to a host that is not loopback"))
            } else {
                Ok(offered.to_owned())
            }
        }
        _ => Err(refuse("not a WebSocket URL")),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWITCH: &str = "wss://eventsub.wss.twitch.tv/ws";
    const LOCAL: &str = "ws://127.0.0.1:8080/ws";

    #[test]
    fn wss_is_always_accepted() {
        for configured in [TWITCH, LOCAL] {
            let offered = "wss://eventsub.wss.twitch.tv/ws?challenge=x";
            assert_eq!(check_offered_url(configured, offered).unwrap(), offered);
        }
    }

    #[test]
    fn plain_ws_only_between_loopback_addresses() {
        assert!(check_offered_url(LOCAL, "ws://127.0.0.1:9/ws?reconnect=x").is_ok());
        assert!(check_offered_url(LOCAL, "ws://localhost:9/ws").is_ok());
        assert!(check_offered_url("ws://[::1]:80/ws", "ws://[::1]:81/ws").is_ok());
        for (configured, offered) in [
            (TWITCH, "ws://eventsub.wss.twitch.tv/ws"),
            (TWITCH, "ws://127.0.0.1:9/ws"),
            (LOCAL, "ws://evil.example/ws"),
            (LOCAL, "ws://10.0.0.1/ws"),
            ("wss://127.0.0.1/ws", "ws://127.0.0.1/ws"),
        ] {
            let error = check_offered_url(configured, offered).unwrap_err();
            assert_eq!(
                error.kind(),
                &ErrorKind::InsecureUrl,
                "{offered} for {configured}"
            );
        }
    }

    #[test]
    fn other_schemes_and_garbage_are_refused() {
        for offered in ["http://127.0.0.1/ws", "file:///etc/passwd", "not a url", ""] {
            let error = check_offered_url(LOCAL, offered).unwrap_err();
            assert_eq!(error.kind(), &ErrorKind::InsecureUrl, "{offered}");
        }
    }
}
