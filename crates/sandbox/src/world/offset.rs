//! Times in the world are written relative to now (`"-90d"`, `"+12h"`, `"now"`), so a world
//! loaded today has a war that ends tomorrow, not one that ended years ago.

use std::fmt;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A signed distance from "now" in whole seconds: `"-90d"` (90 days ago), `"+12h"` or
/// `"12h"` (in 12 hours), `"now"`. Units: `s`, `m`, `h`, `d`, `w`, `y` (365 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Offset(i64);

/// Seconds per unit letter.
const UNITS: [(char, i64); 6] = [
    ('y', 365 * 86_400),
    ('w', 7 * 86_400),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

/// The largest offset accepted (about 100 years), so no date overflows.
const MAX_SECONDS: i64 = 100 * 365 * 86_400;

impl Offset {
    /// `seconds` from now (negative: in the past).
    pub const fn seconds(seconds: i64) -> Self {
        Self(seconds)
    }

    /// Hours from now (negative: in the past).
    pub const fn hours(hours: i64) -> Self {
        Self(hours * 3_600)
    }

    /// The offset in seconds.
    pub const fn as_seconds(self) -> i64 {
        self.0
    }

    /// The wall-clock time this offset names, seen from `now`.
    pub fn from(self, now: SystemTime) -> SystemTime {
        let magnitude = Duration::from_secs(self.0.unsigned_abs());
        if self.0 >= 0 {
            now.checked_add(magnitude).unwrap_or(now)
        } else {
            // Dates before 1970 are never meant; clamp rather than print negative years.
            now.checked_sub(magnitude)
                .filter(|t| *t >= SystemTime::UNIX_EPOCH)
                .unwrap_or(SystemTime::UNIX_EPOCH)
        }
    }

    /// The wall-clock time this offset names, from the current time.
    pub fn at(self) -> SystemTime {
        self.from(SystemTime::now())
    }

    /// Parses `"-90d"`, `"+12h"`, `"30m"`, `"now"`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text == "now" || text == "0" {
            return Ok(Self(0));
        }
        let (sign, rest) = match text.as_bytes().first() {
            Some(b'-') => (-1, &text[1..]),
            Some(b'+') => (1, &text[1..]),
            _ => (1, text),
        };
        let unit = rest.chars().last().ok_or("an empty time offset")?;
        let Some((_, per_unit)) = UNITS.iter().find(|(letter, _)| *letter == unit) else {
            return Err(format!(
                "time offset {text:?} needs a unit (s, m, h, d, w or y), like \"-90d\" or \"+12h\""
            ));
        };
        let count: i64 = rest[..rest.len() - unit.len_utf8()]
            .parse()
            .map_err(|_| format!("time offset {text:?} is not a number and a unit"))?;
        let seconds = count.saturating_mul(*per_unit);
        if seconds > MAX_SECONDS {
            return Err(format!("time offset {text:?} is more than 100 years"));
        }
        Ok(Self(sign * seconds))
    }
}

impl fmt::Display for Offset {
    /// The largest unit that divides the offset exactly: `-90d`, `+12h`, `now`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("now");
        }
        let sign = if self.0 < 0 { '-' } else { '+' };
        let magnitude = self.0.abs();
        let (unit, per_unit) = UNITS
            .iter()
            .find(|(_, per_unit)| magnitude % per_unit == 0)
            .copied()
            .unwrap_or(('s', 1));
        write!(f, "{sign}{}{unit}", magnitude / per_unit)
    }
}

impl Serialize for Offset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Offset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::Offset;

    #[test]
    fn parses_and_prints_relative_times() {
        assert_eq!(Offset::parse("-90d"), Ok(Offset::seconds(-90 * 86_400)));
        assert_eq!(Offset::parse("+12h"), Ok(Offset::hours(12)));
        assert_eq!(Offset::parse("12h"), Ok(Offset::hours(12)));
        assert_eq!(Offset::parse("now"), Ok(Offset::seconds(0)));
        assert_eq!(
            Offset::parse("-3y").map(|o| o.to_string()).as_deref(),
            Ok("-3y")
        );
        assert_eq!(Offset::seconds(5_400).to_string(), "+90m");
        assert_eq!(Offset::seconds(-61).to_string(), "-61s");
        for bad in ["", "12", "-d", "1.5h", "3x", "999999y"] {
            assert!(Offset::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_a_time_from_now() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(Offset::hours(-1).from(now), now - Duration::from_hours(1));
        assert_eq!(Offset::hours(2).from(now), now + Duration::from_hours(2));
        // Before the epoch clamps instead of panicking.
        assert_eq!(Offset::hours(-1_000_000).from(now), UNIX_EPOCH);
    }
}
