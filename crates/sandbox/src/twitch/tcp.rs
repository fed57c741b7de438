//! A plain TCP listener speaking chat IRC (like `irc.chat.twitch.tv:6667`), next to the
//! WebSocket one the HTTP server offers.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::twitch::{Twitch, chat};
use crate::{Error, ErrorKind};

/// A running TCP chat listener; dropping it stops accepting and closes its connections.
#[derive(Debug)]
pub struct TcpServer {
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl TcpServer {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the listener and every connection.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for TcpServer {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// Serves `twitch`'s chat over plain TCP on `127.0.0.1:0`.
pub async fn serve_tcp(twitch: &Twitch) -> Result<TcpServer, Error> {
    serve_tcp_on(twitch, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
}

/// Serves `twitch`'s chat over plain TCP on `want`.
pub async fn serve_tcp_on(twitch: &Twitch, want: SocketAddr) -> Result<TcpServer, Error> {
    let bind_error = |e| {
        Error::with_source(
            ErrorKind::Bind {
                addr: want.to_string(),
            },
            e,
        )
    };
    let listener = TcpListener::bind(want).await.map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    let (shutdown, mut stop) = watch::channel(false);
    let state = Arc::clone(&twitch.chat);
    let task = tokio::spawn(async move {
        let mut connections = tokio::task::JoinSet::new();
        loop {
            tokio::select! {
                _ = stop.changed() => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        let _ = stream.set_nodelay(true);
                        connections.spawn(chat::run_tcp(Arc::clone(&state), stream));
                    }
                    Err(error) => tracing::warn!(%error, "twitch tcp accept failed"),
                },
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    });
    Ok(TcpServer {
        addr,
        shutdown,
        task: Some(task),
    })
}
