//! API timestamps: `20240101T120000.000Z` (UTC, basic ISO 8601 with milliseconds).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A point in time as the API writes it, `20240101T120000.000Z`, kept as milliseconds
/// since the Unix epoch.
///
/// ```
/// use svc_gameapi::Timestamp;
///
/// let t = Timestamp::parse("20240101T120000.000Z").unwrap();
/// assert_eq!(t.unix_millis(), 1_704_110_400_000);
/// assert_eq!(t.to_string(), "20240101T120000.000Z");
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

    /// Parses `YYYYMMDDTHHMMSS.mmmZ` (the milliseconds part is optional); `None` for
    /// anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() < 16 || bytes[8] != b'T' || *bytes.last()? != b'Z' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = text.get(range)?;
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (year, month, day) = (number(0..4)?, number(4..6)?, number(6..8)?);
        let (hour, minute, second) = (number(9..11)?, number(11..13)?, number(13..15)?);
        let millis = match &bytes[15..] {
            [b'Z'] => 0,
            // A decimal fraction: `.5` is 500 ms; digits past the third are dropped.
            [b'.', fraction @ .., b'Z'] if !fraction.is_empty() => {
                if !fraction.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                (0..3).fold(0, |millis, i| {
                    millis * 10 + fraction.get(i).map_or(0, |d| i64::from(d - b'0'))
                })
            }
            _ => return None,
        };
        if !(1..=12).contains(&month)
            || !(1..=31).contains(&day)
            || hour > 23
            || minute > 59
            || second > 60
            || millis > 999
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
        // A leap second on the last day of 9999 would display as a five-digit year that
        // nothing reads back.
        let unix_millis = seconds * 1000 + millis;
        (unix_millis <= LAST_MILLIS).then_some(Self { unix_millis })
    }
}

/// 99991231T235959.999Z, the last instant a four-digit year can write.
const LAST_MILLIS: i64 = 253_402_300_799_999;

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.unix_millis.div_euclid(1000);
        let millis = self.unix_millis.rem_euclid(1000);
        let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
        let of_day = seconds.rem_euclid(86_400);
        write!(
            f,
            "{year:04}{month:02}{day:02}T{:02}{:02}{:02}.{millis:03}Z",
            of_day / 3600,
            of_day % 3600 / 60,
            of_day % 60
        )
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
    fn reads_the_fraction_as_a_decimal_and_stays_within_four_digit_years() {
        // Found with the clash_timestamp fuzz target (round trip through Display): a leap
        // second at the end of 9999 displayed as year 10000; and reading the parser for it,
        // `.5` was taken as 5 ms.
        let millis = |text| Timestamp::parse(text).map(Timestamp::unix_millis);
        assert_eq!(millis("19700101T000000.5Z"), Some(500));
        assert_eq!(millis("19700101T000000.05Z"), Some(50));
        assert_eq!(millis("19700101T000000.1239Z"), Some(123));
        assert_eq!(millis("19700101T000000.Z"), None);
        assert_eq!(millis("99991231T235960.000Z"), None);
        assert_eq!(millis("99991231T235959.999Z"), Some(LAST_MILLIS));
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
        ] {
            assert!(Timestamp::parse(text).is_none(), "{text:?}");
        }
    }
}
