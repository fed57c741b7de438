//! One shard's whole pipeline on one core, against twilight in the same run: binary
//! zlib-stream frames in → inflate → decode → cache update → delivery to one listener,
//! in events per second.
//!
//! The frames are recorded as Discord sends them: each payload of a fixture deflated by one
//! zlib context for the whole connection and `Z_SYNC_FLUSH`ed, so every frame ends in
//! `00 00 ff ff` and depends on the ones before it. Each iteration replays the recording on
//! a fresh connection state (inflater, empty cache, hub or channel), dropped untimed.
//!
//! - `svc_gateway`: transport-ws's `ZlibStream` → `Event::from_slice` → `Cache::update`
//!   (everything cached) → `EventHub::publish` of a `ShardEvent`, received by one
//!   subscriber — the path a `Client` runs, less the socket.
//! - `twilight`: twilight-gateway 0.18's zlib inflater (not public: its code is copied
//!   below) → `twilight_gateway::parse` (twilight-model over serde_json, the crate's
//!   default build) → `InMemoryCache::update` (everything cached) → a tokio channel to one
//!   receiver.
//!
//! Groups: `pipeline/dispatch_stream` (`dispatch-stream.txt`, 2,000 mixed dispatches: the
//! steady state) and `pipeline/guild_creates` (`guild-creates-large.txt`, 10 GUILD_CREATEs
//! of 1,000 members: a shard's start).
#![allow(missing_docs)]

mod common;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use flate2::{Compress, Compression, FlushCompress};
use futures_util::{FutureExt, StreamExt};
use svc_gateway::cache::{Cache, CacheConfig};
use svc_gateway::event::{Event, ShardEvent};
use transport_ws::{DEFAULT_MAX_MESSAGE_SIZE, ZlibStream};
use twilight_cache_inmemory::DefaultInMemoryCache;
use twilight_gateway::EventTypeFlags;

/// Deflates `payloads` the way Discord's `compress=zlib-stream` does: one zlib stream for
/// the connection, one sync-flushed frame per payload.
fn record(payloads: &[String]) -> Vec<Vec<u8>> {
    let mut deflate = Compress::new(Compression::default(), true);
    payloads
        .iter()
        .map(|payload| {
            let mut frame = Vec::with_capacity(payload.len() / 2 + 64);
            let start = deflate.total_in();
            while (deflate.total_in() - start) < payload.len() as u64
                || !frame.ends_with(&[0, 0, 0xff, 0xff])
            {
                frame.reserve(payload.len() / 2 + 64);
                let consumed = (deflate.total_in() - start) as usize;
                deflate
                    .compress_vec(
                        &payload.as_bytes()[consumed..],
                        &mut frame,
                        FlushCompress::Sync,
                    )
                    .expect("deflate");
            }
            frame
        })
        .collect()
}

/// Our pipeline over one recording: how many events the listener received, and the
/// connection's state (returned so that dropping it is not timed, on either side).
fn ours(frames: &[Vec<u8>]) -> (usize, impl Sized) {
    let mut inflater = ZlibStream::new(DEFAULT_MAX_MESSAGE_SIZE);
    let cache = Cache::new(CacheConfig::default());
    let hub = core_events::EventHub::<ShardEvent>::new();
    let mut listener = hub.stream();
    let mut received = 0;
    for frame in frames {
        let mut payload = inflater
            .push(frame)
            .expect("inflate")
            .expect("one payload per frame");
        let event = Event::from_slice(&mut payload).expect("decode");
        cache.update(&event);
        hub.publish(ShardEvent { shard_id: 0, event });
        if let Some(Some(Ok(event))) = listener.next().now_or_never() {
            std::hint::black_box(event);
            received += 1;
        }
    }
    (received, (inflater, cache, hub, listener))
}

