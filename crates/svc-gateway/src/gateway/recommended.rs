//! What `GET /gateway/bot` recommends, checked before it drives anything. The answer comes
//! from the network: a broken or hostile one must not start four billion shard tasks, build
//! a limiter for each of four billion concurrency buckets, overflow an `Instant` with its
//! `reset_after`, or send the token to a `ws://` URL.

use std::num::NonZeroU32;
use std::time::Duration;

use url::Url;

use super::offered_url::check_offered_url;
use crate::error::{Error, ErrorKind};
use crate::rest::GatewayBot;

/// The most shards [`ShardScheme::Auto`](super::ShardScheme::Auto) starts: a recommendation
/// above it is refused with [`ErrorKind::InvalidGatewayBot`] rather than started.
/// [`ShardScheme::AutoAtMost`](super::ShardScheme::AutoAtMost) sets another limit.
pub const DEFAULT_MAX_SHARDS: u32 = 4096;

/// The most identify buckets (`max_concurrency`) honoured; a larger value is lowered to
/// this (and to the shard count), which can only make identifies slower, never too fast.
pub const MAX_CONCURRENCY: u32 = 1024;

/// Discord's session start window; a longer `reset_after` is lowered to it.
pub(crate) const SESSION_START_PERIOD: Duration = Duration::from_hours(24);

/// A `GET /gateway/bot` answer within sane bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recommended {
    /// The gateway URL: `wss://` (or `ws://` on loopback when the REST base is loopback).
    pub(crate) url: String,
    /// Recommended shard count, `1..=max_shards`.
    pub(crate) shards: u32,
    /// Identify buckets, `1..=MAX_CONCURRENCY`.
    pub(crate) max_concurrency: NonZeroU32,
    /// Session starts per window.
    pub(crate) total: u32,
    /// Session starts left, `..=total`.
    pub(crate) remaining: u32,
    /// Until the window resets, `..=24 h`.
    pub(crate) reset_after: Duration,
}

impl Recommended {
    /// Checks `answer` (asked of the REST API at `rest_base`), refusing nonsense and
    /// lowering what can be lowered safely.
    pub(crate) fn check(
        answer: &GatewayBot,
        rest_base: Option<&Url>,
        max_shards: u32,
    ) -> Result<Self, Error> {
        let url = Url::parse(&answer.url).map_err(|source| {
            Error::with_source(ErrorKind::InvalidGatewayBot { field: "url" }, source)
        })?;
        check_offered_url(rest_base, &url)?;
        if answer.shards == 0 || answer.shards > max_shards {
            return Err(invalid("shards", answer.shards.into(), max_shards.into()));
        }
        let limit = &answer.session_start_limit;
        let max_concurrency = NonZeroU32::new(limit.max_concurrency.min(MAX_CONCURRENCY))
            .ok_or_else(|| invalid("max_concurrency", 0, MAX_CONCURRENCY.into()))?;
        if limit.remaining > limit.total {
            return Err(invalid(
                "session_start_limit.remaining",
                limit.remaining.into(),
                limit.total.into(),
            ));
        }
        let reset_after = Duration::from_millis(limit.reset_after).min(SESSION_START_PERIOD);
        Ok(Self {
            url: answer.url.clone(),
            shards: answer.shards,
            max_concurrency,
            total: limit.total,
            remaining: limit.remaining,
            reset_after,
        })
    }
}

fn invalid(field: &'static str, value: u64, bound: u64) -> Error {
    tracing::warn!(field, value, bound, "unusable GET /gateway/bot answer");
    Error::new(ErrorKind::InvalidGatewayBot { field })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rest::SessionStartLimit;

    fn answer(
        shards: u32,
        max_concurrency: u32,
        total: u32,
        remaining: u32,
        reset_after: u64,
    ) -> GatewayBot {
        GatewayBot {
            url: "wss://gateway.discord.gg".into(),
            shards,
            session_start_limit: SessionStartLimit {
                total,
                remaining,
                reset_after,
                max_concurrency,
            },
        }
    }

    fn field(result: Result<Recommended, Error>) -> &'static str {
        match result.unwrap_err().kind() {
            ErrorKind::InvalidGatewayBot { field } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sane_answers_pass_unchanged() {
        let checked =
            Recommended::check(&answer(16, 16, 1000, 998, 3_600_000), None, 4096).unwrap();
        assert_eq!(
            (
                checked.shards,
                checked.max_concurrency.get(),
                checked.total,
                checked.remaining
            ),
            (16, 16, 1000, 998)
        );
        assert_eq!(checked.reset_after, Duration::from_hours(1));
        assert_eq!(checked.url, "wss://gateway.discord.gg");
    }

    #[test]
    fn hostile_numbers_are_refused_or_lowered() {
        assert_eq!(
            field(Recommended::check(&answer(0, 1, 1, 1, 0), None, 4096)),
            "shards"
        );
        assert_eq!(
            field(Recommended::check(
                &answer(u32::MAX, 1, 1, 1, 0),
                None,
                DEFAULT_MAX_SHARDS
            )),
            "shards"
        );
        assert_eq!(
            field(Recommended::check(&answer(2, 1, 1, 1, 0), None, 1)),
            "shards"
        );
        assert_eq!(
            field(Recommended::check(&answer(1, 0, 1, 1, 0), None, 4096)),
            "max_concurrency"
        );
        assert_eq!(
            field(Recommended::check(&answer(1, 1, 5, 6, 0), None, 4096)),
            "session_start_limit.remaining"
        );
        let lowered =
            Recommended::check(&answer(1, u32::MAX, u32::MAX, 0, u64::MAX), None, 4096).unwrap();
        assert_eq!(lowered.max_concurrency.get(), MAX_CONCURRENCY);
        assert_eq!(lowered.reset_after, SESSION_START_PERIOD);
    }

    #[test]
    fn the_url_must_parse_and_be_secure() {
        let mut bad = answer(1, 1, 1, 1, 0);
        bad.url = "not a url".into();
        assert_eq!(field(Recommended::check(&bad, None, 1)), "url");
        bad.url = "ws://evil.example".into();
        let local = Url::parse("http://127.0.0.1:1/api/v10").unwrap();
        let error = Recommended::check(&bad, Some(&local), 1).unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::InsecureUrl);
        bad.url = "ws://127.0.0.1:1".into();
        assert!(Recommended::check(&bad, Some(&local), 1).is_ok());
        assert!(Recommended::check(&bad, None, 1).is_err());
    }
}
