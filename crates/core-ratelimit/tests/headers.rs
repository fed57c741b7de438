//! RateLimitHeaders::parse: Discord and Helix headers, malformed input, the shared fixtures.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use core_ratelimit::{ErrorKind, RateLimitHeaders};
use proptest::prelude::*;

fn parse(headers: &[(&str, &str)]) -> Result<RateLimitHeaders, core_ratelimit::Error> {
    RateLimitHeaders::parse_at(
        headers.iter().map(|&(n, v)| (n, v.as_bytes())),
        at(1_700_000_000.0),
    )
}

fn at(epoch: f64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs_f64(epoch)
}

fn invalid_name(headers: &[(&str, &str)]) -> String {
    match parse(headers).unwrap_err().kind() {
        ErrorKind::HeaderInvalid { name } => name.clone(),
        other => panic!("unexpected kind {other:?}"),
    }
}

#[test]
fn discord_success_headers() {
    let parsed = parse(&[
        ("X-RateLimit-Limit", "5"),
        ("X-RateLimit-Remaining", "1"),
        ("X-RateLimit-Reset", "1470173023.123"),
        ("X-RateLimit-Reset-After", "1.001"),
        ("X-RateLimit-Bucket", "abcd1234"),
        ("Content-Type", "application/json"),
    ])
    .unwrap();
    assert_eq!(
        parsed,
        RateLimitHeaders {
            limit: Some(5),
            remaining: Some(1),
            reset_after: Some(Duration::from_millis(1001)),
            reset_at_epoch: Some(1_470_173_023.123),
            bucket: Some("abcd1234".to_owned()),
            global: false,
            scope: None,
            retry_after: None,
        }
    );
    assert!(parsed.has_window());
}

#[test]
fn discord_429_headers() {
    let global = parse(&[
        ("Retry-After", "65"),
        ("X-RateLimit-Global", "true"),
        ("X-RateLimit-Scope", "global"),
    ])
    .unwrap();
    assert!(global.global);
    assert_eq!(global.scope.as_deref(), Some("global"));
    assert_eq!(global.retry_after, Some(Duration::from_secs(65)));
    assert!(!global.has_window());

    let shared = parse(&[
        ("x-ratelimit-limit", "1"),
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset-after", "0.250"),
        ("x-ratelimit-scope", "shared"),
        ("retry-after", "1.5"),
        ("x-ratelimit-global", "FALSE"),
    ])
    .unwrap();
    assert!(!shared.global);
    assert_eq!(shared.scope.as_deref(), Some("shared"));
    assert_eq!(shared.reset_after, Some(Duration::from_millis(250)));
    assert_eq!(shared.retry_after, Some(Duration::from_millis(1500)));
}

#[test]
fn helix_headers_derive_reset_after_from_the_epoch() {
    let parsed = parse(&[
        ("Ratelimit-Limit", "800"),
        ("Ratelimit-Remaining", "799"),
        ("Ratelimit-Reset", "1700000060"),
    ])
    .unwrap();
    assert_eq!(parsed.limit, Some(800));
    assert_eq!(parsed.remaining, Some(799));
    assert_eq!(parsed.reset_at_epoch, Some(1_700_000_060.0));
    assert_eq!(parsed.reset_after, Some(Duration::from_mins(1)));
    assert!(parsed.has_window());

    // A reset already in the past means the window has reset: zero, not an error.
    let past = parse(&[("Ratelimit-Reset", "1600000000")]).unwrap();
    assert_eq!(past.reset_after, Some(Duration::ZERO));
}

#[test]
fn reset_after_wins_over_the_epoch() {
    let parsed = parse(&[
        ("X-RateLimit-Reset", "1700000100.5"),
        ("X-RateLimit-Reset-After", "2"),
    ])
    .unwrap();
    assert_eq!(parsed.reset_after, Some(Duration::from_secs(2)));
}

#[test]
fn names_match_case_insensitively_and_values_are_trimmed() {
    let parsed = parse(&[
        ("x-RATELIMIT-limit", " 7\t"),
        ("RATELIMIT-REMAINING", "\t3 "),
    ])
    .unwrap();
    assert_eq!(parsed.limit, Some(7));
    assert_eq!(parsed.remaining, Some(3));
}

#[test]
fn the_last_of_repeated_headers_wins() {
    let parsed = parse(&[("X-RateLimit-Limit", "5"), ("X-RateLimit-Limit", "10")]).unwrap();
    assert_eq!(parsed.limit, Some(10));
}

