//! Things players do in the game, as control calls. The game shows one fact in several
//! answers (a member's donations in the clan's member list and in the player's profile),
//! so each action updates every answer that shows it, as the real API would.

use serde_json::{Value, json};

use super::ClashControl;
use super::state::World;

/// The lists of a player profile that hold units.
const UNIT_LISTS: [&str; 4] = ["troops", "spells", "heroes", "heroEquipment"];

impl ClashControl {
    /// `donor` gives `troops` troops to `recipient`, both members of `clan`: the member list
    /// and both players' profiles count them. `false` unless both are members.
    pub fn donate(&self, clan: &str, donor: &str, recipient: &str, troops: u32) -> bool {
        let mut world = self.state.world.lock();
        let Some(entry) = world.clans.get_mut(clan) else {
            return false;
        };
        let is_member = |tag: &str| {
            entry["memberList"]
                .as_array()
                .is_some_and(|list| list.iter().any(|m| m["tag"] == tag))
        };
        if !is_member(donor) || !is_member(recipient) {
            return false;
        }
        for (tag, field) in [(donor, "donations"), (recipient, "donationsReceived")] {
            if let Some(member) = member_mut(entry, tag) {
                add(&mut member[field], troops);
            }
        }
        for (tag, field) in [(donor, "donations"), (recipient, "donationsReceived")] {
            if let Some(player) = world.players.get_mut(tag) {
                add(&mut player[field], troops);
            }
        }
        true
    }

    /// Sets a player's trophies in their profile and in every clan member list that shows
    /// them (re-ranking the clan). `false` if there is no such player.
    pub fn set_trophies(&self, player: &str, trophies: u32) -> bool {
        let mut world = self.state.world.lock();
        let Some(profile) = world.players.get_mut(player) else {
            return false;
        };
        profile["trophies"] = json!(trophies);
        if profile["bestTrophies"].as_u64().unwrap_or(0) < u64::from(trophies) {
            profile["bestTrophies"] = json!(trophies);
        }
        for clan in world.clans.values_mut() {
            if let Some(member) = member_mut(clan, player) {
                member["trophies"] = json!(trophies);
                World::renumber(clan);
            }
        }
        true
    }

    /// Upgrades the player's home-village unit `name` (troop, pet, spell, hero or equipment,
    /// whatever list holds it) by one level, never past its `maxLevel`. Returns the new
    /// level, or `None` if the player has no such unit or it is maxed.
    pub fn upgrade_unit(&self, player: &str, name: &str) -> Option<u32> {
        let mut world = self.state.world.lock();
        let profile = world.players.get_mut(player)?.as_object_mut()?;
        let unit = profile
            .iter_mut()
            .filter(|(list, _)| UNIT_LISTS.contains(&list.as_str()))
            .filter_map(|(_, units)| units.as_array_mut())
            .flatten()
            .find(|u| u["name"] == name && u["village"].as_str().unwrap_or("home") == "home")?;
        let level = unit["level"].as_u64().unwrap_or(0);
        if unit["maxLevel"].as_u64().is_some_and(|max| level >= max) {
            return None;
        }
        unit["level"] = json!(level + 1);
        u32::try_from(level + 1).ok()
    }

    /// Unlocks a unit at level 1 in one of the player's lists (`troops` for troops, pets
    /// and siege machines; `spells`, `heroes`, `heroEquipment`). `false` if there is no such
    /// player or list, or the unit is already there.
    pub fn unlock_unit(&self, player: &str, list: &str, name: &str, max_level: u32) -> bool {
        let mut world = self.state.world.lock();
        let Some(units) = world
            .players
            .get_mut(player)
            .filter(|_| UNIT_LISTS.contains(&list))
            .and_then(|p| {
                if p[list].is_null() {
                    p[list] = json!([]);
                }
                p[list].as_array_mut()
            })
        else {
            return false;
        };
        if units.iter().any(|u| u["name"] == name) {
            return false;
        }
        units.push(json!({ "name": name, "level": 1, "maxLevel": max_level, "village": "home" }));
        true
    }

    /// The hero puts on a piece of equipment the player owns (`heroEquipment`), taking off
    /// the piece worn longest when both slots are full. `false` if the player, hero or
    /// piece is missing, or the hero already wears it.
    pub fn equip(&self, player: &str, hero: &str, equipment: &str) -> bool {
        let mut world = self.state.world.lock();
        let Some(profile) = world.players.get_mut(player) else {
            return false;
        };
        let Some(piece) = profile["heroEquipment"]
            .as_array()
            .and_then(|owned| owned.iter().find(|e| e["name"] == equipment))
            .cloned()
        else {
            return false;
        };
        let Some(hero) = profile["heroes"]
            .as_array_mut()
            .and_then(|heroes| heroes.iter_mut().find(|h| h["name"] == hero))
        else {
            return false;
        };
        if hero["equipment"].is_null() {
            hero["equipment"] = json!([]);
        }
        let Some(worn) = hero["equipment"].as_array_mut() else {
            return false;
        };
        if worn.iter().any(|e| e["name"] == equipment) {
            return false;
        }
        worn.push(piece);
        if worn.len() > 2 {
            worn.remove(0);
        }
        true
    }

