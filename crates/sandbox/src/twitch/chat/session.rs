//! Sessions: one task per client connection, over WebSocket or plain TCP, reading lines
//! into [`ChatState::handle_line`] and writing what the server queues for it (through the
//! chaos switch, [`super::chaos`]).

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use super::chaos;
use super::state::{ChatState, Out};
use crate::ws::ServerSocket;

pub(crate) async fn run_ws(state: Arc<ChatState>, mut socket: ServerSocket) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = state.register(tx);
    loop {
        tokio::select! {
            incoming = socket.next() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
                        state.handle_line(id, line);
                    }
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            out = rx.recv() => match out {
                Some(Out::Line(line)) if line.is_empty() => {}
                Some(Out::Line(line)) => {
                    if !write_ws(&mut socket, chaos::plan(&state.chaos, &line)).await {
                        break;
                    }
                }
                Some(Out::Close) | None => break,
            },
        }
    }
    state.unregister(id);
}

/// Writes a planned line as WebSocket frames (text when UTF-8, else binary); `false` when
/// the connection is to end.
async fn write_ws(socket: &mut ServerSocket, planned: chaos::Planned) -> bool {
    for chunk in planned.chunks {
        let frame = match String::from_utf8(chunk) {
            Ok(text) => Message::text(text),
            Err(bad) => Message::binary(bad.into_bytes()),
        };
        if socket.send(frame).await.is_err() {
            return false;
        }
    }
    !planned.then_close
}

pub(crate) async fn run_tcp(state: Arc<ChatState>, stream: TcpStream) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = state.register(tx);
    loop {
        tokio::select! {
            line = lines.next_line() => match line {
                Ok(Some(line)) => state.handle_line(id, &line),
                Ok(None) | Err(_) => break,
            },
            out = rx.recv() => match out {
                Some(Out::Line(line)) if line.is_empty() => {}
                Some(Out::Line(line)) => {
                    if !write_tcp(&mut write, chaos::plan(&state.chaos, &line)).await {
                        break;
                    }
                }
                Some(Out::Close) | None => break,
            },
        }
    }
    state.unregister(id);
}

/// Writes a planned line to TCP (a byte at a time under slow loris); `false` when the
/// connection is to end.
async fn write_tcp(write: &mut OwnedWriteHalf, planned: chaos::Planned) -> bool {
    for chunk in planned.chunks {
        let written = if planned.slow {
            let mut result = Ok(());
            for byte in chunk {
                result = write.write_all(&[byte]).await;
                if result.is_err() {
                    break;
                }
                let _ = write.flush().await;
                tokio::task::yield_now().await;
            }
            result
        } else {
            write.write_all(&chunk).await
        };
        if written.is_err() {
            return false;
        }
    }
    !planned.then_close
}
