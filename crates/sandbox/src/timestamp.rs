//! Timestamps as the platforms write them, all in UTC: Twitch's RFC 3339
//! (`2024-01-01T12:00:00Z`, with microseconds where EventSub writes them), Discord's
//! (`2024-01-01T12:00:00.123456+00:00`) and Clash of Clans' (`20240101T120000.000Z`).

use std::time::SystemTime;

use time::OffsetDateTime;

/// `at` in Twitch's RFC 3339 form; `micros` adds six fractional digits.
pub(crate) fn rfc3339(at: SystemTime, micros: bool) -> String {
    format(at, micros, "Z")
}

/// `at` as Discord writes it: microseconds and a `+00:00` offset.
pub(crate) fn discord(at: SystemTime) -> String {
    format(at, true, "+00:00")
}

/// `at` as Clash of Clans writes it: `20240101T120000.000Z`.
pub(crate) fn clash(at: SystemTime) -> String {
    let at = OffsetDateTime::from(at);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}.{:03}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond()
    )
}

/// Reads a Clash of Clans timestamp; `None` if it is not one.
pub(crate) fn parse_clash(text: &str) -> Option<SystemTime> {
    let digits = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    if text.len() != 20 || text.as_bytes()[8] != b'T' || !text.ends_with('Z') {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(digits(4..6)?).ok()?).ok()?;
    let date = time::Date::from_calendar_date(
        i32::try_from(digits(0..4)?).ok()?,
        month,
        u8::try_from(digits(6..8)?).ok()?,
    )
    .ok()?;
    let clock = time::Time::from_hms_milli(
        u8::try_from(digits(9..11)?).ok()?,
        u8::try_from(digits(11..13)?).ok()?,
        u8::try_from(digits(13..15)?).ok()?,
        u16::try_from(digits(16..19)?).ok()?,
    )
    .ok()?;
    Some(
        time::PrimitiveDateTime::new(date, clock)
            .assume_utc()
            .into(),
    )
}

fn format(at: SystemTime, micros: bool, offset: &str) -> String {
    let at = OffsetDateTime::from(at);
    let fraction = if micros {
        format!(".{:06}", at.microsecond())
    } else {
        String::new()
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}{offset}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::{clash, discord, parse_clash, rfc3339};

    #[test]
    fn formats_like_the_platforms() {
        let at = UNIX_EPOCH + Duration::from_micros(1_704_110_400_123_456);
        assert_eq!(rfc3339(at, false), "2024-01-01T12:00:00Z");
        assert_eq!(rfc3339(at, true), "2024-01-01T12:00:00.123456Z");
        // A leap day, and the epoch itself.
        let leap = UNIX_EPOCH + Duration::from_hours(19_782 * 24);
        assert_eq!(rfc3339(leap, false), "2024-02-29T00:00:00Z");
        assert_eq!(rfc3339(UNIX_EPOCH, true), "1970-01-01T00:00:00.000000Z");
        assert_eq!(discord(at), "2024-01-01T12:00:00.123456+00:00");
        assert_eq!(clash(at), "20240101T120000.123Z");
    }

    #[test]
    fn reads_clash_timestamps_back() {
        let at = UNIX_EPOCH + Duration::from_millis(1_709_251_200_250);
        assert_eq!(parse_clash(&clash(at)), Some(at));
        for bad in [
            "",
            "20240101T120000Z",
            "2024-01-01T12:00:00Z",
            "20241301T120000.000Z",
        ] {
            assert_eq!(parse_clash(bad), None, "{bad}");
        }
    }
}
