//! The seed corpus: small inputs taken from `fixtures/` (generated, shaped like what the
//! platforms send) plus a few hand-written edge cases per target. The fuzzer grows the
//! corpus from these; `cargo xtask fuzz --seed` rewrites them.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// Seeds per target, at most this many from one fixture file.
const PER_SOURCE: usize = 30;

/// Seeds for every target, from the fixtures under `fixtures`.
pub fn from_fixtures(fixtures: &Path) -> io::Result<BTreeMap<&'static str, Vec<Vec<u8>>>> {
    let fixtures = Fixtures(fixtures);
    let mut seeds = BTreeMap::new();
    discord(&fixtures, &mut seeds)?;
    twitch(&fixtures, &mut seeds)?;
    headers(&fixtures, &mut seeds)?;
    clash(&fixtures, &mut seeds)?;
    mesh(&mut seeds);
    Ok(seeds)
}

type Seeds = BTreeMap<&'static str, Vec<Vec<u8>>>;

struct Fixtures<'a>(&'a Path);

impl Fixtures<'_> {
    fn text(&self, path: &str) -> io::Result<String> {
        std::fs::read_to_string(self.0.join(path))
    }

    fn json(&self, path: &str) -> io::Result<Value> {
        serde_json::from_str(&self.text(path)?)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

/// Gateway payloads (JSON, ETF, compressed streams), timestamps and fan-out entries.
fn discord(fixtures: &Fixtures<'_>, seeds: &mut Seeds) -> io::Result<()> {
    let stream = fixtures.text("discord/dispatch-stream.txt")?;
    let dispatches = shortest_per_name(&stream, 3);
    let mut gateway: Vec<Vec<u8>> = dispatches
        .iter()
        .map(|line| line.as_bytes().to_vec())
        .collect();
    for control in [
        r#"{"t":null,"s":null,"op":10,"d":{"heartbeat_interval":41250}}"#,
        r#"{"op":11}"#,
        r#"{"t":null,"s":null,"op":9,"d":false}"#,
        r#"{"op":7,"d":null}"#,
        r#"{"op":1,"d":null}"#,
        r#" { "d": {"a": [1, "x\"}"]}, "op": 0, "s": 7, "t": "A\u0042" } "#,
        r#"{"t":"READY","s":1,"op":0,"d":{"v":10,"user":{"id":"1","username":"bot"},"guilds":[],"session_id":"abc","resume_gateway_url":"wss://x","shard":[0,1],"application":{"id":"1","flags":0}}}"#,
    ] {
        gateway.push(control.as_bytes().to_vec());
    }
    seeds.insert(
        "discord_etf",
        gateway
            .iter()
            .filter_map(|raw| serde_json::from_slice::<Value>(raw).ok())
            .map(|value| {
                let mut out = vec![131];
                etf(&value, &mut out);
                out
            })
            .collect(),
    );
    seeds.insert("discord_envelope", gateway.clone());
    seeds.insert("discord_event", gateway);

    let mut times = strings_after(&stream, "\"timestamp\":\"", PER_SOURCE);
    times.extend(
        [
            "2021-06-01T12:34:56.789000+00:00",
            "2021-06-01T12:34:56Z",
            "2021-06-01 12:34:56.1+05:30",
            "1970-01-01T00:00:00-23:59",
            "9999-12-31T23:59:60.999999999+00:00",
        ]
        .map(str::to_owned),
    );
    seeds.insert("discord_timestamp", bytes(times));

    let messages: Vec<&str> = dispatches.iter().map(String::as_str).take(12).collect();
    seeds.insert("zlib_stream", compressed(&messages, zlib));
    seeds.insert("zstd_stream", compressed(&messages, zstd));
    seeds.insert(
        "fanout_entry",
        dispatches
            .iter()
            .take(PER_SOURCE)
            .enumerate()
            .map(|(shard, line)| format!("shard\0{shard}\0data\0{line}").into_bytes())
            .collect(),
    );
    Ok(())
}

/// EventSub messages and events, chat lines.
fn twitch(fixtures: &Fixtures<'_>, seeds: &mut Seeds) -> io::Result<()> {
    let messages = fixtures.json("twitch/eventsub-messages.json")?;
    seeds.insert(
        "eventsub_message",
        items(&messages)
            .map(|m| m.to_string().into_bytes())
            .collect(),
    );
    let events = fixtures.json("twitch/eventsub-events.json")?;
    seeds.insert(
        "eventsub_event",
        events
            .as_object()
            .into_iter()
            .flatten()
            .map(|(kind, entry)| {
                let version = entry["version"].as_str().unwrap_or("1");
                format!("{kind}\n{version}\n{}", entry["event"]).into_bytes()
            })
            .collect(),
    );
    seeds.insert(
        "irc_message",
        bytes(chat_lines(&fixtures.text("twitch/chat.txt")?)),
    );
    Ok(())
}

/// Rate-limit header sets and Cache-Control values.
fn headers(fixtures: &Fixtures<'_>, seeds: &mut Seeds) -> io::Result<()> {
    let cases = fixtures.json("common/ratelimit-headers.json")?;
    seeds.insert(
        "ratelimit_headers",
        items(&cases)
            .map(|case| {
                let lines: Vec<String> = items(&case["headers"])
                    .map(|pair| {
                        let (name, value) = (pair[0].as_str(), pair[1].as_str());
                        format!("{}: {}\n", name.unwrap_or(""), value.unwrap_or(""))
                    })
                    .collect();
                lines.concat().into_bytes()
            })
            .collect(),
    );
    let cache = fixtures.json("common/cache-control.json")?;
    seeds.insert(
        "cache_control",
        items(&cache)
            .filter_map(|case| case["header"].as_str())
            .map(|header| header.as_bytes().to_vec())
            .collect(),
    );
    Ok(())
}

/// API timestamps and developer-site tokens.
fn clash(fixtures: &Fixtures<'_>, seeds: &mut Seeds) -> io::Result<()> {
    let mut times = Vec::new();
    for file in ["war.json", "warlog.json", "capitalraidseasons.json"] {
        let text = fixtures.text(&format!("clash/{file}"))?;
        times.extend(strings_after(&text, "Time\": \"", 10));
        times.extend(strings_after(&text, "Time\":\"", 10));
    }
    times.extend(
        [
            "20240101T120000.000Z",
            "20240229T235959Z",
            "19700101T000000.1Z",
        ]
        .map(str::to_owned),
    );
    seeds.insert("clash_timestamp", bytes(times));
    seeds.insert("clash_jwt_ip", jwts());
    Ok(())
}

/// DSNs and gateway packets, hand-written from the singyeong protocol (no fixtures).
fn mesh(seeds: &mut Seeds) {
    seeds.insert(
        "mesh_dsn",
        bytes(
            [
                "singyeong://orders:pw@mesh:4567",
                "ssingyeong://app@mesh.example.com:443?encoding=json",
                "singyeong://app:p%40ss@127.0.0.1:4567/",
                "singyeong://app@[::1]:4567",
                "singyeong://app@mesh?encoding=etf",
                "singyeong://@mesh:1",
                "http://app@mesh:1",
            ]
            .map(str::to_owned)
            .to_vec(),
        ),
    );
    seeds.insert(
        "mesh_packet",
        bytes(
            [
                r#"{"op":0,"d":{"heartbeat_interval":45000},"ts":1}"#,
                r#"{"op":2,"d":{"client_id":"c","restricted":false},"ts":1}"#,
                r#"{"op":3,"d":{"error":"bad auth","extra_info":{"d":{"nonce":"n"}}},"ts":1}"#,
                r#"{"op":4,"t":"SEND","d":{"nonce":"sbreq:[\"app\",\"client\",7]","payload":{"x":1}},"ts":1}"#,
                r#"{"op":4,"t":"QUEUE","d":{"payload":{"queue":"q","id":"1","payload":null}},"ts":1}"#,
                r#"{"op":4,"t":"QUERY_NODES","d":{"nodes":[]},"ts":1}"#,
                r#"{"op":6,"d":null,"ts":1}"#,
                r#"{"op":7,"d":{"reason":"load"},"ts":1}"#,
                r#"{"op":8,"d":{"error":"x"},"ts":1}"#,
            ]
            .map(str::to_owned)
            .to_vec(),
        ),
    );
}

/// The elements of a JSON array (none for anything else).
fn items(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

fn bytes(texts: Vec<String>) -> Vec<Vec<u8>> {
    texts.into_iter().map(String::into_bytes).collect()
}

/// The `per_name` shortest lines of each dispatch name in a stream of payloads.
fn shortest_per_name(stream: &str, per_name: usize) -> Vec<String> {
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for line in stream.lines() {
        let name = line
            .strip_prefix("{\"t\":\"")
            .and_then(|rest| rest.split('"').next())
            .unwrap_or("");
        by_name.entry(name).or_default().push(line);
    }
    by_name
        .into_values()
        .flat_map(|mut lines| {
            lines.sort_by_key(|line| line.len());
            lines.truncate(per_name);
            lines
        })
        .map(str::to_owned)
        .collect()
}

/// Up to `max` distinct strings following `marker` (up to the next quote).
fn strings_after(text: &str, marker: &str, max: usize) -> Vec<String> {
    let mut found: Vec<String> = text
        .split(marker)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    found.sort();
    found.dedup();
    found.truncate(max);
    found
}

/// A few lines of each chat command (tags and prefix stripped to find it).
fn chat_lines(chat: &str) -> Vec<String> {
    let mut by_command: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for line in chat.lines() {
        let mut words = line
            .split(' ')
            .skip_while(|w| w.starts_with('@') || w.starts_with(':'));
        let command = words.next().unwrap_or("");
        by_command.entry(command).or_default().push(line);
    }
    let mut lines: Vec<String> = by_command
        .into_values()
        .flat_map(|mut lines| {
            lines.sort_by_key(|line| line.len());
            lines.truncate(2);
            lines
        })
        .map(str::to_owned)
        .collect();
    // Several lines in one WebSocket message, as Twitch batches them.
    let batch = lines
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join("\r\n");
    lines.push(batch);
    lines
}

/// `temporaryAPIToken`s as the developer site issues them, and a few broken ones.
fn jwts() -> Vec<Vec<u8>> {
    let header = URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"HS512","kid":"28a318f7"}"#);
    let claims = [
        r#"{"iss":"supercell","aud":"supercell:gameapi","jti":"x","iat":1,"exp":2,"sub":"developer/x","scopes":["clash"],"limits":[{"tier":"developer/bronze","type":"throttling"},{"cidrs":["203.0.113.7/32"],"type":"client"}]}"#,
        r#"{"limits":[{},{"cidrs":["2001:db8::1/128"]}]}"#,
        r#"{"limits":[{},{"cidrs":[]}]}"#,
        r#"{"limits":[]}"#,
        "{}",
    ];
    let mut tokens: Vec<Vec<u8>> = claims
        .iter()
        .map(|claims| {
            format!("{header}.{}.c2lnbmF0dXJl", URL_SAFE_NO_PAD.encode(claims)).into_bytes()
        })
        .collect();
    tokens.push(b"not-a-jwt".to_vec());
    tokens.push(format!("{header}.@@@.sig").into_bytes());
    tokens
}

/// Seeds for a compressed stream: the first byte picks the framing (0x80: one WebSocket
/// message per compressed message), the rest is the stream.
fn compressed(messages: &[&str], compress: fn(&[&str]) -> Vec<u8>) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for (count, control) in [
        (1, 0x80),
        (3, 0x80),
        (5, 0x80),
        (12, 0x80),
        (2, 0x00),
        (4, 0x17),
        (6, 0x42),
    ] {
        let mut seed = vec![control];
        seed.extend(compress(&messages[..count.min(messages.len())]));
        seeds.push(seed);
    }
    seeds
}

