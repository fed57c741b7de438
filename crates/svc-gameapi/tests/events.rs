//! The events client against the sandbox, on a paused clock: baseline, exactly-once,
//! max-age pacing, maintenance, restarts.

mod common;

use std::time::Duration;

use common::{enc, record, sandbox, take};
use serde_json::json;
use svc_gameapi::events::{
    Change, ClanChange, ClanEvent, Event, EventsClient, FileStore, MaintenanceEvent, MemberChange,
    PlayerChange, PlayerEvent, UnitKind, WarEvent, WarSide,
};
use svc_gameapi::model::WarState;

/// Rank changes ripple through a clan whenever one member's trophies move.
fn is_rank_change(event: &Event) -> bool {
    matches!(
        event,
        Event::Clan(ClanEvent::MemberChanged {
            change: MemberChange::ClanRank(_) | MemberChange::BuilderBaseRank(_),
            ..
        })
    )
}

async fn sleep(seconds: u64) {
    tokio::time::sleep(Duration::from_secs(seconds)).await;
}

#[tokio::test(start_paused = true)]
async fn clan_changes_fire_once_and_never_on_baseline() {
    let setup = sandbox().await;
    let (events, seen) = setup.events().await;
    let main = setup.control.main_clan();
    let members = setup.control.main_members();
    events.add_clans([&main]);
    sleep(5).await;
    assert!(take(&seen).is_empty(), "the baseline yields no events");

    let joined = setup.control.member_join(&main, "Newbie").unwrap();
    assert!(setup.control.member_leave(&main, &members[3]));
    setup.control.with_member(&main, &members[0], |m| {
        m["donations"] = json!(m["donations"].as_u64().unwrap() + 8);
    });
    setup
        .control
        .with_member(&main, &members[1], |m| m["role"] = json!("coLeader"));
    setup.control.with_clan(&main, |c| {
        c["description"] = json!("new description");
        c["clanLevel"] = json!(31);
    });
    sleep(120).await;
    let (ranks, got): (Vec<Event>, Vec<Event>) = take(&seen).into_iter().partition(is_rank_change);
    assert!(!ranks.is_empty(), "a join and a leave move ranks");
    assert_eq!(got.len(), 6, "{got:#?}");
    assert!(got.iter().any(|e| matches!(e, Event::Clan(ClanEvent::MemberJoined { member, .. }) if member.tag.as_str() == joined)));
    assert!(got.iter().any(|e| matches!(e, Event::Clan(ClanEvent::MemberLeft { member, .. }) if member.tag.as_str() == members[3])));
    assert!(got.iter().any(|e| matches!(e, Event::Clan(ClanEvent::MemberChanged { member, change: MemberChange::Donations(Change { old, new }), .. }) if member.donations == old + 8 && *new == member.donations)));
    assert!(got.iter().any(|e| matches!(e, Event::Clan(ClanEvent::MemberChanged { member, change: MemberChange::Role(_), .. }) if member.tag.as_str() == members[1])));
    assert!(got.iter().any(|e| matches!(e, Event::Clan(ClanEvent::Changed { change: ClanChange::Description(Change { new: Some(d), .. }), .. }) if d == "new description")));
    assert!(got.iter().any(|e| matches!(
        e,
        Event::Clan(ClanEvent::Changed {
            change: ClanChange::Level(Change { new: 31, .. }),
            ..
        })
    )));

    sleep(600).await;
    assert!(take(&seen).is_empty(), "nothing changed, nothing fires");
    // 725 s at max-age 120: polls at 0, 120, …, 720 — never sooner.
    let polls = setup.requests_to(&format!("/v1/clans/{}", enc(&main)));
    assert!(polls <= 725 / 120 + 1, "{polls} polls");
    assert!(polls >= 6, "{polls} polls");
}

#[tokio::test(start_paused = true)]
async fn nothing_polled_before_its_max_age() {
    let setup = sandbox().await;
    setup.control.set_max_age(Some(45));
    let events = EventsClient::new(setup.client().await);
    let main = setup.control.main_clan();
    let member = setup.control.main_members()[0].clone();
    events.add_clans([&main]);
    events.add_players([&member]);
    events.add_wars([&main]);
    sleep(1000).await;
    for path in [
        format!("/v1/clans/{}", enc(&main)),
        format!("/v1/players/{}", enc(&member)),
        format!("/v1/clans/{}/currentwar", enc(&main)),
    ] {
        let polls = setup.requests_to(&path);
        assert!(polls <= 1000 / 45 + 1, "{path}: {polls}");
        assert!(polls >= 1000 / 45 - 1, "{path}: {polls}");
    }
}

