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

/// Sizes the output buffer of the next message from the last one's ratio.
///
/// A connection's messages share one compression context, so once the dictionary is warm
/// a message inflates to 10× its wire size or more; a fixed guess would regrow (copy) the
/// buffer and call the inflater again for most messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OutputEstimate {
    /// Inflated bytes per compressed byte to plan for, rounded up with a margin.
    ratio: usize,
}

impl OutputEstimate {
    /// The ratio planned for before any message, and the least ever planned for.
    const MIN_RATIO: usize = 4;
    /// The most ever planned for: what a hostile stream can make us reserve up front (the
    /// buffer never exceeds the maximum message size either way).
    const MAX_RATIO: usize = 64;

    pub(crate) const fn new() -> Self {
        Self {
            ratio: Self::MIN_RATIO,
        }
    }

    /// The initial output buffer for inflating `input_len` compressed bytes.
    pub(crate) fn buffer(self, input_len: usize, max: usize) -> Vec<u8> {
        Vec::with_capacity(
            input_len
                .saturating_mul(self.ratio)
                .max(1024)
                .min(max.saturating_add(1)),
        )
    }

    /// Learns from a message that inflated `input_len` bytes into `output_len`.
    pub(crate) fn learn(&mut self, input_len: usize, output_len: usize) {
        let ratio = output_len.div_ceil(input_len.max(1)).saturating_add(1);
        self.ratio = ratio.clamp(Self::MIN_RATIO, Self::MAX_RATIO);
    }
}

#[cfg(test)]
mod tests {
    use super::OutputEstimate;

    #[test]
    fn the_estimate_follows_the_last_ratio_within_its_bounds() {
        let mut estimate = OutputEstimate::new();
        assert_eq!(estimate.buffer(1_000, 1 << 20).capacity(), 4_000);
        // 10× plus the margin.
        estimate.learn(1_000, 10_000);
        assert_eq!(estimate.buffer(1_000, 1 << 20).capacity(), 11_000);
        // A hostile ratio plans for at most 64×, and never past the maximum message size.
        estimate.learn(1, 1 << 20);
        assert_eq!(estimate.buffer(1_000, 1 << 20).capacity(), 64_000);
        assert_eq!(estimate.buffer(100_000, 1 << 20).capacity(), (1 << 20) + 1);
        // Empty messages and incompressible data fall back to the least ratio.
        estimate.learn(0, 0);
        assert_eq!(estimate.buffer(1_000, 1 << 20).capacity(), 4_000);
        estimate.learn(1_000, 900);
        assert_eq!(estimate.buffer(10, 1 << 20).capacity(), 1_024);
    }
}
