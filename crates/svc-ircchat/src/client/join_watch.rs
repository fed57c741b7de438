//! Join failures: a JOIN Twitch refused (`msg_channel_suspended`, `msg_banned`) or never
//! echoed within the join timeout, as twitchio's `event_channel_join_failure`.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

/// Why a JOIN failed ([`ChatEvent::JoinFailed`](crate::ChatEvent::JoinFailed)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JoinFailure {
    /// The channel does not exist or is suspended (`msg_channel_suspended`).
    Suspended,
    /// We are banned from the channel (`msg_banned`).
    Banned,
    /// Twitch did not echo the JOIN within the join timeout
    /// ([`ChatConfigBuilder::join_timeout`](crate::ChatConfigBuilder::join_timeout)).
    NoEcho(Duration),
}

impl JoinFailure {
    /// The failure a NOTICE's `msg-id` reports, if it is one.
    pub(crate) fn from_msg_id(msg_id: &str) -> Option<Self> {
        match msg_id {
            "msg_channel_suspended" => Some(Self::Suspended),
            "msg_banned" => Some(Self::Banned),
            _ => None,
        }
    }
}

/// JOINs written and not yet echoed, with their deadlines.
#[derive(Debug, Default)]
pub(crate) struct JoinWatch {
    waiting: HashMap<String, Instant>,
}

impl JoinWatch {
    /// A JOIN for `channel` was written now; it fails unless echoed within `timeout`.
    pub(crate) fn sent(&mut self, channel: &str, timeout: Duration) {
        if let Some(deadline) = Instant::now().checked_add(timeout) {
            self.waiting.insert(channel.to_owned(), deadline);
        }
    }

    /// The JOIN for `channel` was answered (echoed or refused); whether it was awaited.
    pub(crate) fn answered(&mut self, channel: &str) -> bool {
        self.waiting.remove(channel).is_some()
    }

    /// The earliest deadline.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.waiting.values().min().copied()
    }

    /// Removes and returns the channels whose deadline has passed.
    pub(crate) fn expired(&mut self, now: Instant) -> Vec<String> {
        let expired: Vec<String> = self
            .waiting
            .iter()
            .filter(|(_, deadline)| **deadline <= now)
            .map(|(channel, _)| channel.clone())
            .collect();
        for channel in &expired {
            self.waiting.remove(channel);
        }
        expired
    }

    /// The connection ended: its JOINs are written again on the next one.
    pub(crate) fn clear(&mut self) {
        self.waiting.clear();
    }
}
