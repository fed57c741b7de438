//! [`RateLimitHeaders`]: what a response says about rate limits (Discord and Helix).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::Problem;
use crate::{Error, ErrorKind};

/// Longest bucket hash or scope accepted; real ones are a few dozen characters.
const MAX_TOKEN_LEN: usize = 256;

/// Rate-limit information read from a response's headers.
///
/// Understands Discord's `X-RateLimit-Limit`, `-Remaining`, `-Reset`, `-Reset-After`,
/// `-Bucket`, `-Global` and `-Scope`, Helix's `Ratelimit-Limit`, `-Remaining` and `-Reset`,
/// and `Retry-After` (seconds or an HTTP date). Missing headers stay `None` / `false`.
///
/// ```
/// use std::time::Duration;
/// use core_ratelimit::RateLimitHeaders;
///
/// let headers = [
///     ("X-RateLimit-Limit", &b"5"[..]),
///     ("x-ratelimit-remaining", b"1"),
///     ("X-RateLimit-Reset-After", b"1.250"),
///     ("X-RateLimit-Bucket", b"abcd1234"),
///     ("Content-Type", b"application/json"),
/// ];
/// let parsed = RateLimitHeaders::parse(headers).unwrap();
/// assert_eq!(parsed.limit, Some(5));
/// assert_eq!(parsed.remaining, Some(1));
/// assert_eq!(parsed.reset_after, Some(Duration::from_millis(1250)));
/// assert_eq!(parsed.bucket.as_deref(), Some("abcd1234"));
///
/// assert!(RateLimitHeaders::parse([("X-RateLimit-Limit", &b"five"[..])]).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateLimitHeaders {
    /// Requests (Helix: points) allowed per window: `X-RateLimit-Limit` / `Ratelimit-Limit`.
    pub limit: Option<u32>,
    /// Requests (points) left in the current window: `X-RateLimit-Remaining` /
    /// `Ratelimit-Remaining`.
    pub remaining: Option<u32>,
    /// Time until the window resets: Discord's `X-RateLimit-Reset-After`, or, when that is
    /// absent, the reset epoch (`X-RateLimit-Reset` / Helix `Ratelimit-Reset`) minus now (zero
    /// if the epoch is already past).
    pub reset_after: Option<Duration>,
    /// When the window resets, in seconds since the Unix epoch: `X-RateLimit-Reset` /
    /// `Ratelimit-Reset`.
    pub reset_at_epoch: Option<f64>,
    /// Discord's bucket hash: routes reporting the same hash (with the same major parameter)
    /// share one limit.
    pub bucket: Option<String>,
    /// `X-RateLimit-Global: true`: a 429 caused by the global limit.
    pub global: bool,
    /// `X-RateLimit-Scope`: `user`, `global` or `shared` on Discord 429s.
    pub scope: Option<String>,
    /// `Retry-After`, in seconds or as an HTTP date (then measured from now).
    pub retry_after: Option<Duration>,
}

/// The headers this parser reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Limit,
    Remaining,
    Reset,
    ResetAfter,
    Bucket,
    Global,
    Scope,
    RetryAfter,
}

impl Field {
    fn from_name(name: &str) -> Option<Self> {
        const NAMES: [(&str, Field); 11] = [
            ("x-ratelimit-limit", Field::Limit),
            ("x-ratelimit-remaining", Field::Remaining),
            ("x-ratelimit-reset", Field::Reset),
            ("x-ratelimit-reset-after", Field::ResetAfter),
            ("x-ratelimit-bucket", Field::Bucket),
            ("x-ratelimit-global", Field::Global),
            ("x-ratelimit-scope", Field::Scope),
            ("ratelimit-limit", Field::Limit),
            ("ratelimit-remaining", Field::Remaining),
            ("ratelimit-reset", Field::Reset),
            ("retry-after", Field::RetryAfter),
        ];
        NAMES
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|&(_, field)| field)
    }
}

impl RateLimitHeaders {
    /// Reads the rate-limit headers among `headers` (name, raw value) pairs.
    ///
    /// Header names are matched case-insensitively; unknown headers are ignored; a present but
    /// malformed rate-limit header is an error of kind
    /// [`ErrorKind::HeaderInvalid`](crate::ErrorKind::HeaderInvalid), never a panic. When a
    /// header repeats, the last value wins. Times relative to now use the system clock; see
    /// [`parse_at`](Self::parse_at).
    pub fn parse<'a>(
        headers: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<Self, Error> {
        Self::parse_at(headers, SystemTime::now())
    }

