//! [`WsClient`]: a WebSocket connection that keeps itself alive, and its event stream.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::task::{Context, Poll};

use core_ratelimit::SendQueue;
use futures_core::Stream;
use tokio::sync::mpsc;
use tracing::Instrument as _;
use transport_core::redact;

use crate::config::WsConfig;
use crate::driver::Driver;
use crate::event::WsEvent;
use crate::sender::Sender;

/// A WebSocket (or line-protocol TCP) client that runs its connection on a task,
/// reconnects per its [`Backoff`](crate::Backoff) and
/// [`CloseClassifier`](crate::CloseClassifier), inflates inbound messages, and rate-limits
/// outbound ones.
///
/// Read [`WsEvent`]s from [`events`](Self::events) (or [`next_event`](Self::next_event));
/// send and steer through [`sender`](Self::sender). Every connection gets a fresh inflater.
///
/// Slow consumers: events go through a bounded channel
/// ([`WsConfigBuilder::event_buffer`](crate::WsConfigBuilder::event_buffer)). When it is full
/// the client stops reading the socket (the server is slowed down by TCP; nothing is dropped)
/// but keeps serving sends and closes, so heartbeats still go out.
///
/// The client stops, ending the event stream, when the service closes it
/// ([`Sender::close`]), the classifier says [`CloseAction::Stop`](crate::CloseAction::Stop),
/// the policy runs out of attempts, or the [`Events`] are dropped (which closes the
/// connection with 1000).
///
/// ```no_run
/// use transport_ws::{Priority, WsClient, WsConfig, WsEvent, WsMessage};
///
/// # async fn run() -> Result<(), transport_ws::Error> {
/// let config = WsConfig::builder("wss://irc-ws.chat.twitch.tv:443").build()?;
/// let mut client = WsClient::start(config);
/// let sender = client.sender().clone();
/// while let Some(event) = client.next_event().await {
///     match event {
///         WsEvent::Connected { .. } => {
///             sender.send_text("NICK justinfan12345", Priority::Normal).await?;
///         }
///         WsEvent::Message(WsMessage::Text(line)) => println!("{line}"),
///         other => println!("{other:?}"),
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct WsClient {
    sender: Sender,
    events: Events,
}

impl WsClient {
    /// Starts the connection task; the first connection attempt begins immediately.
    ///
    /// # Panics
    ///
    /// When called outside a tokio runtime (like `tokio::spawn`).
    pub fn start(config: WsConfig) -> Self {
        let (events_tx, events_rx) = mpsc::channel(config.event_buffer);
        let (commands_tx, commands_rx) = mpsc::unbounded_channel();
        let connection = Arc::new(AtomicU64::new(0));
        let queue = config
            .send_limit
            .map(|limit| SendQueue::new(limit.limit, limit.window, limit.reserved));
        let configured = Arc::new(config.url.clone());
        let framing = config.framing;
        // Logged URLs go through the same redaction as HTTP ones (query tokens, userinfo).
        let span = tracing::info_span!("ws", url = %redact::url(&config.url));
        let driver = Driver::new(config, events_tx, commands_rx, Arc::clone(&connection));
        tokio::spawn(driver.run().instrument(span));
        Self {
            sender: Sender::new(commands_tx, queue, connection, configured, framing),
            events: Events {
                receiver: events_rx,
            },
        }
    }

    /// The send/steer handle (clone it to share).
    pub fn sender(&self) -> &Sender {
        &self.sender
    }

    /// The event stream.
    pub fn events(&mut self) -> &mut Events {
        &mut self.events
    }

    /// The next event; `None` once the client has stopped.
    pub async fn next_event(&mut self) -> Option<WsEvent> {
        self.events.recv().await
    }

    /// Splits into the sender and the event stream.
    pub fn into_parts(self) -> (Sender, Events) {
        (self.sender, self.events)
    }
}

/// The events of a [`WsClient`], in order. Also a [`Stream`].
///
/// Dropping it stops the client.
#[derive(Debug)]
pub struct Events {
    receiver: mpsc::Receiver<WsEvent>,
}

impl Events {
    /// The next event; `None` once the client has stopped.
    pub async fn recv(&mut self) -> Option<WsEvent> {
        self.receiver.recv().await
    }

    /// The next event if one is ready.
    pub fn try_recv(&mut self) -> Option<WsEvent> {
        self.receiver.try_recv().ok()
    }
}

impl Stream for Events {
    type Item = WsEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<WsEvent>> {
        self.receiver.poll_recv(cx)
    }
}
