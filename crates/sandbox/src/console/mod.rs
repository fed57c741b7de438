//! The web console: one page over the control API, served by the control server at `/` and
//! `/_sandbox/console`. No build step and nothing from a CDN: the HTML, script and style
//! sheet below are compiled into the binary.
//!
//! The page is only a view: it reads `GET /_sandbox/state` (connected clients per platform,
//! rate-limit buckets), `GET /_sandbox/world` (names its forms suggest),
//! `GET /_sandbox/credentials`, streams `GET /_sandbox/feed` over a WebSocket for the
//! traffic log, and its forms post to the same `POST /_sandbox/…` routes the CLI calls.

use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};

use crate::response::{self, HttpResponse};

const HTML: &str = include_str!("console.html");
const SCRIPT: &str = include_str!("console.js");
const STYLE: &str = include_str!("console.css");

/// Only the page's own script, style and control API: nothing else may load or connect.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

/// The console's file for a path under `/_sandbox/console` (`/` answers the page too) (`[]` is the page), if there is one.
pub(crate) fn asset(rest: &[&str]) -> Option<HttpResponse> {
    let (content_type, body) = match rest {
        [] | ["index.html"] => ("text/html; charset=utf-8", HTML),
        ["console.js"] => ("text/javascript; charset=utf-8", SCRIPT),
        ["console.css"] => ("text/css; charset=utf-8", STYLE),
        _ => return None,
    };
    let mut response = response::bytes(
        StatusCode::OK,
        content_type,
        Bytes::from_static(body.as_bytes()),
    );
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::{HTML, SCRIPT, asset};
    use crate::control::ROUTES;

    #[test]
    fn the_page_and_its_files_are_served_with_their_types() {
        let page = asset(&[]).unwrap();
        assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
        assert!(page.headers().contains_key("content-security-policy"));
        assert_eq!(
            asset(&["console.js"]).unwrap().headers()["content-type"],
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            asset(&["console.css"]).unwrap().headers()["content-type"],
            "text/css; charset=utf-8"
        );
        assert!(asset(&["secrets.txt"]).is_none());
        assert!(HTML.contains("/_sandbox/console/console.js"));
        assert!(HTML.contains("/_sandbox/console/console.css"));
    }

    /// Every control call has a form: a route added to the API and not to the page fails
    /// here. (Discord's disconnect has two paths and one form; chaos has a form per platform that
    /// has behaviours.)
    #[test]
    fn every_control_call_has_a_form() {
        for (method, path, _) in ROUTES {
            if *path == "/_sandbox/disconnect/{platform}" {
                assert!(SCRIPT.contains("\"/_sandbox/disconnect/twitch\""));
                assert!(SCRIPT.contains("\"/_sandbox/disconnect/eventsub\""));
                assert!(SCRIPT.contains("\"/_sandbox/disconnect/singyeong\""));
                continue;
            }
            if *path == "/_sandbox/chaos/{platform}" {
                for platform in [
                    "discord",
                    "eventsub",
                    "twitch",
                    "clash",
                    "helix",
                    "singyeong",
                ] {
                    assert!(
                        SCRIPT.contains(&format!("\"/_sandbox/chaos/{platform}\"")),
                        "console.js has no chaos form for {platform}"
                    );
                }
                continue;
            }
            if *method != "POST" {
                continue;
            }
            assert!(
                SCRIPT.contains(&format!("\"{path}\"")),
                "console.js has no form for POST {path}"
            );
        }
    }

    /// The page runs under its policy: no inline script, style or handler, nothing remote.
    #[test]
    fn the_page_loads_nothing_inline_or_remote() {
        for needle in [
            "<script>", "style=", "onclick", "http://", "https://", "<style",
        ] {
            assert!(!HTML.contains(needle), "console.html has {needle}");
        }
        for needle in ["innerHTML", "eval(", "http://", "https://"] {
            assert!(!SCRIPT.contains(needle), "console.js has {needle}");
        }
    }
}
