//! One connection as a stream of lines, over WebSocket or (TLS) TCP.

use std::collections::VecDeque;
use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{
    AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, Lines, ReadHalf, WriteHalf,
};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::client::config::Transport;
use crate::{Error, ErrorKind};

pub(crate) trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

pub(crate) enum Connection {
    Ws {
        socket: Box<WebSocketStream<MaybeTlsStream<TcpStream>>>,
        pending: VecDeque<String>,
    },
    Tcp {
        lines: Lines<BufReader<ReadHalf<Box<dyn Io>>>>,
        write: WriteHalf<Box<dyn Io>>,
    },
}

impl Connection {
    pub(crate) async fn open(transport: &Transport) -> Result<Self, Error> {
        let connect =
            |e: Box<dyn std::error::Error + Send + Sync>| Error::with_source(ErrorKind::Connect, e);
        match transport {
            Transport::WebSocket(url) => {
                let (socket, _) = tokio_tungstenite::connect_async(url.as_str())
                    .await
                    .map_err(|e| connect(e.into()))?;
                Ok(Self::Ws {
                    socket: Box::new(socket),
                    pending: VecDeque::new(),
                })
            }
            Transport::Tcp { host, port, tls } => {
                let stream = TcpStream::connect((host.as_str(), *port))
                    .await
                    .map_err(|e| connect(e.into()))?;
                let _ = stream.set_nodelay(true);
                let io: Box<dyn Io> = if *tls {
                    let mut roots = rustls::RootCertStore::empty();
                    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
                    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
                        rustls::crypto::ring::default_provider(),
                    ))
                    .with_safe_default_protocol_versions()
                    .map_err(|e| connect(e.into()))?
                    .with_root_certificates(roots)
                    .with_no_client_auth();
                    let name = rustls_pki_types::ServerName::try_from(host.clone())
                        .map_err(|e| connect(e.into()))?;
                    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
                        .connect(name, stream)
                        .await
                        .map_err(|e| connect(e.into()))?;
                    Box::new(tls)
                } else {
                    Box::new(stream)
                };
                let (read, write) = tokio::io::split(io);
                Ok(Self::Tcp {
                    lines: BufReader::new(read).lines(),
                    write,
                })
            }
        }
    }

    /// The next line, `None` when the connection ended. Cancel-safe.
    pub(crate) async fn recv(&mut self) -> Option<String> {
        match self {
            Self::Ws { socket, pending } => loop {
                if let Some(line) = pending.pop_front() {
                    return Some(line);
                }
                match socket.next().await? {
                    Ok(Message::Text(text)) => {
                        pending.extend(
                            text.split("\r\n")
                                .filter(|l| !l.is_empty())
                                .map(str::to_owned),
                        );
                    }
                    Ok(Message::Close(_)) | Err(_) => return None,
                    Ok(_) => {}
                }
            },
            Self::Tcp { lines, .. } => lines.next_line().await.ok().flatten(),
        }
    }

    pub(crate) async fn send(&mut self, line: &str) -> Result<(), Error> {
        let closed =
            |e: Box<dyn std::error::Error + Send + Sync>| Error::with_source(ErrorKind::Connect, e);
        match self {
            Self::Ws { socket, .. } => socket
                .send(Message::text(line))
                .await
                .map_err(|e| closed(e.into())),
            Self::Tcp { write, .. } => {
                write
                    .write_all(format!("{line}\r\n").as_bytes())
                    .await
                    .map_err(|e| closed(e.into()))?;
                write.flush().await.map_err(|e| closed(e.into()))
            }
        }
    }
}
