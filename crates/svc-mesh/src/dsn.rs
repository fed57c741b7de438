//! singyeong DSNs: `singyeong://app:password@host:port?encoding=json` (`ssingyeong://` for TLS).

use std::fmt;

use transport_http::Secret;
use url::Url;

use crate::error::{Error, ErrorKind};

/// A parsed DSN. The password is kept as a [`Secret`]: `Debug` never shows it.
///
/// ```
/// use svc_mesh::Dsn;
///
/// let dsn: Dsn = "ssingyeong://my-app:hunter2@mesh.example:4567?encoding=json".parse()?;
/// assert_eq!(dsn.application_id(), "my-app");
/// assert_eq!(dsn.gateway_url(), "wss://mesh.example:4567/gateway/websocket?encoding=json");
/// assert_eq!(dsn.http_base_url(), "https://mesh.example:4567");
/// assert!(!format!("{dsn:?}").contains("hunter2"));
/// # Ok::<(), svc_mesh::Error>(())
/// ```
#[derive(Clone)]
pub struct Dsn {
    application_id: String,
    password: Option<Secret>,
    host: String,
    port: u16,
    tls: bool,
}

impl Dsn {
    /// Parses a DSN. Only the `json` encoding is supported.
    pub fn parse(dsn: &str) -> Result<Self, Error> {
        let invalid = |reason: &str| {
            tracing::warn!(reason, "invalid singyeong DSN");
            Error::new(ErrorKind::InvalidDsn {
                reason: reason.to_owned(),
            })
        };
        let url = Url::parse(dsn).map_err(|_| invalid("not a URL"))?;
        let tls = match url.scheme() {
            "singyeong" => false,
            "ssingyeong" => true,
            _ => return Err(invalid("scheme must be singyeong:// or ssingyeong://")),
        };
        let application_id = url.username();
        if application_id.is_empty() {
            return Err(invalid("missing application id before `@`"));
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| invalid("missing host"))?;
        if !matches!(url.path(), "" | "/") {
            return Err(invalid("DSNs have no path"));
        }
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "encoding" if value == "json" => {}
                "encoding" => {
                    return Err(Error::new(ErrorKind::UnsupportedEncoding {
                        encoding: value.into_owned(),
                    }));
                }
                _ => return Err(invalid("unknown query parameter (only `encoding`)")),
            }
        }
        Ok(Self {
            application_id: application_id.to_owned(),
            password: url.password().map(Secret::new),
            host: host.to_owned(),
            port: url.port().unwrap_or(if tls { 443 } else { 80 }),
            tls,
        })
    }

    /// The application id (the DSN's user part).
    pub fn application_id(&self) -> &str {
        &self.application_id
    }

    /// The password, if the DSN has one.
    pub fn password(&self) -> Option<&Secret> {
        self.password.as_ref()
    }

    /// Host name or address.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Port (80 by default, 443 for `ssingyeong://`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether the connection uses TLS.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// `ws(s)://host:port/gateway/websocket?encoding=json`.
    pub fn gateway_url(&self) -> String {
        let scheme = if self.tls { "wss" } else { "ws" };
        format!(
            "{scheme}://{}:{}/gateway/websocket?encoding=json",
            self.host, self.port
        )
    }

    /// `http(s)://host:port`, the REST API's base.
    pub fn http_base_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}:{}", self.host, self.port)
    }
}

impl std::str::FromStr for Dsn {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

impl fmt::Debug for Dsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dsn")
            .field("application_id", &self.application_id)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples_parse() {
        for (dsn, app, port, tls, password) in [
            ("singyeong://test@localhost", "test", 80, false, None),
            (
                "ssingyeong://test:pass-word@localhost",
                "test",
                443,
                true,
                Some("pass-word"),
            ),
            ("singyeong://test@localhost:4567", "test", 4567, false, None),
            (
                "ssingyeong://test:pass~-word@localhost:4921/",
                "test",
                4921,
                true,
                Some("pass~-word"),
            ),
            (
                "singyeong://test:pass@localhost:21312?encoding=json",
                "test",
                21312,
                false,
                Some("pass"),
            ),
        ] {
            let parsed = Dsn::parse(dsn).unwrap();
            assert_eq!(parsed.application_id(), app, "{dsn}");
            assert_eq!(parsed.port(), port, "{dsn}");
            assert_eq!(parsed.is_tls(), tls, "{dsn}");
            assert_eq!(parsed.password().map(Secret::expose), password, "{dsn}");
            assert_eq!(parsed.host(), "localhost");
        }
    }

    #[test]
    fn bad_dsns_are_typed_errors_without_secrets() {
        let error = Dsn::parse("ssingyeong://test:pass@host:12321/?encoding=etf").unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::UnsupportedEncoding {
                encoding: "etf".into()
            }
        );
        for bad in [
            "http://a@b",
            "singyeong://localhost",
            "not a dsn",
            "singyeong://a:secretpw@h/path",
        ] {
            let error = Dsn::parse(bad).unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::InvalidDsn { .. }),
                "{bad}"
            );
            assert!(!error.to_string().contains("secretpw"));
        }
    }
}
