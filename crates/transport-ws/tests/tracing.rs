//! Logged WebSocket URLs go through the same redaction as HTTP ones: no query token, no
//! userinfo password, on the connect, connected and failed-attempt paths.
//!
//! The only test in its binary: it installs a global subscriber.

mod common;

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Server, next};
use tracing_subscriber::fmt::format::FmtSpan;
use transport_ws::{Backoff, WsClient, WsConfig, WsEvent};

const QUERY_TOKEN: &str = "query-token-value-1234";
const PASSWORD: &str = "userinfo-password-5678";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn logged_urls_are_redacted() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let server = Server::bind().await;
    let url = server
        .url
        .replace("ws://", &format!("ws://bot:{PASSWORD}@"))
        + &format!("?v=10&token={QUERY_TOKEN}");
    let config = WsConfig::builder(&url)
        .backoff(
            Backoff::new()
                .initial_delay(Duration::from_millis(10))
                .max_attempts(1),
        )
        .build()
        .unwrap();
    assert!(!format!("{config:?}").contains(QUERY_TOKEN));
    let mut client = WsClient::start(config);
    let ws = server.accept().await;
    assert!(matches!(next(&mut client).await, WsEvent::Connected { .. }));
    // The server goes away: the connection drops, the one reconnect attempt is refused.
    drop(ws);
    drop(server);
    while client.next_event().await.is_some() {}

    let text = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(text.contains("connect attempt failed"), "{text}");
    assert!(text.contains("token=[redacted]"), "{text}");
    for secret in [QUERY_TOKEN, PASSWORD] {
        assert!(
            !text.contains(secret),
            "tracing output leaks {secret}:\n{text}"
        );
    }
}
