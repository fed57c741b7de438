//! The rustls client configuration for hyper-rustls, from the workspace's one
//! [`TlsConfig`] (transport-core).

use std::sync::Arc;

use rustls::ClientConfig;
use transport_core::TlsConfig;

use crate::{Error, ErrorKind};

/// The config to hand to hyper-rustls. ALPN is left empty: the connector builder sets
/// `h2, http/1.1` itself (and refuses a config that already has protocols).
pub(crate) fn client_config(tls: &TlsConfig) -> Result<ClientConfig, Error> {
    let mut config = Arc::unwrap_or_clone(tls.build().map_err(|error| {
        let reason = format!("unusable TLS settings ({})", error.kind());
        Error::with_source(ErrorKind::Config { reason }, error)
    })?);
    config.alpn_protocols.clear();
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_has_no_alpn() {
        let config = client_config(&TlsConfig::new()).unwrap();
        assert!(config.alpn_protocols.is_empty());
    }

    #[test]
    fn invalid_extra_root_is_a_config_error() {
        let tls = TlsConfig::new().add_root_certificate_der(vec![1, 2, 3]);
        let error = client_config(&tls).unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Config { .. }));
        let source = std::error::Error::source(&error).expect("the TLS error is kept");
        assert!(source.is::<transport_core::Error>());
    }

    #[test]
    fn custom_config_alpn_is_cleared() {
        let mut custom = client_config(&TlsConfig::new()).unwrap();
        custom.alpn_protocols = vec![b"h2".to_vec()];
        let tls = TlsConfig::from_client_config(Arc::new(custom));
        assert!(client_config(&tls).unwrap().alpn_protocols.is_empty());
    }
}
