//! Chaos on the dispatch path of a gateway connection: what a hostile gateway sends
//! around, instead of, or after a dispatch (see [`Chaos`]).

use std::sync::Arc;
use std::time::Duration;

use futures_util::SinkExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

use super::gateway::{Connection, Flow};
use crate::chaos::Chaos;

/// What [`Chaos::DecompressionBomb`] and [`Chaos::OversizedFrames`] send: past the 16 MiB
/// a client keeps by default.
const HUGE: usize = 17 << 20;
/// [`Chaos::SlowLoris`]: a dispatch in this many pieces, [`SLOW_GAP`] apart.
const SLOW_PIECES: usize = 8;
const SLOW_GAP: Duration = Duration::from_secs(1);
/// [`Chaos::InvalidUtf8`]: a dispatch whose content holds bytes that are no UTF-8.
const NOT_UTF8: &[u8] =
    b"{\"t\":\"MESSAGE_CREATE\",\"s\":null,\"op\":0,\"d\":{\"content\":\"\xff\xfe\"}}";

impl Connection {
    /// Sends one queued dispatch, with whatever the switched-on chaos adds to it.
    pub(super) async fn send_live(&mut self, payload: Arc<str>) -> Flow {
        let mut before = Vec::new();
        let chaos = self.state.chaos.clone();
        if chaos.is_on(Chaos::InvalidUtf8) {
            before.push(self.encoder.frame_binary(NOT_UTF8.to_vec()));
        }
        if chaos.is_on(Chaos::TruncatedFrames) {
            let half = payload.as_bytes()[..payload.len() / 2].to_vec();
            before.push(self.encoder.frame_binary(half));
        }
        if self.compressed && chaos.take(Chaos::DecompressionBomb) {
            let mut bomb = b"{\"op\":0,\"d\":\"".to_vec();
            bomb.resize(HUGE, b'0');
            before.push(self.encoder.frame_binary(bomb));
        }
        if chaos.take(Chaos::OversizedFrames) {
            before.push(Ok(Message::binary(vec![b' '; HUGE])));
        }
        for frame in before {
            let Ok(frame) = frame else { return Flow::Stop };
            if self.socket.send(frame).await.is_err() {
                return Flow::Stop;
            }
        }
        let payload = if chaos.is_on(Chaos::WrongTypes) {
            wrong_types(&payload)
        } else {
            payload
        };
        let sent = if chaos.is_on(Chaos::SlowLoris) {
            match self.frame(&payload) {
                Ok(frame) => self
                    .socket
                    .send_trickled(frame, SLOW_PIECES, SLOW_GAP)
                    .await
                    .map_err(|_| ()),
                Err(()) => Err(()),
            }
        } else {
            self.send(&payload).await
        };
        if sent.is_err() {
            return Flow::Stop;
        }
        if chaos.is_on(Chaos::DuplicateSequence) && self.send(&payload).await.is_err() {
            return Flow::Stop;
        }
        let previous = self.previous.replace(Arc::clone(&payload));
        match previous {
            Some(previous) if chaos.is_on(Chaos::OutOfOrderSequence) => {
                self.send_or_stop(&previous).await
            }
            _ => Flow::Continue,
        }
    }
}

/// `payload` with its `d.id` (when it has one) turned into `true`.
fn wrong_types(payload: &Arc<str>) -> Arc<str> {
    let Ok(mut value) = serde_json::from_str::<Value>(payload) else {
        return Arc::clone(payload);
    };
    match value["d"].get_mut("id") {
        Some(id) => {
            *id = Value::Bool(true);
            Arc::from(value.to_string())
        }
        None => Arc::clone(payload),
    }
}
