//! Decoding is forgiving where the API evolves (unknown fields ignored, missing optional
//! fields `None`) and strict where it must be (malformed JSON is a typed error, never a
//! panic): against fixtures, and against a server that answers garbage.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use http::StatusCode;
use sandbox::platform::{Platform, ResponseFuture, SandboxRequest};
use sandbox::response;
use svc_gameapi::model::{
    CapitalRaidSeason, Clan, ClanWar, LeagueGroup, Page, Player, WarLogEntry,
};
use svc_gameapi::{Client, ErrorKind};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/clash/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixtures exist")
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> T {
    let mut buffer = bytes.to_vec();
    simd_json::serde::from_slice(&mut buffer).expect("decodes")
}

#[test]
fn fixtures_decode_into_the_model() {
    let clan: Clan = decode(&fixture("clan.json"));
    assert_eq!(clan.member_list.len(), 50);
    assert!(
        clan.member_list
            .iter()
            .all(|m| m.tag.is_well_formed() && m.league.is_some())
    );
    let players: Vec<Player> = decode(&fixture("players.json"));
    assert_eq!(players.len(), 50);
    assert!(
        players
            .iter()
            .all(|p| !p.troops.is_empty() && !p.heroes.is_empty() && !p.spells.is_empty())
    );
    let war: ClanWar = decode(&fixture("war.json"));
    assert_eq!(war.clan.members.len(), 15);
    assert_eq!(war.attacks().len(), 12);
    let log: Page<WarLogEntry> = decode(&fixture("warlog.json"));
    assert_eq!(log.items.len(), 25);
    assert!(
        log.items
            .iter()
            .all(|e| e.result.is_some() && e.end_time.is_some())
    );
    let raids: Page<CapitalRaidSeason> = decode(&fixture("capitalraidseasons.json"));
    assert_eq!(raids.items.len(), 5);
    let cwl: serde_json::Value = decode(&fixture("cwl.json"));
    let group: LeagueGroup = serde_json::from_value(cwl["group"].clone()).unwrap();
    assert_eq!(group.rounds.len(), 7);
    assert_eq!(
        group
            .rounds
            .iter()
            .map(|r| r.drawn().count())
            .sum::<usize>(),
        12
    );
}

#[test]
fn unknown_fields_ignored_missing_fields_none() {
    let clan: Clan = decode(br##"{"tag":"#2PP","name":"x","brandNewField":{"deep":[1,2,3]},"memberList":[{"tag":"#Q","role":"someNewRole"}]}"##);
    assert_eq!(clan.tag.as_str(), "#2PP");
    assert_eq!(clan.description, None);
    assert_eq!(clan.location, None);
    assert_eq!(clan.war_ties, None);
    assert_eq!(clan.member_list[0].role, svc_gameapi::model::Role::Unknown);
    assert_eq!(clan.member_list[0].town_hall_level, None);
    let war: ClanWar = decode(br#"{"state":"somethingElse"}"#);
    assert_eq!(war.state, svc_gameapi::model::WarState::Unknown);
    assert_eq!(war.start_time, None);
}

/// A server answering whatever body it is told, with status 200.
struct Garbage {
    bodies: Vec<&'static str>,
    next: Arc<AtomicUsize>,
}

impl Platform for Garbage {
    fn name(&self) -> &'static str {
        "garbage"
    }

    fn handle(&self, _request: SandboxRequest) -> ResponseFuture<'_> {
        let body = self.bodies[self.next.fetch_add(1, Ordering::SeqCst) % self.bodies.len()];
        Box::pin(async move {
            response::bytes(
                StatusCode::OK,
                "application/json",
                Bytes::from_static(body.as_bytes()),
            )
        })
    }
}

#[tokio::test]
async fn malformed_answers_are_typed_errors() {
    let bodies = vec![
        "{\"tag\": \"#2PP\", \"name\": ",
        "not json at all",
        "",
        "[1, 2, 3]",
        "{\"tag\": 12345}",
        "{\"startTime\": \"yesterday\"}",
    ];
    let count = bodies.len();
    let server = sandbox::Server::builder()
        .serve(Garbage {
            bodies,
            next: Arc::new(AtomicUsize::new(0)),
        })
        .await
        .unwrap();
    let client = Client::builder()
        .base_url(server.base_url())
        .key("k")
        .cache_max_size(None)
        .build()
        .await
        .unwrap();
    for _ in 0..count - 1 {
        let error = client.clan("#2PP").await.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Decode { .. }),
            "{error:?}"
        );
    }
    let error = client.gold_pass().await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Decode { .. }),
        "a bad timestamp is a decode error: {error:?}"
    );
}

/// A server that never answers in time.
struct Silent;

impl Platform for Silent {
    fn name(&self) -> &'static str {
        "silent"
    }

    fn handle(&self, _request: SandboxRequest) -> ResponseFuture<'_> {
        Box::pin(async {
            tokio::time::sleep(std::time::Duration::from_hours(1)).await;
            response::empty(StatusCode::OK)
        })
    }
}

#[tokio::test(start_paused = true)]
async fn timeouts_are_transport_errors_after_retries() {
    let server = sandbox::Server::builder().serve(Silent).await.unwrap();
    let client = Client::builder()
        .base_url(server.base_url())
        .key("k")
        .timeout(std::time::Duration::from_secs(2))
        .build()
        .await
        .unwrap();
    let started = tokio::time::Instant::now();
    let error = client.raw_get("/clans/%232PP").await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Transport), "{error:?}");
    assert_eq!(server.log().len(), 3, "a timed-out GET is retried");
    assert!(started.elapsed() < std::time::Duration::from_mins(1));
}
