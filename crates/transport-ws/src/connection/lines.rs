//! A TCP (plain or TLS) connection framed by a capped line codec: tokio-util's
//! `AnyDelimiterCodec`, so no line buffer grows past the cap whatever the server sends.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::MaybeTlsStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::codec::{AnyDelimiterCodec, AnyDelimiterCodecError, Framed};

use crate::connection::Incoming;
use crate::error::{Error, ErrorKind};

/// A line connection.
pub(crate) struct LineStream {
    framed: Framed<MaybeTlsStream<TcpStream>, AnyDelimiterCodec>,
    max_line: usize,
}

impl LineStream {
    /// Frames `stream` by lines of at most `max_line` bytes (line ending excluded).
    pub(crate) fn new(stream: MaybeTlsStream<TcpStream>, max_line: usize) -> Self {
        // Lines end at `\n` (a `\r` before it is stripped); ours end in `\r\n`.
        let codec =
            AnyDelimiterCodec::new_with_max_length(b"\n".to_vec(), b"\r\n".to_vec(), max_line);
        Self {
            framed: Framed::new(stream, codec),
            max_line,
        }
    }

    /// The next line. Cancel-safe (the codec keeps partial lines in its buffer).
    pub(crate) async fn next(&mut self) -> Incoming {
        match self.framed.next().await {
            Some(Ok(line)) => {
                let line = line.strip_suffix(b"\r").unwrap_or(&line);
                if line.is_empty() {
                    return Incoming::Nothing;
                }
                match std::str::from_utf8(line) {
                    Ok(text) => Incoming::Text(text.to_owned()),
                    Err(source) => {
                        tracing::warn!(error = %source, "skipping a line that is not UTF-8");
                        Incoming::Failed(Error::with_source(ErrorKind::InvalidUtf8, source))
                    }
                }
            }
            Some(Err(AnyDelimiterCodecError::MaxChunkLengthExceeded)) => {
                let max = self.max_line;
                tracing::warn!(max, "inbound line too long");
                Incoming::Failed(Error::with_source(
                    ErrorKind::MessageTooLarge { max },
                    AnyDelimiterCodecError::MaxChunkLengthExceeded,
                ))
            }
            Some(Err(AnyDelimiterCodecError::Io(source))) => {
                Incoming::Failed(Error::with_source(ErrorKind::ConnectionLost, source))
            }
            None => Incoming::End,
        }
    }

    /// Writes `message` (text) as one line followed by `\r\n`.
    pub(crate) async fn send(&mut self, message: Message) -> Result<(), Error> {
        let Message::Text(text) = message else {
            return Err(Error::with_source(
                ErrorKind::InvalidMessage,
                "only text goes over a line connection",
            ));
        };
        self.framed
            .send(text.as_str())
            .await
            .map_err(|source| Error::with_source(ErrorKind::ConnectionLost, source))
    }

    /// Flushes, ends our side of the stream, and reads (discarding, bounded) until the
    /// server ends its side: closing a socket with unread data would reset it, and the
    /// server could lose our last line (an IRC `QUIT`).
    pub(crate) async fn close_politely(&mut self, timeout: Duration) {
        let finish = async {
            if SinkExt::<&str>::close(&mut self.framed).await.is_err() {
                return;
            }
            while let Some(Ok(_) | Err(AnyDelimiterCodecError::MaxChunkLengthExceeded)) =
                self.framed.next().await
            {}
        };
        if tokio::time::timeout(timeout, finish).await.is_err() {
            tracing::debug!("server did not end the connection in time");
        }
    }
}