#[tokio::test(start_paused = true)]
async fn maintenance_window_loses_nothing() {
    let setup = sandbox().await;
    let events = EventsClient::builder(setup.client().await)
        .maintenance_interval(Duration::from_secs(30))
        .build()
        .unwrap();
    let seen = record(&events);
    let main = setup.control.main_clan();
    events.add_clans([&main]);
    sleep(5).await;
    setup.control.set_maintenance(true);
    sleep(120).await;
    let got = take(&seen);
    assert_eq!(got, vec![Event::Maintenance(MaintenanceEvent::Started)]);

    // Changes during maintenance are reported once it is over.
    let joined = setup
        .control
        .member_join(&main, "DuringMaintenance")
        .unwrap();
    sleep(90).await;
    assert!(take(&seen).is_empty(), "maintenance start is reported once");
    setup.control.set_maintenance(false);
    sleep(31).await;
    let got: Vec<Event> = take(&seen)
        .into_iter()
        .filter(|e| !is_rank_change(e))
        .collect();
    assert_eq!(got.len(), 3, "{got:#?}");
    assert_eq!(got[0], Event::Maintenance(MaintenanceEvent::Completed));
    assert!(
        matches!(&got[1], Event::Clan(ClanEvent::MemberJoined { member, .. }) if member.tag.as_str() == joined)
    );
    assert!(matches!(
        &got[2],
        Event::Clan(ClanEvent::Changed {
            change: ClanChange::MemberCount(Change { old: 50, new: 51 }),
            ..
        })
    ));
    sleep(300).await;
    assert!(take(&seen).is_empty());
}

#[tokio::test(start_paused = true)]
async fn player_changes_and_runtime_removal() {
    let setup = sandbox().await;
    let (events, seen) = setup.events().await;
    let member = setup.control.main_members()[2].clone();
    events.add_players([member.to_lowercase()]);
    sleep(5).await;
    setup.control.with_player(&member, |p| {
        p["trophies"] = json!(p["trophies"].as_u64().unwrap() + 31);
        p["townHallLevel"] = json!(17);
        let level = p["troops"][0]["level"].as_u64().unwrap();
        p["troops"][0]["level"] = json!(level + 1);
        p["clan"] = serde_json::Value::Null;
    });
    sleep(60).await;
    let got = take(&seen);
    assert_eq!(got.len(), 4, "{got:#?}");
    assert!(got.iter().any(
        |e| matches!(e, Event::Player(PlayerEvent::Changed { change: PlayerChange::Trophies(Change { old, new }), .. }) if new - old == 31)
    ));
    assert!(got.iter().any(|e| matches!(
        e,
        Event::Player(PlayerEvent::Changed {
            change: PlayerChange::TownHall(Change { new: 17, .. }),
            ..
        })
    )));
    assert!(got.iter().any(|e| matches!(
        e,
        Event::Player(PlayerEvent::UnitUpgraded {
            kind: UnitKind::Troop,
            ..
        })
    )));
    assert!(
        got.iter()
            .any(|e| matches!(e, Event::Player(PlayerEvent::Clan { new: None, .. })))
    );

    events.remove_players([&member]);
    assert_eq!(events.watched(), 0);
    let polls = setup.requests_to(&format!("/v1/players/{}", enc(&member)));
    setup
        .control
        .with_player(&member, |p| p["expLevel"] = json!(999));
    sleep(600).await;
    assert!(take(&seen).is_empty());
    assert_eq!(
        setup.requests_to(&format!("/v1/players/{}", enc(&member))),
        polls,
        "a removed player is not polled"
    );
}

