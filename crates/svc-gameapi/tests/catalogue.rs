//! coc.py's event catalogue, end to end: every clan, member, player and war attribute event
//! and every unit, equipment, achievement, clan-move, war and CWL event is produced by a
//! change in the sandbox and seen by the events client. Each attribute test also checks
//! that its table of edits covers every attribute the crate declares, so a new attribute
//! without an end-to-end test fails here.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use common::{record, sandbox, take};
use serde_json::{Value, json};
use svc_gameapi::events::{
    Change, ClanChange, ClanEvent, Event, EventsClient, MemberChange, PlayerChange, PlayerEvent,
    UnitKind, WarChange, WarEvent, WarSide,
};
use svc_gameapi::model::{Role, WarState};

/// Longer than every route's max-age, so each watched resource is polled again.
async fn next_poll() {
    tokio::time::sleep(Duration::from_secs(130)).await;
}

fn bump(value: &mut Value) {
    *value = json!(value.as_u64().unwrap_or(0) + 1);
}

/// Every name in `declared` has an edit, and nothing else does.
fn assert_covers(edits: &BTreeSet<&str>, declared: &[&str]) {
    let declared: BTreeSet<&str> = declared.iter().copied().collect();
    assert_eq!(edits, &declared, "edits and declared attributes differ");
}

type Edit = fn(&mut Value);

#[tokio::test(start_paused = true)]
#[allow(clippy::too_many_lines)] // one edit per clan attribute
async fn every_clan_attribute_event() {
    let setup = sandbox().await;
    let (events, seen) = setup.events().await;
    let main = setup.control.main_clan();
    events.add_clans([&main]);
    next_poll().await;
    assert!(take(&seen).is_empty(), "the baseline yields no events");

    let edits: &[(&str, Edit)] = &[
        ("name", |c| c["name"] = json!("Renamed Clan")),
        ("type", |c| c["type"] = json!("closed")),
        ("description", |c| c["description"] = json!("a new text")),
        ("location", |c| {
            c["location"] = json!({ "id": 32_000_094, "name": "Germany", "isCountry": true, "countryCode": "DE" });
        }),
        ("badge", |c| {
            c["badgeUrls"]["small"] =
                json!("https://api-assets.clashofclans.com/badges/70/new.png");
        }),
        ("level", |c| bump(&mut c["clanLevel"])),
        ("points", |c| bump(&mut c["clanPoints"])),
        ("builder_base_points", |c| {
            bump(&mut c["clanBuilderBasePoints"]);
        }),
        ("capital_points", |c| bump(&mut c["clanCapitalPoints"])),
        ("required_trophies", |c| bump(&mut c["requiredTrophies"])),
        ("required_builder_base_trophies", |c| {
            bump(&mut c["requiredBuilderBaseTrophies"]);
        }),
        ("required_townhall", |c| {
            bump(&mut c["requiredTownhallLevel"]);
        }),
        ("war_frequency", |c| {
            c["warFrequency"] = json!("moreThanOncePerWeek");
        }),
        ("war_win_streak", |c| bump(&mut c["warWinStreak"])),
        ("war_wins", |c| bump(&mut c["warWins"])),
        ("war_ties", |c| bump(&mut c["warTies"])),
        ("war_losses", |c| bump(&mut c["warLosses"])),
        ("public_war_log", |c| c["isWarLogPublic"] = json!(false)),
        ("war_league", |c| {
            c["warLeague"] = json!({ "id": 48_000_004, "name": "Crystal League I" });
        }),
        ("capital_league", |c| {
            c["capitalLeague"] = json!({ "id": 85_000_001, "name": "Bronze League I" });
        }),
        ("capital_hall", |c| {
            bump(&mut c["clanCapital"]["capitalHallLevel"]);
        }),
        ("labels", |c| {
            c["labels"].as_array_mut().unwrap().pop();
        }),
        ("family_friendly", |c| {
            c["isFamilyFriendly"] = json!(!c["isFamilyFriendly"].as_bool().unwrap());
        }),
        ("chat_language", |c| {
            c["chatLanguage"] =
                json!({ "id": 75_000_001, "name": "Deutsch", "languageCode": "DE" });
        }),
    ];
    let mut expected: BTreeSet<&str> = edits.iter().map(|(name, _)| *name).collect();
    // The member count moves when somebody joins.
    expected.insert("member_count");
    assert_covers(&expected, ClanChange::NAMES);
    for (_, edit) in edits {
        assert!(setup.control.with_clan(&main, edit));
    }
    let joined = setup.control.member_join(&main, "Newcomer").unwrap();
    next_poll().await;

    let got = take(&seen);
    let mut changed: BTreeMap<&str, ClanChange> = BTreeMap::new();
    for event in &got {
        if let Event::Clan(ClanEvent::Changed { clan, change }) = event {
            assert_eq!(clan.as_str(), main);
            assert!(
                changed.insert(change.name(), change.clone()).is_none(),
                "{} reported twice",
                change.name()
            );
        }
    }
    assert_eq!(changed.keys().copied().collect::<BTreeSet<_>>(), expected);
    // Typed old and new values.
    assert!(
        matches!(&changed["name"], ClanChange::Name(Change { new, .. }) if new == "Renamed Clan")
    );
    assert!(matches!(
        &changed["public_war_log"],
        ClanChange::PublicWarLog(Change {
            old: true,
            new: false
        })
    ));
    assert!(matches!(
        &changed["member_count"],
        ClanChange::MemberCount(Change { old: 50, new: 51 })
    ));
    assert!(
        matches!(&changed["location"], ClanChange::Location(Change { new: Some(l), .. }) if l.country_code.as_deref() == Some("DE"))
    );
    assert!(
        matches!(&changed["capital_hall"], ClanChange::CapitalHall(Change { old: Some(o), new: Some(n) }) if n == &(o + 1))
    );
    assert!(got.iter().any(|e| matches!(e, Event::Clan(ClanEvent::MemberJoined { member, .. }) if member.tag.as_str() == joined)));

    // coc.py's member_leave.
    assert!(setup.control.member_leave(&main, &joined));
    next_poll().await;
    let got = take(&seen);
    assert!(got.iter().any(|e| matches!(e, Event::Clan(ClanEvent::MemberLeft { member, .. }) if member.tag.as_str() == joined)));
    next_poll().await;
    assert!(take(&seen).is_empty(), "nothing changed, nothing fires");
}

