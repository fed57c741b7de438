//! Pure snapshot comparisons: old and new in, events out. No I/O, so every rule is unit
//! tested without a server. Attribute changes come from the tables in `attributes`; what
//! is here is what a table cannot say: members joining and leaving, units, achievements,
//! equipment, clan moves and the life of a war.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::attributes::{ClanChange, MemberChange, MemberView, PlayerChange, WarChange};
use super::event::{ClanEvent, PlayerEvent, WarEvent, WarSide};
use super::store::SeenStore;
use crate::model::{Clan, ClanMember, ClanWar, Player, Unit, WarState};
use crate::{Tag, UnitKind};

/// Events between two snapshots of the same clan: joins and leaves first, then what changed
/// about the members who stayed, then the clan's own attributes.
pub(crate) fn clan(old: &Clan, new: &Clan) -> Vec<ClanEvent> {
    let tag = &new.tag;
    let before: HashMap<&Tag, MemberView<'_>> = member_views(&old.member_list)
        .into_iter()
        .map(|view| (&view.member.tag, view))
        .collect();
    let after = member_views(&new.member_list);
    let still_here: HashSet<&Tag> = after.iter().map(|view| &view.member.tag).collect();
    let joined = after
        .iter()
        .filter(|view| !before.contains_key(&view.member.tag))
        .map(|view| ClanEvent::MemberJoined {
            clan: tag.clone(),
            member: view.member.clone(),
        });
    let left = old
        .member_list
        .iter()
        .filter(|member| !still_here.contains(&member.tag))
        .map(|member| ClanEvent::MemberLeft {
            clan: tag.clone(),
            member: member.clone(),
        });
    let changed = after.iter().flat_map(|view| {
        before
            .get(&view.member.tag)
            .map(|previous| MemberChange::diff(previous, view))
            .unwrap_or_default()
            .into_iter()
            .map(|change| ClanEvent::MemberChanged {
                clan: tag.clone(),
                member: view.member.clone(),
                change,
            })
    });
    let attributes = ClanChange::diff(old, new)
        .into_iter()
        .map(|change| ClanEvent::Changed {
            clan: tag.clone(),
            change,
        });
    joined
        .chain(left)
        .chain(changed)
        .chain(attributes)
        .collect()
}

/// The members in listed order, each with its builder base rank (by builder base trophies,
/// ties in listed order): coc.py derives it, the API does not send it.
fn member_views(list: &[ClanMember]) -> Vec<MemberView<'_>> {
    let mut by_builder_trophies: Vec<&ClanMember> = list.iter().collect();
    by_builder_trophies.sort_by_key(|member| std::cmp::Reverse(member.builder_base_trophies));
    let ranks: HashMap<&Tag, u32> = by_builder_trophies
        .iter()
        .zip(1..)
        .map(|(member, rank)| (&member.tag, rank))
        .collect();
    list.iter()
        .map(|member| MemberView {
            member,
            builder_base_rank: ranks.get(&member.tag).copied().unwrap_or_default(),
        })
        .collect()
}

