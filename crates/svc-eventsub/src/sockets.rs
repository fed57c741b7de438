//! The driver's open sockets (at most three: current, reconnecting, draining), each a
//! transport-ws [`WsClient`] named by the session machine's [`SocketId`], read as one stream
//! of tagged events.

use std::future::poll_fn;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use futures_core::Stream;
use transport_ws::{Backoff, CloseAction, CloseFrame, WsClient, WsConfig, WsEvent};

use crate::error::{Error, ErrorKind};
use crate::session_state::SocketId;

/// The largest message a socket reads (1 MiB; EventSub messages are a few KiB). A larger
/// one fails the socket with `MessageTooLarge` (a fresh session follows) instead of
/// buffering up to transport-ws's 16 MiB default.
pub(crate) const MAX_MESSAGE: usize = 1 << 20;

/// The open sockets.
#[derive(Debug, Default)]
pub(crate) struct Sockets {
    open: Vec<(SocketId, WsClient)>,
    /// Where the next read starts, rotated so a busy socket cannot starve the others.
    turn: usize,
}

impl Sockets {
    /// Opens a socket to `url`, connecting within `connect_timeout`.
    pub(crate) fn open(
        &mut self,
        socket: SocketId,
        url: &str,
        connect_timeout: Duration,
    ) -> Result<(), Error> {
        // One connection per client: the session machine decides where and when to
        // reconnect.
        let config = WsConfig::builder(url)
            .backoff(Backoff::new().max_attempts(0))
            .close_classifier(|_: Option<&CloseFrame>| CloseAction::Stop)
            .connect_timeout(connect_timeout)
            .max_message_size(MAX_MESSAGE)
            .build()
            .map_err(|e| {
                Error::with_source(
                    ErrorKind::Config {
                        reason: format!("WebSocket URL {url:?}"),
                    },
                    e,
                )
            })?;
        self.open.push((socket, WsClient::start(config)));
        Ok(())
    }

    /// Sends a close frame; the socket stays readable until it ends.
    pub(crate) fn close(&self, socket: SocketId, code: u16, reason: &'static str) {
        if let Some((_, client)) = self.open.iter().find(|(id, _)| *id == socket) {
            let _ = client.sender().close(code, reason);
        }
    }

    /// Drops a socket (dropping a client closes its connection).
    pub(crate) fn forget(&mut self, socket: SocketId) {
        self.open.retain(|(id, _)| *id != socket);
    }

    /// The next event of any socket; `None` when that socket has ended (it is then
    /// removed). Waits forever while no socket is open.
    pub(crate) async fn next(&mut self) -> (SocketId, Option<WsEvent>) {
        poll_fn(|cx| {
            let count = self.open.len();
            for offset in 0..count {
                let index = (self.turn + offset) % count;
                let (id, client) = &mut self.open[index];
                if let Poll::Ready(event) = Pin::new(client.events()).poll_next(cx) {
                    let id = *id;
                    self.turn = self.turn.wrapping_add(1);
                    if event.is_none() {
                        self.open.remove(index);
                    }
                    return Poll::Ready((id, event));
                }
            }
            Poll::Pending
        })
        .await
    }
}
