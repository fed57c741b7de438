//! API timestamps: `20240101T120000.000Z` (UTC, basic ISO 8601 with milliseconds).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// `YYYYMMDDTHHMMSS[.fraction]Z`: the fraction has any number of digits (`.5` is 500 ms).
const FORMAT: &[BorrowedFormatItem<'_>] =
    format_description!("[year][month][day]T[hour][minute][second][optional [.[subsecond]]]Z");

const MILLIS_PER_SECOND: i64 = 1_000;

/// A point in time as the API writes it, `20240101T120000.000Z`, kept as milliseconds
/// since the Unix epoch.
///
/// Parsing and the calendar are the `time` crate's: dates and times that do not exist
/// (`20230229`, `20240431`, hour 24) are refused.
///
/// ```
/// use svc_gameapi::Timestamp;
///
/// let t = Timestamp::parse("20240101T120000.000Z").unwrap();
/// assert_eq!(t.unix_millis(), 1_704_110_400_000);
/// assert_eq!(t.to_string(), "20240101T120000.000Z");
/// assert_eq!(Timestamp::parse("20240101T120000.5Z").unwrap().unix_millis() % 1000, 500);
/// assert!(Timestamp::parse("20240231T120000.000Z").is_none());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Timestamp {
    unix_millis: i64,
}

impl Timestamp {
    /// A timestamp from milliseconds since the Unix epoch.
    pub const fn from_unix_millis(unix_millis: i64) -> Self {
        Self { unix_millis }
    }

    /// Milliseconds since the Unix epoch.
    pub const fn unix_millis(self) -> i64 {
        self.unix_millis
    }

    /// Parses `YYYYMMDDTHHMMSS.mmmZ` (the fraction is optional and may have any number of
    /// digits; those past the millisecond are dropped); `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let parsed = PrimitiveDateTime::parse(text, FORMAT).ok()?.assume_utc();
        Some(Self::from_date_time(parsed))
    }

    /// The instant `time` describes, to the millisecond (below it is dropped).
    pub(crate) fn from_date_time(at: OffsetDateTime) -> Self {
        Self::from_unix_millis(
            at.unix_timestamp() * MILLIS_PER_SECOND + i64::from(at.millisecond()),
        )
    }

    /// This instant as a `time` date and time in UTC; `None` outside the years
    /// -9999..=9999 (only reachable through [`Timestamp::from_unix_millis`]).
    pub(crate) fn to_date_time(self) -> Option<OffsetDateTime> {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.unix_millis) * 1_000_000).ok()
    }
}

impl fmt::Display for Timestamp {
    /// The API's own format. A value outside the years 0..=9999 (only reachable through
    /// [`Timestamp::from_unix_millis`]) is written as its millisecond count, which no
    /// parser mistakes for a date.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_date_time() {
            Some(t) if t.year() >= 0 => write!(
                f,
                "{:04}{:02}{:02}T{:02}{:02}{:02}.{:03}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                t.millisecond()
            ),
            _ => write!(f, "{} ms since the Unix epoch", self.unix_millis),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;
        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp like 20240101T120000.000Z")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Timestamp, E> {
                Timestamp::parse(value)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Str(value), &self))
            }
        }
        deserializer.deserialize_str(TimestampVisitor)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn round_trips() {
        for text in [
            "20240101T120000.000Z",
            "19700101T000000.000Z",
            "20241231T235959.999Z",
            "20000229T010203.004Z",
        ] {
            let parsed = Timestamp::parse(text).unwrap();
            assert_eq!(parsed.to_string(), text);
        }
        assert_eq!(
            Timestamp::parse("19700101T000001Z").unwrap().unix_millis(),
            1000
        );
    }

    #[test]
    fn a_fraction_is_a_fraction_of_a_second() {
        for (text, millis) in [
            ("19700101T000000.5Z", 500),
            ("19700101T000000.05Z", 50),
            ("19700101T000000.005Z", 5),
            ("19700101T000000.0005Z", 0),
            ("19700101T000000.1234Z", 123),
        ] {
            assert_eq!(
                Timestamp::parse(text).map(Timestamp::unix_millis),
                Some(millis),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_garbage() {
        for text in [
            "",
            "2024",
            "2024-01-01T12:00:00Z",
            "20241301T120000.000Z",
            "20240101T120000.000",
            "2024010xT120000.000Z",
            "20240101T120000.abcZ",
            "20240101T120000.Z",
            "20240101T120000.000Z ",
        ] {
            assert!(Timestamp::parse(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn dates_and_times_that_do_not_exist_are_refused() {
        for text in [
            "20230229T000000.000Z",
            "19000229T000000.000Z",
            "20240230T000000.000Z",
            "20240231T000000.000Z",
            "20240431T000000.000Z",
            "20240631T000000.000Z",
            "20240101T240000.000Z",
            "20240101T126000.000Z",
            "20240101T120060.000Z",
        ] {
            assert!(Timestamp::parse(text).is_none(), "{text}");
        }
        assert!(Timestamp::parse("20240229T000000.000Z").is_some());
    }

    #[test]
    fn values_outside_the_calendar_still_display() {
        for millis in [i64::MIN, i64::MAX, -62_167_219_200_001] {
            let text = Timestamp::from_unix_millis(millis).to_string();
            assert_eq!(text, format!("{millis} ms since the Unix epoch"));
            assert_eq!(Timestamp::parse(&text), None);
        }
        assert_eq!(
            Timestamp::from_unix_millis(-62_167_219_200_000).to_string(),
            "00000101T000000.000Z"
        );
    }

    proptest! {
        #[test]
        fn display_parses_back(millis in -62_167_219_200_000i64..253_402_300_800_000) {
            let t = Timestamp::from_unix_millis(millis);
            prop_assert_eq!(Timestamp::parse(&t.to_string()), Some(t));
        }
    }
}