#[test]
fn no_rate_limit_headers_is_empty_not_an_error() {
    let parsed = parse(&[
        ("Content-Type", "application/json"),
        ("X-RateLimit-Whatever", "??"),
    ])
    .unwrap();
    assert_eq!(parsed, RateLimitHeaders::default());
    assert_eq!(
        RateLimitHeaders::parse([]).unwrap(),
        RateLimitHeaders::default()
    );
}

#[test]
fn retry_after_as_an_http_date() {
    let parsed = parse(&[("Retry-After", "Tue, 14 Nov 2023 22:14:20 GMT")]).unwrap();
    // 1_700_000_060 is 2023-11-14T22:14:20Z; now is 1_700_000_000.
    assert_eq!(parsed.retry_after, Some(Duration::from_mins(1)));
    let past = parse(&[("Retry-After", "Mon, 13 Nov 2023 22:14:20 GMT")]).unwrap();
    assert_eq!(past.retry_after, Some(Duration::ZERO));
}

#[test]
fn malformed_values_are_typed_errors_naming_the_header() {
    let cases: &[(&str, &str)] = &[
        ("X-RateLimit-Limit", "five"),
        ("X-RateLimit-Limit", ""),
        ("X-RateLimit-Limit", "-1"),
        ("X-RateLimit-Limit", "+1"),
        ("X-RateLimit-Limit", "1.0"),
        ("X-RateLimit-Limit", "4294967296"),
        ("X-RateLimit-Limit", "1 2"),
        ("X-RateLimit-Remaining", "-1"),
        ("X-RateLimit-Remaining", "0x10"),
        ("X-RateLimit-Reset", "soon"),
        ("X-RateLimit-Reset", "-1470173023.123"),
        ("X-RateLimit-Reset", "1e9"),
        ("X-RateLimit-Reset", "NaN"),
        ("X-RateLimit-Reset", "inf"),
        ("X-RateLimit-Reset-After", "soon"),
        ("X-RateLimit-Reset-After", "-0.5"),
        ("X-RateLimit-Reset-After", "."),
        ("X-RateLimit-Reset-After", "1.2.3"),
        ("X-RateLimit-Reset-After", "99999999999999999999999"),
        ("X-RateLimit-Bucket", ""),
        ("X-RateLimit-Bucket", "ab cd"),
        ("X-RateLimit-Scope", "us\u{e9}r"),
        ("X-RateLimit-Global", "maybe"),
        ("X-RateLimit-Global", "1"),
        ("Ratelimit-Limit", "8OO"),
        ("Ratelimit-Reset", "tomorrow"),
        ("Retry-After", "later"),
        ("Retry-After", "-5"),
    ];
    for &(name, value) in cases {
        assert_eq!(
            invalid_name(&[("Content-Type", "text/plain"), (name, value)]),
            name.to_ascii_lowercase(),
            "{name}: {value:?}"
        );
    }
}

#[test]
fn errors_do_not_echo_the_value_and_keep_a_source() {
    let error = parse(&[("X-RateLimit-Bucket", "secret stuff")]).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("x-ratelimit-bucket"), "{text}");
    assert!(!text.contains("secret"), "{text}");
    let (kind, source) = error.into_parts();
    assert_eq!(
        kind,
        ErrorKind::HeaderInvalid {
            name: "x-ratelimit-bucket".to_owned()
        }
    );
    assert!(source.is_some());
}

#[test]
fn non_utf8_values_are_errors() {
    let error = RateLimitHeaders::parse([("X-RateLimit-Limit", &[0xff, 0xfe][..])]).unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::HeaderInvalid { .. }));
    // Unknown headers are never inspected, whatever their bytes.
    assert!(RateLimitHeaders::parse([("X-Other", &[0xff][..])]).is_ok());
}

