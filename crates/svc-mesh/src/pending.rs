//! Waiters for replies (by nonce) and queue confirmations (by queue, in order), bounded.
//!
//! Both maps are filled by callers and emptied by the server's answers, so a server that
//! never answers must not make them grow: every waiter is a guard that removes its entry
//! when the caller stops waiting (answered, timed out, or the future dropped), and each map
//! holds at most [`MAX_PENDING`] entries; past that a new request or push fails with
//! [`ErrorKind::TooManyPending`] instead of queueing more.
//!
//! Queue confirmations carry only the queue's name (`QUEUE_CONFIRM {queue}`), so they are
//! matched to pushes by order: a confirmation goes to the oldest push of its queue still
//! waiting. A push refused by the server (op 3 INVALID) is never confirmed and gives up at
//! its timeout without holding up the others; the price is that a confirmation arriving
//! after its push gave up goes to the next push of that queue (sent after it on the same
//! connection, so queued right behind it). Pushes still waiting when the connection ends
//! fail at once: no confirmation crosses connections.

use std::collections::{HashMap, VecDeque};

use parking_lot::Mutex;
use serde_json::Value;
use tokio::sync::oneshot;

use crate::error::{Error, ErrorKind};

/// The most requests awaiting a reply, and the most queue pushes awaiting a confirmation,
/// per client.
pub(crate) const MAX_PENDING: usize = 4096;

/// Outstanding requests and queue pushes.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    replies: Mutex<HashMap<String, oneshot::Sender<Result<Value, Error>>>>,
    confirms: Mutex<Confirms>,
    /// `QUERY_NODES` answers carry no nonce: matched to queries in the order they were sent.
    nodes: Mutex<NodeQueries>,
    /// Held from registering a node query to handing its frame to the socket, so frames go
    /// out in the order the queries were registered.
    nodes_order: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct NodeQueries {
    waiting: VecDeque<(u64, oneshot::Sender<Result<Value, Error>>)>,
    next_ticket: u64,
}

#[derive(Debug, Default)]
struct Confirms {
    /// Per queue, the waiting pushes in the order they were registered.
    by_queue: HashMap<String, VecDeque<(u64, oneshot::Sender<()>)>>,
    /// Waiting pushes over all queues.
    len: usize,
    next_ticket: u64,
}

impl Pending {
    /// Registers a request by its nonce. The entry lives as long as the returned guard.
    pub(crate) fn wait_reply(&self, nonce: String) -> Result<ReplyWait<'_>, Error> {
        let (tx, rx) = oneshot::channel();
        let mut replies = self.replies.lock();
        if replies.len() >= MAX_PENDING {
            return Err(too_many());
        }
        replies.insert(nonce.clone(), tx);
        Ok(ReplyWait {
            pending: self,
            nonce,
            reply: rx,
        })
    }

    /// Completes the request waiting on `nonce`; gives the payload back when nobody waits.
    pub(crate) fn complete_reply(
        &self,
        nonce: &str,
        result: Result<Value, Error>,
    ) -> Option<Result<Value, Error>> {
        let waiter = self.replies.lock().remove(nonce);
        match waiter {
            Some(waiter) => {
                let _ = waiter.send(result);
                None
            }
            None => Some(result),
        }
    }

    /// Registers a push into `queue`. The entry lives until it is confirmed, the connection
    /// ends, or the returned guard is dropped.
    pub(crate) fn wait_confirm(&self, queue: &str) -> Result<ConfirmWait<'_>, Error> {
        let (tx, rx) = oneshot::channel();
        let mut confirms = self.confirms.lock();
        if confirms.len >= MAX_PENDING {
            return Err(too_many());
        }
        let ticket = confirms.next_ticket;
        confirms.next_ticket += 1;
        confirms
            .by_queue
            .entry(queue.to_owned())
            .or_default()
            .push_back((ticket, tx));
        confirms.len += 1;
        Ok(ConfirmWait {
            pending: self,
            queue: queue.to_owned(),
            ticket,
            confirmed: rx,
        })
    }

    /// `QUEUE_CONFIRM` for `queue`: confirms the oldest push of the queue still waiting.
    pub(crate) fn confirm(&self, queue: &str) {
        let waiter = self.confirms.lock().remove(queue, |_| true);
        if let Some(waiter) = waiter {
            let _ = waiter.send(());
        } else {
            tracing::debug!(queue, "queue confirmation nobody waits for");
        }
    }

    /// Registers a `QUERY_NODES` query. The entry lives until it is answered, the
    /// connection ends, or the returned guard is dropped.
    pub(crate) fn wait_nodes(&self) -> Result<NodesWait<'_>, Error> {
        let (tx, rx) = oneshot::channel();
        let mut nodes = self.nodes.lock();
        if nodes.waiting.len() >= MAX_PENDING {
            return Err(too_many());
        }
        let ticket = nodes.next_ticket;
        nodes.next_ticket += 1;
        nodes.waiting.push_back((ticket, tx));
        Ok(NodesWait {
            pending: self,
            ticket,
            answer: rx,
        })
    }

    /// Taken around registering a node query and sending it (see `nodes_order`).
    pub(crate) async fn node_send_order(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.nodes_order.lock().await
    }

    /// A `QUERY_NODES` answer (or its refusal) for the oldest query still waiting; gives it
    /// back when nobody waits.
    pub(crate) fn answer_nodes(
        &self,
        answer: Result<Value, Error>,
    ) -> Option<Result<Value, Error>> {
        let waiter = self.nodes.lock().waiting.pop_front();
        match waiter {
            Some((_, waiter)) => {
                let _ = waiter.send(answer);
                None
            }
            None => Some(answer),
        }
    }

    /// The connection ended: no confirmation of what was pushed on it will come, nor an
    /// answer to a node query sent on it, so every waiting push and query fails now.
    pub(crate) fn connection_lost(&self) {
        let mut confirms = self.confirms.lock();
        confirms.by_queue.clear();
        confirms.len = 0;
        drop(confirms);
        self.nodes.lock().waiting.clear();
    }

    #[cfg(test)]
    fn sizes(&self) -> (usize, usize) {
        (self.replies.lock().len(), self.confirms.lock().len)
    }
}

