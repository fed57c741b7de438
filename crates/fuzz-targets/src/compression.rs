//! transport-ws inflaters, fed a stream split into messages at data-derived positions.

use transport_ws::{ZlibStream, ZstdStream};

use crate::chunks::split;

/// A small cap, so the fuzzer reaches the size checks (and decompression bombs stop early).
const MAX_MESSAGE: usize = 64 * 1024;

pub(crate) fn zlib_stream(data: &[u8]) {
    let Some((&control, stream)) = data.split_first() else {
        return;
    };
    let mut inflater = ZlibStream::new(MAX_MESSAGE);
    for piece in split(control, stream) {
        match inflater.push(piece) {
            Ok(message) => check(message),
            // The stream is unusable after an error: the connection would be dropped.
            Err(_) => return,
        }
    }
}

pub(crate) fn zstd_stream(data: &[u8]) {
    let Some((&control, stream)) = data.split_first() else {
        return;
    };
    let mut inflater = ZstdStream::new(MAX_MESSAGE).expect("a zstd decoder");
    for piece in split(control, stream) {
        match inflater.push(piece) {
            Ok(message) => check(message),
            Err(_) => return,
        }
    }
}

fn check(message: Option<Vec<u8>>) {
    if let Some(message) = message {
        assert!(
            message.len() <= MAX_MESSAGE,
            "{} bytes over the cap",
            message.len()
        );
    }
}
