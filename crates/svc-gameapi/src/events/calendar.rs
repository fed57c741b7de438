//! The game's calendar: when a trophy season, the clan games and a raid weekend start and
//! end. These are not in the API, they are fixed rules, so they are computed, not polled.

use crate::Timestamp;
use crate::timestamp::{civil_from_days, days_from_civil};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
const MONDAY: i64 = 1;
const FRIDAY: i64 = 5;

/// A calendar moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CalendarKind {
    /// A new trophy season: the last Monday of the month, 05:00 UTC.
    Season,
    /// Clan games: the 22nd, 08:00 UTC.
    ClanGames,
    /// A raid weekend: Friday, 07:00 UTC.
    RaidWeekend,
    /// Clan games end: the 28th, 08:00 UTC.
    ClanGamesEnd,
    /// A raid weekend ends: Monday, 07:00 UTC.
    RaidWeekendEnd,
}

impl CalendarKind {
    /// Every kind.
    pub const ALL: [Self; 5] = [
        Self::Season,
        Self::ClanGames,
        Self::RaidWeekend,
        Self::ClanGamesEnd,
        Self::RaidWeekendEnd,
    ];

    /// The first start of this kind strictly after `after`.
    pub fn next_after(self, after: Timestamp) -> Timestamp {
        let after = after.unix_millis();
        let start = match self {
            Self::Season => months_from(after)
                .map(last_monday)
                .map(|day| day * DAY + 5 * HOUR)
                .find(|t| *t > after),
            Self::ClanGames => monthly(after, 22, 8),
            Self::ClanGamesEnd => monthly(after, 28, 8),
            Self::RaidWeekend => weekly(after, FRIDAY, 7),
            Self::RaidWeekendEnd => weekly(after, MONDAY, 7),
        };
        // Every iterator above covers more than one period, so `find` always succeeds.
        Timestamp::from_unix_millis(start.unwrap_or(after + 31 * DAY))
    }
}

/// The first `day`-of-the-month at `hour` UTC strictly after `after`.
fn monthly(after: i64, day: i64, hour: i64) -> Option<i64> {
    months_from(after)
        .map(|(y, m)| days_from_civil(y, m, day) * DAY + hour * HOUR)
        .find(|t| *t > after)
}

/// The first `weekday` at `hour` UTC strictly after `after`.
fn weekly(after: i64, day_of_week: i64, hour: i64) -> Option<i64> {
    (0..=7)
        .map(|d| after.div_euclid(DAY) + d)
        .filter(|day| weekday(*day) == day_of_week)
        .map(|day| day * DAY + hour * HOUR)
        .find(|t| *t > after)
}

/// 0 = Sunday, 1 = Monday, … (1970-01-01 was a Thursday).
fn weekday(days: i64) -> i64 {
    (days + 4).rem_euclid(7)
}

/// This month and the next two, as (year, month).
fn months_from(millis: i64) -> impl Iterator<Item = (i64, i64)> {
    let (year, month, _) = civil_from_days(millis.div_euclid(DAY));
    (0..3).map(move |offset| {
        let index = year * 12 + (month - 1) + offset;
        (index.div_euclid(12), index.rem_euclid(12) + 1)
    })
}

/// Days since the epoch of the month's last Monday.
fn last_monday((year, month): (i64, i64)) -> i64 {
    let next = year * 12 + month; // (month - 1) + 1
    let mut day = days_from_civil(next.div_euclid(12), next.rem_euclid(12) + 1, 1) - 1;
    while weekday(day) != MONDAY {
        day -= 1;
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn known_dates() {
        // January 2024: last Monday the 29th; the 22nd; Fridays the 5th, 12th, …
        let start = at("20240101T000000.000Z");
        assert_eq!(
            CalendarKind::Season.next_after(start),
            at("20240129T050000.000Z")
        );
        assert_eq!(
            CalendarKind::ClanGames.next_after(start),
            at("20240122T080000.000Z")
        );
        assert_eq!(
            CalendarKind::RaidWeekend.next_after(start),
            at("20240105T070000.000Z")
        );
        // Ends: the 28th, and Monday the 1st itself (07:00 is after midnight).
        assert_eq!(
            CalendarKind::ClanGamesEnd.next_after(start),
            at("20240128T080000.000Z")
        );
        assert_eq!(
            CalendarKind::RaidWeekendEnd.next_after(start),
            at("20240101T070000.000Z")
        );
        assert_eq!(
            CalendarKind::RaidWeekendEnd.next_after(at("20240101T070000.000Z")),
            at("20240108T070000.000Z")
        );
        // Strictly after: at the very moment, the next one.
        assert_eq!(
            CalendarKind::RaidWeekend.next_after(at("20240105T070000.000Z")),
            at("20240112T070000.000Z")
        );
        assert_eq!(
            CalendarKind::Season.next_after(at("20240129T050000.000Z")),
            at("20240226T050000.000Z")
        );
        // Across the year end: December 2024's last Monday is the 30th.
        assert_eq!(
            CalendarKind::Season.next_after(at("20241231T000000.000Z")),
            at("20250127T050000.000Z")
        );
        assert_eq!(
            CalendarKind::ClanGames.next_after(at("20241223T000000.000Z")),
            at("20250122T080000.000Z")
        );
    }
}