impl Confirms {
    /// Takes the first waiting push of `queue` that `pick` accepts.
    fn remove(&mut self, queue: &str, pick: impl Fn(u64) -> bool) -> Option<oneshot::Sender<()>> {
        let waiting = self.by_queue.get_mut(queue)?;
        let index = waiting.iter().position(|(ticket, _)| pick(*ticket))?;
        let (_, waiter) = waiting.remove(index)?;
        if waiting.is_empty() {
            self.by_queue.remove(queue);
        }
        self.len -= 1;
        Some(waiter)
    }
}

/// A request waiting for its reply; dropping it forgets the nonce.
#[derive(Debug)]
pub(crate) struct ReplyWait<'a> {
    pending: &'a Pending,
    nonce: String,
    pub(crate) reply: oneshot::Receiver<Result<Value, Error>>,
}

impl Drop for ReplyWait<'_> {
    fn drop(&mut self) {
        self.pending.replies.lock().remove(&self.nonce);
    }
}

/// A queue push waiting for its confirmation; dropping it gives up its place.
#[derive(Debug)]
pub(crate) struct ConfirmWait<'a> {
    pending: &'a Pending,
    queue: String,
    ticket: u64,
    pub(crate) confirmed: oneshot::Receiver<()>,
}

impl Drop for ConfirmWait<'_> {
    fn drop(&mut self) {
        let ticket = self.ticket;
        self.pending
            .confirms
            .lock()
            .remove(&self.queue, |t| t == ticket);
    }
}

/// A `QUERY_NODES` query waiting for its answer; dropping it gives up its place.
#[derive(Debug)]
pub(crate) struct NodesWait<'a> {
    pending: &'a Pending,
    ticket: u64,
    pub(crate) answer: oneshot::Receiver<Result<Value, Error>>,
}

impl Drop for NodesWait<'_> {
    fn drop(&mut self) {
        let ticket = self.ticket;
        self.pending
            .nodes
            .lock()
            .waiting
            .retain(|(t, _)| *t != ticket);
    }
}