#[tokio::test(start_paused = true)]
async fn every_member_attribute_event() {
    let setup = sandbox().await;
    let (events, seen) = setup.events().await;
    let main = setup.control.main_clan();
    let members = setup.control.main_members();
    events.add_clans([&main]);
    next_poll().await;
    assert!(take(&seen).is_empty());

    // (member, attribute, edit of the member list entry); `None` edits are game actions below.
    let edits: Vec<(&str, &str, Option<Edit>)> = vec![
        (&members[1], "name", Some(|m| m["name"] = json!("Renamed"))),
        (&members[2], "role", Some(|m| m["role"] = json!("leader"))),
        (
            &members[3],
            "town_hall",
            Some(|m| bump(&mut m["townHallLevel"])),
        ),
        (&members[4], "exp_level", Some(|m| bump(&mut m["expLevel"]))),
        (
            &members[5],
            "league",
            Some(|m| {
                m["league"] =
                    json!({ "id": 29_000_001, "name": "Bronze League III", "iconUrls": {} });
            }),
        ),
        (&members[6], "trophies", None),
        // Moving to the top of the trophy list changes the member's rank.
        (&members[6], "clan_rank", None),
        (
            &members[7],
            "builder_base_trophies",
            Some(|m| {
                m["builderBaseTrophies"] = json!(99_999);
            }),
        ),
        (&members[7], "builder_base_rank", None),
        (
            &members[8],
            "builder_base_league",
            Some(|m| {
                m["builderBaseLeague"] = json!({ "id": 44_000_000, "name": "Wood League V" });
            }),
        ),
        (
            &members[9],
            "clan_previous_rank",
            Some(|m| bump(&mut m["previousClanRank"])),
        ),
        (&members[10], "donations", None),
        (&members[11], "received", None),
    ];
    let names: BTreeSet<&str> = edits.iter().map(|(_, name, _)| *name).collect();
    assert_covers(&names, MemberChange::NAMES);
    for (member, _, edit) in &edits {
        if let Some(edit) = edit {
            assert!(setup.control.with_member(&main, member, edit));
        }
    }
    assert!(setup.control.set_trophies(&members[6], 99_999));
    assert!(setup.control.donate(&main, &members[10], &members[11], 12));
    next_poll().await;

    let got = take(&seen);
    let mut seen_pairs: BTreeSet<(String, &str)> = BTreeSet::new();
    for event in &got {
        if let Event::Clan(ClanEvent::MemberChanged { member, change, .. }) = event {
            seen_pairs.insert((member.tag.to_string(), change.name()));
            if let MemberChange::Received(Change { old, new }) = change {
                assert_eq!(new - old, 12);
            }
            if let MemberChange::Role(Change { new, .. }) = change {
                assert_eq!(*new, Role::Leader);
            }
        }
    }
    for (member, name, _) in &edits {
        assert!(
            seen_pairs.contains(&((*member).to_owned(), *name)),
            "no {name} event for {member}: {seen_pairs:?}"
        );
    }
    assert!(
        seen_pairs.contains(&(members[6].clone(), "clan_rank")),
        "the trophy jump moved the rank"
    );
}

