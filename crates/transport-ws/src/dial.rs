//! Opening a connection: TCP, TLS for `wss://` and `tls://` (the workspace's one
//! [`TlsConfig`](crate::TlsConfig)), then the WebSocket upgrade or the line codec, all
//! within the connect timeout. A server that accepts TCP and then never completes the TLS
//! or WebSocket handshake costs one timeout, not a hung client.

use std::net::SocketAddr;

use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_tungstenite::MaybeTlsStream;
use url::{Host, Url};

use crate::config::WsConfig;
use crate::connection::{Connection, LineStream, handshake};
use crate::endpoint::{Carrier, carrier, is_secure};
use crate::error::{Error, ErrorKind};

/// Connects to `url` with the settings of `config`, within its connect timeout.
pub(crate) async fn connect(config: &WsConfig, url: &Url) -> Result<Connection, Error> {
    match tokio::time::timeout(config.connect_timeout, open(config, url)).await {
        Ok(result) => result,
        Err(elapsed) => {
            tracing::warn!(timeout = ?config.connect_timeout, "connect timed out");
            Err(Error::with_source(ErrorKind::Connect, elapsed))
        }
    }
}

async fn open(config: &WsConfig, url: &Url) -> Result<Connection, Error> {
    let stream = dial(config, url).await?;
    Ok(match carrier(url) {
        Carrier::WebSocket => {
            Connection::WebSocket(Box::new(handshake(config, url, stream).await?))
        }
        Carrier::Tcp => {
            Connection::Lines(Box::new(LineStream::new(stream, config.max_message_size)))
        }
    })
}

/// TCP, then TLS when the scheme asks for it.
async fn dial(config: &WsConfig, url: &Url) -> Result<MaybeTlsStream<TcpStream>, Error> {
    let port = url
        .port_or_known_default()
        .ok_or_else(|| Error::with_source(ErrorKind::InvalidUrl, "the URL has no port"))?;
    let host = url
        .host()
        .ok_or_else(|| Error::with_source(ErrorKind::InvalidUrl, "the URL has no host"))?;
    let tcp = match &host {
        Host::Domain(domain) => TcpStream::connect((*domain, port)).await,
        Host::Ipv4(ip) => TcpStream::connect(SocketAddr::from((*ip, port))).await,
        Host::Ipv6(ip) => TcpStream::connect(SocketAddr::from((*ip, port))).await,
    }
    .map_err(|source| Error::with_source(ErrorKind::Connect, source))?;
    // Small writes (IRC lines, heartbeats) go out at once.
    let _ = tcp.set_nodelay(true);
    if !is_secure(url) {
        return Ok(MaybeTlsStream::Plain(tcp));
    }
    let name = match host {
        Host::Domain(domain) => ServerName::try_from(domain.to_owned())
            .map_err(|source| Error::with_source(ErrorKind::InvalidUrl, source))?,
        Host::Ipv4(ip) => ServerName::IpAddress(std::net::IpAddr::V4(ip).into()),
        Host::Ipv6(ip) => ServerName::IpAddress(std::net::IpAddr::V6(ip).into()),
    };
    let tls = TlsConnector::from(config.tls.clone())
        .connect(name, tcp)
        .await
        .map_err(|source| {
            let kind = if is_tls_error(&source) {
                ErrorKind::Tls
            } else {
                ErrorKind::Connect
            };
            Error::with_source(kind, source)
        })?;
    Ok(MaybeTlsStream::Rustls(tls))
}

/// tokio-rustls reports certificate and handshake failures as I/O errors wrapping a
/// `rustls::Error`.
pub(crate) fn is_tls_error(error: &std::io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(<dyn std::error::Error + Send + Sync>::is::<rustls::Error>)
}
