//! Timestamps as the platforms write them, all RFC 3339 in UTC: Twitch's
//! (`2024-01-01T12:00:00Z`, with microseconds where EventSub writes them) and Discord's
//! (`2024-01-01T12:00:00.123456+00:00`).

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

    use super::{discord, rfc3339};

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
    }
}
