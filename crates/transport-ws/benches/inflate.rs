//! Inflating throughput: a stream of gateway-like JSON messages through one `ZlibStream` /
//! `ZstdStream` context, as on a real connection.

#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use flate2::{Compress, FlushCompress};
use transport_ws::{ZlibStream, ZstdStream};
use zstd::stream::raw::{Encoder, InBuffer, Operation, OutBuffer};

const MESSAGES: usize = 500;

fn messages() -> Vec<Vec<u8>> {
    (0..MESSAGES)
        .map(|i| {
            format!(
                r#"{{"op":0,"s":{i},"t":"MESSAGE_CREATE","d":{{"id":"{}","channel_id":"1100000000000000{}","author":{{"id":"{}","username":"user{}"}},"content":"message number {i} {}"}}}}"#,
                1_200_000_000_000_000_000u64 + i as u64,
                i % 7,
                1_000_000 + i % 40,
                i % 40,
                "lorem ipsum dolor sit amet ".repeat(i % 9)
            )
            .into_bytes()
        })
        .collect()
}

fn zlib_wire(messages: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut deflate = Compress::new(flate2::Compression::default(), true);
    messages
        .iter()
        .map(|message| {
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
        })
        .collect()
}

fn zstd_wire(messages: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut encoder = Encoder::new(3).unwrap();
    // The window must fit the inflater's maximum message size (1 MiB below).
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

fn inflate(c: &mut Criterion) {
    let messages = messages();
    let total: usize = messages.iter().map(Vec::len).sum();
    let zlib = zlib_wire(&messages);
    let zstd = zstd_wire(&messages);

    let mut group = c.benchmark_group("inflate");
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("zlib_stream", |b| {
        b.iter(|| {
            let mut inflater = ZlibStream::new(1 << 20);
            for wire in &zlib {
                std::hint::black_box(inflater.push(wire).unwrap());
            }
        });
    });
    group.bench_function("zstd_stream", |b| {
        b.iter(|| {
            let mut inflater = ZstdStream::new(1 << 20).unwrap();
            for wire in &zstd {
                std::hint::black_box(inflater.push(wire).unwrap());
            }
        });
    });
    group.finish();
}

criterion_group!(benches, inflate);
criterion_main!(benches);
