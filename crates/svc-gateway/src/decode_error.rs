//! Why a gateway payload could not be decoded.

core_error::error_type! {
    /// A gateway payload that could not be decoded. Decoding never panics: malformed,
    /// truncated or oversized input ends here. `Display` shows the kind; the parser's error
    /// (where it went wrong) is [`source()`](std::error::Error::source).
    pub struct DecodeError(DecodeErrorKind);
}

/// What was wrong with the payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// Not valid JSON, or valid JSON of the wrong shape (the source says where).
    #[error("malformed gateway payload")]
    Malformed,
    /// No `op` field.
    #[error("gateway payload has no opcode")]
    MissingOpcode,
    /// An opcode a server never sends.
    #[error("unknown or unexpected opcode {op}")]
    UnknownOpcode {
        /// The opcode.
        op: u64,
    },
    /// A dispatch (op 0) without an event name.
    #[error("dispatch without an event name")]
    MissingEventName,
    /// An opcode that needs `d` came without one.
    #[error("opcode {op} came without data")]
    MissingData {
        /// The opcode.
        op: u8,
    },
}
