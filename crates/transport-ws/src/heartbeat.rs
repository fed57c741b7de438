//! [`Heartbeat`]: when to beat, whether the peer still answers, and the round trip, as pure
//! state. A service's connection loop drives it (sleep until [`Heartbeat::due`], send on
//! [`Beat::Send`], reconnect on [`Beat::Zombie`]), so the timing rules are written and
//! tested once, with no socket, for every protocol that heartbeats (Discord's gateway,
//! singyeong).

use std::time::Duration;

use rand::Rng as _;
use tokio::time::Instant;

/// The shortest interval a heartbeat runs at, whatever the server asks. A hostile or broken
/// server announcing 1 ms would otherwise make the client flood it (and, with zombie
/// detection, reconnect in a loop).
pub const MIN_HEARTBEAT_INTERVAL: Duration = Duration::from_secs(1);
/// The longest interval a heartbeat runs at: a server announcing days would otherwise turn
/// zombie detection off.
pub const MAX_HEARTBEAT_INTERVAL: Duration = Duration::from_mins(10);

/// What to do when a heartbeat is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beat {
    /// Send a heartbeat now.
    Send,
    /// The previous heartbeat was never acknowledged: the connection is a zombie. The
    /// schedule has stopped; reconnect.
    Zombie,
}

/// Per-connection heartbeat state: idle until [`start`](Self::start) gives the interval.
///
/// ```
/// use std::time::Duration;
/// use tokio::time::Instant;
/// use transport_ws::{Beat, Heartbeat};
///
/// let mut heartbeat = Heartbeat::default();
/// let now = Instant::now();
/// heartbeat.start(Duration::from_millis(1), 0.0, now); // a hostile 1 ms: clamped to 1 s
/// assert_eq!(heartbeat.interval(), Some(Duration::from_secs(1)));
/// assert_eq!(heartbeat.on_due(now), Beat::Send);
/// assert_eq!(heartbeat.on_ack(now + Duration::from_millis(40)), Some(Duration::from_millis(40)));
/// assert_eq!(heartbeat.on_due(now + Duration::from_secs(1)), Beat::Send);
/// assert_eq!(heartbeat.on_due(now + Duration::from_secs(2)), Beat::Zombie, "no ACK in between");
/// assert_eq!(heartbeat.due(), None);
/// ```
#[derive(Debug, Default, Clone)]
pub struct Heartbeat {
    interval: Option<Duration>,
    next: Option<Instant>,
    sent_at: Option<Instant>,
    latency: Option<Duration>,
}

impl Heartbeat {
    /// Starts beating every `interval` (clamped to
    /// [`MIN_HEARTBEAT_INTERVAL`]..=[`MAX_HEARTBEAT_INTERVAL`]). The first beat comes after
    /// `first_fraction` of an interval (clamped to `0.0..=1.0`; Discord asks for a random
    /// fraction, see [`start_jittered`](Self::start_jittered)).
    pub fn start(&mut self, interval: Duration, first_fraction: f64, now: Instant) {
        let interval = clamp_interval(interval);
        let fraction = if first_fraction.is_nan() {
            1.0
        } else {
            first_fraction.clamp(0.0, 1.0)
        };
        self.interval = Some(interval);
        self.next = Some(add(now, interval.mul_f64(fraction)));
        self.sent_at = None;
    }

    /// [`start`](Self::start) with the first beat at a random point of the interval, so a
    /// fleet reconnecting together does not beat in lockstep.
    pub fn start_jittered(&mut self, interval: Duration, now: Instant) {
        self.start(interval, rand::rng().random(), now);
    }

    /// Stops beating (the connection ended). The last latency is kept.
    pub fn stop(&mut self) {
        self.interval = None;
        self.next = None;
        self.sent_at = None;
    }

    /// The interval in use (after clamping), while beating.
    pub fn interval(&self) -> Option<Duration> {
        self.interval
    }

    /// When the next beat is due, while beating.
    pub fn due(&self) -> Option<Instant> {
        self.next
    }

    /// Whether a beat is waiting for its acknowledgement.
    pub fn awaiting_ack(&self) -> bool {
        self.sent_at.is_some()
    }

    /// The beat is due: send it, or report a zombie when the last one is still unanswered.
    pub fn on_due(&mut self, now: Instant) -> Beat {
        if self.sent_at.is_some() {
            self.stop();
            return Beat::Zombie;
        }
        self.sent_at = Some(now);
        if let Some(interval) = self.interval {
            self.next = Some(add(now, interval));
        }
        Beat::Send
    }

