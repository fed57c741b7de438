//! Inflating throughput on a recorded gateway stream (the 2,000 dispatches of
//! `fixtures/discord/dispatch-stream.txt`), a fresh context per pass as on a new connection:
//! ours (`ZlibStream` / `ZstdStream`, with their framing, limits and an owned message per
//! push) against the same library used directly with nothing around it (flate2 on the
//! zlib-rs backend the workspace builds, doing the same raw-deflate work; and, for
//! reference, as a zlib stream with its Adler-32 checksum, the library's default; zstd's raw
//! streaming decoder), each writing into one reused buffer. The gap is what our framing
//! costs.

#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use flate2::{Compress, Decompress, FlushCompress, FlushDecompress};
use transport_ws::{ZlibStream, ZstdStream};
use zstd::stream::raw::{Decoder, Encoder, InBuffer, Operation, OutBuffer};

/// The largest message either side accepts, as the gateway client configures it.
const MAX_MESSAGE: usize = 1 << 20;

/// The dispatches of the recorded stream, one per line.
fn messages() -> Vec<Vec<u8>> {
    let path = format!(
        "{}/../../fixtures/discord/dispatch-stream.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines().map(|line| line.as_bytes().to_vec()).collect()
}

/// The stream as Discord's `compress=zlib-stream` sends it: one deflate context, a sync
/// flush after each message.
fn zlib_wire(messages: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut deflate = Compress::new(flate2::Compression::default(), true);
    messages
        .iter()
        .map(|message| {
            let mut out = Vec::with_capacity(message.len() + 64);
            let start = deflate.total_in();
            loop {
                let consumed = usize::try_from(deflate.total_in() - start).unwrap();
                deflate
                    .compress_vec(&message[consumed..], &mut out, FlushCompress::Sync)
                    .unwrap();
                let consumed = usize::try_from(deflate.total_in() - start).unwrap();
                if consumed == message.len() && out.len() < out.capacity() {
                    return out;
                }
                out.reserve(out.capacity());
            }
        })
        .collect()
}

/// The stream as `compress=zstd-stream` sends it: one context, a flushed segment per message.
fn zstd_wire(messages: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut encoder = Encoder::new(3).unwrap();
    // The window must fit the inflater's maximum message size.
    encoder
        .set_parameter(zstd::stream::raw::CParameter::WindowLog(20))
        .unwrap();
    messages
        .iter()
        .map(|message| {
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
        })
        .collect()
}

/// flate2 alone: one context per connection, each message inflated into the same buffer.
/// `checksum` reads the stream as zlib (header and Adler-32, the library's default use);
/// without it the two-byte header is skipped and the rest inflated as raw deflate, the same
/// work `ZlibStream` does.
fn flate2_direct(wire: &[Vec<u8>], out: &mut Vec<u8>, checksum: bool) -> usize {
    let mut inflater = Decompress::new(checksum);
    let mut total = 0;
    for (i, frame) in wire.iter().enumerate() {
        let frame = if i == 0 && !checksum {
            &frame[2..]
        } else {
            frame
        };
        out.clear();
        inflater
            .decompress_vec(frame, out, FlushDecompress::Sync)
            .unwrap();
        total += out.len();
    }
    total
}

/// zstd alone: one streaming context per connection, each segment decoded into the same buffer.
fn zstd_direct(wire: &[Vec<u8>], out: &mut [u8]) -> usize {
    let mut decoder = Decoder::new().unwrap();
    let mut total = 0;
    for frame in wire {
        let mut input = InBuffer::around(frame);
        let mut output = OutBuffer::around(&mut *out);
        while input.pos() < frame.len() {
            decoder.run(&mut input, &mut output).unwrap();
        }
        total += output.pos();
    }
    total
}

fn inflate(c: &mut Criterion) {
    let messages = messages();
    let total: usize = messages.iter().map(Vec::len).sum();
    let zlib = zlib_wire(&messages);
    let zstd = zstd_wire(&messages);

    // Both sides must produce the stream that went in before their speed means anything.
    let mut ours = ZlibStream::new(MAX_MESSAGE);
    let mut ours_zstd = ZstdStream::new(MAX_MESSAGE).unwrap();
    for ((message, zlib), zstd) in messages.iter().zip(&zlib).zip(&zstd) {
        assert_eq!(ours.push(zlib).unwrap().as_ref(), Some(message));
        assert_eq!(ours_zstd.push(zstd).unwrap().as_ref(), Some(message));
    }
    let mut out = Vec::with_capacity(MAX_MESSAGE);
    assert_eq!(flate2_direct(&zlib, &mut out, false), total);
    assert_eq!(flate2_direct(&zlib, &mut out, true), total);
    let mut buffer = vec![0; MAX_MESSAGE];
    assert_eq!(zstd_direct(&zstd, &mut buffer), total);

    let mut group = c.benchmark_group("inflate_zlib");
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("transport_ws", |b| {
        b.iter(|| {
            let mut inflater = ZlibStream::new(MAX_MESSAGE);
            for frame in &zlib {
                black_box(inflater.push(frame).unwrap());
            }
        });
    });
    group.bench_function("flate2", |b| {
        b.iter(|| black_box(flate2_direct(&zlib, &mut out, false)));
    });
    group.bench_function("flate2_with_checksum", |b| {
        b.iter(|| black_box(flate2_direct(&zlib, &mut out, true)));
    });
    group.finish();

    let mut group = c.benchmark_group("inflate_zstd");
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("transport_ws", |b| {
        b.iter(|| {
            let mut inflater = ZstdStream::new(MAX_MESSAGE).unwrap();
            for frame in &zstd {
                black_box(inflater.push(frame).unwrap());
            }
        });
    });
    group.bench_function("zstd", |b| {
        b.iter(|| black_box(zstd_direct(&zstd, &mut buffer)));
    });
    group.finish();
}

criterion_group!(benches, inflate);
criterion_main!(benches);
