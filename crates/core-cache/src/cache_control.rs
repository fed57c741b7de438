//! Reading `Cache-Control` response headers into a TTL.

use std::{borrow::Cow, convert::Infallible, str::FromStr, time::Duration};

/// RFC 9111 §1.2.2: a delta-seconds value too large to handle is taken as 2^31
/// seconds ("practically forever"). We clamp every larger value to it too, which
/// keeps deadline arithmetic far from overflow.
const MAX_DELTA_SECONDS: u64 = 1 << 31;

/// The directives of a `Cache-Control` response header that matter to a client
/// cache.
///
/// Parsing is forgiving and total: directives may be separated by commas,
/// spaces or both (`public max-age=600` is seen in the wild), names are
/// case-insensitive, values may be quoted, and anything unrecognisable is
/// skipped (logged at `debug`). It never fails and never panics.
///
/// * `max-age`: digits only, bare or in a properly closed quoted-string; a
///   malformed, negative or unterminated value means "no max-age". When it appears more than once the first occurrence
///   counts (RFC 9111 §4.2.1). Values above 2^31 s are clamped to 2^31 s.
/// * `no-cache` / `private` with a field-name list (`no-cache="Set-Cookie"`)
///   are treated like the bare directive: stricter, never staler.
/// * `s-maxage` and other shared-cache directives are ignored: this is a
///   client's private cache.
///
/// Several `Cache-Control` header lines are one list: join them with `", "`.
///
/// ```
/// use std::time::Duration;
/// use core_cache::CacheControl;
///
/// let cc = CacheControl::parse("public max-age=600");
/// assert!(cc.public);
/// assert_eq!(cc.ttl(), Some(Duration::from_secs(600)));
///
/// assert_eq!(CacheControl::parse("no-store").ttl(), None);
/// assert_eq!(CacheControl::parse("max-age=soon").ttl(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
#[expect(
    clippy::struct_excessive_bools,
    reason = "each flag is an independent directive of the header, not a state"
)]
pub struct CacheControl {
    /// `max-age=N`: the response stays fresh for N seconds.
    pub max_age: Option<Duration>,
    /// `no-cache`: a stored copy must be revalidated before every use.
    pub no_cache: bool,
    /// `no-store`: the response must not be stored at all.
    pub no_store: bool,
    /// `public`: any cache may store the response.
    pub public: bool,
    /// `private`: only the requesting client may store the response.
    pub private: bool,
    /// `must-revalidate`: once stale, a stored copy must not be used unrevalidated.
    pub must_revalidate: bool,
}

impl CacheControl {
    /// Parses a `Cache-Control` header value. See the type docs for the rules.
    pub fn parse(header: &str) -> Self {
        let mut parsed = Self::default();
        let mut max_age_seen = false;
        for Directive { name, value } in (Directives { rest: header }) {
            if name.eq_ignore_ascii_case("max-age") {
                if max_age_seen {
                    continue;
                }
                max_age_seen = true;
                parsed.max_age = value.as_deref().and_then(delta_seconds);
                if parsed.max_age.is_none() {
                    tracing::debug!(value = ?value, "ignoring malformed Cache-Control max-age");
                }
            } else if name.eq_ignore_ascii_case("no-cache") {
                parsed.no_cache = true;
            } else if name.eq_ignore_ascii_case("no-store") {
                parsed.no_store = true;
            } else if name.eq_ignore_ascii_case("public") {
                parsed.public = true;
            } else if name.eq_ignore_ascii_case("private") {
                parsed.private = true;
            } else if name.eq_ignore_ascii_case("must-revalidate") {
                parsed.must_revalidate = true;
            } else {
                tracing::trace!(directive = name, "ignoring Cache-Control directive");
            }
        }
        parsed
    }

    /// How long the response may be served from cache without asking again:
    /// `max_age`, unless `no-store` or `no-cache` forbid reuse (then `None`,
    /// as when there is no `max-age` at all). `max-age=0` gives `Some(0)`.
    pub fn ttl(&self) -> Option<Duration> {
        if self.no_store || self.no_cache {
            None
        } else {
            self.max_age
        }
    }
}

impl FromStr for CacheControl {
    type Err = Infallible;

    fn from_str(header: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(header))
    }
}

/// `1*DIGIT`, clamped to [`MAX_DELTA_SECONDS`].
fn delta_seconds(value: &str) -> Option<Duration> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All digits, so the only possible parse failure is overflow.
    let seconds = value.parse::<u64>().unwrap_or(MAX_DELTA_SECONDS);
    Some(Duration::from_secs(seconds.min(MAX_DELTA_SECONDS)))
}

/// One `name[=value]` item of the header.
struct Directive<'a> {
    name: &'a str,
    value: Option<Cow<'a, str>>,
}

/// Splits a header into directives. Every delimiter is ASCII, so slicing at the
/// byte offsets `find` returns always lands on a char boundary.
struct Directives<'a> {
    rest: &'a str,
}

fn is_separator(c: char) -> bool {
    c == ',' || c.is_ascii_whitespace()
}

impl<'a> Iterator for Directives<'a> {
    type Item = Directive<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let item = self.rest.trim_start_matches(is_separator);
            if item.is_empty() {
                self.rest = item;
                return None;
            }
            let name_end = item
                .find(|c: char| c == '=' || is_separator(c))
                .unwrap_or(item.len());
            let name = &item[..name_end];
            let after_name = &item[name_end..];
            let after_space = after_name.trim_start_matches(|c: char| c.is_ascii_whitespace());
            let value = if let Some(raw) = after_space.strip_prefix('=') {
                let raw = raw.trim_start_matches(|c: char| c.is_ascii_whitespace());
                let (value, rest) = split_value(raw);
                self.rest = rest;
                Some(value)
            } else {
                // No `=`: the following word (if any) is the next directive.
                self.rest = after_name;
                None
            };
            // `=5` with no name: skip it and keep scanning. Each pass consumes at
            // least one byte (the name or the `=`), so this terminates.
            if !name.is_empty() {
                return Some(Directive { name, value });
            }
        }
    }
}

/// Splits a value (token or quoted-string) off the front of `raw`.
fn split_value(raw: &str) -> (Cow<'_, str>, &str) {
    let Some(quoted) = raw.strip_prefix('"') else {
        let end = raw.find(is_separator).unwrap_or(raw.len());
        return (Cow::Borrowed(&raw[..end]), &raw[end..]);
    };
    let mut unescaped: Option<String> = None;
    let mut chars = quoted.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => {
                let value = unescaped.map_or(Cow::Borrowed(&quoted[..at]), Cow::Owned);
                return (value, &quoted[at + 1..]);
            }
            '\\' => {
                let owned = unescaped.get_or_insert_with(|| quoted[..at].to_owned());
                if let Some((_, escaped)) = chars.next() {
                    owned.push(escaped);
                }
            }
            c => {
                if let Some(owned) = unescaped.as_mut() {
                    owned.push(c);
                }
            }
        }
    }
    // Unterminated quote: malformed. Hand back the raw text, opening quote and
    // all, so no value check (such as max-age's digits) can accept it.
    (Cow::Borrowed(raw), "")
}