    /// A beat was sent out of schedule (the server asked for one): it now awaits an ACK,
    /// the schedule stays as it was.
    pub fn on_sent(&mut self, now: Instant) {
        self.sent_at = Some(now);
    }

    /// An ACK arrived: the round trip, if a beat was outstanding (a stray ACK measures
    /// nothing).
    pub fn on_ack(&mut self, now: Instant) -> Option<Duration> {
        let latency = self
            .sent_at
            .take()
            .map(|sent| now.saturating_duration_since(sent));
        if latency.is_some() {
            self.latency = latency;
        }
        latency
    }

    /// The last measured round trip.
    pub fn latency(&self) -> Option<Duration> {
        self.latency
    }
}

/// A server-given interval, clamped to the sane range.
pub(crate) fn clamp_interval(interval: Duration) -> Duration {
    interval.clamp(MIN_HEARTBEAT_INTERVAL, MAX_HEARTBEAT_INTERVAL)
}

/// `now + after`, saturating far in the future instead of panicking on overflow.
fn add(now: Instant, after: Duration) -> Instant {
    now.checked_add(after)
        .unwrap_or_else(|| now + MAX_HEARTBEAT_INTERVAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn beats_every_interval_and_measures_latency() {
        let mut heartbeat = Heartbeat::default();
        assert_eq!(heartbeat.due(), None);
        let start = Instant::now();
        heartbeat.start(Duration::from_secs(45), 1.0, start);
        assert_eq!(heartbeat.due(), Some(start + Duration::from_secs(45)));

        tokio::time::advance(Duration::from_secs(45)).await;
        assert_eq!(heartbeat.on_due(Instant::now()), Beat::Send);
        tokio::time::advance(Duration::from_millis(30)).await;
        assert_eq!(
            heartbeat.on_ack(Instant::now()),
            Some(Duration::from_millis(30))
        );
        assert_eq!(
            heartbeat.on_ack(Instant::now()),
            None,
            "a stray ACK measures nothing"
        );
        assert_eq!(heartbeat.latency(), Some(Duration::from_millis(30)));
        assert_eq!(heartbeat.due(), Some(start + Duration::from_secs(90)));
    }

    #[tokio::test(start_paused = true)]
    async fn unanswered_beat_is_a_zombie() {
        let mut heartbeat = Heartbeat::default();
        heartbeat.start(Duration::from_secs(10), 1.0, Instant::now());
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(heartbeat.on_due(Instant::now()), Beat::Send);
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(heartbeat.on_due(Instant::now()), Beat::Zombie);
        assert_eq!(
            heartbeat.due(),
            None,
            "a zombie stops the schedule until the next start"
        );
    }

    #[test]
    fn hostile_intervals_are_clamped() {
        let now = Instant::now();
        let mut heartbeat = Heartbeat::default();
        heartbeat.start(Duration::ZERO, 0.5, now);
        assert_eq!(heartbeat.interval(), Some(MIN_HEARTBEAT_INTERVAL));
        heartbeat.start(Duration::MAX, f64::NAN, now);
        assert_eq!(heartbeat.interval(), Some(MAX_HEARTBEAT_INTERVAL));
        assert_eq!(heartbeat.due(), Some(now + MAX_HEARTBEAT_INTERVAL));
    }

    #[test]
    fn jittered_first_beat_falls_within_the_interval() {
        let now = Instant::now();
        for _ in 0..50 {
            let mut heartbeat = Heartbeat::default();
            heartbeat.start_jittered(Duration::from_secs(41), now);
            let due = heartbeat.due().unwrap();
            assert!(due >= now && due <= now + Duration::from_secs(41));
        }
    }

    #[test]
    fn an_out_of_schedule_beat_awaits_its_ack() {
        let now = Instant::now();
        let mut heartbeat = Heartbeat::default();
        heartbeat.start(Duration::from_secs(10), 1.0, now);
        heartbeat.on_sent(now);
        assert!(heartbeat.awaiting_ack());
        assert_eq!(heartbeat.due(), Some(now + Duration::from_secs(10)));
        assert_eq!(
            heartbeat.on_due(now + Duration::from_secs(10)),
            Beat::Zombie,
            "the requested beat was never answered either"
        );
    }
}
