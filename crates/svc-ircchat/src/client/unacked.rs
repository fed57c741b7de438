//! [`Unacked`]: messages written to Twitch and not yet confirmed, bounded in size and age.
//!
//! Twitch answers every PRIVMSG it accepts with a USERSTATE (or a NOTICE saying why not) well
//! within a second. What stays unconfirmed longer either arrived without an answer (a server
//! that never confirms) or was lost with the connection; only recent messages are worth
//! sending again after a reconnect, each once, or a server that never confirms would make
//! the queue grow forever and every reconnect resend the whole history.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// Most messages kept waiting for a confirmation; older ones are given up first.
pub(crate) const MAX_UNACKED: usize = 100;

/// How long a message may wait for its confirmation before it is given up (not resent).
pub(crate) const ACK_TIMEOUT: Duration = Duration::from_secs(10);

/// A PRIVMSG to send (or sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outgoing {
    pub(crate) channel: String,
    pub(crate) text: String,
    pub(crate) reply_to: Option<String>,
    /// Already sent again after a reconnect: never a third time.
    pub(crate) resent: bool,
}

/// Written but unconfirmed messages, oldest first, each with the time it was written.
#[derive(Debug, Default)]
pub(crate) struct Unacked {
    entries: VecDeque<(Outgoing, Instant)>,
}

impl Unacked {
    /// Records `message` as written at `now`; returns what had to be given up to keep the
    /// queue within [`MAX_UNACKED`] and [`ACK_TIMEOUT`].
    pub(crate) fn push(&mut self, message: Outgoing, now: Instant) -> Vec<Outgoing> {
        let mut given_up = self.expire(now);
        while self.entries.len() >= MAX_UNACKED {
            given_up.extend(self.entries.pop_front().map(|(message, _)| message));
        }
        self.entries.push_back((message, now));
        given_up
    }

    /// Gives up messages unconfirmed for [`ACK_TIMEOUT`] or longer.
    pub(crate) fn expire(&mut self, now: Instant) -> Vec<Outgoing> {
        let mut given_up = Vec::new();
        while let Some((_, sent)) = self.entries.front()
            && now.saturating_duration_since(*sent) >= ACK_TIMEOUT
        {
            given_up.extend(self.entries.pop_front().map(|(message, _)| message));
        }
        given_up
    }

    /// When the oldest message runs out of time.
    pub(crate) fn next_expiry(&self) -> Option<Instant> {
        self.entries.front().map(|(_, sent)| *sent + ACK_TIMEOUT)
    }

    /// The server answered the oldest unconfirmed message in `channel`: it leaves the queue.
    pub(crate) fn confirm(&mut self, channel: &str) -> Option<Outgoing> {
        let index = self
            .entries
            .iter()
            .position(|(m, _)| m.channel == channel)?;
        self.entries.remove(index).map(|(message, _)| message)
    }

    /// After a connection ended: the messages to send again (recent and never resent,
    /// oldest first, marked as resent), and the ones given up.
    pub(crate) fn take_for_resend(&mut self, now: Instant) -> (Vec<Outgoing>, Vec<Outgoing>) {
        let mut given_up = self.expire(now);
        let mut resend = Vec::new();
        for (mut message, _) in self.entries.drain(..) {
            if message.resent {
                given_up.push(message);
            } else {
                message.resent = true;
                resend.push(message);
            }
        }
        (resend, given_up)
    }

    /// How many messages wait for a confirmation.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(channel: &str, n: usize) -> Outgoing {
        Outgoing {
            channel: channel.to_owned(),
            text: format!("message {n}"),
            reply_to: None,
            resent: false,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_server_that_never_confirms_cannot_grow_the_queue() {
        let mut unacked = Unacked::default();
        let mut given_up = 0;
        for n in 0..1000 {
            given_up += unacked.push(message("c", n), Instant::now()).len();
            assert!(unacked.len() <= MAX_UNACKED);
        }
        assert_eq!(given_up, 1000 - MAX_UNACKED);
        // Time alone empties it too.
        tokio::time::advance(ACK_TIMEOUT).await;
        assert_eq!(unacked.expire(Instant::now()).len(), MAX_UNACKED);
        assert_eq!(unacked.len(), 0);
        assert_eq!(unacked.next_expiry(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn only_recent_messages_are_resent_and_each_once() {
        let mut unacked = Unacked::default();
        unacked.push(message("c", 0), Instant::now());
        tokio::time::advance(Duration::from_secs(8)).await;
        unacked.push(message("c", 1), Instant::now());
        unacked.push(message("d", 2), Instant::now());
        assert_eq!(
            unacked.confirm("d").map(|m| m.text),
            Some("message 2".into())
        );
        tokio::time::advance(Duration::from_secs(3)).await;
        let (resend, given_up) = unacked.take_for_resend(Instant::now());
        assert_eq!(
            (resend.len(), resend[0].text.as_str(), resend[0].resent),
            (1, "message 1", true)
        );
        assert_eq!(given_up, [message("c", 0)]);
        // Sent again and still unconfirmed at the next reconnect: given up, not resent.
        unacked.push(resend[0].clone(), Instant::now());
        let (resend, given_up) = unacked.take_for_resend(Instant::now());
        assert!(resend.is_empty());
        assert_eq!(given_up.len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn confirmations_take_the_oldest_of_their_channel() {
        let mut unacked = Unacked::default();
        for n in 0..3 {
            unacked.push(message(if n == 1 { "d" } else { "c" }, n), Instant::now());
        }
        assert_eq!(
            unacked.confirm("c").map(|m| m.text),
            Some("message 0".into())
        );
        assert_eq!(
            unacked.confirm("c").map(|m| m.text),
            Some("message 2".into())
        );
        assert_eq!(unacked.confirm("c"), None);
        assert_eq!(unacked.len(), 1);
    }
}
