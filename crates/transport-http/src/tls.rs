//! The rustls client configuration: ring provider, webpki roots plus extra ones, or a
//! caller-supplied config.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::{Error, ErrorKind};

/// TLS settings gathered by the builder.
#[derive(Debug, Clone)]
pub(crate) struct TlsOptions {
    pub(crate) built_in_roots: bool,
    pub(crate) extra_roots: Vec<CertificateDer<'static>>,
    pub(crate) custom: Option<ClientConfig>,
    pub(crate) accept_invalid_certs: bool,
}

impl Default for TlsOptions {
    fn default() -> Self {
        Self {
            built_in_roots: true,
            extra_roots: Vec::new(),
            custom: None,
            accept_invalid_certs: false,
        }
    }
}

impl TlsOptions {
    /// The config to hand to hyper-rustls. ALPN is left empty: the connector builder sets
    /// `h2, http/1.1` itself (and refuses a config that already has protocols).
    pub(crate) fn client_config(&self) -> Result<ClientConfig, Error> {
        let mut config = match &self.custom {
            Some(custom) => custom.clone(),
            None => self.default_config()?,
        };
        config.alpn_protocols.clear();
        if self.accept_invalid_certs {
            tracing::warn!("TLS certificate verification is disabled for this client");
            let algorithms = config.crypto_provider().signature_verification_algorithms;
            config
                .dangerous()
                .set_certificate_verifier(Arc::new(AcceptAnyCert { algorithms }));
        }
        Ok(config)
    }

    fn default_config(&self) -> Result<ClientConfig, Error> {
        let mut roots = RootCertStore::empty();
        if self.built_in_roots {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        for cert in &self.extra_roots {
            roots.add(cert.clone()).map_err(|e| {
                Error::with_source(
                    ErrorKind::Config {
                        reason: "an extra root certificate is invalid".to_owned(),
                    },
                    e,
                )
            })?;
        }
        // Explicitly ring: the workspace bans aws-lc-rs, and relying on a process-wide
        // default provider would break as soon as two providers are linked.
        let provider: Arc<CryptoProvider> = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| {
                Error::with_source(
                    ErrorKind::Config {
                        reason: "the ring provider rejected the default protocol versions"
                            .to_owned(),
                    },
                    e,
                )
            })?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(config)
    }
}

/// Accepts any certificate chain, but still checks that the server holds the key of the
/// certificate it presented (so the handshake itself stays sound).
#[derive(Debug)]
struct AcceptAnyCert {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for AcceptAnyCert {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_has_no_alpn() {
        let config = TlsOptions::default().client_config().unwrap();
        assert!(config.alpn_protocols.is_empty());
    }

    #[test]
    fn invalid_extra_root_is_a_config_error() {
        let options = TlsOptions {
            extra_roots: vec![CertificateDer::from(vec![1, 2, 3])],
            ..TlsOptions::default()
        };
        let error = options.client_config().unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Config { .. }));
    }

    #[test]
    fn custom_config_alpn_is_cleared() {
        let mut custom = TlsOptions::default().client_config().unwrap();
        custom.alpn_protocols = vec![b"h2".to_vec()];
        let options = TlsOptions {
            custom: Some(custom),
            ..TlsOptions::default()
        };
        assert!(options.client_config().unwrap().alpn_protocols.is_empty());
    }
}