    /// Edits `clan`'s current war JSON in place; `false` without a war.
    pub fn with_war(&self, clan: &str, edit: impl FnOnce(&mut Value)) -> bool {
        self.state
            .world
            .lock()
            .wars
            .get_mut(clan)
            .map(edit)
            .is_some()
    }
}

fn member_mut<'a>(clan: &'a mut Value, tag: &str) -> Option<&'a mut Value> {
    clan["memberList"]
        .as_array_mut()?
        .iter_mut()
        .find(|m| m["tag"] == tag)
}

fn add(counter: &mut Value, amount: u32) {
    *counter = json!(counter.as_u64().unwrap_or(0) + u64::from(amount));
}

#[cfg(test)]
mod tests {
    use super::super::Clash;
    use super::*;

    fn player(control: &ClashControl, tag: &str) -> Value {
        control.state.world.lock().players[tag].clone()
    }

    fn member(control: &ClashControl, tag: &str) -> Value {
        let world = control.state.world.lock();
        world.clans[&world.main_clan]["memberList"]
            .as_array()
            .and_then(|list| list.iter().find(|m| m["tag"] == tag).cloned())
            .unwrap_or_default()
    }

    #[test]
    fn a_donation_shows_in_the_member_list_and_both_profiles() {
        let control = Clash::new().control();
        let clan = control.main_clan();
        let members = control.main_members();
        let (donor, recipient) = (&members[1], &members[2]);
        let before = (
            member(&control, donor)["donations"].as_u64().unwrap(),
            player(&control, recipient)["donationsReceived"]
                .as_u64()
                .unwrap(),
        );
        assert!(control.donate(&clan, donor, recipient, 5));
        assert_eq!(member(&control, donor)["donations"], before.0 + 5);
        assert_eq!(player(&control, donor)["donations"], before.0 + 5);
        assert_eq!(
            player(&control, recipient)["donationsReceived"],
            before.1 + 5
        );
        assert!(!control.donate(&clan, donor, "#NOTAMEMBER", 5));
    }

    #[test]
    fn trophies_re_rank_the_clan() {
        let control = Clash::new().control();
        let last = control.main_members().last().cloned().unwrap();
        assert!(control.set_trophies(&last, 99_999));
        assert_eq!(member(&control, &last)["clanRank"], 1);
        assert_eq!(player(&control, &last)["bestTrophies"], 99_999);
        assert_eq!(control.main_members()[0], last);
    }

    #[test]
    fn upgrades_stop_at_max_and_unlocks_happen_once() {
        let control = Clash::new().control();
        let tag = control.main_members()[0].clone();
        control.with_player(&tag, |p| {
            p["spells"][0]["level"] = p["spells"][0]["maxLevel"].clone();
        });
        let maxed = player(&control, &tag)["spells"][0]["name"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(control.upgrade_unit(&tag, &maxed), None);
        assert_eq!(control.upgrade_unit(&tag, "No Such Unit"), None);
        assert!(control.unlock_unit(&tag, "troops", "Unicorn", 10));
        assert!(!control.unlock_unit(&tag, "troops", "Unicorn", 10));
        assert!(!control.unlock_unit(&tag, "buildings", "Cannon", 21));
        assert_eq!(control.upgrade_unit(&tag, "Unicorn"), Some(2));
    }

    #[test]
    fn a_hero_wears_two_pieces_at_most() {
        let control = Clash::new().control();
        let tag = control.main_members()[0].clone();
        for piece in ["Rage Vial", "Earthquake Boots"] {
            assert!(control.unlock_unit(&tag, "heroEquipment", piece, 18));
        }
        assert!(!control.equip(&tag, "Barbarian King", "Not Owned"));
        assert!(control.equip(&tag, "Barbarian King", "Rage Vial"));
        assert!(!control.equip(&tag, "Barbarian King", "Rage Vial"));
        assert!(control.equip(&tag, "Barbarian King", "Earthquake Boots"));
        let worn: Vec<String> = player(&control, &tag)["heroes"][0]["equipment"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(worn, ["Rage Vial", "Earthquake Boots"]);
    }

    #[test]
    fn defenses_are_attacks_by_the_opponent() {
        let control = Clash::new().control();
        let clan = control.main_clan();
        let ours: Vec<String> = control.main_members();
        let defense = control.add_defense(&clan, 2).unwrap();
        assert!(ours.iter().any(|tag| defense["defenderTag"] == *tag));
        assert!(!ours.iter().any(|tag| defense["attackerTag"] == *tag));
    }
}
