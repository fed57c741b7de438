//! Telling a Redis server that is down (or busy) apart from one that said no.

use redis::{ErrorKind, RedisError};

/// What a failed Redis call means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RedisFailure {
    /// The server could not be reached, dropped the connection, did not answer in time, or
    /// said it cannot serve right now (`LOADING`, `BUSY`, `TRYAGAIN`, `MASTERDOWN`,
    /// `CLUSTERDOWN`, `READONLY` during a failover). Nothing was done; retry with backoff.
    Unavailable,
    /// The server answered, but with something the caller cannot use: an error reply such
    /// as `WRONGTYPE` or a refused password, a reply that does not parse or convert, or an
    /// invalid address. Retrying the same call would fail the same way.
    Reply,
}

/// Classifies a Redis error; see [`RedisFailure`] for the two classes.
///
/// ```
/// use core_redis::{RedisFailure, classify};
///
/// let wrong_type = redis::make_extension_error("WRONGTYPE".to_owned(), None);
/// assert_eq!(classify(&wrong_type), RedisFailure::Reply);
/// ```
pub fn classify(error: &RedisError) -> RedisFailure {
    // Every I/O error (refused, reset, broken pipe, timed out, …) is the transport's.
    if error.is_io_error() {
        return RedisFailure::Unavailable;
    }
    match error.kind() {
        // The server (or cluster, or sentinel) is there but cannot serve yet: redis-rs
        // itself marks these "wait and retry". `READONLY` means a failover demoted the
        // node we write to; the connection manager finds the new master on reconnect.
        ErrorKind::BusyLoadingError
        | ErrorKind::TryAgain
        | ErrorKind::MasterDown
        | ErrorKind::ClusterDown
        | ErrorKind::ReadOnly
        | ErrorKind::ClusterConnectionNotFound
        | ErrorKind::MasterNameNotFoundBySentinel
        | ErrorKind::NoValidReplicasFoundBySentinel => RedisFailure::Unavailable,
        // `BUSY`: a script is running past its time limit; the server answers nothing
        // else until it ends or is killed. redis-rs has no kind for it.
        ErrorKind::ExtensionError if error.code() == Some("BUSY") => RedisFailure::Unavailable,
        _ => RedisFailure::Reply,
    }
}

#[cfg(test)]
mod tests {
    use std::io;

    use redis::{ErrorKind, RedisError, make_extension_error};

    use super::{RedisFailure, classify};

    fn io_error(kind: io::ErrorKind) -> RedisError {
        RedisError::from(io::Error::from(kind))
    }

    fn server_error(kind: ErrorKind, text: &'static str) -> RedisError {
        RedisError::from((kind, text))
    }

    fn extension(code: &str) -> RedisError {
        make_extension_error(code.to_owned(), Some("detail".to_owned()))
    }

    #[test]
    fn every_failure_lands_in_its_class() {
        use RedisFailure::{Reply, Unavailable};
        let table = [
            (
                "connection refused",
                io_error(io::ErrorKind::ConnectionRefused),
                Unavailable,
            ),
            (
                "connection reset",
                io_error(io::ErrorKind::ConnectionReset),
                Unavailable,
            ),
            (
                "broken pipe",
                io_error(io::ErrorKind::BrokenPipe),
                Unavailable,
            ),
            (
                "unexpected eof",
                io_error(io::ErrorKind::UnexpectedEof),
                Unavailable,
            ),
            (
                "response timeout",
                io_error(io::ErrorKind::TimedOut),
                Unavailable,
            ),
            (
                "other io error",
                io_error(io::ErrorKind::Other),
                Unavailable,
            ),
            (
                "CLUSTERDOWN",
                server_error(ErrorKind::ClusterDown, "CLUSTERDOWN"),
                Unavailable,
            ),
            (
                "TRYAGAIN",
                server_error(ErrorKind::TryAgain, "TRYAGAIN"),
                Unavailable,
            ),
            (
                "LOADING",
                server_error(ErrorKind::BusyLoadingError, "LOADING"),
                Unavailable,
            ),
            (
                "MASTERDOWN",
                server_error(ErrorKind::MasterDown, "MASTERDOWN"),
                Unavailable,
            ),
            (
                "READONLY",
                server_error(ErrorKind::ReadOnly, "READONLY"),
                Unavailable,
            ),
            ("BUSY", extension("BUSY"), Unavailable),
            ("WRONGTYPE", extension("WRONGTYPE"), Reply),
            ("NOPERM", extension("NOPERM"), Reply),
            ("ERR", server_error(ErrorKind::ResponseError, "ERR"), Reply),
            (
                "unparsable reply",
                server_error(ErrorKind::ParseError, "parse"),
                Reply,
            ),
            (
                "reply of another type",
                server_error(ErrorKind::TypeError, "type"),
                Reply,
            ),
            (
                "wrong password",
                server_error(ErrorKind::AuthenticationFailed, "auth"),
                Reply,
            ),
            (
                "invalid address",
                server_error(ErrorKind::InvalidClientConfig, "url"),
                Reply,
            ),
            (
                "NOSCRIPT",
                server_error(ErrorKind::NoScriptError, "NOSCRIPT"),
                Reply,
            ),
        ];
        for (name, error, expected) in table {
            assert_eq!(classify(&error), expected, "{name}: {error:?}");
        }
    }
}
