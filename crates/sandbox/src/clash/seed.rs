//! The Clash of Clans world made from a [`ClashWorld`]: each clan with its member list,
//! each member's player profile, the current war (times relative to now) with a generated
//! opponent, and the Clan War League group. Leagues, locations, labels and the gold pass
//! come from the fixtures; the fixtures' pool of clans stays searchable.

use std::time::SystemTime;

use serde_json::{Value, json};

use super::clock;
use super::state::World;
use crate::timestamp;
use crate::world::{ClashClan, ClashOpponent, ClashPlayer, ClashWar, ClashWorld};

/// Characters the game uses in tags.
const TAG_ALPHABET: &[u8] = b"0289PYLQGRJCUV";

/// Units every profile lists, with their max levels: enough for a client to read them.
const TROOPS: [(&str, u32); 6] = [
    ("Barbarian", 12),
    ("Archer", 12),
    ("Giant", 12),
    ("Wall Breaker", 12),
    ("Wizard", 12),
    ("Dragon", 11),
];
const SPELLS: [(&str, u32); 2] = [("Lightning Spell", 11), ("Healing Spell", 10)];
const HEROES: [(&str, u32, u32); 2] = [("Barbarian King", 100, 7), ("Archer Queen", 100, 8)];

pub(super) fn world(clash: &ClashWorld) -> World {
    let mut world = World::load();
    let now = SystemTime::now();
    world
        .clans
        .retain(|_, clan| clan["memberList"] == json!([]));
    world.players.clear();
    world.wars.clear();
    world.warlogs.clear();
    world.raids.clear();
    world.league_groups.clear();
    world.league_wars.clear();
    world.player_tokens.clear();
    world.main_clan.clone_from(&clash.clans[0].tag);
    for clan in &clash.clans {
        let summary = json!({ "tag": clan.tag, "name": clan.name, "clanLevel": clan.level, "badgeUrls": badge(&clan.tag) });
        for member in &clan.members {
            world
                .players
                .insert(member.tag.clone(), player(&world.leagues, member, &summary));
            if let Some(token) = &member.api_token {
                world
                    .player_tokens
                    .insert(member.tag.clone(), token.expose().to_owned());
            }
        }
        let mut entry = clan_json(&world.leagues, clan);
        World::renumber(&mut entry);
        world.clans.insert(clan.tag.clone(), entry);
        world.warlogs.insert(clan.tag.clone(), json!([]));
        world.raids.insert(clan.tag.clone(), json!([]));
        if let Some(war) = &clan.war {
            world
                .wars
                .insert(clan.tag.clone(), war_json(clan, war, now));
        }
        if let Some(league) = &clan.league {
            let group = league_group(clan, &league.rivals, now);
            for tag in std::iter::once(&clan.tag).chain(league.rivals.iter().map(|r| &r.tag)) {
                world.league_groups.insert(tag.clone(), group.clone());
            }
        }
    }
    world
}

fn badge(tag: &str) -> Value {
    let code: String = tag.trim_start_matches('#').to_lowercase();
    json!({
        "small": format!("https://api-assets.clashofclans.com/badges/70/{code}.png"),
        "large": format!("https://api-assets.clashofclans.com/badges/512/{code}.png"),
        "medium": format!("https://api-assets.clashofclans.com/badges/200/{code}.png"),
    })
}

/// The entry of a league list (from the fixtures) named `name`, else its first.
fn league_named(list: &Value, name: &str) -> Value {
    let list = list.as_array().map_or(&[][..], Vec::as_slice);
    list.iter()
        .find(|l| l["name"] == name)
        .or_else(|| list.first())
        .cloned()
        .unwrap_or(Value::Null)
}

/// A league for `trophies` from a list ordered low to high (one step per 600 trophies).
fn league_for(list: &Value, trophies: u32) -> Value {
    let list = list.as_array().map_or(&[][..], Vec::as_slice);
    let index = (trophies / 600) as usize;
    list.get(index.min(list.len().saturating_sub(1)))
        .cloned()
        .unwrap_or(Value::Null)
}

