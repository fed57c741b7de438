//! Waiters for replies (by nonce) and queue confirmations (by queue, in order).

use std::collections::{HashMap, VecDeque};

use parking_lot::Mutex;
use serde_json::Value;
use tokio::sync::oneshot;

use crate::error::Error;

/// Outstanding requests and queue pushes.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    replies: Mutex<HashMap<String, oneshot::Sender<Result<Value, Error>>>>,
    confirms: Mutex<HashMap<String, VecDeque<oneshot::Sender<()>>>>,
}

impl Pending {
    pub(crate) fn wait_reply(&self, nonce: String) -> oneshot::Receiver<Result<Value, Error>> {
        let (tx, rx) = oneshot::channel();
        self.replies.lock().insert(nonce, tx);
        rx
    }

    pub(crate) fn forget_reply(&self, nonce: &str) {
        self.replies.lock().remove(nonce);
    }

    /// Completes the request waiting on `nonce`; gives the payload back when nobody waits.
    pub(crate) fn complete_reply(
        &self,
        nonce: &str,
        result: Result<Value, Error>,
    ) -> Option<Result<Value, Error>> {
        match self.replies.lock().remove(nonce) {
            Some(waiter) => {
                let _ = waiter.send(result);
                None
            }
            None => Some(result),
        }
    }

    pub(crate) fn wait_confirm(&self, queue: &str) -> oneshot::Receiver<()> {
        let (tx, rx) = oneshot::channel();
        self.confirms
            .lock()
            .entry(queue.to_owned())
            .or_default()
            .push_back(tx);
        rx
    }

    pub(crate) fn confirm(&self, queue: &str) {
        let mut confirms = self.confirms.lock();
        if let Some(waiters) = confirms.get_mut(queue) {
            // Skip waiters that gave up (timed out) so confirmations stay in order.
            while let Some(waiter) = waiters.pop_front() {
                if waiter.send(()).is_ok() {
                    break;
                }
            }
            if waiters.is_empty() {
                confirms.remove(queue);
            }
        }
    }
}
