//! Keeping secrets out of logs, `Debug` output and errors, for every transport.
//!
//! Three mechanisms: header names that are always sensitive, query parameter names whose
//! values are never shown, and scrubbing known secret values out of free text (URLs, body
//! snippets) before it leaves a crate. Every URL a transport logs goes through [`url`] (or
//! [`url_for_display`] when secret values are known).

use std::fmt;

use http::HeaderMap;
use url::Url;

use crate::Secret;

/// The placeholder shown instead of a secret.
pub const REDACTED: &str = "[redacted]";

/// How many bytes of a body an error shows.
pub const SNIPPET_BYTES: usize = 1024;

/// Header names whose values are credentials whoever set them.
pub fn is_sensitive_header(name: &str) -> bool {
    const NAMES: [&str; 6] = [
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "client-secret",
        "x-api-key",
    ];
    NAMES.iter().any(|known| name.eq_ignore_ascii_case(known))
}

/// Query parameter names whose values are credentials (`token`, `access_token`,
/// `client_secret`, `api_key`, `password`…).
pub fn is_sensitive_query(name: &str) -> bool {
    const FRAGMENTS: [&str; 5] = ["token", "key", "password", "secret", "auth"];
    let name = name.to_ascii_lowercase();
    FRAGMENTS.iter().any(|fragment| name.contains(fragment))
}

/// What replaces the body snippet of a response whose body may carry secrets.
pub const WITHHELD: &str = "[body withheld: it may carry credentials]";

/// The values to scrub from text: each secret, and for `Scheme credential` values
/// (`Bot x`, `Bearer x`) the credential alone, since a server may echo only that. And
/// whether a response body may carry secrets of its own (a fresh OAuth token, an API key)
/// that no scrubbing could know in advance: then errors show none of it.
#[derive(Clone, Default)]
pub struct Redactions {
    values: Vec<Secret>,
    withhold_body: bool,
}

impl fmt::Debug for Redactions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The values are the secrets: only their number is shown.
        f.debug_struct("Redactions")
            .field("values", &self.values.len())
            .field("withhold_body", &self.withhold_body)
            .finish()
    }
}

impl Redactions {
    /// Values shorter than this are not scrubbed: they would mangle ordinary text and are
    /// no real credential.
    const MIN_LEN: usize = 4;

    /// Scrubs `secret` (and the credential part of a `Scheme credential` value) from now on.
    pub fn push(&mut self, secret: &Secret) {
        let value = secret.expose();
        if value.len() >= Self::MIN_LEN {
            self.values.push(secret.clone());
        }
        if let Some((_, credential)) = value.split_once(' ') {
            let credential = credential.trim();
            if credential.len() >= Self::MIN_LEN {
                self.values.push(Secret::new(credential));
            }
        }
    }

    /// Scrubs every value `other` scrubs too (and withholds bodies if it does).
    pub fn extend(&mut self, other: &Self) {
        self.values.extend(other.values.iter().cloned());
        self.withhold_body |= other.withhold_body;
    }

    fn longest(&self) -> usize {
        self.values
            .iter()
            .map(|s| s.expose().len())
            .max()
            .unwrap_or(0)
    }

    /// `text` with every known secret value replaced by the placeholder.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        // Longest first, so a full `Bot x` is replaced before its bare `x`.
        let mut values: Vec<&str> = self.values.iter().map(Secret::expose).collect();
        values.sort_by_key(|value| std::cmp::Reverse(value.len()));
        for value in values {
            if text.contains(value) {
                text = text.replace(value, REDACTED);
            }
        }
        text
    }

    /// Response bodies may carry secrets nobody knows in advance: errors show none of
    /// them.
    pub fn withhold_body(&mut self) {
        self.withhold_body = true;
    }

    /// Whether response bodies are kept out of errors.
    pub fn body_withheld(&self) -> bool {
        self.withhold_body
    }

    /// The start of `body` as text, scrubbed, at most [`SNIPPET_BYTES`] long (plus an
    /// ellipsis when cut); [`WITHHELD`] when bodies are withheld.
    pub fn snippet(&self, body: &[u8]) -> String {
        if self.withhold_body {
            return WITHHELD.to_owned();
        }
        // Scrub a window longer than the snippet, so a secret straddling the cut is still
        // recognised whole.
        let window = &body[..body.len().min(SNIPPET_BYTES + self.longest())];
        let text = self.scrub(&String::from_utf8_lossy(window));
        if text.len() <= SNIPPET_BYTES && window.len() == body.len() {
            return text;
        }
        let mut cut = SNIPPET_BYTES.min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &text[..cut])
    }
}