/// One zlib context, a sync flush after each message (Discord's zlib-stream).
fn zlib(messages: &[&str]) -> Vec<u8> {
    let mut deflate = flate2::Compress::new(flate2::Compression::default(), true);
    let mut out = Vec::new();
    for message in messages {
        let mut chunk = Vec::with_capacity(message.len() + 64);
        let start = deflate.total_in();
        loop {
            let done = (deflate.total_in() - start) as usize;
            deflate
                .compress_vec(
                    &message.as_bytes()[done..],
                    &mut chunk,
                    flate2::FlushCompress::Sync,
                )
                .expect("deflate");
            let done = (deflate.total_in() - start) as usize;
            if done == message.len() && chunk.len() < chunk.capacity() {
                break;
            }
            chunk.reserve(chunk.capacity());
        }
        out.extend(chunk);
    }
    out
}

/// One zstd context, a flush after each message (Discord's zstd-stream).
fn zstd(messages: &[&str]) -> Vec<u8> {
    use zstd::stream::raw::{CParameter, Encoder, InBuffer, Operation, OutBuffer};
    let mut encoder = Encoder::new(3).expect("zstd encoder");
    // A 64 KiB window: it fits the fuzz targets' 64 KiB message cap, so the seeds reach the
    // inflater instead of being refused at the frame header (the window check has its own
    // tests in transport-ws).
    encoder
        .set_parameter(CParameter::WindowLog(16))
        .expect("zstd window");
    let mut out = Vec::new();
    for message in messages {
        let mut buffer = vec![0; message.len() + 1024];
        let mut output = OutBuffer::around(&mut buffer[..]);
        let mut input = InBuffer::around(message.as_bytes());
        while input.pos() < message.len() {
            encoder.run(&mut input, &mut output).expect("zstd");
        }
        while encoder.flush(&mut output).expect("zstd flush") > 0 {}
        let written = output.pos();
        out.extend_from_slice(&buffer[..written]);
    }
    out
}

