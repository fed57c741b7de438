//! [`BucketState`]: what is known about one bucket, and the admission rules over it.

use std::time::Duration;

use tokio::time::Instant;

use crate::Outcome;

/// What a [`BucketLimiter`](crate::BucketLimiter) knows about one bucket: plain data kept in
/// a [`BucketStore`](crate::BucketStore).
///
/// Times are tokio instants of the process that wrote them; a store shared between processes
/// translates them to its own clock when it saves and loads.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct BucketState {
    /// Requests per window, once a response has said (`None`: unknown, so one probe request at
    /// a time until one answers).
    pub limit: Option<u32>,
    /// Requests this process may still send in the current window; requests in flight are
    /// already subtracted.
    pub remaining: u32,
    /// When the current window ends, at the latest. Computed as arrival time plus
    /// `reset_after`, so it is never earlier than the server's reset.
    pub reset_at: Option<Instant>,
    /// The server's reset epoch for the current window, which identifies the window: responses
    /// with the same epoch belong to the same window, whatever order they arrive in.
    pub reset_epoch: Option<f64>,
    /// The longest `reset_after` seen in the current window (about the window's length); used
    /// to tell windows apart when the server sends no epoch.
    pub window_hint: Duration,
    /// The window ended and `remaining` was refilled from `limit` without fresh headers yet.
    pub refilled: bool,
    /// A successful response carried no rate-limit headers: the route has no bucket limit.
    pub unlimited: bool,
    /// Requests admitted and not yet completed or dropped.
    pub in_flight: u32,
    /// A 429 lockout: nothing is admitted before this instant.
    pub blocked_until: Option<Instant>,
    /// Bumped whenever a new window starts: a ticket from an older window that is dropped
    /// gives nothing back.
    pub generation: u64,
}

/// The answer to "may one more request go now?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admission {
    /// Yes; the ticket belongs to this window generation.
    Granted { generation: u64 },
    /// Not now: retry at this instant, or (`None`) when a request in flight completes.
    Wait { until: Option<Instant> },
}

/// The current instant, read from the clock the first time it is asked for (a clock read is
/// a good share of an uncontended admission, and most admissions need none).
struct LazyNow<F> {
    clock: Option<F>,
    now: Option<Instant>,
}

impl<F: FnOnce() -> Instant> LazyNow<F> {
    fn get(&mut self) -> Instant {
        if let Some(now) = self.now {
            return now;
        }
        let now = self.clock.take().map_or_else(Instant::now, |clock| clock());
        self.now = Some(now);
        now
    }
}

impl BucketState {
    /// Admits one request at `now` if the bucket allows it, recording it as in flight.
    #[cfg(test)]
    pub(crate) fn try_admit(&mut self, now: Instant) -> Admission {
        self.try_admit_with(|| now)
    }

    /// Admits one request if the bucket allows it, recording it as in flight; `clock` gives
    /// the current instant, and is only called when the answer depends on it.
    ///
    /// While the current window has requests left, they are granted without reading the
    /// clock, even if the window has in fact ended: the refill only happens once they are
    /// spent. That is never more than the old rule allowed (what is left of a window is at
    /// most `limit` minus the requests in flight, which is what a refill gives), only
    /// slightly more conservative: such requests count against the old window, so dropping
    /// their tickets after the refill gives nothing back.
    pub(crate) fn try_admit_with(&mut self, clock: impl FnOnce() -> Instant) -> Admission {
        let mut now = LazyNow {
            clock: Some(clock),
            now: None,
        };
        if let Some(until) = self.blocked_until {
            if now.get() < until {
                return Admission::Wait { until: Some(until) };
            }
            self.blocked_until = None;
        }
        if self.unlimited {
            return self.grant();
        }
        let Some(limit) = self.limit else {
            // Nothing known yet: one probe at a time, until a response teaches the limit.
            return if self.in_flight == 0 {
                self.grant()
            } else {
                Admission::Wait { until: None }
            };
        };
        if self.remaining > 0 {
            self.remaining -= 1;
            return self.grant();
        }
        let now = now.get();
        if !self.refilled && self.reset_at.is_some_and(|reset| reset <= now) {
            // The window is over. Requests still in flight may land in the new one.
            self.remaining = limit.saturating_sub(self.in_flight);
            self.refilled = true;
            self.generation += 1;
        }
        if self.remaining > 0 {
            self.remaining -= 1;
            return self.grant();
        }
        if !self.refilled {
            return Admission::Wait {
                until: self.reset_at,
            };
        }
        if self.in_flight == 0 {
            // The window ended, the refill is spent (dropped tickets) and no response is on
            // its way: probe rather than wait for news that cannot come.
            return self.grant();
        }
        Admission::Wait { until: None }
    }

