//! Chat over TLS TCP (`irc.chat.twitch.tv:6697`'s shape) against a tokio-rustls server on
//! 127.0.0.1 whose certificate a test CA signed: trusted through `ChatConfigBuilder::tls`,
//! refused without it.

use std::sync::Arc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use svc_ircchat::{ChatClient, ChatConfig, ChatEvent, TlsConfig};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// A test CA (DER) and an acceptor for `127.0.0.1` signed by it.
fn pki() -> (Vec<u8>, TlsAcceptor) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .unwrap();
    (ca_cert.der().to_vec(), TlsAcceptor::from(Arc::new(server)))
}

#[tokio::test]
async fn logs_in_over_tls_tcp_with_the_configured_roots() {
    let (ca, acceptor) = pki();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let tls = acceptor.accept(tcp).await.unwrap();
        let (read, mut write) = tokio::io::split(tls);
        let mut lines = BufReader::new(read).lines();
        let mut login = Vec::new();
        while let Some(line) = lines.next_line().await.unwrap() {
            let nick = line.starts_with("NICK ");
            login.push(line);
            if nick {
                break;
            }
        }
        write
            .write_all(b":tmi.twitch.tv 001 bot :Welcome, GLHF!\r\n")
            .await
            .unwrap();
        // Keep the connection until the client quits.
        while let Ok(Some(line)) = lines.next_line().await {
            if line == "QUIT" {
                break;
            }
        }
        login
    });
    let config = ChatConfig::builder()
        .tcp("127.0.0.1", port, true)
        .tls(TlsConfig::new().add_root_certificate_der(ca))
        .oauth("bot", "oauth:token-of-bot")
        .build()
        .unwrap();
    let client = ChatClient::connect(config).await.unwrap();
    client.close().await;
    let login = server.await.unwrap();
    assert_eq!(
        login,
        [
            "CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership",
            "PASS oauth:token-of-bot",
            "NICK bot"
        ]
    );
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let (_ca, acceptor) = pki();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let _ = acceptor.accept(tcp).await;
    });
    let config = ChatConfig::builder()
        .tcp("127.0.0.1", port, true)
        .reconnect_backoff(svc_ircchat::Backoff::new().max_attempts(0))
        .build()
        .unwrap();
    let client = ChatClient::start(config);
    let ended = client
        .events()
        .wait_for(
            |event: &ChatEvent| {
                matches!(event, ChatEvent::Disconnected { reason, .. } if reason.contains("TLS"))
            },
            Duration::from_secs(30),
        )
        .await;
    assert!(ended.is_ok(), "{ended:?}");
    client.close().await;
}
