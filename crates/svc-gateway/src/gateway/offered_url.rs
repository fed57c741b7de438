//! Which URLs a server may send the client to: a gateway URL from `GET /gateway/bot` or a
//! READY's `resume_gateway_url` is where the token goes next, so it must be `wss://`;
//! plain `ws://` only between loopback addresses (the sandbox, a local proxy).
//!
//! The same rule as transport-ws's check of server-offered URLs, applied here to the URLs
//! svc-gateway opens itself.

use url::{Host, Url};

use crate::error::{Error, ErrorKind};

/// Accepts `offered` when it is `wss://`, or `ws://` with both it and the `configured` URL
/// (the REST base or gateway URL the user gave; `None`: none given) on a loopback host.
///
/// Fails with [`ErrorKind::InsecureUrl`] otherwise (a `ws://` URL elsewhere, any other
/// scheme).
pub(crate) fn check_offered_url(configured: Option<&Url>, offered: &Url) -> Result<(), Error> {
    match offered.scheme() {
        "wss" if offered.host().is_some() => Ok(()),
        "ws" if configured.is_some_and(is_loopback) && is_loopback(offered) => Ok(()),
        scheme => {
            tracing::warn!(
                scheme,
                host = offered.host_str().unwrap_or_default(),
                "refusing a server-offered URL that is not wss://"
            );
            Err(Error::new(ErrorKind::InsecureUrl))
        }
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(configured: &str, offered: &str) -> bool {
        check_offered_url(
            Some(&Url::parse(configured).unwrap()),
            &Url::parse(offered).unwrap(),
        )
        .is_ok()
    }

    #[test]
    fn wss_always_and_ws_only_between_loopback_hosts() {
        let production = "https://discord.com/api/v10";
        let local = "http://127.0.0.1:8080/api/v10";
        assert!(check(production, "wss://gateway.discord.gg"));
        assert!(check(local, "wss://gateway.discord.gg"));
        assert!(check(local, "ws://127.0.0.1:8080"));
        assert!(check("ws://[::1]:9/", "ws://localhost:9/resume"));
        let loopback = Url::parse("ws://127.0.0.1:1").unwrap();
        assert!(
            check_offered_url(None, &loopback).is_err(),
            "no base: not loopback"
        );
        for (configured, offered) in [
            (production, "ws://gateway.discord.gg"),
            (production, "ws://127.0.0.1:8080"),
            (local, "ws://evil.example"),
            (local, "ws://10.0.0.1"),
            (production, "http://gateway.discord.gg"),
            (production, "https://gateway.discord.gg"),
            (production, "file:///etc/passwd"),
        ] {
            let error = check_offered_url(
                Some(&Url::parse(configured).unwrap()),
                &Url::parse(offered).unwrap(),
            )
            .unwrap_err();
            assert_eq!(error.kind(), &ErrorKind::InsecureUrl, "{offered}");
        }
    }
}
