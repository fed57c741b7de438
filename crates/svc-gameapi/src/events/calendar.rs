//! The game's calendar: when a trophy season, the clan games and a raid weekend start and
//! end.
//! These are not in the API, they are fixed rules, so they are computed, not polled (with
//! the `time` crate's calendar).

use std::iter;

use time::{Date, OffsetDateTime, Weekday};

use crate::Timestamp;

/// What [`CalendarKind::next_after`] answers at the very edge of the calendar (the year
/// 9999), where the rules find no later start.
const FALLBACK_MILLIS: i64 = 31 * 24 * 3_600_000;

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
        let next = after.to_date_time().and_then(|now| {
            let today = now.date();
            // Each candidate list covers more than one period, so one is later than `now`.
            let mut starts: Box<dyn Iterator<Item = Option<OffsetDateTime>>> = match self {
                Self::Season => Box::new(
                    months_from(today).map(|first| at(last_weekday(first, Weekday::Monday)?, 5)),
                ),
                Self::ClanGames => monthly(today, 22, 8),
                Self::ClanGamesEnd => monthly(today, 28, 8),
                Self::RaidWeekend => weekly(today, Weekday::Friday, 7),
                Self::RaidWeekendEnd => weekly(today, Weekday::Monday, 7),
            };
            starts.find_map(|start| start.filter(|start| *start > now))
        });
        next.map_or_else(
            || Timestamp::from_unix_millis(after.unix_millis().saturating_add(FALLBACK_MILLIS)),
            Timestamp::from_date_time,
        )
    }
}

/// The `day`-of-the-month at `hour`:00 UTC, this month and the next two.
fn monthly(today: Date, day: u8, hour: u8) -> Box<dyn Iterator<Item = Option<OffsetDateTime>>> {
    Box::new(months_from(today).map(move |first| at(first.replace_day(day).ok()?, hour)))
}

/// Every `weekday` at `hour`:00 UTC within the next eight days (today included).
fn weekly(
    today: Date,
    weekday: Weekday,
    hour: u8,
) -> Box<dyn Iterator<Item = Option<OffsetDateTime>>> {
    Box::new(
        days_from(today)
            .take(8)
            .filter(move |day| day.weekday() == weekday)
            .map(move |day| at(day, hour)),
    )
}

/// `day` at `hour`:00 UTC.
fn at(day: Date, hour: u8) -> Option<OffsetDateTime> {
    Some(day.with_hms(hour, 0, 0).ok()?.assume_utc())
}

/// `day` and the days after it.
fn days_from(day: Date) -> impl Iterator<Item = Date> {
    iter::successors(Some(day), |day| day.next_day())
}

/// The first day of `day`'s month and of the next two.
fn months_from(day: Date) -> impl Iterator<Item = Date> {
    let first = day.replace_day(1).ok();
    iter::successors(first, |first| {
        first
            .replace_day(first.month().length(first.year()))
            .ok()?
            .next_day()
    })
    .take(3)
}

/// The last `weekday` of the month starting on `first`.
fn last_weekday(first: Date, weekday: Weekday) -> Option<Date> {
    let last = first.replace_day(first.month().length(first.year())).ok()?;
    iter::successors(Some(last), |day| day.previous_day())
        .take(7)
        .find(|day| day.weekday() == weekday)
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

    #[test]
    fn a_leap_february_and_the_edges_of_the_calendar() {
        // February 2024 has 29 days; its last Monday is the 26th.
        assert_eq!(
            CalendarKind::Season.next_after(at("20240201T000000.000Z")),
            at("20240226T050000.000Z")
        );
        // No panic and still strictly later where the calendar ends or a value is absurd.
        for millis in [i64::MIN, -1, i64::MAX - 1, 253_402_300_799_000] {
            let after = Timestamp::from_unix_millis(millis);
            for kind in CalendarKind::ALL {
                assert!(kind.next_after(after) >= after, "{kind:?} after {millis}");
            }
        }
    }
}
