//! What a URL's scheme means here: `ws://` / `wss://` (WebSocket) and `tcp://` / `tls://`
//! (a line protocol over a plain or TLS TCP connection, such as IRC).

use std::net::IpAddr;

use url::{Host, Url};

use crate::error::{Error, ErrorKind};

/// How a URL's connection is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Carrier {
    /// A WebSocket (`ws://`, `wss://`).
    WebSocket,
    /// Raw TCP framed by lines (`tcp://`, `tls://`).
    Tcp,
}

/// The carrier of a URL that went through [`parse`].
pub(crate) fn carrier(url: &Url) -> Carrier {
    match url.scheme() {
        "tcp" | "tls" => Carrier::Tcp,
        _ => Carrier::WebSocket,
    }
}

/// Whether the connection is encrypted (`wss://`, `tls://`).
pub(crate) fn is_secure(url: &Url) -> bool {
    matches!(url.scheme(), "wss" | "tls" | "https")
}

/// Whether the URL names this machine (`localhost`, `127.0.0.0/8`, `::1`): traffic that
/// never leaves it may go unencrypted.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        // `tcp://` and `tls://` are not special schemes: their IP hosts stay text.
        Some(Host::Domain(domain)) => {
            domain.eq_ignore_ascii_case("localhost")
                || domain
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Parses a `ws://`, `wss://`, `tcp://host:port` or `tls://host:port` URL.
pub(crate) fn parse(url: &str) -> Result<Url, Error> {
    let parsed = Url::parse(url).map_err(|source| {
        tracing::warn!(error = %source, "URL does not parse");
        Error::with_source(ErrorKind::InvalidUrl, source)
    })?;
    let scheme = parsed.scheme();
    if !matches!(scheme, "ws" | "wss" | "tcp" | "tls") || parsed.host_str().is_none() {
        tracing::warn!(scheme, "not a ws, wss, tcp or tls URL");
        return Err(Error::with_source(
            ErrorKind::InvalidUrl,
            format!("scheme {scheme:?} is not ws, wss, tcp or tls"),
        ));
    }
    if carrier(&parsed) == Carrier::Tcp && parsed.port().is_none() {
        tracing::warn!(scheme, "a tcp or tls URL needs a port");
        return Err(Error::with_source(
            ErrorKind::InvalidUrl,
            format!("a {scheme}:// URL needs a port"),
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_and_ports() {
        for good in [
            "ws://127.0.0.1:1/x",
            "wss://example.com",
            "tcp://127.0.0.1:6667",
            "tls://irc.chat.twitch.tv:6697",
        ] {
            assert!(parse(good).is_ok(), "{good}");
        }
        for bad in [
            "http://example.com",
            "tcp://example.com",
            "tls://irc.chat.twitch.tv",
            "udp://example.com:1",
            "ws://",
        ] {
            assert_eq!(
                parse(bad).unwrap_err().kind(),
                &ErrorKind::InvalidUrl,
                "{bad}"
            );
        }
        assert_eq!(carrier(&parse("tls://a:1").unwrap()), Carrier::Tcp);
        assert_eq!(carrier(&parse("wss://a").unwrap()), Carrier::WebSocket);
    }

    #[test]
    fn loopback_hosts() {
        for url in [
            "ws://localhost:1",
            "ws://127.0.0.1:1",
            "ws://127.8.9.10:1",
            "ws://[::1]:1",
            "tcp://127.0.0.1:6667",
            "tls://[::1]:6697",
            "tcp://localhost:1",
        ] {
            assert!(is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
        for url in [
            "ws://example.com",
            "ws://10.0.0.1",
            "ws://localhost.evil.com",
        ] {
            assert!(!is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
    }
}
