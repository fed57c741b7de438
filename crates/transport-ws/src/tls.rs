//! TLS settings for `wss://`: rustls with the ring provider, certificate verification always on.

use std::fmt;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};

use crate::error::{Error, ErrorKind};

/// Which certificate authorities `wss://` servers are verified against.
///
/// By default the Mozilla roots bundled by `webpki-roots`. Extra roots (a test CA, a private
/// CA) can be added; verification itself is never switched off. For anything else (client
/// certificates, ALPN, ...) pass a complete rustls [`ClientConfig`].
///
/// ```
/// use transport_ws::TlsConfig;
///
/// let tls = TlsConfig::new().add_root_certificate_der(vec![1, 2, 3]);
/// // Certificates are checked when the configuration is built.
/// assert!(tls.build().is_err());
/// ```
#[derive(Clone)]
pub struct TlsConfig {
    webpki_roots: bool,
    extra_roots: Vec<Vec<u8>>,
    pem_roots: Vec<Vec<u8>>,
    client_config: Option<Arc<ClientConfig>>,
}

impl fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConfig")
            .field("webpki_roots", &self.webpki_roots)
            .field(
                "extra_roots",
                &(self.extra_roots.len() + self.pem_roots.len()),
            )
            .field("custom_client_config", &self.client_config.is_some())
            .finish()
    }
}

impl Default for TlsConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl TlsConfig {
    /// Verify against the bundled webpki (Mozilla) roots.
    pub fn new() -> Self {
        Self {
            webpki_roots: true,
            extra_roots: Vec::new(),
            pem_roots: Vec::new(),
            client_config: None,
        }
    }

    /// Also trust this DER-encoded root certificate.
    #[must_use]
    pub fn add_root_certificate_der(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.extra_roots.push(der.into());
        self
    }

    /// Also trust every certificate in this PEM text.
    #[must_use]
    pub fn add_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.pem_roots.push(pem.into());
        self
    }

    /// Do not trust the bundled webpki roots; only the ones added explicitly.
    #[must_use]
    pub fn without_webpki_roots(mut self) -> Self {
        self.webpki_roots = false;
        self
    }

    /// Use this rustls configuration as is (the other settings are ignored).
    pub fn from_client_config(config: Arc<ClientConfig>) -> Self {
        Self {
            client_config: Some(config),
            ..Self::new()
        }
    }

    /// Builds the rustls configuration: ring provider, safe default protocol versions,
    /// no client authentication.
    pub fn build(&self) -> Result<Arc<ClientConfig>, Error> {
        if let Some(config) = &self.client_config {
            return Ok(Arc::clone(config));
        }
        let mut roots = RootCertStore::empty();
        if self.webpki_roots {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        for der in &self.extra_roots {
            roots
                .add(CertificateDer::from(der.clone()))
                .map_err(|source| tls_config_error("root certificate does not parse", source))?;
        }
        for pem in &self.pem_roots {
            let mut found = false;
            for certificate in CertificateDer::pem_slice_iter(pem) {
                let certificate = certificate
                    .map_err(|source| tls_config_error("PEM root does not parse", source))?;
                roots.add(certificate).map_err(|source| {
                    tls_config_error("root certificate does not parse", source)
                })?;
                found = true;
            }
            if !found {
                return Err(tls_config_error(
                    "PEM root does not parse",
                    "no certificate in PEM text",
                ));
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|source| tls_config_error("no usable protocol version", source))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Arc::new(config))
    }
}

fn tls_config_error(
    what: &'static str,
    source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
) -> Error {
    let error = Error::with_source(ErrorKind::TlsConfig, source);
    tracing::warn!(error = ?std::error::Error::source(&error), "{what}");
    error
}

#[cfg(test)]
mod tests {
    use super::TlsConfig;
    use crate::error::ErrorKind;

    #[test]
    fn default_builds_with_webpki_roots() {
        assert!(TlsConfig::new().build().is_ok());
        assert!(TlsConfig::new().without_webpki_roots().build().is_ok());
    }

    #[test]
    fn bad_roots_are_typed_errors() {
        let error = TlsConfig::new()
            .add_root_certificate_der(b"nope".to_vec())
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::TlsConfig);
        let error = TlsConfig::new()
            .add_root_certificates_pem(b"not pem".to_vec())
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::TlsConfig);
    }

    #[test]
    fn pem_root_is_accepted() {
        let ca = rcgen::generate_simple_self_signed(vec!["ca.test".to_owned()]).unwrap();
        assert!(
            TlsConfig::new()
                .without_webpki_roots()
                .add_root_certificates_pem(ca.cert.pem())
                .build()
                .is_ok()
        );
    }
}
