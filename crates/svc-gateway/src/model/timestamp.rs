//! ISO 8601 timestamps as Discord sends them (`2021-06-01T12:34:56.789000+00:00`), held as
//! Unix microseconds.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time with microsecond precision, UTC.
///
/// ```
/// use svc_gateway::model::Timestamp;
///
/// let t = Timestamp::parse("2021-06-01T12:34:56.789000+00:00").unwrap();
/// assert_eq!(t.as_micros(), 1_622_550_896_789_000);
/// assert_eq!(t.to_string(), "2021-06-01T12:34:56.789000+00:00");
/// assert!(Timestamp::parse("yesterday").is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    micros: i64,
}

impl Timestamp {
    /// From Unix microseconds.
    pub const fn from_micros(micros: i64) -> Self {
        Self { micros }
    }

    /// Unix microseconds.
    pub const fn as_micros(self) -> i64 {
        self.micros
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        // Plain byte arithmetic: this runs for every timestamp of every decoded event.
        let num = |range: std::ops::Range<usize>| -> Option<i64> {
            b[range].iter().try_fold(0i64, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
            })
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&month)
            || !(1..=31).contains(&day)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let mut rest = &b[19..];
        let mut micros = 0i64;
        if let Some(frac) = rest.strip_prefix(b".") {
            let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            let mut scale = 100_000i64;
            for &c in frac[..digits].iter().take(6) {
                micros += i64::from(c - b'0') * scale;
                scale /= 10;
            }
            rest = &frac[digits..];
        }
        let offset_secs = match rest {
            [b'Z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let digits = [*h1, *h2, *m1, *m2];
                if !digits.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                let value = i64::from(h1 - b'0') * 36_000
                    + i64::from(h2 - b'0') * 3_600
                    + i64::from(m1 - b'0') * 600
                    + i64::from(m2 - b'0') * 60;
                if *sign == b'-' { -value } else { value }
            }
            _ => return None,
        };
        let days = days_from_civil(year, month, day);
        let secs = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_secs;
        // An offset or a leap second can carry a date at either end of years 0000-9999
        // into a year this format cannot write, so `Display` (and serialization) would
        // produce text nothing reads back: refuse those.
        let micros = secs * 1_000_000 + micros;
        (FIRST_MICROS..=LAST_MICROS)
            .contains(&micros)
            .then_some(Self { micros })
    }
}

/// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z: the instants four-digit years
/// can write.
const FIRST_MICROS: i64 = -62_167_219_200_000_000;
const LAST_MICROS: i64 = 253_402_300_799_999_999;

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.micros.div_euclid(1_000_000);
        let micros = self.micros.rem_euclid(1_000_000);
        let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
        let of_day = secs.rem_euclid(86_400);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{micros:06}+00:00",
            of_day / 3_600,
            of_day % 3_600 / 60,
            of_day % 60
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ISO 8601 timestamp")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Timestamp::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TimestampVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_handles_offsets() {
        let z = Timestamp::parse("1970-01-01T00:00:00Z").unwrap();
        assert_eq!(z.as_micros(), 0);
        let plus = Timestamp::parse("1970-01-01T01:00:00+01:00").unwrap();
        assert_eq!(plus.as_micros(), 0);
        let t = Timestamp::parse("2024-02-29T23:59:59.5+00:00").unwrap();
        assert_eq!(Timestamp::parse(&t.to_string()), Some(t));
        assert!(Timestamp::parse("2024-13-01T00:00:00Z").is_none());
        assert!(Timestamp::parse("2024-01-01T00:00:00+0a:00").is_none());
    }

    #[test]
    fn refuses_instants_outside_four_digit_years() {
        // Found by the discord_timestamp fuzz target's round trip: these displayed as years
        // 10000 and -1, which nothing reads back.
        assert!(Timestamp::parse("9999-12-31T23:59:60.999999+00:00").is_none());
        assert!(Timestamp::parse("0000-01-01T00:00:00+00:01").is_none());
        for edge in [
            "0000-01-01T00:00:00.000000+00:00",
            "9999-12-31T23:59:59.999999+00:00",
        ] {
            let t = Timestamp::parse(edge).unwrap();
            assert_eq!(t.to_string(), edge);
        }
    }
}