#[tokio::test(start_paused = true)]
async fn every_player_attribute_event() {
    let setup = sandbox().await;
    let (events, seen) = setup.events().await;
    let main = setup.control.main_clan();
    let members = setup.control.main_members();
    let player = members[3].clone();
    events.add_players([&player]);
    next_poll().await;
    assert!(take(&seen).is_empty());

    let edits: &[(&str, Edit)] = &[
        ("name", |p| p["name"] = json!("New Name")),
        ("town_hall", |p| bump(&mut p["townHallLevel"])),
        ("town_hall_weapon", |p| bump(&mut p["townHallWeaponLevel"])),
        ("builder_hall", |p| bump(&mut p["builderHallLevel"])),
        ("exp_level", |p| bump(&mut p["expLevel"])),
        ("war_stars", |p| bump(&mut p["warStars"])),
        ("attack_wins", |p| bump(&mut p["attackWins"])),
        ("defense_wins", |p| bump(&mut p["defenseWins"])),
        ("builder_base_trophies", |p| {
            bump(&mut p["builderBaseTrophies"]);
        }),
        ("best_builder_base_trophies", |p| {
            bump(&mut p["bestBuilderBaseTrophies"]);
        }),
        ("received", |p| bump(&mut p["donationsReceived"])),
        ("clan_capital_contributions", |p| {
            bump(&mut p["clanCapitalContributions"]);
        }),
        ("role", |p| p["role"] = json!("coLeader")),
        ("war_opted_in", |p| {
            let now = if p["warPreference"] == "in" {
                "out"
            } else {
                "in"
            };
            p["warPreference"] = json!(now);
        }),
        ("league", |p| {
            p["league"] = json!({ "id": 29_000_002, "name": "Silver League II", "iconUrls": {} });
        }),
        ("builder_base_league", |p| {
            p["builderBaseLeague"] = json!({ "id": 44_000_002, "name": "Stone League I" });
        }),
        ("legend_statistics", |p| {
            p["legendStatistics"] = json!({
                "legendTrophies": 120,
                "currentSeason": { "rank": 9000, "trophies": 5100 },
                "bestSeason": { "id": "2023-11", "rank": 800, "trophies": 5600 },
            });
        }),
        ("labels", |p| p["labels"] = json!([])),
        ("clan_name", |p| p["clan"]["name"] = json!("Renamed Clan")),
        ("clan_level", |p| bump(&mut p["clan"]["clanLevel"])),
        ("clan_badge", |p| {
            p["clan"]["badgeUrls"]["large"] =
                json!("https://api-assets.clashofclans.com/badges/512/new.png");
        }),
    ];
    let mut expected: BTreeSet<&str> = edits.iter().map(|(name, _)| *name).collect();
    // Game actions: a trophy push beyond the best, and a donation.
    expected.extend(["trophies", "best_trophies", "donations"]);
    assert_covers(&expected, PlayerChange::NAMES);
    for (_, edit) in edits {
        assert!(setup.control.with_player(&player, edit));
    }
    assert!(setup.control.set_trophies(&player, 99_999));
    assert!(setup.control.donate(&main, &player, &members[4], 7));
    next_poll().await;

    let mut changed: BTreeMap<&str, PlayerChange> = BTreeMap::new();
    for event in take(&seen) {
        match event {
            Event::Player(PlayerEvent::Changed {
                player: tag,
                change,
            }) => {
                assert_eq!(tag.as_str(), player);
                assert!(changed.insert(change.name(), change).is_none());
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(changed.keys().copied().collect::<BTreeSet<_>>(), expected);
    assert!(matches!(
        &changed["trophies"],
        PlayerChange::Trophies(Change { new: 99_999, .. })
    ));
    assert!(
        matches!(&changed["donations"], PlayerChange::Donations(Change { old, new }) if new - old == 7)
    );
    assert!(
        matches!(&changed["legend_statistics"], PlayerChange::LegendStatistics(Change { old: None, new: Some(s) }) if s.legend_trophies == 120 && s.best_season.as_ref().and_then(|b| b.rank) == Some(800))
    );
}

#[tokio::test(start_paused = true)]
async fn units_equipment_and_achievements() {
    let setup = sandbox().await;
    let player = setup.control.main_members()[3].clone();
    // Start from level 1 everywhere, so every unit has an upgrade left.
    setup.control.with_player(&player, |p| {
        for list in ["troops", "spells", "heroes", "heroEquipment"] {
            for unit in p[list].as_array_mut().unwrap() {
                unit["level"] = json!(1);
            }
        }
    });
    let (events, seen) = setup.events().await;
    events.add_players([&player]);
    next_poll().await;
    assert!(take(&seen).is_empty());

    // coc.py: troop_change, spell_change, hero_change, equipment_change, pet_change (and
    // siege machines, which the API lists with troops), achievement_change,
    // active_equipment_change.
    assert_eq!(setup.control.upgrade_unit(&player, "Archer"), Some(2));
    assert_eq!(setup.control.upgrade_unit(&player, "Rage Spell"), Some(2));
    assert_eq!(setup.control.upgrade_unit(&player, "Archer Queen"), Some(2));
    assert_eq!(setup.control.upgrade_unit(&player, "Eternal Tome"), Some(2));
    assert!(setup.control.unlock_unit(&player, "troops", "Unicorn", 10));
    assert!(
        setup
            .control
            .unlock_unit(&player, "troops", "Wall Wrecker", 5)
    );
    assert!(
        setup
            .control
            .unlock_unit(&player, "heroEquipment", "Rage Vial", 18)
    );
    assert!(setup.control.equip(&player, "Barbarian King", "Rage Vial"));
    setup.control.with_player(&player, |p| {
        bump(&mut p["achievements"][0]["value"]);
    });
    next_poll().await;

    let got = take(&seen);
    let upgrades: BTreeMap<String, (UnitKind, u32, u32)> = got
        .iter()
        .filter_map(|e| match e {
            Event::Player(PlayerEvent::UnitUpgraded {
                kind,
                old_level,
                unit,
                ..
            }) => Some((unit.name.clone(), (*kind, *old_level, unit.level))),
            _ => None,
        })
        .collect();
    let expected: BTreeMap<String, (UnitKind, u32, u32)> = [
        ("Archer", (UnitKind::Troop, 1, 2)),
        ("Rage Spell", (UnitKind::Spell, 1, 2)),
        ("Archer Queen", (UnitKind::Hero, 1, 2)),
        ("Eternal Tome", (UnitKind::HeroEquipment, 1, 2)),
        ("Unicorn", (UnitKind::Pet, 0, 1)),
        ("Wall Wrecker", (UnitKind::SiegeMachine, 0, 1)),
        ("Rage Vial", (UnitKind::HeroEquipment, 0, 1)),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    assert_eq!(upgrades, expected);
    // The event knows what the game knows: "Archer Queen (hero), level 2 of 100".
    assert!(got.iter().any(|e| matches!(
        e,
        Event::Player(PlayerEvent::UnitUpgraded { unit, info: Some(info), .. })
            if unit.name == "Archer Queen" && info.id == Some(28_000_001) && info.max_level == 100
    )));
    assert!(got.iter().any(|e| matches!(
        e,
        Event::Player(PlayerEvent::EquipmentEquipped { hero, equipment, .. })
            if hero.name == "Barbarian King" && equipment.name == "Rage Vial"
    )));
    assert_eq!(
        got.iter()
            .filter(|e| matches!(e, Event::Player(PlayerEvent::Achievement { old, new, .. }) if new.value == old.value + 1))
            .count(),
        1
    );
    assert_eq!(got.len(), expected.len() + 2, "{got:#?}");
}

#[tokio::test(start_paused = true)]
async fn player_clan_moves() {
    let setup = sandbox().await;
    let main = setup.control.main_clan();
    let player = setup.control.main_members()[3].clone();
    let (events, seen) = setup.events().await;
    events.add_players([&player]);
    next_poll().await;
    assert!(take(&seen).is_empty());

    // coc.py: left_clan, then joined_clan.
    assert!(setup.control.member_leave(&main, &player));
    next_poll().await;
    let got = take(&seen);
    assert!(
        got.iter().any(|e| matches!(
            e,
            Event::Player(PlayerEvent::Clan {
                old: Some(_),
                new: None,
                ..
            })
        )),
        "{got:#?}"
    );
    let other_clan = setup
        .control
        .clan_tags()
        .into_iter()
        .find(|tag| *tag != main)
        .unwrap();
    setup.control.with_player(&player, |p| {
        p["clan"] =
            json!({ "tag": other_clan, "name": "Elsewhere", "clanLevel": 3, "badgeUrls": {} });
    });
    next_poll().await;
    let got = take(&seen);
    assert!(
        got.iter().any(|e| matches!(e, Event::Player(PlayerEvent::Clan { old: None, new: Some(c), .. }) if c.tag.as_str() == other_clan)),
        "{got:#?}"
    );
}

#[tokio::test(start_paused = true)]
async fn war_life_attacks_defenses_and_attributes() {
    let setup = sandbox().await;
    let main = setup.control.main_clan();
    let (events, seen) = setup.events().await;
    events.add_wars([&main]);
    next_poll().await;
    assert!(take(&seen).is_empty());

    // coc.py: new_war, then state.
    assert!(setup.control.start_war(&main));
    next_poll().await;
    let got = take(&seen);
    assert!(
        matches!(got.as_slice(), [Event::War(WarEvent::NewWar { war, .. })] if war.state == WarState::Preparation),
        "{got:#?}"
    );
    // coc.py's dynamic war attributes (`members`, times, size…) during preparation.
    let edits: &[(&str, Edit)] = &[
        ("team_size", |w| bump(&mut w["teamSize"])),
        ("attacks_per_member", |w| w["attacksPerMember"] = json!(1)),
        ("battle_modifier", |w| {
            w["battleModifier"] = json!("hardMode");
        }),
        ("start_time", |w| {
            w["startTime"] = json!("20240301T000000.000Z");
        }),
        ("end_time", |w| w["endTime"] = json!("20240302T000000.000Z")),
        ("members", |w| {
            w["opponent"]["members"].as_array_mut().unwrap().pop();
        }),
    ];
    assert_covers(
        &edits.iter().map(|(name, _)| *name).collect(),
        WarChange::NAMES,
    );
    for (_, edit) in edits {
        assert!(setup.control.with_war(&main, edit));
    }
    next_poll().await;
    let names: BTreeSet<&str> = take(&seen)
        .iter()
        .map(|e| match e {
            Event::War(WarEvent::Changed { change, .. }) => change.name(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(names, WarChange::NAMES.iter().copied().collect());

    // coc.py: war_attack, for both sides.
    assert!(setup.control.set_war_state(&main, "inWar"));
    let attack = setup.control.add_attack(&main, 2).unwrap();
    let defense = setup.control.add_defense(&main, 3).unwrap();
    next_poll().await;
    let got = take(&seen);
    assert_eq!(got.len(), 3, "{got:#?}");
    assert!(matches!(
        &got[0],
        Event::War(WarEvent::StateChanged {
            old: WarState::Preparation,
            ..
        })
    ));
    assert!(
        matches!(&got[1], Event::War(WarEvent::NewAttack { attack: a, side: WarSide::Clan, .. }) if a.attacker_tag.as_str() == attack["attackerTag"])
    );
    assert!(
        matches!(&got[2], Event::War(WarEvent::NewAttack { attack: a, side: WarSide::Opponent, .. }) if a.attacker_tag.as_str() == defense["attackerTag"] && a.stars == 3)
    );

    assert!(setup.control.set_war_state(&main, "warEnded"));
    next_poll().await;
    let got = take(&seen);
    assert!(
        matches!(got.as_slice(), [Event::War(WarEvent::StateChanged { old: WarState::InWar, war, .. })] if war.state == WarState::WarEnded),
        "{got:#?}"
    );
}

#[tokio::test(start_paused = true)]
async fn raw_attribute_keeps_the_json_end_to_end() {
    let setup = sandbox().await;
    let main = setup.control.main_clan();
    let kept = setup.builder().raw_attribute(true).build().await.unwrap();
    let plain = setup.client().await;

    let served = kept
        .raw_get(&format!("/clans/{}", main.replace('#', "%23")))
        .await
        .unwrap();
    let clan = kept.clan(&main).await.unwrap();
    let raw: Value = clan.raw.to_value().unwrap().unwrap();
    assert_eq!(raw, serde_json::from_slice::<Value>(&served).unwrap());
    assert_eq!(raw["memberList"].as_array().unwrap().len(), 50);
    // Nested objects keep none of their own; list items do.
    assert!(clan.member_list.iter().all(|m| m.raw.is_empty()));
    let page = kept.clan_members(&main).limit(3).await.unwrap();
    for member in &page.items {
        let raw: Value = member.raw.to_value().unwrap().unwrap();
        assert_eq!(raw["tag"], member.tag.as_str());
    }
    assert!(plain.clan(&main).await.unwrap().raw.is_empty());
    assert!(
        plain.clan_members(&main).limit(3).await.unwrap().items[0]
            .raw
            .is_empty()
    );

    // Events carry what the client decoded: a war with its JSON.
    let events = EventsClient::new(kept);
    let seen = record(&events);
    events.add_wars([&main]);
    next_poll().await;
    setup.control.add_attack(&main, 1).unwrap();
    next_poll().await;
    let got = take(&seen);
    assert!(
        matches!(got.as_slice(), [Event::War(WarEvent::NewAttack { war, .. })] if war.raw.get().is_some_and(|text| text.contains("attackerTag"))),
        "{got:#?}"
    );
}

/// The crate docs map every coc.py event to ours: every attribute the tables declare has
/// its row.
#[test]
fn the_coc_py_table_names_every_attribute() {
    let docs = include_str!("../src/events/mod.rs");
    for (prefix, names) in [
        ("ClanEvents.", ClanChange::NAMES),
        ("ClanEvents.member_", MemberChange::NAMES),
        ("PlayerEvents.", PlayerChange::NAMES),
        ("WarEvents.", WarChange::NAMES),
    ] {
        for name in names {
            let row = format!("`{prefix}{name}`");
            assert!(docs.contains(&row), "the coc.py table lacks {row}");
        }
    }
}
