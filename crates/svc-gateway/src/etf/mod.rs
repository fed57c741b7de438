//! Erlang External Term Format for the gateway's `encoding=etf` (feature `etf`).
//!
//! Incoming terms are rewritten as JSON text and go through the same typed decode as JSON
//! payloads ([`Event::from_etf`]), so both encodings produce identical [`Event`]s: maps
//! become objects (atom, binary and integer keys become strings), binaries become strings
//! (they must be UTF-8), atoms `nil`/`true`/`false` become `null`/booleans and other atoms
//! strings, lists and tuples become arrays, integers up to 64 bits (Discord sends snowflakes
//! as integers over ETF) become numbers. Outgoing commands are encoded from the same
//! serde shapes as JSON ones: objects as maps with binary keys, strings as binaries, `null`
//! as the atom `nil`.
//!
//! ```
//! use svc_gateway::event::Event;
//!
//! // {op: 10, d: {heartbeat_interval: 41250}, s: nil, t: nil}
//! let mut hello = vec![131, 116, 0, 0, 0, 4];
//! hello.extend([119, 2, b'o', b'p', 97, 10]);
//! hello.extend([119, 1, b'd', 116, 0, 0, 0, 1]);
//! hello.extend([119, 18]);
//! hello.extend(b"heartbeat_interval");
//! hello.extend([98, 0, 0, 0xa1, 0x22]);
//! hello.extend([119, 1, b's', 119, 3, b'n', b'i', b'l']);
//! hello.extend([119, 1, b't', 119, 3, b'n', b'i', b'l']);
//! let Event::Hello(hello) = Event::from_etf(&hello).unwrap() else { panic!("not hello") };
//! assert_eq!(hello.heartbeat_interval, 41_250);
//! assert!(Event::from_etf(&[131, 116, 0, 0, 0, 9]).is_err());
//! ```

mod decode;
mod encode;
mod error;

pub(crate) use decode::to_json;
pub(crate) use encode::from_json;
pub use error::EtfError;

use crate::decode_error::{DecodeError, DecodeErrorKind};
use crate::event::Event;

impl Event {
    /// Decodes one full gateway payload in ETF (`encoding=etf`) into the same [`Event`] the
    /// JSON payload would give. Bad terms are a [`DecodeErrorKind::Malformed`] error whose
    /// source is an [`EtfError`] saying where and why.
    #[cfg_attr(docsrs, doc(cfg(feature = "etf")))]
    pub fn from_etf(bytes: &[u8]) -> Result<Event, DecodeError> {
        let mut json =
            to_json(bytes).map_err(|e| DecodeError::with_source(DecodeErrorKind::Malformed, e))?;
        Event::from_slice(&mut json)
    }
}