/// A JSON value as an Erlang term the way Discord's ETF encoder writes it (maps with
/// binary keys, strings as binaries, `null` as the atom `nil`).
fn etf(value: &Value, out: &mut Vec<u8>) {
    fn atom(name: &str, out: &mut Vec<u8>) {
        out.push(119);
        out.push(name.len() as u8);
        out.extend(name.as_bytes());
    }
    fn binary(text: &str, out: &mut Vec<u8>) {
        out.push(109);
        out.extend((text.len() as u32).to_be_bytes());
        out.extend(text.as_bytes());
    }
    match value {
        Value::Null => atom("nil", out),
        Value::Bool(b) => atom(if *b { "true" } else { "false" }, out),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(small), _) if small < 256 => out.extend([97, small as u8]),
            (_, Some(int)) if i32::try_from(int).is_ok() => {
                out.push(98);
                out.extend((int as i32).to_be_bytes());
            }
            (Some(big), _) => {
                let digits: Vec<u8> = big
                    .to_le_bytes()
                    .into_iter()
                    .rev()
                    .skip_while(|&b| b == 0)
                    .collect();
                out.extend([110, digits.len() as u8, 0]);
                out.extend(digits.into_iter().rev());
            }
            _ => {
                out.push(70);
                out.extend(n.as_f64().unwrap_or(0.0).to_be_bytes());
            }
        },
        Value::String(text) => binary(text, out),
        Value::Array(items) => {
            if items.is_empty() {
                out.push(106);
                return;
            }
            out.push(108);
            out.extend((items.len() as u32).to_be_bytes());
            for item in items {
                etf(item, out);
            }
            out.push(106);
        }
        Value::Object(map) => {
            out.push(116);
            out.extend((map.len() as u32).to_be_bytes());
            for (key, item) in map {
                binary(key, out);
                etf(item, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_gets_seeds_from_the_fixtures() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let seeds = from_fixtures(&fixtures).expect("fixtures");
        for target in crate::TARGETS {
            let inputs = seeds.get(target.name).map_or(0, Vec::len);
            assert!(inputs >= 5, "{} has {inputs} seeds", target.name);
        }
    }

    #[test]
    fn compressed_seeds_inflate_to_the_messages() {
        let messages = ["{\"op\":11}", "{\"op\":1,\"d\":null}"];
        let mut inflater = transport_ws::ZlibStream::new(1 << 16);
        let stream = zlib(&messages);
        let pieces = crate::chunks::split(0x80, &stream);
        let out: Vec<Vec<u8>> = pieces
            .iter()
            .filter_map(|p| inflater.push(p).unwrap())
            .collect();
        assert_eq!(out, messages.map(|m| m.as_bytes().to_vec()));
        let mut inflater = transport_ws::ZstdStream::new(1 << 16).unwrap();
        let inflated = inflater.push(&zstd(&messages)).unwrap().unwrap();
        assert_eq!(inflated, messages.concat().into_bytes());
    }
}
