//! Named queues: messages wait for a client that both matches their target and has asked
//! (`QUEUE_REQUEST`); deliveries wait for `QUEUE_ACK` and are redelivered after a timeout;
//! messages no client matches go to a dead-letter list and are retried later.

use std::collections::{HashMap, VecDeque};

use serde_json::Value;
use tokio::time::Instant;

use super::query::Query;

/// A message in a queue.
#[derive(Debug, Clone)]
pub(crate) struct QueuedMessage {
    pub(crate) id: String,
    pub(crate) target: Query,
    pub(crate) nonce: Value,
    pub(crate) payload: Value,
}

/// One queue's state.
#[derive(Debug, Default)]
pub(crate) struct Queue {
    pub(crate) messages: VecDeque<QueuedMessage>,
    /// Clients waiting for one message each, longest-waiting first.
    pub(crate) pending: VecDeque<(String, String)>,
    pub(crate) unacked: HashMap<String, (QueuedMessage, Instant)>,
    pub(crate) dead: Vec<(QueuedMessage, Instant)>,
    pub(crate) delivered: u64,
    pub(crate) redelivered: u64,
}

/// Counts for tests and demos.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueStats {
    /// Messages waiting for a client.
    pub queued: usize,
    /// Delivered, not yet acked.
    pub unacked: usize,
    /// In the dead-letter list (no client matched).
    pub dead: usize,
    /// Clients waiting for a message.
    pub waiting_clients: usize,
    /// Deliveries so far (redeliveries included).
    pub delivered: u64,
    /// Deliveries that were redeliveries after an ack timeout.
    pub redelivered: u64,
}

impl Queue {
    pub(crate) fn stats(&self) -> QueueStats {
        QueueStats {
            queued: self.messages.len(),
            unacked: self.unacked.len(),
            dead: self.dead.len(),
            waiting_clients: self.pending.len(),
            delivered: self.delivered,
            redelivered: self.redelivered,
        }
    }

    /// Moves deliveries older than `ack_timeout` back to the front of the queue, and dead
    /// letters older than `dead_retry` to the back. `force` requeues every unacked message.
    pub(crate) fn expire(
        &mut self,
        now: Instant,
        ack_timeout: std::time::Duration,
        dead_retry: std::time::Duration,
        force: bool,
    ) {
        let expired: Vec<String> = self
            .unacked
            .iter()
            .filter(|(_, (_, since))| force || now.saturating_duration_since(*since) >= ack_timeout)
            .map(|(id, _)| id.clone())
            .collect();
        for id in expired {
            if let Some((message, _)) = self.unacked.remove(&id) {
                self.redelivered += 1;
                self.messages.push_front(message);
            }
        }
        let (retry, keep): (Vec<_>, Vec<_>) = self
            .dead
            .drain(..)
            .partition(|(_, since)| now.saturating_duration_since(*since) >= dead_retry);
        self.dead = keep;
        self.messages
            .extend(retry.into_iter().map(|(message, _)| message));
    }
}
