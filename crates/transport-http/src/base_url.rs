//! Turning a request's path into a full URL.
//!
//! Paths are *appended* to the base URL, not resolved RFC 3986 style: with a base of
//! `https://discord.com/api/v10`, the path `/users/@me` must give
//! `https://discord.com/api/v10/users/@me`, whereas `Url::join` would drop `/api/v10`.

use url::Url;

use crate::redact::{Redactions, url_for_display};
use crate::{Error, ErrorKind};

/// Parses and checks a base URL: http(s), a host, no query or fragment.
pub(crate) fn parse_base(base: &str) -> Result<Url, Error> {
    let invalid = |source: Option<url::ParseError>| {
        let kind = ErrorKind::InvalidUrl {
            url: Url::parse(base).map_or_else(
                |_| "[unparseable]".to_owned(),
                |url| url_for_display(&url, &Redactions::default()),
            ),
        };
        match source {
            Some(source) => Error::with_source(kind, source),
            None => Error::new(kind),
        }
    };
    let url = Url::parse(base).map_err(|e| invalid(Some(e)))?;
    if !is_http(&url) || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(None));
    }
    Ok(url)
}

/// The URL for `target`: absolute `http(s)://` URLs are used as they are, anything else
/// is a path appended to `base`.
pub(crate) fn resolve(
    base: Option<&Url>,
    target: &str,
    redactions: &Redactions,
) -> Result<Url, Error> {
    let invalid = |shown: String, source: Option<url::ParseError>| {
        let kind = ErrorKind::InvalidUrl { url: shown };
        match source {
            Some(source) => Error::with_source(kind, source),
            None => Error::new(kind),
        }
    };
    let absolute = target.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+')
    });
    let joined;
    let full = if absolute {
        target
    } else {
        let Some(base) = base else {
            return Err(invalid(redactions.scrub(target), None));
        };
        let path = target.trim_start_matches('/');
        joined = if path.is_empty() {
            base.as_str().to_owned()
        } else {
            format!("{}/{path}", base.as_str().trim_end_matches('/'))
        };
        &joined
    };
    let url = Url::parse(full).map_err(|e| invalid(redactions.scrub(full), Some(e)))?;
    if !is_http(&url) {
        return Err(invalid(url_for_display(&url, redactions), None));
    }
    Ok(url)
}

fn is_http(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https") && url.host().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(base: &str, path: &str) -> String {
        let base = parse_base(base).unwrap();
        resolve(Some(&base), path, &Redactions::default())
            .unwrap()
            .to_string()
    }

    #[test]
    fn appends_paths_to_base_path() {
        let expected = "https://discord.com/api/v10/users/@me";
        assert_eq!(join("https://discord.com/api/v10", "/users/@me"), expected);
        assert_eq!(join("https://discord.com/api/v10/", "/users/@me"), expected);
        assert_eq!(join("https://discord.com/api/v10/", "users/@me"), expected);
        assert_eq!(join("https://discord.com/api/v10", "users/@me"), expected);
    }

    #[test]
    fn keeps_percent_encoding_and_query() {
        assert_eq!(
            join("http://127.0.0.1:9/v1", "/clans/%232PP?limit=5"),
            "http://127.0.0.1:9/v1/clans/%232PP?limit=5"
        );
    }

    #[test]
    fn empty_path_is_the_base() {
        assert_eq!(join("http://127.0.0.1:9/v1", ""), "http://127.0.0.1:9/v1");
    }

    #[test]
    fn absolute_urls_ignore_the_base() {
        assert_eq!(
            join(
                "http://127.0.0.1:9/v1",
                "https://id.twitch.tv/oauth2/validate"
            ),
            "https://id.twitch.tv/oauth2/validate"
        );
    }

    #[test]
    fn rejects_bad_urls() {
        let base = parse_base("http://127.0.0.1:9").unwrap();
        let kind = |result: Result<Url, Error>| result.unwrap_err().kind().clone();
        assert!(matches!(
            kind(resolve(None, "/x", &Redactions::default())),
            ErrorKind::InvalidUrl { .. }
        ));
        assert!(matches!(
            kind(resolve(Some(&base), "ftp://x/y", &Redactions::default())),
            ErrorKind::InvalidUrl { .. }
        ));
        assert!(matches!(
            kind(resolve(Some(&base), "http://[::1", &Redactions::default())),
            ErrorKind::InvalidUrl { .. }
        ));
        assert!(parse_base("ws://example.com").is_err());
        assert!(parse_base("https://example.com/?a=b").is_err());
        assert!(parse_base("not a url").is_err());
    }

    #[test]
    fn invalid_url_errors_are_redacted() {
        let error = parse_base("https://example.com/?token=abc").unwrap_err();
        assert!(!format!("{error:?}").contains("abc"));
    }
}