#[tokio::test(start_paused = true)]
async fn attacks_once_even_across_restarts() {
    let setup = sandbox().await;
    let path = std::env::temp_dir().join(format!("svc-gameapi-attacks-{}.txt", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let main = setup.control.main_clan();

    let events = EventsClient::builder(setup.client().await)
        .store(FileStore::open(&path).unwrap())
        .build()
        .unwrap();
    let seen = record(&events);
    events.add_wars([&main]);
    sleep(5).await;
    assert!(
        take(&seen).is_empty(),
        "the fixture war's attacks are the baseline"
    );
    let attack = setup.control.add_attack(&main, 2).unwrap();
    sleep(120).await;
    let got = take(&seen);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        matches!(&got[0], Event::War(WarEvent::NewAttack { attack: a, side: WarSide::Clan, .. }) if u64::from(a.order) == attack["order"].as_u64().unwrap())
    );
    drop(events);

    // While the poller is down, one more attack.
    setup.control.add_attack(&main, 3).unwrap();
    let events = EventsClient::builder(setup.client().await)
        .store(FileStore::open(&path).unwrap())
        .build()
        .unwrap();
    let seen = record(&events);
    events.add_wars([&main]);
    sleep(5).await;
    let got = take(&seen);
    assert_eq!(got.len(), 1, "only the attack made while down: {got:#?}");
    assert!(matches!(&got[0], Event::War(WarEvent::NewAttack { attack, .. }) if attack.stars == 3));

    // A new war, then battle day, then its first attack.
    setup.control.start_war(&main);
    sleep(120).await;
    let got = take(&seen);
    assert!(
        matches!(got.as_slice(), [Event::War(WarEvent::NewWar { war, .. })] if war.state == WarState::Preparation),
        "{got:#?}"
    );
    setup.control.set_war_state(&main, "inWar");
    setup.control.add_attack(&main, 1).unwrap();
    sleep(120).await;
    let got = take(&seen);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(matches!(
        &got[0],
        Event::War(WarEvent::StateChanged {
            old: WarState::Preparation,
            ..
        })
    ));
    assert!(matches!(&got[1], Event::War(WarEvent::NewAttack { attack, .. }) if attack.order == 1));
    let _ = std::fs::remove_file(&path);
}

#[tokio::test(start_paused = true)]
async fn stream_and_wait_for() {
    use futures_util::StreamExt;
    let setup = sandbox().await;
    let events = EventsClient::new(setup.client().await);
    let mut stream = events.hub().stream();
    let main = setup.control.main_clan();
    events.add_clans([&main]);
    let waiting = events.hub().wait_for(
        |e: &ClanEvent| matches!(e, ClanEvent::MemberJoined { .. }),
        Duration::from_mins(5),
    );
    sleep(5).await;
    setup.control.member_join(&main, "Streamed").unwrap();
    let joined = waiting.await.expect("the join arrives within max-age");
    assert!(matches!(joined, ClanEvent::MemberJoined { member, .. } if member.name == "Streamed"));
    let first = stream.next().await.unwrap();
    assert!(
        matches!(first, Ok(Event::Clan(ClanEvent::MemberJoined { .. }))),
        "{first:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn calendar_moments() {
    use svc_gameapi::Timestamp;
    use svc_gameapi::events::{CalendarEvent, CalendarKind};
    let setup = sandbox().await;
    let (events, seen) = setup.events().await;
    events.watch_calendar_from(Timestamp::parse("20240101T000000.000Z").unwrap());
    events.watch_calendar_from(Timestamp::parse("20240101T000000.000Z").unwrap());
    sleep(31 * 86_400).await;
    let got: Vec<(CalendarKind, String)> = take(&seen)
        .into_iter()
        .map(|e| match e {
            Event::Calendar(CalendarEvent { kind, at }) => (kind, at.to_string()),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    let expected = [
        (CalendarKind::RaidWeekendEnd, "20240101T070000.000Z"),
        (CalendarKind::RaidWeekend, "20240105T070000.000Z"),
        (CalendarKind::RaidWeekendEnd, "20240108T070000.000Z"),
        (CalendarKind::RaidWeekend, "20240112T070000.000Z"),
        (CalendarKind::RaidWeekendEnd, "20240115T070000.000Z"),
        (CalendarKind::RaidWeekend, "20240119T070000.000Z"),
        (CalendarKind::RaidWeekendEnd, "20240122T070000.000Z"),
        (CalendarKind::ClanGames, "20240122T080000.000Z"),
        (CalendarKind::RaidWeekend, "20240126T070000.000Z"),
        (CalendarKind::ClanGamesEnd, "20240128T080000.000Z"),
        (CalendarKind::Season, "20240129T050000.000Z"),
        (CalendarKind::RaidWeekendEnd, "20240129T070000.000Z"),
    ];
    let expected: Vec<(CalendarKind, String)> = expected
        .iter()
        .map(|(k, t)| (*k, (*t).to_owned()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(
        setup.server.log().len(),
        0,
        "the calendar needs no requests"
    );
}

#[tokio::test(start_paused = true)]
async fn league_round_wars() {
    let setup = sandbox().await;
    let main = setup.control.main_clan();
    // During CWL week `currentwar` says notInWar; the wars are in the league group.
    setup.control.set_war_state(&main, "notInWar");
    let (events, seen) = setup.events().await;
    events.add_wars([&main]);
    sleep(5).await;
    assert!(take(&seen).is_empty(), "drawn rounds are the baseline");

    let war_tag = setup.control.add_league_round(&main).unwrap();
    sleep(120).await;
    let got = take(&seen);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        matches!(&got[0], Event::War(WarEvent::LeagueRoundWar { round: 3, war_tag: t, .. }) if t.as_str() == war_tag)
    );

    setup.control.add_league_attack(&war_tag, 3).unwrap();
    sleep(120).await;
    let got = take(&seen);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        matches!(&got[0], Event::War(WarEvent::NewAttack { attack, war, .. }) if attack.stars == 3 && war.tag.as_ref().is_some_and(|t| t.as_str() == war_tag))
    );
    sleep(600).await;
    assert!(take(&seen).is_empty());
}
