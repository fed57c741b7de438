//! Transport compression modes and the per-connection inflater built from them.

use bytes::Bytes;

use crate::error::{Error, ErrorKind};
use crate::zlib_stream::ZlibStream;
use crate::zstd_stream::ZstdStream;

/// How the server compresses the messages it sends.
///
/// Only binary messages are inflated; text messages always pass through unchanged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Compression {
    /// No transport compression.
    #[default]
    None,
    /// One zlib stream per connection, each message ending in a sync flush (`00 00 ff ff`).
    /// Discord's `compress=zlib-stream`. See [`ZlibStream`].
    ZlibStream,
    /// One zstd stream per connection, each binary message a flushed segment of it.
    /// Discord's `compress=zstd-stream`. See [`ZstdStream`].
    ZstdStream,
}

/// The inflater of one connection: a fresh context per connection, never shared.
#[derive(Debug)]
pub(crate) enum Inflater {
    /// Pass binary messages through.
    None,
    /// zlib-stream (boxed: with the zlib-rs backend its state is large too).
    Zlib(Box<ZlibStream>),
    /// zstd-stream (boxed: the context is large).
    Zstd(Box<ZstdStream>),
}

impl Inflater {
    /// A fresh inflater for a new connection.
    pub(crate) fn new(compression: Compression, max_message_size: usize) -> Result<Self, Error> {
        Ok(match compression {
            Compression::None => Self::None,
            Compression::ZlibStream => Self::Zlib(Box::new(ZlibStream::new(max_message_size))),
            Compression::ZstdStream => Self::Zstd(Box::new(ZstdStream::new(max_message_size)?)),
        })
    }

    /// Feeds one binary message; returns a complete inflated message when there is one.
    pub(crate) fn push(&mut self, data: Bytes) -> Result<Option<Vec<u8>>, Error> {
        match self {
            Self::None => Ok(Some(Vec::from(data))),
            Self::Zlib(zlib) => zlib.push(&data),
            Self::Zstd(zstd) => zstd.push(&data),
        }
    }
}

/// Makes room in `out` for more inflated output, never beyond `max + 1` bytes of
/// capacity (one byte over the limit is how an oversize message is detected).
pub(crate) fn grow_output(out: &mut Vec<u8>, max: usize) -> Result<(), Error> {
    if out.len() > max {
        return Err(Error::new(ErrorKind::MessageTooLarge { max }));
    }
    if out.len() < out.capacity() {
        return Ok(());
    }
    let limit = max.saturating_add(1);
    let target = out.capacity().saturating_mul(2).max(4096).min(limit);
    out.reserve_exact(target.saturating_sub(out.len()).max(1));
    Ok(())
}

/// The initial output buffer for inflating `input_len` compressed bytes.
pub(crate) fn output_buffer(input_len: usize, max: usize) -> Vec<u8> {
    Vec::with_capacity(
        input_len
            .saturating_mul(4)
            .max(1024)
            .min(max.saturating_add(1)),
    )
}
