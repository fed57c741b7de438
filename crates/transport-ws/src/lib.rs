//! The client for long-lived service connections (Discord gateway, Twitch chat and
//! EventSub, singyeong): WebSockets through tokio-tungstenite, and line protocols (Twitch
//! IRC) over plain or TLS TCP, behind one driver. rustls with the ring provider and
//! verification on (transport-core's [`TlsConfig`], the same as transport-http's), one
//! connect timeout over TCP + TLS + upgrade, reconnects with exponential backoff and jitter,
//! a close-code hook through which the service decides whether to come back, inbound
//! zlib-stream / zstd-stream inflating with one context per connection, bounded message and
//! line sizes, and an outbound queue whose rate limit keeps slots for heartbeats.
//!
//! The URL's scheme picks the carrier: `ws://` / `wss://` for a WebSocket, `tcp://host:port`
//! / `tls://host:port` for lines framed by a capped codec (see [`Framing`]). A URL the server
//! offers later (a resume URL, a reconnect URL) must pass [`check_offered_url`]: encrypted,
//! unless client and URL are both on this machine.
//!
//! A service builds a [`WsConfig`], starts a [`WsClient`], reads [`WsEvent`]s and sends
//! through a [`Sender`]:
//!
//! ```
//! use transport_ws::{Priority, WsClient, WsConfig, WsEvent, WsMessage};
//! # use futures_util::{SinkExt, StreamExt};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), transport_ws::Error> {
//! # // An echo server on a free local port.
//! # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
//! # let url = format!("ws://{}", listener.local_addr().unwrap());
//! # tokio::spawn(async move {
//! #     let (tcp, _) = listener.accept().await.unwrap();
//! #     let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
//! #     while let Some(Ok(message)) = ws.next().await {
//! #         if message.is_text() { ws.send(message).await.unwrap(); }
//! #     }
//! # });
//! let config = WsConfig::builder(&url).build()?;
//! let mut client = WsClient::start(config);
//!
//! let Some(WsEvent::Connected { .. }) = client.next_event().await else { panic!() };
//! client.sender().send_text("hello", Priority::Normal).await?;
//! let Some(WsEvent::Message(WsMessage::Text(echo))) = client.next_event().await else { panic!() };
//! assert_eq!(echo, "hello");
//!
//! client.sender().close(1000, "bye")?;
//! while let Some(event) = client.next_event().await {
//!     println!("{event:?}"); // Closed { code: Some(1000), .. }, then the stream ends
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Contents:
//! - [`WsConfig`], [`WsConfigBuilder`], [`SendLimit`]: URL, headers, sizes, framing,
//!   compression, rate limit, TLS, reconnect policy, close hook.
//! - [`Framing`], [`DEFAULT_MAX_LINE_LENGTH`]: one event per WebSocket message, or per line.
//! - [`WsClient`], [`Events`], [`Sender`]: the running connection.
//! - [`WsEvent`], [`WsMessage`]: what the connection reports.
//! - [`Backoff`] (core-ratelimit's, re-exported): reconnect delays with jitter and a cap, reset
//!   once a connection was healthy.
//! - [`Heartbeat`], [`Beat`]: heartbeat schedule, zombie detection and latency, I/O-free.
//! - [`CloseClassifier`], [`CloseAction`], [`CloseFrame`], [`CloseInitiator`]: what a close means.
//! - [`Compression`], [`ZlibStream`], [`ZstdStream`]: inbound inflating.
//! - [`TlsConfig`] (transport-core's, re-exported; the same as transport-http's): trusted
//!   roots for `wss://` and `tls://`.
//! - [`check_offered_url`]: the rule for URLs a server hands over.
//! - [`Error`], [`ErrorKind`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod close;
mod compression;
mod config;
mod connection;
mod dial;
mod driver;
mod endpoint;
mod error;
mod event;
mod framing;
mod heartbeat;
mod offered_url;
mod sender;
mod zlib_stream;
mod zstd_stream;

pub use client::{Events, WsClient};
pub use close::{AlwaysReconnect, CloseAction, CloseClassifier, CloseFrame, CloseInitiator};
pub use compression::Compression;
pub use config::{DEFAULT_MAX_MESSAGE_SIZE, SendLimit, WsConfig, WsConfigBuilder};
pub use core_ratelimit::{Backoff, Priority};
pub use error::{Error, ErrorKind};
pub use event::{WsEvent, WsMessage};
pub use framing::{DEFAULT_MAX_LINE_LENGTH, Framing};
pub use heartbeat::{Beat, Heartbeat, MAX_HEARTBEAT_INTERVAL, MIN_HEARTBEAT_INTERVAL};
pub use offered_url::check_offered_url;
pub use sender::Sender;
pub use transport_core::TlsConfig;
pub use zlib_stream::ZlibStream;
pub use zstd_stream::ZstdStream;

/// Compile-time check: everything a service moves across tasks is `Send + Sync`.
#[allow(dead_code)]
fn _public_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<WsClient>();
    send_sync::<Sender>();
    send_sync::<Events>();
    send_sync::<WsEvent>();
    send_sync::<WsConfig>();
    send_sync::<Error>();
    send_sync::<TlsConfig>();
    send_sync::<Backoff>();
    send_sync::<ZlibStream>();
    send::<ZstdStream>();
}
