//! zstd-stream: one streaming decoder for the whole connection.

use zstd::stream::raw::{DParameter, Decoder, InBuffer, Operation, OutBuffer};

use crate::compression::{OutputEstimate, grow_output};
use crate::error::{Error, ErrorKind};

/// Inflater for a zstd stream shared by all messages of one connection (Discord's
/// `compress=zstd-stream`).
///
/// The server keeps one compression context for the connection and flushes after every
/// message, so each binary WebSocket message is a flushed segment of a single, never-ending
/// zstd frame. One streaming decoder must see every message of its connection, in order; a
/// new connection needs a new `ZstdStream`. Inflated output is bounded by the maximum message
/// size given to [`ZstdStream::new`], and so is the decoder's history window: a frame whose
/// header declares a larger window (zstd would otherwise allocate up to 128 MiB for any
/// server that asks) is refused with [`ErrorKind::MessageTooLarge`] before anything is
/// allocated for it. The server's window must therefore fit the maximum message size
/// (rounded up to a power of two, at least 1 KiB).
///
/// ```
/// use zstd::stream::raw::{CParameter, Encoder, InBuffer, Operation, OutBuffer};
/// use transport_ws::ZstdStream;
///
/// // What a server does: one encoder, a flush after each message. Its window (here 4 KiB)
/// // must fit the client's maximum message size.
/// let mut encoder = Encoder::new(3).unwrap();
/// encoder.set_parameter(CParameter::WindowLog(12)).unwrap();
/// let mut wire = vec![0; 256];
/// let mut output = OutBuffer::around(&mut wire[..]);
/// encoder.run(&mut InBuffer::around(b"{\"op\":10}"), &mut output).unwrap();
/// encoder.flush(&mut output).unwrap();
/// let written = output.pos();
///
/// let mut inflater = ZstdStream::new(4096).unwrap();
/// assert_eq!(inflater.push(&wire[..written]).unwrap().as_deref(), Some(&b"{\"op\":10}"[..]));
/// ```
pub struct ZstdStream {
    decoder: Decoder<'static>,
    max_message_size: usize,
}

impl std::fmt::Debug for ZstdStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZstdStream")
            .field("max_message_size", &self.max_message_size)
            .finish_non_exhaustive()
    }
}

impl ZstdStream {
    /// A fresh decoder; messages inflating to more than `max_message_size` bytes are rejected
    /// with [`ErrorKind::MessageTooLarge`].
    pub fn new(max_message_size: usize) -> Result<Self, Error> {
        let mut decoder =
            Decoder::new().map_err(|source| Error::with_source(ErrorKind::Decompress, source))?;
        decoder
            .set_parameter(DParameter::WindowLogMax(window_log_max(max_message_size)))
            .map_err(|source| Error::with_source(ErrorKind::Decompress, source))?;
        Ok(Self {
            decoder,
            max_message_size,
        })
    }

    /// Inflates one binary WebSocket message.
    ///
    /// Returns `Ok(None)` when the message carried no payload bytes (e.g. only a frame
    /// header). After an error the stream is unusable: the connection must be dropped.
    pub fn push(&mut self, message: &[u8]) -> Result<Option<Vec<u8>>, Error> {
        let max = self.max_message_size;
        let mut input = InBuffer::around(message);
        // A fixed 4× guess: planning from the last message's ratio, as zlib-stream does,
        // measured 1–2 % slower here (larger, colder allocations for zstd's fast decoder).
        let mut out = OutputEstimate::new().buffer(message.len(), max);
        loop {
            grow_output(&mut out, max)?;
            let before = (input.pos(), out.len());
            {
                let position = out.len();
                let mut output = OutBuffer::around_pos(&mut out, position);
                self.decoder
                    .run(&mut input, &mut output)
                    .map_err(|source| decode_error(source, max))?;
            }
            if out.len() > max {
                tracing::warn!(max, "zstd-stream message exceeds the maximum size");
                return Err(Error::new(ErrorKind::MessageTooLarge { max }));
            }
            // zstd promises: output not full after a call means everything decodable from the
            // input given so far has been written.
            if input.pos() == message.len() && out.len() < out.capacity() {
                break;
            }
            if before == (input.pos(), out.len()) && out.len() < out.capacity() {
                return Err(Error::new(ErrorKind::Decompress));
            }
        }
        Ok((!out.is_empty()).then_some(out))
    }
}

/// The smallest window zstd knows (`ZSTD_WINDOWLOG_MIN`, stable in the format spec).
const MIN_WINDOW_LOG: u32 = 10;
/// The largest window zstd accepts on 64-bit targets (`ZSTD_WINDOWLOG_MAX_64`).
const MAX_WINDOW_LOG: u32 = 31;
/// zstd's `ZSTD_error_frameParameter_windowTooLarge` (stable error codes since zstd 1.3.1).
const WINDOW_TOO_LARGE: usize = 16;

/// `log2` of the largest window a decoder bounded by `max_message_size` accepts: the
/// message size rounded up to a power of two.
fn window_log_max(max_message_size: usize) -> u32 {
    let ceil_log2 = usize::BITS - max_message_size.saturating_sub(1).leading_zeros();
    ceil_log2.clamp(MIN_WINDOW_LOG, MAX_WINDOW_LOG)
}

