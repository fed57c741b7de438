//! `GET /_sandbox/feed`: upgraded to a WebSocket, every traffic record as a JSON text
//! frame as it happens (after the recent ones; a reader that falls behind gets a
//! `{"missed": n}` frame); as a plain GET, the recent records.

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;
use tokio_tungstenite::tungstenite::Message;

use super::answer::respond;
use crate::feed::Feed;
use crate::platform::SandboxRequest;
use crate::response::HttpResponse;
use crate::ws;

pub(super) fn serve(feed: &Feed, request: &mut SandboxRequest) -> HttpResponse {
    if !ws::is_upgrade(&request.headers) {
        return respond(Ok(json!({ "records": feed.recent() })));
    }
    let feed = feed.clone();
    ws::accept(request, None, move |mut socket| async move {
        let mut live = feed.subscribe();
        for record in feed.recent() {
            let text = serde_json::to_string(&record).unwrap_or_default();
            if socket.send(Message::text(text)).await.is_err() {
                return;
            }
        }
        loop {
            tokio::select! {
                record = live.recv() => {
                    let text = match record {
                        Ok(record) => serde_json::to_string(&record).unwrap_or_default(),
                        Err(RecvError::Lagged(missed)) => json!({ "missed": missed }).to_string(),
                        Err(RecvError::Closed) => return,
                    };
                    if socket.send(Message::text(text)).await.is_err() {
                        return;
                    }
                }
                incoming = socket.next() => match incoming {
                    Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                    Some(Ok(_)) => {}
                },
            }
        }
    })
}
