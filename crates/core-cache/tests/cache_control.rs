//! `CacheControl::parse`: the forms seen in the wild, garbage, and a property
//! test that no input makes it panic.

use std::time::Duration;

use core_cache::CacheControl;
use proptest::prelude::*;

const MAX_DELTA: u64 = 1 << 31;

/// (header, expected max_age in seconds, expected ttl in seconds)
const CASES: &[(&str, Option<u64>, Option<u64>)] = &[
    ("max-age=600", Some(600), Some(600)),
    ("public max-age=600", Some(600), Some(600)),
    ("public, max-age=600", Some(600), Some(600)),
    ("public,max-age=600", Some(600), Some(600)),
    ("  max-age=600  ,  public ", Some(600), Some(600)),
    ("MAX-AGE=600", Some(600), Some(600)),
    ("Max-Age=60, Must-Revalidate", Some(60), Some(60)),
    ("max-age=\"600\"", Some(600), Some(600)),
    ("max-age = 600", Some(600), Some(600)),
    ("max-age=0", Some(0), Some(0)),
    ("private, max-age=30", Some(30), Some(30)),
    ("no-cache", None, None),
    ("no-store", None, None),
    ("no-cache, max-age=600", Some(600), None),
    ("max-age=600, no-store", Some(600), None),
    ("no-cache=\"Set-Cookie, X-Token\", max-age=5", Some(5), None),
    ("max-age=60, max-age=120", Some(60), Some(60)),
    ("max-age=abc, max-age=120", None, None),
    ("", None, None),
    ("   ,,, ", None, None),
    ("public", None, None),
    ("max-age", None, None),
    ("max-age=", None, None),
    ("max-age=-1", None, None),
    ("max-age=+5", None, None),
    ("max-age=1.5", None, None),
    ("max-age=600s", None, None),
    ("max-age=\"600", None, None),
    ("public, max-age=\"12", None, None),
    ("no-cache=\"Set-Cookie", None, None),
    ("max-age=600=600", None, None),
    ("s-maxage=30, max-age=90", Some(90), Some(90)),
    ("max-age=\"6\\00\"", Some(600), Some(600)),
    (
        "max-age=99999999999999999999999",
        Some(MAX_DELTA),
        Some(MAX_DELTA),
    ),
    ("max-age=4294967296", Some(MAX_DELTA), Some(MAX_DELTA)),
    ("=5, max-age=7", Some(7), Some(7)),
    ("ünïcödé=1, max-age=9, 😀", Some(9), Some(9)),
    ("max-age=٣", None, None),
    ("s-maxage=600", None, None),
    ("garbage;;;", None, None),
];

#[test]
fn parses_the_forms_seen_in_the_wild() {
    for &(header, max_age, ttl) in CASES {
        let parsed = CacheControl::parse(header);
        assert_eq!(
            parsed.max_age,
            max_age.map(Duration::from_secs),
            "max_age of {header:?}"
        );
        assert_eq!(
            parsed.ttl(),
            ttl.map(Duration::from_secs),
            "ttl of {header:?}"
        );
    }
}

#[test]
fn reads_every_flag() {
    let all = CacheControl::parse("PUBLIC private No-Cache no-store must-revalidate max-age=1");
    assert!(all.public && all.private && all.no_cache && all.no_store && all.must_revalidate);
    assert_eq!(all.ttl(), None);

    let none = CacheControl::parse("max-age=1");
    assert!(
        !(none.public || none.private || none.no_cache || none.no_store || none.must_revalidate)
    );
    assert_eq!(
        none,
        CacheControl::parse("max-age=1, unknown=\"x, y\", immutable")
    );
}

#[test]
fn a_quoted_value_may_hide_separators() {
    // The comma inside the quotes belongs to the value, not a new directive.
    let parsed = CacheControl::parse("private=\"a, no-store\", max-age=10");
    assert!(parsed.private);
    assert!(!parsed.no_store);
    assert_eq!(parsed.ttl(), Some(Duration::from_secs(10)));
}

#[test]
fn from_str_matches_parse() {
    let parsed: CacheControl = "public, max-age=600".parse().unwrap();
    assert_eq!(parsed, CacheControl::parse("public, max-age=600"));
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic(header in any::<String>()) {
        let parsed = CacheControl::parse(&header);
        if let Some(ttl) = parsed.ttl() {
            prop_assert!(ttl <= Duration::from_secs(MAX_DELTA));
        }
    }

    #[test]
    fn header_shaped_noise_never_panics(header in r#"[ ,="\\a-zA-Z0-9\-]{0,64}"#) {
        let parsed = CacheControl::parse(&header);
        prop_assert_eq!(parsed.ttl().is_some(), !parsed.no_cache && !parsed.no_store && parsed.max_age.is_some());
    }

    #[test]
    fn max_age_survives_any_separators_and_neighbours(
        seconds in 0..MAX_DELTA,
        before in prop::sample::select(vec!["", "public", "private", "must-revalidate", "x=\"a,b\""]),
        separator in prop::sample::select(vec![" ", ",", ", ", " , ", "\t"]),
        upper in any::<bool>(),
    ) {
        let name = if upper { "MAX-AGE" } else { "max-age" };
        let header = format!("{before}{separator}{name}={seconds}{separator}");
        prop_assert_eq!(CacheControl::parse(&header).ttl(), Some(Duration::from_secs(seconds)));
    }
}

/// Every case generated into `fixtures/common/cache-control.json` by `cargo xtask fixtures`.
#[test]
fn generated_fixture_cases() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/common/cache-control.json"
    ))
    .expect("fixture file (run `cargo xtask fixtures`)");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("fixture JSON");
    assert!(cases.len() > 40, "fixture has too few cases");
    for case in cases {
        let header = case["header"].as_str().expect("header");
        let parsed = core_cache::CacheControl::parse(header);
        let secs = |field: &str| case[field].as_u64().map(std::time::Duration::from_secs);
        assert_eq!(
            parsed.max_age,
            secs("max_age_secs"),
            "max-age of {header:?}"
        );
        assert_eq!(parsed.ttl(), secs("ttl_secs"), "ttl of {header:?}");
    }
}
