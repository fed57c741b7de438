//! zlib-stream: one inflate context for the whole connection.

use flate2::{Decompress, FlushDecompress, Status};

use crate::compression::{OutputEstimate, grow_output};
use crate::error::{Error, ErrorKind};

/// The zlib `Z_SYNC_FLUSH` marker that ends every message of a zlib stream.
const SYNC_FLUSH_SUFFIX: [u8; 4] = [0x00, 0x00, 0xff, 0xff];

/// Inflater for a zlib stream shared by all messages of one connection (Discord's
/// `compress=zlib-stream`).
///
/// The server keeps a single deflate context for the whole connection and sync-flushes after
/// every message, so a message is complete when the bytes received so far end with
/// `00 00 ff ff`. A message may arrive split over several WebSocket messages: partial data is
/// buffered until the suffix arrives. Because later messages refer back to earlier ones, one
/// `ZlibStream` must see every message of its connection, in order, and a new connection
/// needs a new `ZlibStream`.
///
/// Both the buffered compressed bytes and the inflated output are bounded by the maximum
/// message size given to [`ZlibStream::new`].
///
/// The stream's two-byte zlib header is checked here and the rest inflated as raw deflate:
/// a zlib stream's Adler-32 checksum only comes at its end, which a gateway connection
/// never reaches, so computing it (7 % of a gateway pipeline's instructions) buys nothing.
///
/// ```
/// use std::io::Write;
/// use transport_ws::ZlibStream;
///
/// // What a server does: one compressor, a sync flush after each message.
/// let mut deflate = flate2::Compress::new(flate2::Compression::default(), true);
/// let mut wire = Vec::with_capacity(128);
/// deflate.compress_vec(b"{\"op\":10}", &mut wire, flate2::FlushCompress::Sync).unwrap();
///
/// let mut inflater = ZlibStream::new(4096);
/// let (first, rest) = wire.split_at(3);
/// assert_eq!(inflater.push(first).unwrap(), None); // partial: buffered
/// assert_eq!(inflater.push(rest).unwrap().as_deref(), Some(&b"{\"op\":10}"[..]));
/// ```
#[derive(Debug)]
pub struct ZlibStream {
    /// Raw deflate: the zlib header is read by [`ZlibStream::strip_header`].
    inflater: Decompress,
    /// Whether the stream's zlib header has been read (it starts the first message).
    header_read: bool,
    /// Compressed bytes of a message whose suffix has not arrived yet.
    pending: Vec<u8>,
    max_message_size: usize,
    /// How large the next message's output buffer starts.
    estimate: OutputEstimate,
}

impl ZlibStream {
    /// A fresh inflater; messages larger than `max_message_size` (compressed or inflated) are
    /// rejected with [`ErrorKind::MessageTooLarge`].
    pub fn new(max_message_size: usize) -> Self {
        Self {
            inflater: Decompress::new(false),
            header_read: false,
            pending: Vec::new(),
            max_message_size,
            estimate: OutputEstimate::new(),
        }
    }

