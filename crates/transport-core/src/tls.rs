//! [`TlsConfig`]: the one rustls client configuration of the workspace.

use std::fmt;
use std::sync::{Arc, OnceLock};

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};

use crate::accept_any_cert::AcceptAnyCert;
use crate::error::{Error, ErrorKind};

/// Which servers a TLS client trusts: rustls with the ring provider, certificate
/// verification on.
///
/// By default the Mozilla roots bundled by `webpki-roots`. Extra roots (a test CA, a private
/// CA) can be added, the bundled ones switched off, or a complete rustls [`ClientConfig`]
/// passed for anything else (client certificates, ...). Verification is switched off only
/// by the explicit [`danger_accept_invalid_certs`](Self::danger_accept_invalid_certs), and
/// [`build`](Self::build) logs a warning every time it does.
///
/// ```
/// use transport_core::{ErrorKind, TlsConfig};
///
/// let tls = TlsConfig::new().add_root_certificate_der(vec![1, 2, 3]);
/// // Certificates are checked when the configuration is built.
/// assert_eq!(tls.build().unwrap_err().kind(), &ErrorKind::InvalidRootCertificate);
/// ```
#[derive(Clone)]
#[must_use]
pub struct TlsConfig {
    webpki_roots: bool,
    der_roots: Vec<CertificateDer<'static>>,
    pem_roots: Vec<Vec<u8>>,
    client_config: Option<Arc<ClientConfig>>,
    accept_invalid_certs: bool,
}

impl fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConfig")
            .field("webpki_roots", &self.webpki_roots)
            .field(
                "extra_roots",
                &(self.der_roots.len() + self.pem_roots.len()),
            )
            .field("custom_client_config", &self.client_config.is_some())
            .field("accept_invalid_certs", &self.accept_invalid_certs)
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
    pub const fn new() -> Self {
        Self {
            webpki_roots: true,
            der_roots: Vec::new(),
            pem_roots: Vec::new(),
            client_config: None,
            accept_invalid_certs: false,
        }
    }

    /// Also trust this DER-encoded root certificate.
    pub fn add_root_certificate_der(self, der: impl Into<Vec<u8>>) -> Self {
        self.add_root_certificate(CertificateDer::from(der.into()))
    }

    /// Also trust this root certificate.
    pub fn add_root_certificate(mut self, certificate: CertificateDer<'static>) -> Self {
        self.der_roots.push(certificate);
        self
    }

    /// Also trust every certificate in this PEM text.
    pub fn add_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.pem_roots.push(pem.into());
        self
    }

    /// Whether to trust the bundled webpki (Mozilla) roots (default `true`).
    pub const fn webpki_roots(mut self, enabled: bool) -> Self {
        self.webpki_roots = enabled;
        self
    }

    /// Do not trust the bundled webpki roots; only the ones added explicitly.
    pub const fn without_webpki_roots(self) -> Self {
        self.webpki_roots(false)
    }

    /// Use this rustls configuration (roots set here are then ignored). Build it with
    /// `ClientConfig::builder_with_provider(rustls::crypto::ring::default_provider().into())`:
    /// the workspace links no other crypto provider.
    pub fn from_client_config(config: Arc<ClientConfig>) -> Self {
        Self::new().client_config(config)
    }

    /// Replaces the configuration built from roots with `config`.
    pub fn client_config(mut self, config: Arc<ClientConfig>) -> Self {
        self.client_config = Some(config);
        self
    }

    /// **Disables certificate verification**: any certificate for any name is accepted (the
    /// handshake signature is still checked). Off by default; for local experiments with
    /// self-signed servers only, never in production. Every [`build`](Self::build) with it on
    /// logs a warning.
    pub const fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.accept_invalid_certs = accept;
        self
    }

    /// Whether [`danger_accept_invalid_certs`](Self::danger_accept_invalid_certs) is on.
    pub const fn accepts_invalid_certs(&self) -> bool {
        self.accept_invalid_certs
    }

    /// Builds the rustls configuration: ring provider, safe default protocol versions, no
    /// client authentication, no ALPN (unless a given config has some).
    ///
    /// The default configuration ([`TlsConfig::new`] unchanged) is built once per process
    /// and shared, as rustls advises: its session cache then lets any client's reconnect
    /// resume, and a process with a thousand gateway shards holds one root store and one
    /// cache instead of a thousand (about 22 KiB each).
    pub fn build(&self) -> Result<Arc<ClientConfig>, Error> {
        static DEFAULT: OnceLock<Arc<ClientConfig>> = OnceLock::new();
        if self.is_default() {
            if let Some(config) = DEFAULT.get() {
                return Ok(Arc::clone(config));
            }
            let config = Arc::new(self.config_from_roots()?);
            return Ok(Arc::clone(DEFAULT.get_or_init(|| config)));
        }
        let config = match &self.client_config {
            Some(config) if !self.accept_invalid_certs => return Ok(Arc::clone(config)),
            Some(config) => ClientConfig::clone(config),
            None => self.config_from_roots()?,
        };
        Ok(Arc::new(if self.accept_invalid_certs {
            tracing::warn!("TLS certificate verification is disabled for this client");
            AcceptAnyCert::install(config)
        } else {
            config
        }))
    }

    /// Whether this is [`TlsConfig::new`] unchanged.
    fn is_default(&self) -> bool {
        self.webpki_roots
            && self.der_roots.is_empty()
            && self.pem_roots.is_empty()
            && self.client_config.is_none()
            && !self.accept_invalid_certs
    }

    fn config_from_roots(&self) -> Result<ClientConfig, Error> {
        let mut roots = RootCertStore::empty();
        if self.webpki_roots {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        for certificate in &self.der_roots {
            roots
                .add(certificate.clone())
                .map_err(|source| invalid_root("root certificate does not parse", source))?;
        }
        for pem in &self.pem_roots {
            let mut found = false;
            for certificate in CertificateDer::pem_slice_iter(pem) {
                let certificate = certificate
                    .map_err(|source| invalid_root("PEM root does not parse", source))?;
                roots
                    .add(certificate)
                    .map_err(|source| invalid_root("root certificate does not parse", source))?;
                found = true;
            }
            if !found {
                return Err(invalid_root(
                    "PEM root does not parse",
                    "no certificate in PEM text",
                ));
            }
        }
        // Explicitly ring: the workspace bans aws-lc-rs, and relying on a process-wide
        // default provider would break as soon as two providers are linked.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|source| Error::with_source(ErrorKind::ProtocolVersions, source))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(config)
    }
}

