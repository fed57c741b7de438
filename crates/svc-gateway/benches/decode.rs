//! Decode speed on the Discord fixtures: our typed decode (simd-json) and envelope scanner
//! against twilight-model + serde_json, in the same run.
//!
//! Groups: `mixed_stream` (2,000 mixed dispatches), `guild_create_large` (one GUILD_CREATE
//! with 1,000 members). Throughput is in bytes, so criterion reports GB/s. `timestamps`
//! parses every ISO 8601 timestamp of both fixtures alone (the `time` crate's RFC 3339
//! parser behind `Timestamp::parse`), to see what it weighs in a decode.
//!
//! Two parser floors run in the same groups, so a ratio can be read against what the
//! parsers alone cost: `simd_json_tape_only` (simd-json parsing each payload into its tape
//! with reused buffers, nothing typed: what any decode built on simd-json pays first) and
//! `serde_json_ignored_any` (serde_json walking each payload without building anything:
//! the parse twilight's side contains).
#![allow(missing_docs)]

mod common;

use common::{fixture, twilight_result};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use serde::Deserialize;
use serde::de::IgnoredAny;
use svc_gateway::event::{Envelope, Event};
use svc_gateway::model::Timestamp;

fn twilight(line: &str) -> bool {
    twilight_result(line).is_ok()
}

fn bench_set(c: &mut Criterion, group: &str, lines: &[String]) {
    let bytes: usize = lines.iter().map(String::len).sum();
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("svc_gateway_event", |b| {
        b.iter_batched_ref(
            || {
                lines
                    .iter()
                    .map(|l| l.as_bytes().to_vec())
                    .collect::<Vec<_>>()
            },
            |buffers| {
                for buffer in buffers.iter_mut() {
                    std::hint::black_box(Event::from_slice(buffer).is_ok());
                }
            },
            BatchSize::LargeInput,
        );
    });
    g.bench_function("twilight_model_serde_json", |b| {
        b.iter(|| {
            for line in lines {
                std::hint::black_box(twilight(line));
            }
        });
    });
    g.bench_function("simd_json_tape_only", |b| {
        let mut buffers = simd_json::Buffers::new(4096);
        let mut kept = simd_json::Tape::null();
        let mut padded = Vec::new();
        b.iter(|| {
            for line in lines {
                padded.clear();
                padded.extend_from_slice(line.as_bytes());
                padded.resize(line.len() + simd_json::INPUT_PADDING, b' ');
                let mut tape = std::mem::replace(&mut kept, simd_json::Tape::null()).reset();
                let parsed =
                    simd_json::fill_tape_padded(&mut padded, line.len(), &mut buffers, &mut tape);
                std::hint::black_box(parsed.is_ok());
                kept = tape.reset();
            }
        });
    });
    g.bench_function("serde_json_ignored_any", |b| {
        b.iter(|| {
            for line in lines {
                let mut json = serde_json::Deserializer::from_str(line);
                std::hint::black_box(IgnoredAny::deserialize(&mut json).is_ok());
            }
        });
    });
    g.bench_function("svc_gateway_envelope", |b| {
        b.iter(|| {
            for line in lines {
                std::hint::black_box(Envelope::from_slice(line.as_bytes()).is_ok());
            }
        });
    });
    g.finish();
}

fn decode(c: &mut Criterion) {
    let stream: Vec<String> = fixture("dispatch-stream.txt")
        .lines()
        .map(str::to_owned)
        .collect();
    let large = vec![fixture("guild-create-large.json").trim_end().to_owned()];
    // Both decoders must accept what they are timed on, or the comparison means nothing.
    if let Err(e) = twilight_result(&large[0]) {
        panic!("twilight rejects the large GUILD_CREATE: {e}");
    }
    assert!(Event::from_slice(&mut large[0].as_bytes().to_vec()).is_ok());
    // A line either side rejects stops its decode early and makes that side cheaper.
    for line in &stream {
        if let Err(e) = twilight_result(line) {
            panic!("twilight rejects a mixed-stream line ({e}): {line}");
        }
        assert!(
            Event::from_slice(&mut line.as_bytes().to_vec()).is_ok(),
            "svc-gateway rejects {line}"
        );
    }
    bench_set(c, "mixed_stream", &stream);
    bench_set(c, "guild_create_large", &large);
    bench_timestamps(c, &[&stream[..], &large[..]].concat());
}

/// Every quoted ISO 8601 timestamp in `lines` (what the typed decode parses).
fn timestamps(lines: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for line in lines {
        for (start, _) in line.match_indices(":\"") {
            let value = &line[start + 2..];
            let Some(end) = value.find('"') else { continue };
            let value = &value[..end];
            if value.len() >= 20
                && value.as_bytes()[10] == b'T'
                && value[..4].parse::<u16>().is_ok()
            {
                found.push(value.to_owned());
            }
        }
    }
    found
}

fn bench_timestamps(c: &mut Criterion, lines: &[String]) {
    let stamps = timestamps(lines);
    assert!(stamps.len() > 1_000, "the fixtures hold timestamps");
    assert!(stamps.iter().all(|stamp| Timestamp::parse(stamp).is_some()));
    let mut g = c.benchmark_group("timestamps");
    g.throughput(Throughput::Elements(stamps.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| {
            for stamp in &stamps {
                std::hint::black_box(Timestamp::parse(std::hint::black_box(stamp)));
            }
        });
    });
    g.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
