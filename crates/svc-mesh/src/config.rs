//! Client configuration, built from a DSN.

use std::time::Duration;

use transport_ws::Backoff;

use crate::dsn::Dsn;
use crate::error::{Error, ErrorKind};
use crate::metadata::Metadata;

/// Everything a [`MeshClient`](crate::MeshClient) needs; see [`MeshConfig::builder`].
#[derive(Debug, Clone)]
pub struct MeshConfig {
    pub(crate) dsn: Dsn,
    pub(crate) client_id: String,
    pub(crate) namespace: Option<String>,
    pub(crate) ip: Option<String>,
    pub(crate) receive_client_updates: bool,
    pub(crate) metadata: Metadata,
    pub(crate) reconnect: Backoff,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
}

impl MeshConfig {
    /// Starts a configuration from a DSN (`singyeong://app:password@host:port`).
    pub fn builder(dsn: &str) -> MeshConfigBuilder {
        MeshConfigBuilder {
            dsn: dsn.to_owned(),
            config: Options {
                client_id: None,
                namespace: None,
                ip: None,
                receive_client_updates: false,
                metadata: Metadata::new(),
                reconnect: Backoff::new()
                    .initial_delay(Duration::from_millis(500))
                    .max_delay(Duration::from_secs(30)),
                connect_timeout: Duration::from_secs(15),
                request_timeout: Duration::from_secs(10),
            },
        }
    }

    /// The DSN.
    pub fn dsn(&self) -> &Dsn {
        &self.dsn
    }

    /// This client's id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

#[derive(Debug)]
struct Options {
    client_id: Option<String>,
    namespace: Option<String>,
    ip: Option<String>,
    receive_client_updates: bool,
    metadata: Metadata,
    reconnect: Backoff,
    connect_timeout: Duration,
    request_timeout: Duration,
}

/// Builds a [`MeshConfig`]; problems are reported by [`build`](Self::build).
///
/// ```
/// use std::time::Duration;
/// use svc_mesh::{MeshConfig, Metadata};
///
/// let config = MeshConfig::builder("singyeong://orders:secret@127.0.0.1:4567")
///     .client_id("orders-1")
///     .namespace("prod")
///     .receive_client_updates(true)
///     .metadata(Metadata::new().with("region", "eu")?)
///     .request_timeout(Duration::from_secs(5))
///     .build()?;
/// assert_eq!(config.client_id(), "orders-1");
/// assert_eq!(config.dsn().application_id(), "orders");
/// # Ok::<(), svc_mesh::Error>(())
/// ```
#[derive(Debug)]
#[must_use]
pub struct MeshConfigBuilder {
    dsn: String,
    config: Options,
}

impl MeshConfigBuilder {
    fn options(&mut self) -> &mut Options {
        &mut self.config
    }

    /// A unique client id without spaces (default: 32 random hex digits).
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.options().client_id = Some(id.into());
        self
    }

    /// Sets the `namespace` metadata key at identify.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.options().namespace = Some(namespace.into());
        self
    }

    /// The address the server proxies HTTP requests for this client to (`host:port` or a
    /// `http(s)://` URL); default: the connection's source address.
    pub fn ip(mut self, ip: impl Into<String>) -> Self {
        self.options().ip = Some(ip.into());
        self
    }

    /// Receive `CLIENT_CONNECTED` / `CLIENT_DISCONNECTED` events (ignored when restricted).
    pub fn receive_client_updates(mut self, receive: bool) -> Self {
        self.options().receive_client_updates = receive;
        self
    }

    /// Metadata set at identify (and restored after every reconnect).
    pub fn metadata(mut self, metadata: Metadata) -> Self {
        self.options().metadata = metadata;
        self
    }

    /// Reconnect backoff (default 0.5 s doubling to 30 s, with jitter).
    pub fn backoff(mut self, policy: Backoff) -> Self {
        self.options().reconnect = policy;
        self
    }

    /// How long [`MeshClient::connect`](crate::MeshClient::connect) waits for READY (default 15 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.options().connect_timeout = timeout;
        self
    }

    /// Default wait for request replies and queue confirmations (default 10 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.options().request_timeout = timeout;
        self
    }

    /// Validates and builds.
    pub fn build(self) -> Result<MeshConfig, Error> {
        let dsn = Dsn::parse(&self.dsn)?;
        let options = self.config;
        let client_id = options.client_id.unwrap_or_else(random_client_id);
        check_id("client_id", &client_id)?;
        check_id("application_id", dsn.application_id())?;
        Ok(MeshConfig {
            dsn,
            client_id,
            namespace: options.namespace,
            ip: options.ip,
            receive_client_updates: options.receive_client_updates,
            metadata: options.metadata,
            reconnect: options.reconnect,
            connect_timeout: options.connect_timeout,
            request_timeout: options.request_timeout,
        })
    }
}

fn check_id(field: &'static str, id: &str) -> Result<(), Error> {
    let reason = if id.is_empty() {
        "must not be empty"
    } else if id.contains(char::is_whitespace) {
        "must not contain whitespace"
    } else {
        return Ok(());
    };
    tracing::warn!(field, reason, "invalid singyeong id");
    Err(Error::new(ErrorKind::InvalidId { field, reason }))
}

fn random_client_id() -> String {
    use rand::Rng as _;
    let bits: u128 = rand::rng().random();
    format!("{bits:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_and_generated() {
        let config = MeshConfig::builder("singyeong://app@localhost")
            .build()
            .unwrap();
        assert_eq!(config.client_id().len(), 32);
        let other = MeshConfig::builder("singyeong://app@localhost")
            .build()
            .unwrap();
        assert_ne!(config.client_id(), other.client_id());
        let error = MeshConfig::builder("singyeong://app@localhost")
            .client_id("has space")
            .build()
            .unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::InvalidId {
                field: "client_id",
                reason: "must not contain whitespace"
            }
        );
    }
}