fn invalid_root(what: &'static str, source: impl Into<core_error::BoxError>) -> Error {
    let error = Error::with_source(ErrorKind::InvalidRootCertificate, source);
    tracing::warn!(error = ?std::error::Error::source(&error), "{what}");
    error
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::TlsConfig;
    use crate::error::ErrorKind;

    #[test]
    fn default_builds_with_webpki_roots_and_no_alpn() {
        let config = TlsConfig::new().build().unwrap();
        assert!(config.alpn_protocols.is_empty());
        assert!(TlsConfig::new().without_webpki_roots().build().is_ok());
    }

    #[test]
    fn the_default_config_is_built_once_and_shared_and_no_other() {
        let first = TlsConfig::new().build().unwrap();
        assert!(Arc::ptr_eq(&first, &TlsConfig::default().build().unwrap()));
        let without_roots = TlsConfig::new().without_webpki_roots().build().unwrap();
        assert!(!Arc::ptr_eq(&first, &without_roots));
        let dangerous = TlsConfig::new()
            .danger_accept_invalid_certs(true)
            .build()
            .unwrap();
        assert!(!Arc::ptr_eq(&first, &dangerous));
        assert!(!Arc::ptr_eq(
            &dangerous,
            &TlsConfig::new()
                .danger_accept_invalid_certs(true)
                .build()
                .unwrap()
        ));
    }

    #[test]
    fn bad_roots_are_typed_errors() {
        let error = TlsConfig::new()
            .add_root_certificate_der(b"nope".to_vec())
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::InvalidRootCertificate);
        let error = TlsConfig::new()
            .add_root_certificates_pem(b"not pem".to_vec())
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::InvalidRootCertificate);
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

    #[test]
    fn a_given_config_is_used_as_is_unless_verification_is_disabled() {
        let mut custom = Arc::unwrap_or_clone(TlsConfig::new().build().unwrap());
        custom.alpn_protocols = vec![b"h2".to_vec()];
        let custom = Arc::new(custom);
        let built = TlsConfig::from_client_config(Arc::clone(&custom))
            .build()
            .unwrap();
        assert!(Arc::ptr_eq(&built, &custom));
        let dangerous = TlsConfig::from_client_config(Arc::clone(&custom))
            .danger_accept_invalid_certs(true)
            .build()
            .unwrap();
        assert!(!Arc::ptr_eq(&dangerous, &custom));
        assert_eq!(dangerous.alpn_protocols, custom.alpn_protocols);
    }

    #[test]
    fn debug_shows_the_opt_out() {
        let shown = format!("{:?}", TlsConfig::new().danger_accept_invalid_certs(true));
        assert!(shown.contains("accept_invalid_certs: true"), "{shown}");
    }
}