fn clan_json(leagues: &Value, clan: &ClashClan) -> Value {
    let members: Vec<Value> = clan
        .members
        .iter()
        .map(|m| {
            json!({
                "tag": m.tag, "name": m.name, "role": m.role, "townHallLevel": m.town_hall,
                "expLevel": m.exp_level, "league": league_for(&leagues["leagues"], m.trophies),
                "trophies": m.trophies, "builderBaseTrophies": m.builder_base_trophies,
                "builderBaseLeague": league_for(&leagues["builderbaseleagues"], m.builder_base_trophies),
                "clanRank": 0, "previousClanRank": 0, "donations": m.donations,
                "donationsReceived": m.donations_received,
            })
        })
        .collect();
    let points: u32 = clan.members.iter().map(|m| m.trophies / 2).sum();
    let mut value = json!({
        "tag": clan.tag, "name": clan.name, "type": clan.kind, "description": clan.description,
        "location": { "id": 32_000_006, "name": "International", "isCountry": false },
        "isFamilyFriendly": true, "badgeUrls": badge(&clan.tag), "clanLevel": clan.level,
        "clanPoints": points, "clanBuilderBasePoints": points / 2, "clanCapitalPoints": 1000,
        "capitalLeague": league_named(&leagues["capitalleagues"], "Unranked"),
        "requiredTrophies": 1000, "requiredBuilderBaseTrophies": 0, "requiredTownhallLevel": 8,
        "warFrequency": "always", "warWinStreak": 0, "warWins": clan.war_wins,
    });
    let rest = json!({
        "warTies": 0, "warLosses": 0, "isWarLogPublic": true,
        "warLeague": league_named(&leagues["warleagues"], &clan.war_league),
        "members": members.len(), "memberList": members, "labels": [],
        "chatLanguage": { "id": 75_000_000, "name": "English", "languageCode": "EN" },
        "clanCapital": { "capitalHallLevel": 1, "districts": [] },
    });
    if let (Some(value), Value::Object(rest)) = (value.as_object_mut(), rest) {
        value.extend(rest);
    }
    value
}

fn units(list: &[(&str, u32)], town_hall: u32) -> Vec<Value> {
    list.iter()
        .map(|(name, max)| {
            json!({ "name": name, "level": (town_hall - 1).clamp(1, *max), "maxLevel": max, "village": "home" })
        })
        .collect()
}

fn player(leagues: &Value, member: &ClashPlayer, clan: &Value) -> Value {
    let town_hall = member.town_hall.clamp(1, 17);
    let heroes: Vec<Value> = HEROES
        .iter()
        .filter(|(_, _, from)| town_hall >= *from)
        .map(|(name, max, from)| {
            json!({ "name": name, "level": ((town_hall - from + 1) * 5).min(*max), "maxLevel": max, "village": "home", "equipment": [] })
        })
        .collect();
    let mut value = json!({
        "tag": member.tag, "name": member.name, "townHallLevel": town_hall,
        "expLevel": member.exp_level, "trophies": member.trophies,
        "bestTrophies": member.trophies, "warStars": member.war_stars, "attackWins": 0,
        "defenseWins": 0, "builderHallLevel": 8, "builderBaseTrophies": member.builder_base_trophies,
        "bestBuilderBaseTrophies": member.builder_base_trophies, "role": member.role,
        "warPreference": "in", "donations": member.donations,
        "donationsReceived": member.donations_received, "clanCapitalContributions": 0,
    });
    let rest = json!({
        "clan": clan, "league": league_for(&leagues["leagues"], member.trophies),
        "builderBaseLeague": league_for(&leagues["builderbaseleagues"], member.builder_base_trophies),
        "achievements": [], "labels": [], "troops": units(&TROOPS, town_hall),
        "heroes": heroes, "heroEquipment": [], "spells": units(&SPELLS, town_hall),
    });
    if let (Some(value), Value::Object(rest)) = (value.as_object_mut(), rest) {
        value.extend(rest);
    }
    // The town-hall weapon comes with town hall 12 (up to level 5); below, no field.
    if town_hall >= 12 {
        value["townHallWeaponLevel"] = Value::from((town_hall - 11).min(5));
    }
    // The town-hall weapon comes with town hall 12 (up to level 5); below, no field.
    if town_hall >= 12 {
        value["townHallWeaponLevel"] = Value::from((town_hall - 11).min(5));
    }
    value
}

/// A tag made from `seed` and `index`, stable across starts (opponents, league members).
pub(super) fn derived_tag(seed: &str, index: usize) -> String {
    let mut n = seed
        .bytes()
        .fold(1_469_598_103_934_665_603_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(1_099_511_628_211)
        })
        .wrapping_add(index as u64 * 7919)
        % 10_000_000_000;
    let mut tag = String::new();
    while tag.len() < 8 {
        tag.push(char::from(
            TAG_ALPHABET[(n % TAG_ALPHABET.len() as u64) as usize],
        ));
        n /= TAG_ALPHABET.len() as u64;
    }
    format!("#{tag}")
}