    /// Feeds the next chunk of the stream (one binary WebSocket message).
    ///
    /// Returns `Ok(Some(message))` when the chunk completes a message, `Ok(None)` when more
    /// data is needed. After an error the stream is unusable: the connection must be dropped.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Option<Vec<u8>>, Error> {
        if self.pending.is_empty() && chunk.ends_with(&SYNC_FLUSH_SUFFIX) {
            return self.inflate(chunk).map(Some);
        }
        if self.pending.len() + chunk.len() > self.max_message_size {
            self.pending = Vec::new();
            tracing::warn!(
                max = self.max_message_size,
                "zlib-stream message exceeds the maximum size before inflating"
            );
            return Err(Error::new(ErrorKind::MessageTooLarge {
                max: self.max_message_size,
            }));
        }
        self.pending.extend_from_slice(chunk);
        if !self.pending.ends_with(&SYNC_FLUSH_SUFFIX) {
            return Ok(None);
        }
        let input = std::mem::take(&mut self.pending);
        self.inflate(&input).map(Some)
    }

    /// The first message without the stream's zlib header (RFC 1950: deflate, a window of
    /// at most 32 KiB, no preset dictionary, a valid check value); later ones unchanged.
    fn strip_header<'a>(&mut self, input: &'a [u8]) -> Result<&'a [u8], Error> {
        if self.header_read {
            return Ok(input);
        }
        match input {
            [cmf, flg, rest @ ..]
                if cmf & 0x0f == 8
                    && cmf >> 4 <= 7
                    && flg & 0x20 == 0
                    && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0 =>
            {
                self.header_read = true;
                Ok(rest)
            }
            _ => {
                tracing::warn!("zlib-stream does not start with a zlib header");
                Err(Error::new(ErrorKind::Decompress))
            }
        }
    }

    /// Inflates one complete message with the connection's context.
    fn inflate(&mut self, input: &[u8]) -> Result<Vec<u8>, Error> {
        let input = self.strip_header(input)?;
        let max = self.max_message_size;
        let mut out = self.estimate.buffer(input.len(), max);
        let mut consumed = 0;
        loop {
            grow_output(&mut out, max)?;
            let before_in = self.inflater.total_in();
            let before_out = out.len();
            let status = self
                .inflater
                .decompress_vec(&input[consumed..], &mut out, FlushDecompress::Sync)
                .map_err(|source| {
                    tracing::warn!(error = %source, "zlib-stream data does not inflate");
                    Error::with_source(ErrorKind::Decompress, source)
                })?;
            // Bounded by `input.len()`, so the cast cannot truncate.
            consumed += (self.inflater.total_in() - before_in) as usize;
            if out.len() > max {
                tracing::warn!(max, "zlib-stream message exceeds the maximum size");
                return Err(Error::new(ErrorKind::MessageTooLarge { max }));
            }
            // Done when all input is consumed and the inflater had room to spare: it has
            // nothing more buffered.
            let drained = consumed == input.len() && out.len() < out.capacity();
            let stuck = out.len() == before_out && self.inflater.total_in() == before_in;
            if drained || status == Status::StreamEnd {
                self.estimate.learn(input.len(), out.len());
                return Ok(out);
            }
            if status == Status::BufError && stuck && out.len() < out.capacity() {
                // No progress with input left and room to write: the data is not a
                // continuation of this stream.
                return Err(Error::new(ErrorKind::Decompress));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ZlibStream;
    use crate::error::ErrorKind;
    use flate2::{Compress, Compression, FlushCompress};

    /// What a zlib-stream server does per message: compress, then sync-flush.
    fn compress(deflate: &mut Compress, message: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(message.len() + 64);
        let start = deflate.total_in();
        loop {
            let consumed = (deflate.total_in() - start) as usize;
            deflate
                .compress_vec(&message[consumed..], &mut out, FlushCompress::Sync)
                .unwrap();
            let consumed = (deflate.total_in() - start) as usize;
            if consumed == message.len() && out.len() < out.capacity() {
                return out;
            }
            out.reserve(out.capacity());
        }
    }

    fn message(i: usize) -> Vec<u8> {
        format!(r#"{{"op":0,"s":{i},"t":"MESSAGE_CREATE","d":{{"content":"hello number {i}"}}}}"#)
            .into_bytes()
    }

    #[test]
    fn many_messages_share_one_context() {
        let mut deflate = Compress::new(Compression::default(), true);
        let mut inflater = ZlibStream::new(1 << 20);
        let mut total_wire = 0;
        for i in 0..200 {
            let wire = compress(&mut deflate, &message(i));
            assert!(wire.ends_with(&[0, 0, 0xff, 0xff]));
            total_wire += wire.len();
            assert_eq!(inflater.push(&wire).unwrap(), Some(message(i)));
        }
        // The shared dictionary makes later messages tiny: proof the context is reused.
        assert!(total_wire < 200 * message(100).len() / 2, "{total_wire}");
    }

    #[test]
    fn partial_chunks_are_buffered_until_the_suffix() {
        let mut deflate = Compress::new(Compression::default(), true);
        let mut inflater = ZlibStream::new(1 << 20);
        for i in 0..20 {
            let wire = compress(&mut deflate, &message(i));
            let mut result = None;
            for (n, piece) in wire.chunks(3).enumerate() {
                let out = inflater.push(piece).unwrap();
                if n + 1 < wire.len().div_ceil(3) {
                    assert_eq!(out, None);
                } else {
                    result = out;
                }
            }
            assert_eq!(result, Some(message(i)));
        }
    }

    #[test]
    fn large_message_grows_the_output() {
        let big: Vec<u8> = (0..300_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let mut deflate = Compress::new(Compression::fast(), true);
        let wire = compress(&mut deflate, &big);
        let mut inflater = ZlibStream::new(big.len());
        assert_eq!(inflater.push(&wire).unwrap(), Some(big));
    }

    #[test]
    fn inflated_size_is_bounded() {
        let zeros = vec![0u8; 10_000];
        let mut deflate = Compress::new(Compression::default(), true);
        let wire = compress(&mut deflate, &zeros);
        assert!(wire.len() < 100);
        let mut inflater = ZlibStream::new(9_999);
        let error = inflater.push(&wire).unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::MessageTooLarge { max: 9_999 });
        // Exactly the limit is fine.
        let mut inflater = ZlibStream::new(10_000);
        assert_eq!(inflater.push(&wire).unwrap(), Some(zeros));
    }

    /// 64 MiB of zeros deflate to about 64 KiB: inflating stops at the cap instead of
    /// producing everything and measuring afterwards.
    #[test]
    fn a_bomb_stops_at_the_cap() {
        let zeros = vec![0u8; 64 << 20];
        let mut deflate = Compress::new(Compression::best(), true);
        let wire = compress(&mut deflate, &zeros);
        assert!(wire.len() < 100 << 10, "{}", wire.len());
        let max = 1 << 20;
        let mut inflater = ZlibStream::new(max);
        let error = inflater.push(&wire).unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::MessageTooLarge { max });
        // Only the input needed to fill the cap (plus one buffer) was inflated.
        let consumed = inflater.inflater.total_in() as usize;
        assert!(consumed < wire.len() / 8, "{consumed} of {}", wire.len());
    }

    #[test]
    fn buffered_partials_are_bounded() {
        let mut inflater = ZlibStream::new(100);
        assert_eq!(inflater.push(&[1; 60]).unwrap(), None);
        let error = inflater.push(&[1; 60]).unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::MessageTooLarge { max: 100 });
    }

    #[test]
    fn corrupt_data_is_an_error() {
        let mut inflater = ZlibStream::new(1 << 20);
        let error = inflater
            .push(&[0x12, 0x34, 0x56, 0x78, 0x9a, 0, 0, 0xff, 0xff])
            .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Decompress);

        // Valid header, garbage body.
        let mut deflate = Compress::new(Compression::default(), true);
        let mut wire = compress(&mut deflate, &message(1));
        let body = 2..wire.len() - 4;
        for byte in &mut wire[body] {
            *byte ^= 0x5a;
        }
        let mut inflater = ZlibStream::new(1 << 20);
        assert_eq!(
            inflater.push(&wire).unwrap_err().kind(),
            &ErrorKind::Decompress
        );
    }

    #[test]
    fn the_zlib_header_is_checked_even_when_split() {
        let mut deflate = Compress::new(Compression::default(), true);
        let wire = compress(&mut deflate, &message(1));
        // The header alone, then the rest: buffered, then inflated.
        let mut inflater = ZlibStream::new(1 << 20);
        assert_eq!(inflater.push(&wire[..1]).unwrap(), None);
        assert_eq!(inflater.push(&wire[1..]).unwrap(), Some(message(1)));
        // Not deflate (CM 7), a preset dictionary (FDICT), a bad check value, no header.
        for header in [[0x77, 0x9c], [0x78, 0xbb], [0x78, 0x9d]] {
            let mut bad = wire.clone();
            bad[..2].copy_from_slice(&header);
            let mut inflater = ZlibStream::new(1 << 20);
            assert_eq!(
                inflater.push(&bad).unwrap_err().kind(),
                &ErrorKind::Decompress,
                "{header:x?}"
            );
        }
        let mut raw = Compress::new(Compression::default(), false);
        let mut inflater = ZlibStream::new(1 << 20);
        let headless = compress(&mut raw, &message(1));
        assert!(inflater.push(&headless).is_err());
    }

    #[test]
    fn a_message_from_another_stream_is_an_error() {
        let mut first = Compress::new(Compression::default(), true);
        let mut second = Compress::new(Compression::default(), true);
        let mut inflater = ZlibStream::new(1 << 20);
        assert_eq!(
            inflater.push(&compress(&mut first, &message(1))).unwrap(),
            Some(message(1))
        );
        // A second zlib header in the middle of a stream is invalid data.
        let result = inflater.push(&compress(&mut second, &message(2)));
        assert_eq!(result.unwrap_err().kind(), &ErrorKind::Decompress);
    }
}