    fn grant(&mut self) -> Admission {
        self.in_flight += 1;
        Admission::Granted {
            generation: self.generation,
        }
    }

    /// A ticket was dropped without a response: its slot goes back if its window is still
    /// the current one.
    pub(crate) fn release(&mut self, generation: u64) {
        self.in_flight = self.in_flight.saturating_sub(1);
        if generation == self.generation
            && !self.unlimited
            && let Some(limit) = self.limit
        {
            self.remaining = (self.remaining + 1).min(limit);
        }
    }

    /// Learns from a completed request. Returns the wait a global 429 imposes on every
    /// bucket, if it was one.
    pub(crate) fn complete(
        &mut self,
        now: Instant,
        outcome: &Outcome,
        default_retry_after: Duration,
        max_wait: Duration,
    ) -> Option<Duration> {
        self.in_flight = self.in_flight.saturating_sub(1);
        let headers = &outcome.headers;
        if headers.has_window() {
            self.unlimited = false;
            self.learn_window(now, outcome, max_wait);
        }
        if let Some((wait, global)) = lockout(outcome, default_retry_after, max_wait) {
            if global {
                return Some(wait);
            }
            let until = later(now, wait);
            self.blocked_until = Some(self.blocked_until.map_or(until, |b| b.max(until)));
            self.remaining = 0;
            self.unlimited = false;
        } else if !headers.has_window()
            && self.limit.is_none()
            && (200..300).contains(&outcome.status)
        {
            // A success with no rate-limit headers: Discord does this for routes without a
            // bucket limit. (Errors without headers, e.g. a proxy's 502, teach nothing.)
            self.unlimited = true;
        }
        None
    }

    fn learn_window(&mut self, now: Instant, outcome: &Outcome, max_wait: Duration) {
        let headers = &outcome.headers;
        let (Some(limit), Some(reported), Some(after)) =
            (headers.limit, headers.remaining, headers.reset_after)
        else {
            return;
        };
        let after = after.min(max_wait);
        let reset = later(now, after);
        let epoch = headers.reset_at_epoch;
        // Out of the server's count, the requests still in flight may not be counted yet.
        let usable = reported.saturating_sub(self.in_flight);
        let newer = match (self.reset_at, epoch, self.reset_epoch) {
            (None, _, _) => true,
            (Some(_), Some(epoch), Some(current)) => epoch > current + 0.001,
            // No epoch to compare: a reset more than half a window later is the next window;
            // closer than that it is the same window seen with different latency.
            (Some(current), _, _) => reset > current + self.window_hint / 2,
        };
        if newer {
            self.limit = Some(limit);
            self.remaining = usable;
            self.reset_at = Some(reset);
            self.reset_epoch = epoch;
            self.window_hint = after;
            self.refilled = false;
            self.generation += 1;
        } else if !self.refilled {
            // Same window, answers possibly out of order: only ever lower the estimate.
            self.limit = Some(limit);
            self.remaining = self.remaining.min(usable);
            self.reset_at = self.reset_at.map(|current| current.min(reset));
            self.window_hint = self.window_hint.max(after);
        }
        // Otherwise: a late answer from a window that has already ended; nothing to learn.
    }

    /// Folds the state of a provisional bucket into this one when both turn out to be the
    /// same server bucket. Conservative: each side's requests in flight may be counted
    /// against the other's estimate.
    pub(crate) fn merge(&mut self, other: BucketState) {
        if self.limit.is_none() && !self.unlimited && self.in_flight == 0 {
            let generation = self.generation.max(other.generation) + 1;
            *self = other;
            self.generation = generation;
            return;
        }
        if self.limit.is_none() || self.unlimited {
            self.limit = other.limit;
            self.remaining = other.remaining.saturating_sub(self.in_flight);
            self.reset_at = other.reset_at;
            self.reset_epoch = other.reset_epoch;
            self.window_hint = other.window_hint;
            self.refilled = other.refilled;
            self.unlimited = other.unlimited;
        } else if other.limit.is_some() {
            self.remaining = self
                .remaining
                .saturating_sub(other.in_flight)
                .min(other.remaining.saturating_sub(self.in_flight));
            self.reset_at = self.reset_at.max(other.reset_at);
        }
        self.blocked_until = self.blocked_until.max(other.blocked_until);
        self.in_flight += other.in_flight;
        self.generation = self.generation.max(other.generation) + 1;
    }
}