fn war_member(tag: &str, name: &str, town_hall: u32, position: usize) -> Value {
    json!({ "tag": tag, "name": name, "townhallLevel": town_hall, "mapPosition": position + 1, "opponentAttacks": 0, "attacks": [] })
}

fn war_json(clan: &ClashClan, war: &ClashWar, now: SystemTime) -> Value {
    let ours: Vec<Value> = clan
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| war_member(&m.tag, &m.name, m.town_hall, i))
        .collect();
    let theirs: Vec<Value> = (0..ours.len())
        .map(|i| {
            let town_hall = clan.members[i].town_hall;
            war_member(
                &derived_tag(&war.opponent.tag, i),
                &format!("Rival {}", i + 1),
                town_hall,
                i,
            )
        })
        .collect();
    let side = |tag: &str, name: &str, level: u32, members: Vec<Value>| json!({ "tag": tag, "name": name, "badgeUrls": badge(tag), "clanLevel": level, "attacks": 0, "stars": 0, "destructionPercentage": 0.0, "members": members });
    let mut value = json!({
        "state": war.state.as_str(), "teamSize": ours.len(),
        "attacksPerMember": war.attacks_per_member, "battleModifier": "none",
        "clan": side(&clan.tag, &clan.name, clan.level, ours),
        "opponent": side(&war.opponent.tag, &war.opponent.name, war.opponent.level, theirs),
    });
    for (key, at) in clock::war_times(war.start().from(now)) {
        value[key] = json!(at);
    }
    value
}

fn league_group(clan: &ClashClan, rivals: &[ClashOpponent], now: SystemTime) -> Value {
    let size = clan.members.len().max(1);
    let ours: Vec<Value> = clan
        .members
        .iter()
        .map(|m| json!({ "tag": m.tag, "name": m.name, "townHallLevel": m.town_hall }))
        .collect();
    let mut clans = vec![
        json!({ "tag": clan.tag, "name": clan.name, "clanLevel": clan.level, "badgeUrls": badge(&clan.tag), "members": ours }),
    ];
    for rival in rivals {
        let members: Vec<Value> = (0..size)
            .map(|i| json!({ "tag": derived_tag(&rival.tag, i), "name": format!("{} {}", rival.name, i + 1), "townHallLevel": 12 }))
            .collect();
        clans.push(json!({ "tag": rival.tag, "name": rival.name, "clanLevel": rival.level, "badgeUrls": badge(&rival.tag), "members": members }));
    }
    let rounds: Vec<Value> = (0..7)
        .map(|_| json!({ "warTags": ["#0", "#0", "#0", "#0"] }))
        .collect();
    let season = timestamp::clash(now);
    json!({
        "state": "inWar", "season": format!("{}-{}", &season[0..4], &season[4..6]),
        "clans": clans, "rounds": rounds,
    })
}

/// Tag → owning clan for every clan member, for tests.
#[cfg(test)]
fn members(world: &World) -> std::collections::HashMap<String, String> {
    world
        .clans
        .iter()
        .flat_map(|(clan, entry)| {
            entry["memberList"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|m| Some((m["tag"].as_str()?.to_owned(), clan.clone())))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::{members, world};
    use crate::timestamp;
    use crate::world::World as Config;

    #[test]
    fn the_world_s_clan_is_served_with_a_war_that_ends_in_the_future() {
        let config = Config::default();
        let world = world(&config.clash);
        let clan = &config.clash.clans[0];
        assert_eq!(world.main_clan, clan.tag);
        let served = &world.clans[&clan.tag];
        assert_eq!(served["members"], clan.members.len());
        assert_eq!(members(&world).len(), clan.members.len());
        assert_eq!(
            served["memberList"][0]["name"], "Alice",
            "most trophies first"
        );
        let war = &world.wars[&clan.tag];
        assert_eq!(war["state"], "inWar");
        let end = war["endTime"]
            .as_str()
            .and_then(timestamp::parse_clash)
            .unwrap();
        let start = war["startTime"]
            .as_str()
            .and_then(timestamp::parse_clash)
            .unwrap();
        let now = SystemTime::now();
        assert!(start < now && now < end, "battle day is on now");
        assert_eq!(
            war["opponent"]["members"].as_array().unwrap().len(),
            clan.members.len()
        );
        let group = &world.league_groups[&clan.tag];
        assert_eq!(group["clans"].as_array().unwrap().len(), 8);
        assert_eq!(world.player_tokens.len(), 1);
        assert!(world.players[&clan.members[0].tag]["clan"]["tag"] == clan.tag.as_str());
    }
}