fn too_many() -> Error {
    tracing::warn!(
        limit = MAX_PENDING,
        "too many requests or queue pushes await an answer"
    );
    Error::new(ErrorKind::TooManyPending { limit: MAX_PENDING })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn timed_out_or_dropped_requests_leave_nothing_behind() {
        let pending = Pending::default();
        let mut wait = pending.wait_reply("n1".into()).unwrap();
        let timed_out = tokio::time::timeout(Duration::from_secs(5), &mut wait.reply).await;
        assert!(timed_out.is_err());
        drop(wait);
        assert_eq!(pending.sizes(), (0, 0));
        // A late reply is handed back, not stored.
        assert!(pending.complete_reply("n1", Ok(Value::Null)).is_some());
        // A request whose future is dropped before its answer leaves nothing either.
        let request = async {
            let mut wait = pending.wait_reply("n2".into()).unwrap();
            let _ = (&mut wait.reply).await;
        };
        assert!(
            tokio::time::timeout(Duration::from_secs(1), request)
                .await
                .is_err()
        );
        assert_eq!(pending.sizes(), (0, 0));
    }

    #[tokio::test(start_paused = true)]
    async fn answered_requests_get_their_reply() {
        let pending = Pending::default();
        let mut wait = pending.wait_reply("n".into()).unwrap();
        assert!(pending.complete_reply("n", Ok(Value::from(7))).is_none());
        assert_eq!(pending.sizes(), (0, 0));
        assert_eq!((&mut wait.reply).await.unwrap().unwrap(), Value::from(7));
    }

    #[test]
    fn both_maps_are_capped() {
        let pending = Pending::default();
        let waits: Vec<_> = (0..MAX_PENDING)
            .map(|i| pending.wait_reply(i.to_string()).unwrap())
            .collect();
        let error = pending.wait_reply("one more".into()).unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::TooManyPending { limit: MAX_PENDING }
        );
        drop(waits);
        assert!(pending.wait_reply("room again".into()).is_ok());

        let pushes: Vec<_> = (0..MAX_PENDING)
            .map(|i| pending.wait_confirm(&format!("q{}", i % 3)).unwrap())
            .collect();
        let error = pending.wait_confirm("q0").unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::TooManyPending { limit: MAX_PENDING }
        );
        drop(pushes);
        assert_eq!(pending.sizes(), (0, 0));
        assert!(pending.wait_confirm("q0").is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn timed_out_confirmations_are_removed_and_skipped() {
        let pending = Pending::default();
        let mut refused = pending.wait_confirm("q").unwrap();
        let mut next = pending.wait_confirm("q").unwrap();
        // The first push is never confirmed (the server refused it): it times out...
        let timed_out = tokio::time::timeout(Duration::from_secs(10), &mut refused.confirmed).await;
        assert!(timed_out.is_err());
        drop(refused);
        assert_eq!(pending.sizes(), (0, 1), "removed when it gave up");
        // ...and the second push's confirmation reaches the second push.
        pending.confirm("q");
        assert!(next.confirmed.try_recv().is_ok());
        drop(next);
        assert_eq!(pending.sizes(), (0, 0));
        // A confirmation nobody waits for is dropped, not stored.
        pending.confirm("q");
        assert_eq!(pending.sizes(), (0, 0));
    }

    #[tokio::test]
    async fn node_answers_go_to_queries_in_order_and_given_up_ones_are_skipped() {
        let pending = Pending::default();
        let mut first = pending.wait_nodes().unwrap();
        let given_up = pending.wait_nodes().unwrap();
        let mut third = pending.wait_nodes().unwrap();
        drop(given_up);
        assert!(pending.answer_nodes(Ok(Value::from(1))).is_none());
        assert!(pending.answer_nodes(Ok(Value::from(3))).is_none());
        assert_eq!((&mut first.answer).await.unwrap().unwrap(), Value::from(1));
        assert_eq!((&mut third.answer).await.unwrap().unwrap(), Value::from(3));
        // Nobody waits: the answer is handed back.
        assert!(pending.answer_nodes(Ok(Value::Null)).is_some());
        let mut lost = pending.wait_nodes().unwrap();
        pending.connection_lost();
        assert!((&mut lost.answer).await.is_err());
    }

    #[tokio::test]
    async fn a_lost_connection_fails_waiting_pushes_at_once() {
        let pending = Pending::default();
        let mut first = pending.wait_confirm("a").unwrap();
        let mut second = pending.wait_confirm("b").unwrap();
        pending.connection_lost();
        assert_eq!(pending.sizes(), (0, 0));
        assert!((&mut first.confirmed).await.is_err());
        assert!((&mut second.confirmed).await.is_err());
    }
}
