//! What a [`MeshClient`](crate::MeshClient) publishes on its event hub.

use std::time::Duration;

use core_events::Extract;
use serde_json::Value;

/// How a message was routed to this client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// `SEND`: this client was the one chosen.
    Send,
    /// `BROADCAST`: every matching client got it.
    Broadcast,
}

/// A message routed to this client by `SEND` or `BROADCAST`.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// How it was routed.
    pub delivery: Delivery,
    /// The sender's nonce, if any (replies echo it).
    pub nonce: Option<String>,
    /// The payload.
    pub payload: Value,
}

impl Message {
    /// Whether the sender waits for a reply ([`MeshClient::request`](crate::MeshClient::request)).
    pub fn expects_reply(&self) -> bool {
        self.nonce
            .as_deref()
            .is_some_and(|n| crate::nonce::ReplyAddress::parse(n).is_some())
    }
}

/// A message taken from a queue after a `QUEUE_REQUEST`; ack it with
/// [`MeshClient::queue_ack`](crate::MeshClient::queue_ack) or it is redelivered.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedMessage {
    /// The queue's name.
    pub queue: String,
    /// The message id to ack.
    pub id: String,
    /// The pusher's nonce, if any.
    pub nonce: Option<String>,
    /// The payload.
    pub payload: Value,
}

/// Events of a mesh client.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MeshEvent {
    /// Identified (first connection or after a reconnect).
    Ready {
        /// This client's id.
        client_id: String,
        /// Whether the server put the client in restricted mode.
        restricted: bool,
    },
    /// A routed message (replies to [`request`](crate::MeshClient::request) are not published).
    Message(Message),
    /// A queued message.
    Queued(QueuedMessage),
    /// The server queued a pushed message.
    QueueConfirmed {
        /// The queue.
        queue: String,
    },
    /// A client of `app` connected (needs `receive_client_updates`).
    ClientConnected {
        /// Its application id.
        app: String,
    },
    /// A client of `app` disconnected (needs `receive_client_updates`).
    ClientDisconnected {
        /// Its application id.
        app: String,
    },
    /// A `QUERY_NODES` answer no [`query_nodes`](crate::MeshClient::query_nodes) call waited
    /// for (answers to that method go to its caller only).
    Nodes(Value),
    /// Op 3: the server refused something (an unroutable message, bad metadata…).
    Invalid {
        /// The error text.
        error: String,
        /// Extra detail the server attached.
        extra: Value,
    },
    /// Op 8: unrecoverable error; the server closes the connection.
    ServerError {
        /// The error text.
        error: String,
    },
    /// Op 7: the server asked this client to reconnect; it does, restoring its metadata.
    Goodbye {
        /// The reason given.
        reason: Option<String>,
    },
    /// A heartbeat was acknowledged; `latency` is the round trip.
    HeartbeatAck {
        /// Heartbeat round trip.
        latency: Duration,
    },
    /// The connection ended; a reconnect follows unless the client was closed.
    Disconnected {
        /// Close code, if any.
        code: Option<u16>,
    },
    /// The next connection attempt starts after `delay`.
    Reconnecting {
        /// Consecutive attempt (0 for an immediate, requested reconnect).
        attempt: u32,
        /// Wait before the attempt.
        delay: Duration,
    },
}

impl Extract<MeshEvent> for Message {
    fn extract(event: MeshEvent) -> Option<Self> {
        match event {
            MeshEvent::Message(message) => Some(message),
            _ => None,
        }
    }
}

impl Extract<MeshEvent> for QueuedMessage {
    fn extract(event: MeshEvent) -> Option<Self> {
        match event {
            MeshEvent::Queued(message) => Some(message),
            _ => None,
        }
    }
}
