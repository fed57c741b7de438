//! `wss://` against a tokio-rustls server whose certificate comes from a test CA (rcgen):
//! trusted when the CA is added as a root, refused otherwise.

mod common;

use common::pki::pki;
use common::{PATIENCE, assert_ends, next};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use transport_ws::{
    Backoff, ErrorKind, Priority, TlsConfig, WsClient, WsConfig, WsEvent, WsMessage,
};

/// A TLS echo server accepting `connections` connections; returns its `wss://` URL.
async fn tls_echo_server(acceptor: TlsAcceptor, connections: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "wss://127.0.0.1:{}/ws",
        listener.local_addr().unwrap().port()
    );
    tokio::spawn(async move {
        for _ in 0..connections {
            let (tcp, _) = listener.accept().await.unwrap();
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that rejects the certificate makes this fail: fine.
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut ws) = tokio_tungstenite::accept_async(tls).await else {
                    return;
                };
                while let Some(Ok(message)) = ws.next().await {
                    if message.is_text() && ws.send(message).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

async fn assert_echo(tls: TlsConfig, url: &str) {
    let config = WsConfig::builder(url).tls(tls).build().unwrap();
    let mut client = WsClient::start(config);
    match next(&mut client).await {
        WsEvent::Connected { url: connected } => assert_eq!(connected.scheme(), "wss"),
        other => panic!("{other:?}"),
    }
    client
        .sender()
        .send_text("over tls", Priority::Normal)
        .await
        .unwrap();
    match next(&mut client).await {
        WsEvent::Message(WsMessage::Text(text)) => assert_eq!(text, "over tls"),
        other => panic!("{other:?}"),
    }
    client.sender().close(1000, "").unwrap();
}

#[tokio::test]
async fn wss_succeeds_with_the_custom_root() {
    let pki = pki();
    let url = tls_echo_server(pki.acceptor.clone(), 2).await;
    assert_echo(
        TlsConfig::new().add_root_certificate_der(pki.ca_der.clone()),
        &url,
    )
    .await;
    assert_echo(
        TlsConfig::new()
            .without_webpki_roots()
            .add_root_certificates_pem(pki.ca_pem.clone()),
        &url,
    )
    .await;
}

#[tokio::test]
async fn wss_fails_without_the_custom_root() {
    let pki = pki();
    let url = tls_echo_server(pki.acceptor.clone(), 1).await;
    let config = WsConfig::builder(&url)
        .backoff(Backoff::new().max_attempts(0))
        .build()
        .unwrap();
    let mut client = WsClient::start(config);
    match next(&mut client).await {
        WsEvent::Error(error) => {
            assert_eq!(error.kind(), &ErrorKind::Tls);
            let source = error.into_source().unwrap().to_string();
            assert!(source.to_lowercase().contains("certificate"), "{source}");
        }
        other => panic!("{other:?}"),
    }
    tokio::time::timeout(PATIENCE, assert_ends(&mut client))
        .await
        .unwrap();
}
