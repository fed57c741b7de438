//! Sessions: one task per client connection, over WebSocket or plain TCP, reading lines
//! into [`ChatState::handle_line`] and writing what the server queues for it.

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

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
                    if socket.send(Message::text(format!("{line}\r\n"))).await.is_err() {
                        break;
                    }
                }
                Some(Out::Close) | None => break,
            },
        }
    }
    state.unregister(id);
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
                    if write.write_all(format!("{line}\r\n").as_bytes()).await.is_err() {
                        break;
                    }
                }
                Some(Out::Close) | None => break,
            },
        }
    }
    state.unregister(id);
}