/// Events between two snapshots of the same player.
pub(crate) fn player(old: &Player, new: &Player) -> Vec<PlayerEvent> {
    let tag = &new.tag;
    let mut events: Vec<PlayerEvent> = PlayerChange::diff(old, new)
        .into_iter()
        .map(|change| PlayerEvent::Changed {
            player: tag.clone(),
            change,
        })
        .collect();
    if old.clan.as_ref().map(|c| &c.tag) != new.clan.as_ref().map(|c| &c.tag) {
        events.push(PlayerEvent::Clan {
            player: tag.clone(),
            old: old.clan.clone(),
            new: new.clan.clone(),
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
    for (listed_as, before, after) in [
        (UnitKind::Troop, &old.troops, &new.troops),
        (UnitKind::Spell, &old.spells, &new.spells),
        (UnitKind::Hero, &old.heroes, &new.heroes),
        (
            UnitKind::HeroEquipment,
            &old.hero_equipment,
            &new.hero_equipment,
        ),
    ] {
        units(tag, listed_as, before, after, &mut events);
    }
    equipment(tag, &old.heroes, &new.heroes, &mut events);
    events
}

/// Upgrades and unlocks in one list. The game data says what each unit is (a pet or a
/// siege machine is listed among `troops`); units it does not know keep their list's kind.
fn units(
    tag: &Tag,
    listed_as: UnitKind,
    before: &[Unit],
    after: &[Unit],
    events: &mut Vec<PlayerEvent>,
) {
    // Units are keyed by name and village: the builder base has its own Baby Dragon.
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
            let info = unit.game_data();
            events.push(PlayerEvent::UnitUpgraded {
                player: tag.clone(),
                kind: info.map_or(listed_as, |info| info.kind),
                old_level,
                unit: unit.clone(),
                info,
            });
        }
    }
}

/// Equipment a hero wears now and did not before (a hero first seen now is a baseline).
fn equipment(tag: &Tag, before: &[Unit], after: &[Unit], events: &mut Vec<PlayerEvent>) {
    let worn: HashMap<(&str, _), HashSet<&str>> = before
        .iter()
        .map(|hero| {
            let names = hero.equipment.iter().map(|e| e.name.as_str()).collect();
            ((hero.name.as_str(), hero.village), names)
        })
        .collect();
    for hero in after {
        let Some(previous) = worn.get(&(hero.name.as_str(), hero.village)) else {
            continue;
        };
        for piece in &hero.equipment {
            if !previous.contains(piece.name.as_str()) {
                events.push(PlayerEvent::EquipmentEquipped {
                    player: tag.clone(),
                    hero: hero.clone(),
                    equipment: piece.clone(),
                });
            }
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
        Some(old) if old.state != WarState::NotInWar && war_key(old) == key => {
            if old.state != new.state {
                events.push(WarEvent::StateChanged {
                    clan: clan.clone(),
                    old: old.state,
                    war: Arc::clone(new),
                });
            }
            events.extend(
                WarChange::diff(old, new)
                    .into_iter()
                    .map(|change| WarEvent::Changed {
                        clan: clan.clone(),
                        change,
                        war: Arc::clone(new),
                    }),
            );
        }
        Some(_) => events.push(WarEvent::NewWar {
            clan: clan.clone(),
            war: Arc::clone(new),
        }),
        None => {}
    }
    // In a league war the watched clan may be either side of the answer.
    let ours = if new.opponent.tag.as_ref() == Some(clan) {
        &new.opponent
    } else {
        &new.clan
    };
    let attackers: HashSet<&Tag> = ours.members.iter().map(|m| &m.tag).collect();
    for attack in new.attacks() {
        let attack_key = attack_key(&key, attack);
        if store.insert(&attack_key) && !baseline {
            let side = if attackers.contains(&attack.attacker_tag) {
                WarSide::Clan
            } else {
                WarSide::Opponent
            };
            events.push(WarEvent::NewAttack {
                clan: clan.clone(),
                attack: attack.clone(),
                side,
                war: Arc::clone(new),
            });
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Change, MemoryStore};
    use crate::model::{Attack, ClanMember, PlayerClan, Role, Village, WarClan, WarMember};

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
        assert!(events.iter().any(|e| matches!(
            e,
            ClanEvent::MemberChanged {
                member,
                change: MemberChange::Donations(Change { old: 1, new: 5 }),
                ..
            } if member.donations == 5
        )));
        assert!(events.iter().any(|e| matches!(
            e,
            ClanEvent::MemberChanged {
                change: MemberChange::Role(Change {
                    old: Role::Member,
                    new: Role::Admin
                }),
                ..
            }
        )));
        assert!(events.iter().any(|e| matches!(
            e,
            ClanEvent::Changed {
                change: ClanChange::PublicWarLog(Change {
                    old: false,
                    new: true
                }),
                ..
            }
        )));
        assert!(clan(&new, &new).is_empty());
    }

    #[test]
    fn changes_print_as_name_old_new() {
        let change = MemberChange::Donations(Change { old: 1, new: 5 });
        assert_eq!(change.to_string(), "donations: 1 -> 5");
        let change = ClanChange::Description(Change {
            old: None,
            new: Some("hi".to_owned()),
        });
        assert_eq!(change.to_string(), r#"description: None -> Some("hi")"#);
    }

    #[test]
    fn builder_base_rank_is_derived_from_the_list() {
        let mut a = member("#A", 0);
        let mut b = member("#B", 0);
        a.builder_base_trophies = 3000;
        b.builder_base_trophies = 2000;
        let old = Clan {
            member_list: vec![a, b],
            ..Clan::default()
        };
        let mut new = old.clone();
        new.member_list[1].builder_base_trophies = 4000;
        let changes: Vec<(String, &'static str)> = clan(&old, &new)
            .into_iter()
            .filter_map(|e| match e {
                ClanEvent::MemberChanged { member, change, .. } => {
                    Some((member.tag.to_string(), change.name()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            changes,
            [
                ("#A".to_owned(), "builder_base_rank"),
                ("#B".to_owned(), "builder_base_trophies"),
                ("#B".to_owned(), "builder_base_rank"),
            ]
        );
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
        assert!(events.iter().any(|e| matches!(
            e,
            PlayerEvent::Changed {
                change: PlayerChange::TownHall(Change { old: 0, new: 12 }),
                ..
            }
        )));
        assert!(events.iter().any(|e| matches!(e, PlayerEvent::UnitUpgraded { old_level: 3, unit, kind: UnitKind::Troop, info: Some(info), .. } if unit.name == "Giant" && info.name == "Giant")));
        assert!(events.iter().any(|e| matches!(e, PlayerEvent::UnitUpgraded { old_level: 0, unit, .. } if unit.name == "Miner")));
        assert!(events.iter().filter(|e| e.is_unlock()).count() == 1);
        assert!(player(&new, &new).is_empty());
    }

    fn unit(name: &str, level: u32) -> Unit {
        Unit {
            name: name.into(),
            level,
            ..Unit::default()
        }
    }

    #[test]
    fn game_data_names_what_a_troop_really_is() {
        let old = Player::default();
        let mut new = old.clone();
        new.troops = vec![
            unit("Unicorn", 1),
            unit("Wall Wrecker", 1),
            unit("Mystery", 1),
        ];
        new.troops[2].village = Village::Home;
        let kinds: Vec<UnitKind> = player(&old, &new)
            .into_iter()
            .filter_map(|e| match e {
                PlayerEvent::UnitUpgraded { kind, .. } => Some(kind),
                _ => None,
            })
            .collect();
        // A name the data does not know keeps the kind of the list it came in.
        assert_eq!(
            kinds,
            [UnitKind::Pet, UnitKind::SiegeMachine, UnitKind::Troop]
        );
    }

    #[test]
    fn equipment_put_on() {
        let mut king = unit("Barbarian King", 80);
        king.equipment = vec![unit("Rage Vial", 10)];
        let old = Player {
            heroes: vec![king],
            ..Player::default()
        };
        let mut new = old.clone();
        new.heroes[0].equipment = vec![unit("Rage Vial", 10), unit("Giant Gauntlet", 5)];
        let events = player(&old, &new);
        assert!(
            matches!(events.as_slice(), [PlayerEvent::EquipmentEquipped { hero, equipment, .. }] if hero.name == "Barbarian King" && equipment.name == "Giant Gauntlet"),
            "{events:#?}"
        );
        // Taking one off is no event; a hero first seen is a baseline.
        let mut off = new.clone();
        off.heroes[0].equipment.truncate(1);
        assert!(player(&new, &off).is_empty());
        let mut queen = unit("Archer Queen", 1);
        queen.equipment = vec![unit("Archer Puppet", 1)];
        off.heroes.push(queen);
        let events = player(&new, &off);
        assert!(
            matches!(
                events.as_slice(),
                [PlayerEvent::UnitUpgraded { old_level: 0, .. }]
            ),
            "{events:#?}"
        );
    }

    #[test]
    fn clan_attributes_of_a_player_need_a_clan_on_both_sides() {
        let in_clan = |name: &str| PlayerClan {
            tag: Tag::new("#C"),
            name: name.to_owned(),
            ..PlayerClan::default()
        };
        let old = Player {
            clan: Some(in_clan("Old")),
            ..Player::default()
        };
        let renamed = Player {
            clan: Some(in_clan("New")),
            ..Player::default()
        };
        let names: Vec<&str> = player(&old, &renamed)
            .iter()
            .filter_map(|e| match e {
                PlayerEvent::Changed { change, .. } => Some(change.name()),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["clan_name"]);
        // Leaving is a clan move, not a rename.
        let left = Player::default();
        let events = player(&old, &left);
        assert!(
            matches!(events.as_slice(), [PlayerEvent::Clan { new: None, .. }]),
            "{events:#?}"
        );
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
        assert!(
            matches!(&events[0], WarEvent::NewAttack { attack, side: WarSide::Clan, .. } if attack.order == 3)
        );
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

    #[test]
    fn defenses_and_war_attributes() {
        let store = MemoryStore::new();
        let first = war_with(WarState::InWar, 0);
        assert!(war(&Tag::new("#C"), None, &first, &store).is_empty());
        let mut second = (*first).clone();
        second.opponent.members = vec![WarMember {
            tag: Tag::new("#X"),
            attacks: vec![Attack {
                attacker_tag: Tag::new("#X"),
                defender_tag: Tag::new("#A"),
                order: 1,
                ..Attack::default()
            }],
            ..WarMember::default()
        }];
        second.end_time = crate::Timestamp::parse("20240102T000000.000Z");
        let second = Arc::new(second);
        let events = war(&Tag::new("#C"), Some(&first), &second, &store);
        let summary: Vec<String> = events
            .iter()
            .map(|e| match e {
                WarEvent::Changed { change, .. } => change.name().to_owned(),
                WarEvent::NewAttack { side, .. } => format!("attack by {side:?}"),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(summary, ["end_time", "members", "attack by Opponent"]);
        // The same war seen from the other clan (a league war fetched by its tag).
        let events = war(&Tag::new("#O"), Some(&first), &second, &MemoryStore::new());
        assert!(events.iter().any(|e| matches!(
            e,
            WarEvent::NewAttack {
                side: WarSide::Clan,
                ..
            }
        )));
    }
}
