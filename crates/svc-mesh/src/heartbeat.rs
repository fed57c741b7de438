//! Heartbeat schedule, ACK watchdog and latency: pure state, driven by the connection task.

use std::time::Duration;

use tokio::time::Instant;

/// What to do when a heartbeat is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Beat {
    /// Send a heartbeat now.
    Send,
    /// The previous heartbeat was never acknowledged: the connection is a zombie.
    Zombie,
}

/// Per-connection heartbeat state: inactive until HELLO gives the interval.
#[derive(Debug, Default)]
pub(crate) struct Heartbeat {
    interval: Option<Duration>,
    next: Option<Instant>,
    sent_at: Option<Instant>,
}

impl Heartbeat {
    /// Starts beating every `interval`, the first beat one interval after `now`.
    pub(crate) fn start(&mut self, interval: Duration, now: Instant) {
        let interval = interval.max(Duration::from_millis(10));
        self.interval = Some(interval);
        self.next = Some(now + interval);
        self.sent_at = None;
    }

    /// Stops (the connection ended).
    pub(crate) fn stop(&mut self) {
        *self = Self::default();
    }

    /// When the next beat is due, if beating.
    pub(crate) fn due(&self) -> Option<Instant> {
        self.next
    }

    /// The beat is due: send, or report a zombie when the last one is still unanswered.
    pub(crate) fn on_due(&mut self, now: Instant) -> Beat {
        if self.sent_at.is_some() {
            self.stop();
            return Beat::Zombie;
        }
        self.sent_at = Some(now);
        if let (Some(next), Some(interval)) = (self.next, self.interval) {
            self.next = Some(next + interval);
        }
        Beat::Send
    }

    /// An ACK arrived: the round trip, if a beat was outstanding.
    pub(crate) fn on_ack(&mut self, now: Instant) -> Option<Duration> {
        self.sent_at
            .take()
            .map(|sent| now.saturating_duration_since(sent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn beats_every_interval_and_measures_latency() {
        let mut heartbeat = Heartbeat::default();
        assert_eq!(heartbeat.due(), None);
        let start = Instant::now();
        heartbeat.start(Duration::from_secs(45), start);
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
        assert_eq!(heartbeat.due(), Some(start + Duration::from_secs(90)));
    }

    #[tokio::test(start_paused = true)]
    async fn unanswered_beat_is_a_zombie() {
        let mut heartbeat = Heartbeat::default();
        heartbeat.start(Duration::from_secs(10), Instant::now());
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(heartbeat.on_due(Instant::now()), Beat::Send);
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(heartbeat.on_due(Instant::now()), Beat::Zombie);
        assert_eq!(
            heartbeat.due(),
            None,
            "a zombie stops the schedule until the next HELLO"
        );
    }
}