/// Classifies a decoder failure: a frame asking for a window past the cap is an oversize
/// message (close 1009); anything else is undecodable data (close 1007).
fn decode_error(source: std::io::Error, max: usize) -> Error {
    // The zstd crate reports failures as I/O errors carrying zstd's error name.
    let too_large = zstd::zstd_safe::get_error_name(0usize.wrapping_sub(WINDOW_TOO_LARGE));
    if source.to_string() == too_large {
        tracing::warn!(
            max,
            "zstd-stream frame asks for a window past the maximum size"
        );
        Error::with_source(ErrorKind::MessageTooLarge { max }, source)
    } else {
        tracing::warn!(error = %source, "zstd-stream data does not decode");
        Error::with_source(ErrorKind::Decompress, source)
    }
}

#[cfg(test)]
mod tests {
    use super::{ZstdStream, window_log_max};
    use crate::error::ErrorKind;
    use zstd::stream::raw::{CParameter, Encoder, InBuffer, Operation, OutBuffer};

    /// A server's encoder whose window (8 KiB) fits every maximum size used here.
    fn encoder(level: i32) -> Encoder<'static> {
        let mut encoder = Encoder::new(level).unwrap();
        encoder.set_parameter(CParameter::WindowLog(13)).unwrap();
        encoder
    }

    /// What a zstd-stream server does per message: compress, then flush.
    fn compress(encoder: &mut Encoder<'static>, message: &[u8]) -> Vec<u8> {
        let mut out = vec![0; message.len() + 1024];
        let mut output = OutBuffer::around(&mut out[..]);
        let mut input = InBuffer::around(message);
        while input.pos() < message.len() {
            encoder.run(&mut input, &mut output).unwrap();
        }
        while encoder.flush(&mut output).unwrap() > 0 {}
        let written = output.pos();
        out.truncate(written);
        out
    }

    fn message(i: usize) -> Vec<u8> {
        format!(r#"{{"op":0,"s":{i},"t":"MESSAGE_CREATE","d":{{"content":"hello number {i}"}}}}"#)
            .into_bytes()
    }

    #[test]
    fn many_messages_share_one_context() {
        let mut encoder = encoder(3);
        let mut inflater = ZstdStream::new(1 << 20).unwrap();
        let mut total_wire = 0;
        for i in 0..200 {
            let wire = compress(&mut encoder, &message(i));
            total_wire += wire.len();
            assert_eq!(inflater.push(&wire).unwrap(), Some(message(i)));
        }
        assert!(total_wire < 200 * message(100).len() / 2, "{total_wire}");
    }

    #[test]
    fn large_message_grows_the_output() {
        let big: Vec<u8> = (0..300_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let mut encoder = encoder(1);
        let wire = compress(&mut encoder, &big);
        let mut inflater = ZstdStream::new(big.len()).unwrap();
        assert_eq!(inflater.push(&wire).unwrap(), Some(big));
    }

    #[test]
    fn inflated_size_is_bounded() {
        let zeros = vec![0u8; 10_000];
        let mut encoder = encoder(3);
        let wire = compress(&mut encoder, &zeros);
        let mut inflater = ZstdStream::new(9_999).unwrap();
        let error = inflater.push(&wire).unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::MessageTooLarge { max: 9_999 });
        let mut inflater = ZstdStream::new(10_000).unwrap();
        assert_eq!(inflater.push(&wire).unwrap(), Some(zeros));
    }

    #[test]
    fn window_follows_the_maximum_message_size() {
        assert_eq!(window_log_max(0), 10);
        assert_eq!(window_log_max(1000), 10);
        assert_eq!(window_log_max(1024), 10);
        assert_eq!(window_log_max(1025), 11);
        assert_eq!(window_log_max(16 << 20), 24);
        assert_eq!(window_log_max((16 << 20) + 1), 25);
        assert_eq!(window_log_max(usize::MAX), 31);
    }

    /// A frame header declaring a 2^27 (128 MiB) window, then one raw block of `hello`:
    /// what a hostile server sends to make a default zstd decoder allocate 128 MiB.
    fn huge_window_frame() -> Vec<u8> {
        let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd]; // magic number
        frame.push(0x00); // no content size, not single-segment, no checksum, no dictionary
        frame.push((27 - 10) << 3); // window descriptor: exponent 17, mantissa 0 = 2^27
        frame.extend_from_slice(&[(5 << 3) | 1, 0, 0]); // last block, raw, 5 bytes
        frame.extend_from_slice(b"hello");
        frame
    }

    #[test]
    fn a_frame_declaring_a_huge_window_is_refused() {
        let mut inflater = ZstdStream::new(16 << 20).unwrap();
        let error = inflater.push(&huge_window_frame()).unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::MessageTooLarge { max: 16 << 20 });
        // The same frame is fine for a decoder whose cap covers the window: the frame is
        // well formed, only its window is refused. (2^27 bytes are never touched here: the
        // block is 5 raw bytes.)
        let mut roomy = ZstdStream::new(1 << 27).unwrap();
        assert_eq!(
            roomy.push(&huge_window_frame()).unwrap(),
            Some(b"hello".to_vec())
        );
    }

    #[test]
    fn corrupt_data_is_an_error() {
        let mut inflater = ZstdStream::new(1 << 20).unwrap();
        let error = inflater.push(b"definitely not zstd data").unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Decompress);

        let mut encoder = encoder(3);
        let mut inflater = ZstdStream::new(1 << 20).unwrap();
        let first = compress(&mut encoder, &message(1));
        assert_eq!(inflater.push(&first).unwrap(), Some(message(1)));
        // A block header with the reserved block type (3) is corrupt by definition.
        let mut second = compress(&mut encoder, &message(2));
        second[..3].copy_from_slice(&[0xff, 0xff, 0xff]);
        let error = inflater.push(&second).unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Decompress);
    }
}