    /// Like [`parse`](Self::parse), with `now` as the current wall-clock time (used to turn a
    /// reset epoch or a `Retry-After` date into a duration).
    pub fn parse_at<'a>(
        headers: impl IntoIterator<Item = (&'a str, &'a [u8])>,
        now: SystemTime,
    ) -> Result<Self, Error> {
        let mut parsed = Self::default();
        for (name, value) in headers {
            let Some(field) = Field::from_name(name) else {
                continue;
            };
            if let Err(problem) = parsed.read(field, value, now) {
                let name = name.to_ascii_lowercase();
                tracing::warn!(header = %name, %problem, "invalid rate-limit header");
                return Err(Error::with_source(
                    ErrorKind::HeaderInvalid { name },
                    problem,
                ));
            }
        }
        if parsed.reset_after.is_none()
            && let Some(epoch) = parsed.reset_at_epoch
        {
            parsed.reset_after = Some(until_epoch(epoch, now));
        }
        Ok(parsed)
    }

    /// Whether these headers describe a window: limit, remaining and a reset time.
    pub fn has_window(&self) -> bool {
        self.limit.is_some() && self.remaining.is_some() && self.reset_after.is_some()
    }

    fn read(&mut self, field: Field, value: &[u8], now: SystemTime) -> Result<(), Problem> {
        let text = std::str::from_utf8(value)
            .map_err(|_| Problem("not UTF-8"))?
            .trim_matches([' ', '\t']);
        match field {
            Field::Limit => self.limit = Some(count(text)?),
            Field::Remaining => self.remaining = Some(count(text)?),
            Field::Reset => self.reset_at_epoch = Some(epoch(text)?),
            Field::ResetAfter => self.reset_after = Some(seconds(text)?),
            Field::Bucket => self.bucket = Some(token(text)?.to_owned()),
            Field::Scope => self.scope = Some(token(text)?.to_owned()),
            Field::Global => self.global = boolean(text)?,
            Field::RetryAfter => {
                self.retry_after = Some(match seconds(text) {
                    Ok(wait) => wait,
                    Err(problem) => {
                        let date = httpdate::parse_http_date(text).map_err(|_| problem)?;
                        date.duration_since(now).unwrap_or(Duration::ZERO)
                    }
                });
            }
        }
        Ok(())
    }
}

/// A non-negative integer that fits in `u32` (no sign, no spaces inside).
fn count(text: &str) -> Result<u32, Problem> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem("not a non-negative integer"));
    }
    text.parse().map_err(|_| Problem("integer out of range"))
}

/// Splits `digits[.digits]` (either side may be empty, not both).
fn decimal(text: &str) -> Result<(&str, &str), Problem> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err(Problem("not a non-negative decimal number"));
    }
    Ok((whole, fraction))
}

/// Seconds as a non-negative decimal, read exactly (no float rounding: `1.001` is 1001 ms).
/// Digits beyond nanoseconds are dropped.
fn seconds(text: &str) -> Result<Duration, Problem> {
    let (whole, fraction) = decimal(text)?;
    let secs = if whole.is_empty() {
        0
    } else {
        whole
            .parse::<u64>()
            .map_err(|_| Problem("seconds out of range"))?
    };
    let mut nanos = 0_u32;
    for position in 0..9 {
        let digit = fraction.as_bytes().get(position).map_or(0, |b| b - b'0');
        nanos = nanos * 10 + u32::from(digit);
    }
    Ok(Duration::new(secs, nanos))
}

/// Seconds since the Unix epoch, as a non-negative decimal.
fn epoch(text: &str) -> Result<f64, Problem> {
    decimal(text)?;
    text.parse::<f64>()
        .ok()
        .filter(|value| value.is_finite())
        .ok_or(Problem("epoch out of range"))
}

/// A bucket hash or scope: visible ASCII, no spaces.
fn token(text: &str) -> Result<&str, Problem> {
    if text.is_empty() || text.len() > MAX_TOKEN_LEN {
        return Err(Problem("empty or too long"));
    }
    if !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Problem("not a token"));
    }
    Ok(text)
}

fn boolean(text: &str) -> Result<bool, Problem> {
    if text.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if text.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(Problem("not a boolean"))
    }
}

/// Time from `now` until `epoch` seconds, zero if it has passed.
fn until_epoch(epoch: f64, now: SystemTime) -> Duration {
    let now = now
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs_f64();
    Duration::try_from_secs_f64(epoch - now).unwrap_or(if epoch > now {
        Duration::MAX
    } else {
        Duration::ZERO
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_read_exactly() {
        assert_eq!(seconds("1.001"), Ok(Duration::from_millis(1001)));
        assert_eq!(seconds("0.250"), Ok(Duration::from_millis(250)));
        assert_eq!(seconds(".5"), Ok(Duration::from_millis(500)));
        assert_eq!(seconds("7."), Ok(Duration::from_secs(7)));
        assert_eq!(seconds("1.1234567899"), Ok(Duration::new(1, 123_456_789)));
        assert!(seconds(".").is_err());
        assert!(seconds("").is_err());
        assert!(seconds("1e3").is_err());
        assert!(seconds("-1").is_err());
        assert!(seconds("+1").is_err());
        assert!(seconds("1.2.3").is_err());
        assert!(seconds("99999999999999999999999").is_err());
    }

    #[test]
    fn epochs_in_the_past_give_a_zero_reset_after() {
        let now = UNIX_EPOCH + Duration::from_secs(2_000);
        assert_eq!(until_epoch(1_000.0, now), Duration::ZERO);
        assert_eq!(until_epoch(2_001.5, now), Duration::from_millis(1500));
    }
}
