//! HTTPS against a real tokio-rustls server with a private CA made by rcgen: trust
//! configuration, verification failures, and HTTP/2 by ALPN.

mod support;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use http::Version;
use support::{Pki, TestServer, reply};
use transport_http::{Client, ErrorKind, RetryPolicy};

async fn tls_server(pki: &Pki) -> TestServer {
    TestServer::start_tls(
        |seen| async move { reply(200, format!(r#"{{"version":"{:?}"}}"#, seen.version)) },
        pki.acceptor(),
    )
    .await
}

#[tokio::test]
async fn trusted_private_ca_works_and_negotiates_http2() {
    let pki = Pki::new();
    let server = tls_server(&pki).await;
    let client = Client::builder()
        .base_url(server.https_url())
        .add_root_certificate(pki.ca.clone())
        .build()
        .unwrap();
    for _ in 0..3 {
        let response = client.get("/secure").send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.version(), Version::HTTP_2);
        assert_eq!(response.text().unwrap(), r#"{"version":"HTTP/2.0"}"#);
    }
    // HTTP/2 multiplexes: the three requests shared one connection.
    let seen = server.seen.lock().unwrap();
    assert!(seen.iter().all(|s| s.peer == seen[0].peer));
}

#[tokio::test]
async fn http1_is_used_when_the_server_only_offers_it() {
    let pki = Pki::new();
    let server = TestServer::start_tls(
        |_| async { reply(200, "{}") },
        pki.acceptor_with_alpn(&[b"http/1.1"]),
    )
    .await;
    let client = Client::builder()
        .add_root_certificate(pki.ca.clone())
        .build()
        .unwrap();
    let response = client
        .get(format!("{}/", server.https_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.version(), Version::HTTP_11);
}

#[tokio::test]
async fn unknown_issuer_is_a_tls_error_and_not_retried() {
    let pki = Pki::new();
    let server = tls_server(&pki).await;
    // Default trust: webpki roots only, which do not include our private CA.
    let client = Client::builder()
        .base_url(server.https_url())
        .retry(RetryPolicy::new().max_attempts(3))
        .build()
        .unwrap();
    let error = client.get("/secure").send().await.unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::Tls, "{error:?}");
    assert_eq!(server.hits(), 0);
    // A certificate problem does not go away by retrying: one handshake only.
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_certificate_for_another_name_is_rejected() {
    // Signed by a trusted CA, but for another name than the 127.0.0.1 we connect to.
    let pki = Pki::for_names(&["api.example.invalid"]);
    let server = tls_server(&pki).await;
    let client = Client::builder()
        .base_url(server.https_url())
        .add_root_certificate(pki.ca.clone())
        .build()
        .unwrap();
    let error = client.get("/").send().await.unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::Tls, "{error:?}");
    assert_eq!(server.hits(), 0);
}

#[tokio::test]
async fn custom_rustls_config_is_used() {
    let pki = Pki::new();
    let server = tls_server(&pki).await;
    let mut roots = rustls::RootCertStore::empty();
    roots.add(pki.ca.clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let client = Client::builder()
        .base_url(server.https_url())
        .tls_config(config)
        .build()
        .unwrap();
    let response = client.get("/").send().await.unwrap();
    assert_eq!(response.version(), Version::HTTP_2);
}

#[tokio::test]
async fn without_built_in_roots_only_extra_roots_are_trusted() {
    let pki = Pki::new();
    let other = Pki::new();
    let server = tls_server(&pki).await;
    let client = Client::builder()
        .base_url(server.https_url())
        .built_in_roots(false)
        .add_root_certificate(other.ca.clone())
        .build()
        .unwrap();
    let error = client.get("/").send().await.unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::Tls);
}

#[tokio::test]
async fn danger_accept_invalid_certs_is_an_explicit_opt_out() {
    let pki = Pki::new();
    let server = tls_server(&pki).await;
    let client = Client::builder()
        .base_url(server.https_url())
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let response = client.get("/").send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn plain_http_still_works_alongside_tls() {
    let pki = Pki::new();
    let tls = tls_server(&pki).await;
    let plain = TestServer::start(|_| async { reply(200, "{}") }).await;
    let client = Client::builder()
        .add_root_certificate(pki.ca.clone())
        .build()
        .unwrap();
    let response = client
        .get(format!("{}/", plain.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.version(), Version::HTTP_11);
    let response = client
        .get(format!("{}/", tls.https_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.version(), Version::HTTP_2);
}
