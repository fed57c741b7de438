//! Pure snapshot comparisons: old and new in, events out. No I/O, so every rule is unit
//! tested without a server.

use std::collections::HashMap;
use std::sync::Arc;

use super::event::{ClanEvent, PlayerEvent, UnitKind, WarEvent};
use super::store::SeenStore;
use crate::Tag;
use crate::model::{Clan, ClanWar, Player, Unit, WarState};

/// Events between two snapshots of the same clan.
pub(crate) fn clan(old: &Clan, new: &Clan) -> Vec<ClanEvent> {
    let tag = new.tag.clone();
    let mut events = Vec::new();
    let before: HashMap<&Tag, _> = old.member_list.iter().map(|m| (&m.tag, m)).collect();
    let after: HashMap<&Tag, _> = new.member_list.iter().map(|m| (&m.tag, m)).collect();
    for member in &new.member_list {
        let Some(previous) = before.get(&member.tag) else {
            events.push(ClanEvent::MemberJoined {
                clan: tag.clone(),
                member: member.clone(),
            });
            continue;
        };
        if previous.role != member.role {
            events.push(ClanEvent::RoleChanged {
                clan: tag.clone(),
                member: member.clone(),
                old: previous.role,
            });
        }
        if previous.donations != member.donations {
            events.push(ClanEvent::Donations {
                clan: tag.clone(),
                member: member.clone(),
                old: previous.donations,
            });
        }
        if previous.donations_received != member.donations_received {
            events.push(ClanEvent::DonationsReceived {
                clan: tag.clone(),
                member: member.clone(),
                old: previous.donations_received,
            });
        }
        if previous.trophies != member.trophies {
            events.push(ClanEvent::MemberTrophies {
                clan: tag.clone(),
                member: member.clone(),
                old: previous.trophies,
            });
        }
    }
    for member in &old.member_list {
        if !after.contains_key(&member.tag) {
            events.push(ClanEvent::MemberLeft {
                clan: tag.clone(),
                member: member.clone(),
            });
        }
    }
    if old.clan_level != new.clan_level {
        events.push(ClanEvent::Level {
            clan: tag.clone(),
            old: old.clan_level,
            new: new.clan_level,
        });
    }
    if old.clan_points != new.clan_points {
        events.push(ClanEvent::Points {
            clan: tag.clone(),
            old: old.clan_points,
            new: new.clan_points,
        });
    }
    if old.description != new.description {
        events.push(ClanEvent::Description {
            clan: tag.clone(),
            old: old.description.clone(),
            new: new.description.clone(),
        });
    }
    if old.badge_urls != new.badge_urls {
        events.push(ClanEvent::Badge {
            clan: tag.clone(),
            old: old.badge_urls.clone(),
            new: new.badge_urls.clone(),
        });
    }
    if old.is_war_log_public != new.is_war_log_public {
        events.push(ClanEvent::WarLogVisibility {
            clan: tag,
            public: new.is_war_log_public,
        });
    }
    events
}

/// Events between two snapshots of the same player.
pub(crate) fn player(old: &Player, new: &Player) -> Vec<PlayerEvent> {
    let tag = new.tag.clone();
    let mut events = Vec::new();
    if old.trophies != new.trophies {
        events.push(PlayerEvent::Trophies {
            player: tag.clone(),
            old: old.trophies,
            new: new.trophies,
        });
    }
    if old.exp_level != new.exp_level {
        events.push(PlayerEvent::Level {
            player: tag.clone(),
            old: old.exp_level,
            new: new.exp_level,
        });
    }
    if old.league.as_ref().map(|l| l.id) != new.league.as_ref().map(|l| l.id) {
        events.push(PlayerEvent::League {
            player: tag.clone(),
            old: old.league.clone(),
            new: new.league.clone(),
        });
    }
    if old.town_hall_level != new.town_hall_level {
        events.push(PlayerEvent::TownHall {
            player: tag.clone(),
            old: old.town_hall_level,
            new: new.town_hall_level,
        });
    }
    let achievements: HashMap<&str, _> = old
        .achievements
        .iter()
        .map(|a| (a.name.as_str(), a))
        .collect();
    for achievement in &new.achievements {
        let previous = achievements.get(achievement.name.as_str());
        if previous.is_none_or(|p| p.value != achievement.value || p.stars != achievement.stars) {
            events.push(PlayerEvent::Achievement {
                player: tag.clone(),
                old: previous.map_or_else(Default::default, |p| (*p).clone()),
                new: achievement.clone(),
            });
        }
    }
    for (kind, before, after) in [
        (UnitKind::Troop, &old.troops, &new.troops),
        (UnitKind::Spell, &old.spells, &new.spells),
        (UnitKind::Hero, &old.heroes, &new.heroes),
        (
            UnitKind::HeroEquipment,
            &old.hero_equipment,
            &new.hero_equipment,
        ),
    ] {
        units(&tag, kind, before, after, &mut events);
    }
    if old.clan.as_ref().map(|c| &c.tag) != new.clan.as_ref().map(|c| &c.tag) {
        events.push(PlayerEvent::Clan {
            player: tag,
            old: old.clan.clone(),
            new: new.clan.clone(),
        });
    }
    events
}