/// For a 429: how long to back off and whether every bucket must (a global 429). `None`
/// for any other status.
pub(crate) fn lockout(
    outcome: &Outcome,
    default_retry_after: Duration,
    max_wait: Duration,
) -> Option<(Duration, bool)> {
    if outcome.status != 429 {
        return None;
    }
    let headers = &outcome.headers;
    let wait = outcome
        .retry_after
        .or(headers.retry_after)
        .or(headers.reset_after)
        .unwrap_or(default_retry_after)
        .min(max_wait);
    let global = outcome.global
        || headers.global
        || headers
            .scope
            .as_deref()
            .is_some_and(|scope| scope.eq_ignore_ascii_case("global"));
    Some((wait, global))
}

/// `now + wait`, saturating instead of panicking on absurd waits.
pub(crate) fn later(now: Instant, wait: Duration) -> Instant {
    now.checked_add(wait)
        .unwrap_or_else(|| now + Duration::from_hours(24 * 365))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RateLimitHeaders;

    fn window(limit: u32, remaining: u32, after_ms: u64, epoch: f64) -> Outcome {
        Outcome::new(
            200,
            RateLimitHeaders {
                limit: Some(limit),
                remaining: Some(remaining),
                reset_after: Some(Duration::from_millis(after_ms)),
                reset_at_epoch: Some(epoch),
                ..RateLimitHeaders::default()
            },
        )
    }

    const RETRY: Duration = Duration::from_secs(1);
    const MAX: Duration = Duration::from_hours(1);

    #[tokio::test(start_paused = true)]
    async fn probes_one_at_a_time_until_a_response_teaches_the_limit() {
        let mut state = BucketState::default();
        let now = Instant::now();
        assert!(matches!(state.try_admit(now), Admission::Granted { .. }));
        assert_eq!(state.try_admit(now), Admission::Wait { until: None });
        state.complete(now, &window(5, 4, 1000, 100.0), RETRY, MAX);
        for _ in 0..4 {
            assert!(matches!(state.try_admit(now), Admission::Granted { .. }));
        }
        assert_eq!(
            state.try_admit(now),
            Admission::Wait {
                until: Some(now + Duration::from_secs(1))
            }
        );
    }

    #[tokio::test(start_paused = true)]
    async fn out_of_order_answers_never_raise_the_estimate() {
        let mut state = BucketState::default();
        let now = Instant::now();
        state.try_admit(now);
        state.complete(now, &window(5, 4, 1000, 100.0), RETRY, MAX);
        for _ in 0..4 {
            state.try_admit(now);
        }
        // The server processed them in order 3, 2, 1, 0 remaining; answers arrive reversed.
        state.complete(now, &window(5, 0, 990, 100.0), RETRY, MAX);
        state.complete(now, &window(5, 3, 990, 100.0), RETRY, MAX);
        assert_eq!(state.remaining, 0);
        assert!(matches!(state.try_admit(now), Admission::Wait { .. }));
    }

    #[tokio::test(start_paused = true)]
    async fn a_newer_window_is_adopted_and_a_stale_one_ignored() {
        let mut state = BucketState::default();
        let now = Instant::now();
        state.try_admit(now);
        state.complete(now, &window(5, 0, 1000, 100.0), RETRY, MAX);
        let later = now + Duration::from_millis(1100);
        state.try_admit(later); // refills: 5 - 0 in flight, takes one
        assert!(state.refilled);
        // A late answer from the old window teaches nothing.
        state.complete(later, &window(5, 4, 10, 100.0), RETRY, MAX);
        assert_eq!(state.remaining, 4);
        state.try_admit(later);
        state.complete(later, &window(5, 3, 1000, 101.1), RETRY, MAX);
        assert!(!state.refilled);
        assert_eq!(state.remaining, 3);
        assert_eq!(state.reset_epoch, Some(101.1));
    }
}