/// `url` for logs and errors, when no secret values are known: userinfo replaced,
/// sensitive query values replaced, fragment dropped.
pub fn url(url: &Url) -> String {
    url_for_display(url, &Redactions::default())
}

/// `url` for logs and errors: credentials dropped, sensitive query values replaced, known
/// secret values scrubbed.
pub fn url_for_display(url: &Url, redactions: &Redactions) -> String {
    let mut shown = url.clone();
    if !shown.username().is_empty() {
        let _ = shown.set_username("redacted");
    }
    if shown.password().is_some() {
        let _ = shown.set_password(None);
    }
    shown.set_fragment(None);
    if let Some(query) = url.query() {
        let redacted: Vec<String> = query
            .split('&')
            .map(|pair| {
                let raw_name = pair.split_once('=').map_or(pair, |(name, _)| name);
                let name: String = url::form_urlencoded::parse(raw_name.as_bytes())
                    .map(|(name, _)| name.into_owned())
                    .next()
                    .unwrap_or_default();
                if is_sensitive_query(&name) {
                    format!("{raw_name}={REDACTED}")
                } else {
                    pair.to_owned()
                }
            })
            .collect();
        shown.set_query(Some(&redacted.join("&")));
    }
    redactions.scrub(shown.as_str())
}

/// `Debug` for a header map that shows sensitive values as the placeholder.
pub struct HeadersDebug<'a>(pub &'a HeaderMap);

impl fmt::Debug for HeadersDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || is_sensitive_header(name.as_str()) {
                map.entry(&name.as_str(), &REDACTED);
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactions(values: &[&str]) -> Redactions {
        let mut redactions = Redactions::default();
        for value in values {
            redactions.push(&Secret::new(*value));
        }
        redactions
    }

    #[test]
    fn sensitive_names() {
        assert!(is_sensitive_header("Authorization"));
        assert!(is_sensitive_header("cookie"));
        assert!(!is_sensitive_header("content-type"));
        for name in [
            "token",
            "access_token",
            "client_secret",
            "key",
            "api_key",
            "password",
        ] {
            assert!(is_sensitive_query(name), "{name}");
        }
        assert!(!is_sensitive_query("limit"));
        assert!(!is_sensitive_query("after"));
    }

    #[test]
    fn scrubs_full_value_and_bare_credential() {
        let r = redactions(&["Bot sekrit.token"]);
        assert_eq!(
            r.scrub("a Bot sekrit.token b sekrit.token"),
            "a [redacted] b [redacted]"
        );
    }

    #[test]
    fn short_values_are_not_scrubbed() {
        assert_eq!(redactions(&["ab"]).scrub("abc"), "abc");
    }

    #[test]
    fn snippet_truncates_on_char_boundary() {
        let body = "é".repeat(SNIPPET_BYTES);
        let snippet = Redactions::default().snippet(body.as_bytes());
        assert!(snippet.ends_with('…'));
        assert!(snippet.len() <= SNIPPET_BYTES + '…'.len_utf8());
    }

    #[test]
    fn snippet_scrubs_secret_straddling_the_cut() {
        let secret = "straddling-secret-value";
        let mut body = "x".repeat(SNIPPET_BYTES - 5);
        body.push_str(secret);
        let snippet = redactions(&[secret]).snippet(body.as_bytes());
        assert!(!snippet.contains("strad"), "{snippet}");
    }

    #[test]
    fn withheld_bodies_show_nothing() {
        let mut withheld = Redactions::default();
        withheld.withhold_body();
        let body = br#"{"access_token":"fresh-token-value"}"#;
        assert_eq!(withheld.snippet(body), WITHHELD);
        // Withholding survives merging into the client's redactions.
        let mut merged = redactions(&["Bearer x-y-z-w"]);
        merged.extend(&withheld);
        assert_eq!(merged.snippet(body), WITHHELD);
    }

    #[test]
    fn short_body_is_shown_whole() {
        assert_eq!(Redactions::default().snippet(b"{\"a\":1}"), "{\"a\":1}");
    }

    #[test]
    fn url_redaction() {
        let url = Url::parse(
            "https://user:pw@example.com/a/b?limit=5&token=abc&client_secret=s3cr3t&q=x#frag",
        )
        .unwrap();
        let shown = url_for_display(&url, &Redactions::default());
        assert_eq!(
            shown,
            "https://redacted@example.com/a/b?limit=5&token=[redacted]&client_secret=[redacted]&q=x"
        );
    }

    #[test]
    fn url_path_secrets_are_scrubbed() {
        let url = Url::parse("https://example.com/webhooks/1/webhook-token-value").unwrap();
        let shown = url_for_display(&url, &redactions(&["webhook-token-value"]));
        assert_eq!(shown, "https://example.com/webhooks/1/[redacted]");
    }
}