fn units(
    tag: &Tag,
    kind: UnitKind,
    before: &[Unit],
    after: &[Unit],
    events: &mut Vec<PlayerEvent>,
) {
    // Units are keyed by name and village: the builder base has its own Barbarian.
    let levels: HashMap<(&str, _), u32> = before
        .iter()
        .map(|u| ((u.name.as_str(), u.village), u.level))
        .collect();
    for unit in after {
        let old_level = levels
            .get(&(unit.name.as_str(), unit.village))
            .copied()
            .unwrap_or(0);
        if unit.level > old_level {
            events.push(PlayerEvent::UnitUpgraded {
                player: tag.clone(),
                kind,
                old_level,
                unit: unit.clone(),
            });
        }
    }
}

/// A war's identity: two snapshots with the same key are the same war.
pub(crate) fn war_key(war: &ClanWar) -> String {
    let mut sides = [
        war.clan.tag.as_ref().map_or("", Tag::as_str),
        war.opponent.tag.as_ref().map_or("", Tag::as_str),
    ];
    sides.sort_unstable();
    let start = war
        .preparation_start_time
        .map_or(0, crate::Timestamp::unix_millis);
    format!("war:{start}:{}:{}", sides[0], sides[1])
}

/// An attack's identity within its war.
fn attack_key(war_key: &str, attack: &crate::model::Attack) -> String {
    format!(
        "{war_key}:attack:{}:{}:{}",
        attack.order, attack.attacker_tag, attack.defender_tag
    )
}

