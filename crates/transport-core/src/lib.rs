//! What the two transports (`transport-http` and `transport-ws`) share, written once:
//!
//! - [`TlsConfig`]: the one rustls client configuration of the workspace (ring provider,
//!   webpki roots on or off, extra DER/PEM roots, a caller's own `ClientConfig`, and an
//!   explicit, logged opt-out of certificate verification). Both transports re-export it, so
//!   users never need to depend on this crate.
//! - [`redact`]: how URLs, headers and free text are shown in logs and errors without the
//!   secrets they carry (sensitive query values, userinfo, known secret values).
//! - [`Secret`]: a credential that never shows in `Debug`.
//!
//! ```
//! use transport_core::{TlsConfig, redact};
//!
//! let tls = TlsConfig::new().build()?; // webpki roots, verification on
//! assert!(tls.alpn_protocols.is_empty());
//!
//! let url = url::Url::parse("wss://user:pw@example.com/ws?v=10&token=abc").unwrap();
//! assert_eq!(redact::url(&url), "wss://redacted@example.com/ws?v=10&token=[redacted]");
//! # Ok::<(), transport_core::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod accept_any_cert;
mod error;
pub mod redact;
mod secret;
mod tls;

pub use error::{Error, ErrorKind};
pub use secret::Secret;
pub use tls::TlsConfig;