/// twilight's pipeline over one recording, as [`ours`].
fn twilight(frames: &[Vec<u8>]) -> (usize, impl Sized) {
    let mut inflater = TwilightDecompressor::new();
    let cache = DefaultInMemoryCache::builder()
        .message_cache_size(100)
        .build();
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    let mut received = 0;
    for frame in frames {
        let payload = inflater
            .decompress(frame)
            .expect("inflate")
            .expect("one payload per frame");
        let event = twilight_gateway::parse(payload, EventTypeFlags::all())
            .expect("decode")
            .expect("a wanted event");
        let event = twilight_gateway::Event::from(event);
        cache.update(&event);
        sender.send(event).expect("receiver alive");
        if let Ok(event) = receiver.try_recv() {
            std::hint::black_box(event);
            received += 1;
        }
    }
    (received, (inflater, cache, sender, receiver))
}

fn pipeline(c: &mut Criterion) {
    let runs = [
        ("dispatch_stream", common::lines("dispatch-stream.txt"), 100),
        (
            "guild_creates",
            common::lines("guild-creates-large.txt"),
            10,
        ),
    ];
    for (name, payloads, samples) in runs {
        let frames = record(&payloads);
        // Both sides must take every frame through to their listener, or the comparison
        // means nothing.
        assert_eq!(ours(&frames).0, payloads.len(), "{name}: svc-gateway");
        assert_eq!(twilight(&frames).0, payloads.len(), "{name}: twilight");

        let mut group = c.benchmark_group(format!("pipeline/{name}"));
        group.throughput(Throughput::Elements(payloads.len() as u64));
        group.sample_size(samples);
        group.bench_function("svc_gateway", |b| {
            b.iter_batched(|| (), |()| ours(&frames), BatchSize::PerIteration);
        });
        group.bench_function("twilight", |b| {
            b.iter_batched(|| (), |()| twilight(&frames), BatchSize::PerIteration);
        });
        group.finish();
    }
}

criterion_group!(benches, pipeline);
criterion_main!(benches);

/// twilight-gateway 0.18's zlib-stream inflater (`src/compression/zlib.rs`, ISC licence,
/// © Twilight Contributors), which the crate does not export: the same code, errors
/// reduced to strings. It runs on the same flate2 backend (zlib-rs) as ours.
struct TwilightDecompressor {
    buffer: Box<[u8]>,
    decompress: flate2::Decompress,
    partial: Vec<u8>,
}

impl TwilightDecompressor {
    const SYNC: [u8; 4] = [0x00, 0x00, 0xff, 0xff];
    const BUFFER_SIZE: usize = 32 * 1024;

    fn new() -> Self {
        Self {
            buffer: vec![0; Self::BUFFER_SIZE].into_boxed_slice(),
            decompress: flate2::Decompress::new(true),
            partial: Vec::new(),
        }
    }

    fn decompress(&mut self, message: &[u8]) -> Result<Option<String>, String> {
        let message = if self.partial.is_empty() {
            if !message.ends_with(&Self::SYNC) {
                self.partial.extend_from_slice(message);
                return Ok(None);
            }
            message
        } else {
            self.partial.extend_from_slice(message);
            if !message.ends_with(&Self::SYNC) {
                return Ok(None);
            }
            &self.partial
        };
        let total_in = self.decompress.total_in();
        let mut processed = 0;
        let mut decompressed = Vec::new();
        loop {
            let total_out = self.decompress.total_out();
            self.decompress
                .decompress(
                    &message[processed..],
                    &mut self.buffer,
                    flate2::FlushDecompress::Sync,
                )
                .map_err(|e| e.to_string())?;
            processed = (self.decompress.total_in() - total_in) as usize;
            let produced = (self.decompress.total_out() - total_out) as usize;
            decompressed.extend_from_slice(&self.buffer[..produced]);
            if processed == message.len() {
                break;
            }
        }
        self.partial.clear();
        String::from_utf8(decompressed)
            .map(Some)
            .map_err(|e| e.to_string())
    }
}