/// Events between the last war snapshot (`None` before the first) and this one.
///
/// Attacks are checked against `store`, not against `old`: an attack is reported the
/// first time the store sees it. The very first sight of a war (no marker in the store)
/// when there is no previous snapshot is the baseline: its attacks are recorded silently.
/// A war first seen *after* the baseline reports all of its attacks.
pub(crate) fn war(
    clan: &Tag,
    old: Option<&ClanWar>,
    new: &Arc<ClanWar>,
    store: &dyn SeenStore,
) -> Vec<WarEvent> {
    let mut events = Vec::new();
    if new.state == WarState::NotInWar {
        if let Some(old) = old
            && old.state != WarState::NotInWar
            && old.state != WarState::WarEnded
        {
            events.push(WarEvent::StateChanged {
                clan: clan.clone(),
                old: old.state,
                war: Arc::clone(new),
            });
        }
        return events;
    }
    let key = war_key(new);
    let known = store.contains(&key);
    let baseline = old.is_none() && !known;
    if !known {
        store.insert(&key);
    }
    match old {
        Some(old)
            if old.state != WarState::NotInWar && war_key(old) == key && old.state != new.state =>
        {
            events.push(WarEvent::StateChanged {
                clan: clan.clone(),
                old: old.state,
                war: Arc::clone(new),
            });
        }
        Some(old) if old.state != WarState::NotInWar && war_key(old) == key => {}
        Some(_) => events.push(WarEvent::NewWar {
            clan: clan.clone(),
            war: Arc::clone(new),
        }),
        None => {}
    }
    for attack in new.attacks() {
        let attack_key = attack_key(&key, attack);
        if store.insert(&attack_key) && !baseline {
            events.push(WarEvent::NewAttack {
                clan: clan.clone(),
                attack: attack.clone(),
                war: Arc::clone(new),
            });
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::MemoryStore;
    use crate::model::{Attack, ClanMember, Role, WarClan, WarMember};

    fn member(tag: &str, donations: u32) -> ClanMember {
        ClanMember {
            tag: Tag::new(tag),
            name: tag.to_owned(),
            donations,
            ..ClanMember::default()
        }
    }

    #[test]
    fn clan_member_changes() {
        let old = Clan {
            tag: Tag::new("#C"),
            member_list: vec![member("#A", 1), member("#B", 0)],
            ..Clan::default()
        };
        let mut new = old.clone();
        new.member_list.remove(1);
        new.member_list.push(member("#D", 0));
        new.member_list[0].donations = 5;
        new.member_list[0].role = Role::Admin;
        new.is_war_log_public = true;
        let events = clan(&old, &new);
        assert_eq!(events.len(), 5, "{events:#?}");
        assert!(events.iter().any(
            |e| matches!(e, ClanEvent::MemberJoined { member, .. } if member.tag.as_str() == "#D")
        ));
        assert!(events.iter().any(
            |e| matches!(e, ClanEvent::MemberLeft { member, .. } if member.tag.as_str() == "#B")
        ));
        assert!(events.iter().any(
            |e| matches!(e, ClanEvent::Donations { old: 1, member, .. } if member.donations == 5)
        ));
        assert!(events.iter().any(|e| matches!(
            e,
            ClanEvent::RoleChanged {
                old: Role::Member,
                ..
            }
        )));
        assert!(
            events
                .iter()
                .any(|e| matches!(e, ClanEvent::WarLogVisibility { public: true, .. }))
        );
        assert!(clan(&new, &new).is_empty());
    }

    #[test]
    fn player_changes() {
        let old = Player {
            tag: Tag::new("#P"),
            troops: vec![Unit {
                name: "Giant".into(),
                level: 3,
                ..Unit::default()
            }],
            ..Player::default()
        };
        let mut new = old.clone();
        new.troops[0].level = 4;
        new.troops.push(Unit {
            name: "Miner".into(),
            level: 1,
            ..Unit::default()
        });
        new.town_hall_level = 12;
        let events = player(&old, &new);
        assert_eq!(events.len(), 3, "{events:#?}");
        assert!(events.iter().any(|e| matches!(e, PlayerEvent::UnitUpgraded { old_level: 3, unit, .. } if unit.name == "Giant")));
        assert!(events.iter().any(|e| matches!(e, PlayerEvent::UnitUpgraded { old_level: 0, unit, .. } if unit.name == "Miner")));
        assert!(player(&new, &new).is_empty());
    }

    fn war_with(state: WarState, attacks: u32) -> Arc<ClanWar> {
        let attacks = (1..=attacks)
            .map(|order| Attack {
                attacker_tag: Tag::new("#A"),
                defender_tag: Tag::new("#B"),
                order,
                ..Attack::default()
            })
            .collect();
        Arc::new(ClanWar {
            state,
            preparation_start_time: crate::Timestamp::parse("20240101T000000.000Z"),
            clan: WarClan {
                tag: Some(Tag::new("#C")),
                members: vec![WarMember {
                    tag: Tag::new("#A"),
                    attacks,
                    ..WarMember::default()
                }],
                ..WarClan::default()
            },
            opponent: WarClan {
                tag: Some(Tag::new("#O")),
                ..WarClan::default()
            },
            ..ClanWar::default()
        })
    }

    #[test]
    fn war_baseline_then_attacks_once() {
        let store = MemoryStore::new();
        let clan = Tag::new("#C");
        let first = war_with(WarState::InWar, 2);
        assert!(war(&clan, None, &first, &store).is_empty());
        let second = war_with(WarState::InWar, 3);
        let events = war(&clan, Some(&first), &second, &store);
        assert_eq!(events.len(), 1);
        assert!(matches!(&events[0], WarEvent::NewAttack { attack, .. } if attack.order == 3));
        // A restarted poller (no previous snapshot) with the same store reports nothing old…
        assert!(war(&clan, None, &second, &store).is_empty());
        // …but does report what happened while it was down.
        let third = war_with(WarState::WarEnded, 4);
        let events = war(&clan, None, &third, &store);
        assert_eq!(events.len(), 1, "{events:#?}");
    }

    #[test]
    fn war_states() {
        let store = MemoryStore::new();
        let clan = Tag::new("#C");
        let none = Arc::new(ClanWar::default());
        assert!(war(&clan, None, &none, &store).is_empty());
        let prep = war_with(WarState::Preparation, 0);
        let events = war(&clan, Some(&none), &prep, &store);
        assert!(matches!(events.as_slice(), [WarEvent::NewWar { .. }]));
        let battle = war_with(WarState::InWar, 1);
        let events = war(&clan, Some(&prep), &battle, &store);
        assert!(
            matches!(
                events.as_slice(),
                [
                    WarEvent::StateChanged {
                        old: WarState::Preparation,
                        ..
                    },
                    WarEvent::NewAttack { .. }
                ]
            ),
            "{events:#?}"
        );
    }
}
