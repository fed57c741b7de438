//! The server's shared state: connected clients with their metadata, and the queues. Routing
//! happens here, under one lock, so a message reaches a socket's outbox in order.

use std::collections::{BTreeMap, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::query::{ClientRecord, Query};
use super::queue::{Queue, QueuedMessage};

/// Opcodes the server sends.
pub(crate) mod op {
    pub(crate) const HELLO: u8 = 0;
    pub(crate) const READY: u8 = 2;
    pub(crate) const INVALID: u8 = 3;
    pub(crate) const DISPATCH: u8 = 4;
    pub(crate) const HEARTBEAT_ACK: u8 = 6;
    pub(crate) const GOODBYE: u8 = 7;
    pub(crate) const ERROR: u8 = 8;
}

/// What a socket task is asked to write.
#[derive(Debug)]
pub(crate) enum Outgoing {
    /// A packet.
    Text(String),
    /// A last packet, then close.
    Close(String),
}

pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// `{op, d, ts, t}` as JSON text.
pub(crate) fn packet(op: u8, t: Option<&str>, d: &Value) -> String {
    let mut packet = json!({ "op": op, "d": d, "ts": now_ms() });
    if let Some(t) = t {
        packet["t"] = Value::from(t);
    }
    packet.to_string()
}

/// A connected, identified client.
#[derive(Debug)]
pub(crate) struct Connected {
    pub(crate) record: ClientRecord,
    pub(crate) receive_updates: bool,
    /// Where proxied HTTP requests go.
    pub(crate) proxy_ip: String,
    pub(crate) outbox: mpsc::UnboundedSender<Outgoing>,
    pub(crate) queues: Vec<String>,
}

/// Everything behind the server's lock.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) clients: BTreeMap<(String, String), Connected>,
    pub(crate) queues: HashMap<String, Queue>,
    next_message_id: u64,
    pub(crate) routed: u64,
    pub(crate) identifies: u64,
}

impl State {
    /// Clients (in app, client-id order) the query selects.
    pub(crate) fn select(&self, query: &Query) -> Vec<(String, String)> {
        query
            .select(self.clients.values().map(|c| &c.record))
            .into_iter()
            .map(|r| (r.app_id.clone(), r.client_id.clone()))
            .collect()
    }

    /// SEND (one client) or BROADCAST (all) of `{nonce, payload}`. `Err("no_route")` when
    /// nothing matches and the query is not droppable.
    pub(crate) fn route(
        &mut self,
        query: &Query,
        nonce: &Value,
        payload: &Value,
        broadcast: bool,
        t: &str,
    ) -> Result<usize, &'static str> {
        let matched = self.select(query);
        if matched.is_empty() {
            return if query.droppable() {
                Ok(0)
            } else {
                Err("no_route")
            };
        }
        let targets: Vec<&(String, String)> = if broadcast {
            matched.iter().collect()
        } else {
            let index = match query.hash_key() {
                // Best-effort consistent hashing: stable while the matching set is.
                Some(key) => (fnv1a(key.as_bytes()) % matched.len() as u64) as usize,
                None => rand::random_range(0..matched.len()),
            };
            vec![&matched[index]]
        };
        let text = packet(
            op::DISPATCH,
            Some(t),
            &json!({ "nonce": nonce, "payload": payload }),
        );
        for target in &targets {
            if let Some(client) = self.clients.get(*target) {
                let _ = client.outbox.send(Outgoing::Text(text.clone()));
            }
        }
        self.routed += targets.len() as u64;
        Ok(targets.len())
    }

    /// CLIENT_CONNECTED / CLIENT_DISCONNECTED to every client that asked for updates.
    pub(crate) fn notify(&self, app: &str, t: &str) {
        let text = packet(
            op::DISPATCH,
            Some(t),
            &json!({ "nonce": null, "payload": { "app": app } }),
        );
        for client in self
            .clients
            .values()
            .filter(|c| c.receive_updates && !c.record.restricted)
        {
            let _ = client.outbox.send(Outgoing::Text(text.clone()));
        }
    }

    pub(crate) fn push(&mut self, queue: &str, target: Query, nonce: Value, payload: Value) {
        self.next_message_id += 1;
        let id = format!("sandbox-{:016x}", self.next_message_id);
        self.queues
            .entry(queue.to_owned())
            .or_default()
            .messages
            .push_back(QueuedMessage {
                id,
                target,
                nonce,
                payload,
            });
        self.deliver(queue);
    }

    pub(crate) fn request(&mut self, queue: &str, who: &(String, String)) {
        let entry = self.queues.entry(queue.to_owned()).or_default();
        if !entry.pending.contains(who) {
            entry.pending.push_back(who.clone());
        }
        if let Some(client) = self.clients.get_mut(who)
            && !client.queues.iter().any(|q| q == queue)
        {
            client.queues.push(queue.to_owned());
        }
        self.deliver(queue);
    }

    pub(crate) fn cancel(&mut self, queue: &str, who: &(String, String)) {
        if let Some(entry) = self.queues.get_mut(queue) {
            entry.pending.retain(|p| p != who);
        }
        if let Some(client) = self.clients.get_mut(who) {
            client.queues.retain(|q| q != queue);
        }
    }

    pub(crate) fn ack(&mut self, queue: &str, id: &str) {
        if let Some(entry) = self.queues.get_mut(queue) {
            entry.unacked.remove(id);
        }
    }

    /// Hands queued messages to waiting clients that match them; messages no client
    /// matches at all become dead letters.
    pub(crate) fn deliver(&mut self, name: &str) {
        let Some(mut queue) = self.queues.remove(name) else {
            return;
        };
        let now = Instant::now();
        let mut index = 0;
        while index < queue.messages.len() && !queue.pending.is_empty() {
            let matched = self.select(&queue.messages[index].target);
            if matched.is_empty() {
                if let Some(message) = queue.messages.remove(index) {
                    queue.dead.push((message, now));
                }
                continue;
            }
            let Some(position) = queue.pending.iter().position(|p| matched.contains(p)) else {
                index += 1;
                continue;
            };
            let (Some(who), Some(message)) =
                (queue.pending.remove(position), queue.messages.remove(index))
            else {
                break;
            };
            let d = json!({
                "nonce": message.nonce,
                "payload": { "queue": name, "id": message.id, "payload": message.payload },
            });
            if let Some(client) = self.clients.get_mut(&who) {
                let _ = client
                    .outbox
                    .send(Outgoing::Text(packet(op::DISPATCH, Some("QUEUE"), &d)));
                client.queues.retain(|q| q != name);
            }
            queue.delivered += 1;
            queue.unacked.insert(message.id.clone(), (message, now));
        }
        self.queues.insert(name.to_owned(), queue);
    }

    /// Forgets a disconnected client.
    pub(crate) fn remove(&mut self, who: &(String, String)) -> Option<Connected> {
        let removed = self.clients.remove(who)?;
        for queue in self.queues.values_mut() {
            queue.pending.retain(|p| p != who);
        }
        Some(removed)
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
