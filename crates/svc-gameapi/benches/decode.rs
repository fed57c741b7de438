//! Decode throughput of the largest payloads: a full clan with its member list, a 15 v 15
//! war, and fifty full player profiles.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use svc_gameapi::model::{Clan, ClanWar, Player};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/clash/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (run `cargo xtask fixtures`)"))
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    for (name, file) in [
        ("clan_50_members", "clan.json"),
        ("war_15v15", "war.json"),
        ("players_50", "players.json"),
    ] {
        let bytes = fixture(file);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(format!("{name}/simd_json"), |b| {
            b.iter(|| {
                let mut buffer = bytes.clone();
                match file {
                    "clan.json" => drop(
                        simd_json::serde::from_slice::<Clan>(&mut buffer).expect("clan decodes"),
                    ),
                    "war.json" => drop(
                        simd_json::serde::from_slice::<ClanWar>(&mut buffer).expect("war decodes"),
                    ),
                    _ => drop(
                        simd_json::serde::from_slice::<Vec<Player>>(&mut buffer)
                            .expect("players decode"),
                    ),
                }
            });
        });
        group.bench_function(format!("{name}/serde_json"), |b| {
            b.iter(|| match file {
                "clan.json" => drop(serde_json::from_slice::<Clan>(&bytes).expect("clan decodes")),
                "war.json" => drop(serde_json::from_slice::<ClanWar>(&bytes).expect("war decodes")),
                _ => drop(serde_json::from_slice::<Vec<Player>>(&bytes).expect("players decode")),
            });
        });
    }
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