/// The shared fixture file generated by `cargo xtask fixtures`.
#[test]
fn shared_fixtures() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/common/ratelimit-headers.json"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e} (run `cargo xtask fixtures`)"));
    let cases: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = cases.as_array().unwrap();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let now_epoch = 1_700_000_000.0;
    let (mut ok, mut errors) = (0, 0);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let headers: Vec<(String, String)> = case["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                (
                    pair[0].as_str().unwrap().to_owned(),
                    pair[1].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let parsed = RateLimitHeaders::parse_at(
            headers.iter().map(|(n, v)| (n.as_str(), v.as_bytes())),
            at(now_epoch),
        );
        if case["error"].as_bool() == Some(true) {
            let error = parsed.expect_err(name);
            let ErrorKind::HeaderInvalid { name: header } = error.kind() else {
                panic!("{name}: {error:?}");
            };
            assert_eq!(header, &headers[0].0.to_ascii_lowercase(), "{name}");
            errors += 1;
            continue;
        }
        let parsed = parsed.unwrap_or_else(|e| panic!("{name}: {e}"));
        let expect = &case["expect"];
        let millis = |d: Option<Duration>| d.map(|d| u64::try_from(d.as_millis()).unwrap());
        assert_eq!(
            parsed.limit,
            expect["limit"].as_u64().map(|n| n as u32),
            "{name}"
        );
        assert_eq!(
            parsed.remaining,
            expect["remaining"].as_u64().map(|n| n as u32),
            "{name}"
        );
        assert_eq!(
            parsed.reset_at_epoch,
            expect["reset_at_epoch"].as_f64(),
            "{name}"
        );
        assert_eq!(
            parsed.bucket.as_deref(),
            expect["bucket"].as_str(),
            "{name}"
        );
        assert_eq!(parsed.global, expect["global"].as_bool().unwrap(), "{name}");
        assert_eq!(parsed.scope.as_deref(), expect["scope"].as_str(), "{name}");
        assert_eq!(
            millis(parsed.retry_after),
            expect["retry_after_ms"].as_u64(),
            "{name}"
        );
        // The fixture lists what `X-RateLimit-Reset-After` says; without it, the parser
        // derives the wait from the reset epoch and the clock.
        match (
            expect["reset_after_ms"].as_u64(),
            expect["reset_at_epoch"].as_f64(),
        ) {
            (Some(expected), _) => assert_eq!(millis(parsed.reset_after), Some(expected), "{name}"),
            (None, Some(epoch)) => assert_eq!(
                parsed.reset_after,
                Some(Duration::try_from_secs_f64(epoch - now_epoch).unwrap_or(Duration::ZERO)),
                "{name}"
            ),
            (None, None) => assert_eq!(parsed.reset_after, None, "{name}"),
        }
        ok += 1;
    }
    assert!(ok > 0 && errors > 0);
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset",
            "X-RateLimit-Reset-After",
            "X-RateLimit-Bucket",
            "X-RateLimit-Global",
            "X-RateLimit-Scope",
            "Ratelimit-Limit",
            "Ratelimit-Remaining",
            "Ratelimit-Reset",
            "Retry-After",
        ])
        .prop_map(str::to_owned),
        "\\PC{0,24}",
    ]
}

proptest! {
    /// Arbitrary bytes under known and unknown names: a value or a typed error, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(
        headers in prop::collection::vec((header_name(), prop::collection::vec(any::<u8>(), 0..40)), 0..8),
        now in any::<u64>(),
    ) {
        let now = UNIX_EPOCH + Duration::from_nanos(now);
        let result = RateLimitHeaders::parse_at(
            headers.iter().map(|(n, v)| (n.as_str(), v.as_slice())),
            now,
        );
        if let Err(error) = result {
            let is_header_error = matches!(error.kind(), ErrorKind::HeaderInvalid { .. });
            prop_assert!(is_header_error, "{:?}", error);
        }
    }

    /// Number-ish strings (digits, dots, signs, exponents) under numeric headers.
    #[test]
    fn numberish_values_never_panic(
        name in header_name(),
        value in "[-+0-9.eE ]{0,30}",
    ) {
        let _ = RateLimitHeaders::parse([(name.as_str(), value.as_bytes())]);
    }

    /// Valid values round-trip exactly.
    #[test]
    fn valid_discord_values_round_trip(limit in any::<u32>(), remaining in any::<u32>(), millis in 0_u64..10_000_000) {
        let after = format!("{}.{:03}", millis / 1000, millis % 1000);
        let parsed = RateLimitHeaders::parse([
            ("X-RateLimit-Limit", limit.to_string().as_bytes()),
            ("X-RateLimit-Remaining", remaining.to_string().as_bytes()),
            ("X-RateLimit-Reset-After", after.as_bytes()),
        ]).unwrap();
        prop_assert_eq!(parsed.limit, Some(limit));
        prop_assert_eq!(parsed.remaining, Some(remaining));
        prop_assert_eq!(parsed.reset_after, Some(Duration::from_millis(millis)));
    }
}
