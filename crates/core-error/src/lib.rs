//! The one error shape of every switchboard crate, written once.
//!
//! Each crate has a public `Error` holding a `kind` (an enum callers match on, marked
//! `#[non_exhaustive]` so detail can be added without breaking them) and an optional boxed
//! `source` (the lower-level error, kept for reporters). This is twilight's shape; the
//! [`error_type!`] macro generates it so that the thirteen crates cannot drift apart:
//!
//! - `kind()`, `into_source()`, `into_parts()` for callers;
//! - `new(kind)` and `with_source(kind, source)` for the crate itself (`pub(crate)`);
//! - `Display` prints the kind only. The source is reachable through
//!   [`std::error::Error::source`], and reporters (anyhow, tracing's `error` fields, `eyre`)
//!   walk that chain themselves: printing it in `Display` too would show it twice;
//! - `From<Kind>`, so `Err(ErrorKind::Timeout)?` works inside the crate.
//!
//! ```
//! /// What went wrong.
//! #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
//! #[non_exhaustive]
//! pub enum ErrorKind {
//!     /// The server did not answer in time.
//!     #[error("timed out")]
//!     Timeout,
//! }
//!
//! core_error::error_type! {
//!     /// An error from this crate.
//!     pub struct Error(ErrorKind);
//! }
//!
//! let error = Error::with_source(ErrorKind::Timeout, std::io::Error::other("reset"));
//! assert_eq!(error.to_string(), "timed out");
//! let source = std::error::Error::source(&error).map(ToString::to_string);
//! assert_eq!(source.as_deref(), Some("reset"));
//! assert_eq!(error.kind(), &ErrorKind::Timeout);
//! let (kind, source) = error.into_parts();
//! assert!(source.is_some() && kind == ErrorKind::Timeout);
//! ```
//!
//! Errors never flatten their source into a string (`format!("decode: {e}")`): keep it as
//! the source, so callers can downcast it and reporters print each cause once.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// A boxed error that can cross threads: what every `Error` keeps as its source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Defines a crate's `Error { kind, source }` type around its kind enum.
///
/// The kind must implement `Display` (usually through `thiserror::Error`) and `Debug`.
/// See the [crate docs](crate) for what is generated.
#[macro_export]
macro_rules! error_type {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($kind:ty);
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        $vis struct $name {
            kind: $kind,
            source: ::std::option::Option<$crate::BoxError>,
        }

        #[allow(dead_code)]
        impl $name {
            /// An error of `kind` without an underlying cause.
            pub(crate) const fn new(kind: $kind) -> Self {
                Self { kind, source: ::std::option::Option::None }
            }

            /// An error of `kind` caused by `source`.
            pub(crate) fn with_source(kind: $kind, source: impl ::std::convert::Into<$crate::BoxError>) -> Self {
                Self { kind, source: ::std::option::Option::Some(source.into()) }
            }

            /// What went wrong: the part to match on.
            #[must_use]
            pub const fn kind(&self) -> &$kind {
                &self.kind
            }

            /// The underlying error, if any.
            #[must_use]
            pub fn into_source(self) -> ::std::option::Option<$crate::BoxError> {
                self.source
            }

            /// The kind and the underlying error.
            #[must_use]
            pub fn into_parts(self) -> ($kind, ::std::option::Option<$crate::BoxError>) {
                (self.kind, self.source)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                // The kind only: the source is `source()`'s, and reporters print it from there.
                ::std::fmt::Display::fmt(&self.kind, f)
            }
        }

        impl ::std::error::Error for $name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                self.source
                    .as_deref()
                    .map(|source| source as &(dyn ::std::error::Error + 'static))
            }
        }

        impl ::std::convert::From<$kind> for $name {
            fn from(kind: $kind) -> Self {
                Self::new(kind)
            }
        }
    };
}

#[cfg(test)]
#[allow(unreachable_pub)] // the test error is private; real ones are `pub`
mod tests {
    use std::error::Error as _;

    /// Kinds for the test.
    #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
    pub(crate) enum Kind {
        #[error("handshake refused with HTTP {0}")]
        Handshake(u16),
        #[error("closed")]
        Closed,
    }

    crate::error_type! {
        /// A test error.
        pub(crate) struct TestError(Kind);
    }

    #[test]
    fn display_shows_the_kind_and_never_the_source() {
        let error = TestError::with_source(Kind::Handshake(401), "secret-bearing body");
        assert_eq!(error.to_string(), "handshake refused with HTTP 401");
        assert_eq!(
            error.source().map(ToString::to_string).as_deref(),
            Some("secret-bearing body")
        );
    }

    #[test]
    fn parts_and_conversions() {
        let error: TestError = Kind::Closed.into();
        assert_eq!(error.kind(), &Kind::Closed);
        assert!(error.source().is_none());
        let (kind, source) = error.into_parts();
        assert_eq!(kind, Kind::Closed);
        assert!(source.is_none());
        let io = TestError::with_source(Kind::Closed, std::io::Error::other("reset"));
        let source = io.into_source().expect("a source");
        assert!(source.downcast_ref::<std::io::Error>().is_some());
    }

    #[test]
    fn errors_cross_threads() {
        fn send_sync<T: Send + Sync + 'static>() {}
        send_sync::<TestError>();
    }
}
