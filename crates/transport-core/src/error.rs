//! The crate's error type: a kind to match on plus an optional source.

/// What went wrong building a TLS configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A root certificate (DER, or PEM text) does not parse.
    #[error("invalid root certificate")]
    InvalidRootCertificate,
    /// The ring provider rejected the default protocol versions.
    #[error("no usable TLS protocol version")]
    ProtocolVersions,
}

core_error::error_type! {
    /// An error from this crate: match on [`Error::kind`], keep the source for logs.
    pub struct Error(ErrorKind);
}
