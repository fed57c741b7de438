//! The crate's error type: a kind to match on plus an optional source (see `core-error`).

/// The kinds of [`Error`] this crate reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A rate-limit header was present but its value could not be read.
    #[error("rate-limit header `{name}` has an invalid value")]
    HeaderInvalid {
        /// The header's name, lower-cased (for example `x-ratelimit-limit`).
        name: String,
    },
    /// The shared store (Redis) could not be reached or did not answer in time. Nothing was
    /// taken; waiting callers retry with backoff.
    #[error("the shared rate-limit store is unreachable")]
    StoreUnavailable,
    /// The shared store answered with something unusable (for example the key holds another
    /// type, or the address is invalid).
    #[error("the shared rate-limit store gave an unusable answer")]
    StoreReply,
}

core_error::error_type! {
    /// Why a rate-limit operation failed.
    ///
    /// Match on [`Error::kind`]; the crate may attach more detail as a source later without
    /// breaking callers.
    pub struct Error(ErrorKind);
}

/// What was wrong with a header value; the value itself is never echoed (it is untrusted
/// input and may be large).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Problem(pub(crate) &'static str);
