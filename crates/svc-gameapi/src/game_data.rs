//! Static game data: what the game knows about each unit and the API does not say.
//!
//! The API lists a player's troops, spells, heroes and equipment by name, level, max level
//! and village. [`game_data()`] adds the kind of each name (a pet or a siege machine arrives
//! among `troops`), the game's global id where known, the hall that unlocks it, the hero an
//! equipment belongs to, and hero level caps per town hall. Events use it so that an upgrade
//! says "Archer Queen (hero)" rather than a bare name, and [`Unit::game_data`] looks a unit up.
//!
//! The data ships inside the crate (`data/game_data.json`, written by `cargo xtask gamedata`
//! from hand-curated tables and checked in CI) and is parsed the first time it is used.
//! Unlike coc.py's `load_game_data` there is nothing to switch on: a few kilobytes, parsed
//! once, never fetched.
//!
//! ```
//! use svc_gameapi::{UnitKind, game_data, model::Village};
//!
//! let queen = game_data().unit("Archer Queen", Village::Home).expect("known hero");
//! assert_eq!(queen.kind, UnitKind::Hero);
//! assert_eq!(queen.max_level_for_town_hall(16), Some(95));
//! assert_eq!(game_data().unit("Unicorn", Village::Home).map(|u| u.kind), Some(UnitKind::Pet));
//! ```

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::model::{Unit, Village};

/// The data file, embedded at build time.
const DATA: &str = include_str!("../data/game_data.json");

static GAME_DATA: LazyLock<GameData> = LazyLock::new(|| GameData::parse(DATA));

/// The game data shipped with the crate (parsed on first use).
pub fn game_data() -> &'static GameData {
    &GAME_DATA
}

/// What a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum UnitKind {
    /// A troop (`troops`).
    Troop,
    /// A super troop (`troops`; boosted from a troop at TH11+).
    SuperTroop,
    /// A siege machine (`troops`).
    SiegeMachine,
    /// A hero pet (`troops`).
    Pet,
    /// A spell (`spells`).
    Spell,
    /// A hero (`heroes`).
    Hero,
    /// A piece of hero equipment (`heroEquipment`).
    HeroEquipment,
}

/// A hero's level cap at one town hall level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TownHallCap {
    /// Town hall level.
    pub town_hall: u32,
    /// Highest level reachable there.
    pub max_level: u32,
}

/// One unit of the game.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GameUnit {
    /// Name, exactly as the API spells it.
    pub name: String,
    /// The game's global id, where known.
    #[serde(default)]
    pub id: Option<u64>,
    /// What it is.
    pub kind: UnitKind,
    /// Which village it belongs to.
    pub village: Village,
    /// The town hall (home village) or builder hall (builder base) that unlocks it, where known.
    #[serde(default)]
    pub required_hall: Option<u32>,
    /// Its highest level in the game.
    pub max_level: u32,
    /// For equipment: the hero who wears it.
    #[serde(default)]
    pub hero: Option<String>,
    /// For heroes: level caps per town hall, where known (from TH12 on).
    #[serde(default)]
    pub town_hall_max_levels: Vec<TownHallCap>,
}

impl GameUnit {
    /// The highest level reachable at `town_hall`: the known cap, or `None` when the data
    /// has no cap for that town hall (or the unit is locked there).
    pub fn max_level_for_town_hall(&self, town_hall: u32) -> Option<u32> {
        if self.required_hall.is_some_and(|hall| town_hall < hall) {
            return None;
        }
        self.town_hall_max_levels
            .iter()
            .find(|cap| cap.town_hall == town_hall)
            .map(|cap| cap.max_level)
    }
}

/// Every known unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GameData {
    units: Vec<GameUnit>,
}

#[derive(Deserialize)]
struct DataFile {
    units: Vec<GameUnit>,
}

impl GameData {
    /// Parses a data file; a broken one (never shipped: CI checks it) yields no data and an
    /// error in the log rather than a panic.
    fn parse(text: &str) -> Self {
        match serde_json::from_str::<DataFile>(text) {
            Ok(file) => Self { units: file.units },
            Err(error) => {
                tracing::error!(%error, "the shipped game data does not parse; none available");
                Self::default()
            }
        }
    }

    /// Every unit.
    pub fn units(&self) -> &[GameUnit] {
        &self.units
    }

    /// The unit named `name` in `village` (names repeat across villages: the builder base
    /// has its own Baby Dragon).
    pub fn unit(&self, name: &str, village: Village) -> Option<&GameUnit> {
        self.units
            .iter()
            .find(|unit| unit.name == name && unit.village == village)
    }

    /// The unit with this global id.
    pub fn by_id(&self, id: u64) -> Option<&GameUnit> {
        self.units.iter().find(|unit| unit.id == Some(id))
    }

    /// Every unit of one kind.
    pub fn of_kind(&self, kind: UnitKind) -> impl Iterator<Item = &GameUnit> {
        self.units.iter().filter(move |unit| unit.kind == kind)
    }
}

impl Unit {
    /// What the shipped game data knows about this unit, if anything.
    pub fn game_data(&self) -> Option<&'static GameUnit> {
        game_data().unit(&self.name, self.village)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_data_parses_and_knows_every_kind() {
        let data = game_data();
        assert!(data.units().len() > 100, "{}", data.units().len());
        for kind in [
            UnitKind::Troop,
            UnitKind::SuperTroop,
            UnitKind::SiegeMachine,
            UnitKind::Pet,
            UnitKind::Spell,
            UnitKind::Hero,
            UnitKind::HeroEquipment,
        ] {
            assert!(data.of_kind(kind).next().is_some(), "{kind:?}");
        }
        assert_eq!(
            data.by_id(28_000_001).map(|u| u.name.as_str()),
            Some("Archer Queen")
        );
        let tome = data.unit("Eternal Tome", Village::Home).unwrap();
        assert_eq!(tome.hero.as_deref(), Some("Grand Warden"));
        // Same name, two villages.
        let home = data.unit("Baby Dragon", Village::Home).unwrap();
        let builder = data.unit("Baby Dragon", Village::BuilderBase).unwrap();
        assert_ne!(home, builder);
    }

    #[test]
    fn hero_caps() {
        let king = game_data().unit("Barbarian King", Village::Home).unwrap();
        assert_eq!(king.max_level_for_town_hall(12), Some(65));
        assert_eq!(king.max_level_for_town_hall(17), Some(100));
        // Locked below its hall; unknown caps are `None`, not a guess.
        assert_eq!(king.max_level_for_town_hall(5), None);
        assert_eq!(king.max_level_for_town_hall(9), None);
    }

    #[test]
    fn broken_data_is_empty_not_a_panic() {
        assert_eq!(GameData::parse("{ not json"), GameData::default());
    }

    #[test]
    fn every_fixture_unit_is_known() {
        let players: Vec<crate::model::Player> = serde_json::from_str(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/clash/players.json"
        )))
        .unwrap();
        for player in &players {
            for unit in player
                .troops
                .iter()
                .chain(&player.spells)
                .chain(&player.heroes)
                .chain(&player.hero_equipment)
            {
                let known = unit
                    .game_data()
                    .unwrap_or_else(|| panic!("{} is not in the game data", unit.name));
                assert!(unit.max_level <= known.max_level, "{}", unit.name);
            }
        }
    }
}
