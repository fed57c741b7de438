//! `cargo xtask gamedata [--check]`: writes `crates/svc-gameapi/data/game_data.json`, the
//! static game data svc-gameapi ships (`svc_gameapi::game_data()`), from the curated tables
//! below.
//!
//! The API lists a player's units by name, level, max level and village only; this data adds
//! what the game knows and the API does not say: what kind of unit a name is (a pet or a
//! siege machine arrives in `troops`), which hall unlocks it, which hero an equipment
//! belongs to, and hero level caps per town hall.
//!
//! Written by hand from public knowledge of the game (names exactly as the API spells
//! them). Fields are left out where not known for sure: `id` (the game's global id) only
//! where known, hall requirements only where known, per-town-hall caps only for heroes from
//! TH12 on. Update the tables when the game adds units, then run `cargo xtask gamedata`.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::fixtures::to_json;

/// Where the data file lives, relative to the workspace root.
const TARGET: &str = "crates/svc-gameapi/data/game_data.json";

/// `(name, global id, hall that unlocks it, max level)`.
type Row = (&'static str, Option<u64>, Option<u32>, u32);

const HOME_TROOPS: &[Row] = &[
    ("Barbarian", Some(4_000_000), Some(1), 12),
    ("Archer", Some(4_000_001), Some(1), 12),
    ("Giant", Some(4_000_003), Some(2), 12),
    ("Goblin", Some(4_000_002), Some(2), 9),
    ("Wall Breaker", Some(4_000_004), Some(3), 12),
    ("Balloon", Some(4_000_005), Some(4), 11),
    ("Wizard", Some(4_000_006), Some(5), 12),
    ("Healer", Some(4_000_007), Some(6), 9),
    ("Dragon", Some(4_000_008), Some(7), 11),
    ("P.E.K.K.A", Some(4_000_009), Some(8), 11),
    ("Baby Dragon", Some(4_000_023), Some(9), 10),
    ("Miner", Some(4_000_024), Some(10), 10),
    ("Electro Dragon", Some(4_000_059), Some(11), 7),
    ("Yeti", Some(4_000_053), Some(12), 6),
    ("Dragon Rider", Some(4_000_065), Some(13), 4),
    ("Electro Titan", Some(4_000_095), Some(14), 4),
    ("Root Rider", Some(4_000_110), Some(15), 3),
    ("Minion", Some(4_000_010), Some(7), 12),
    ("Hog Rider", Some(4_000_011), Some(7), 13),
    ("Valkyrie", Some(4_000_012), Some(8), 11),
    ("Golem", Some(4_000_013), Some(8), 13),
    ("Witch", Some(4_000_015), Some(9), 7),
    ("Lava Hound", Some(4_000_017), Some(9), 6),
    ("Bowler", Some(4_000_022), Some(10), 8),
    ("Ice Golem", Some(4_000_058), Some(11), 8),
    ("Headhunter", Some(4_000_082), Some(12), 3),
    ("Apprentice Warden", Some(4_000_097), Some(13), 4),
];

/// Super troops: boosted versions of a troop, unlocked from TH11; they share its levels.
const SUPER_TROOPS: &[Row] = &[
    ("Super Barbarian", Some(4_000_026), Some(11), 12),
    ("Super Archer", Some(4_000_027), Some(11), 12),
    ("Super Wall Breaker", Some(4_000_028), Some(11), 12),
    ("Super Giant", Some(4_000_029), Some(11), 12),
    ("Sneaky Goblin", Some(4_000_055), Some(11), 9),
    ("Rocket Balloon", Some(4_000_057), Some(11), 11),
    ("Inferno Dragon", Some(4_000_063), Some(11), 10),
    ("Super Valkyrie", Some(4_000_064), Some(11), 11),
    ("Super Witch", Some(4_000_066), Some(11), 7),
    ("Ice Hound", Some(4_000_076), Some(11), 6),
    ("Super Bowler", Some(4_000_080), Some(11), 8),
    ("Super Dragon", Some(4_000_081), Some(11), 11),
    ("Super Wizard", Some(4_000_083), Some(11), 12),
    ("Super Minion", Some(4_000_084), Some(11), 12),
    ("Super Miner", Some(4_000_056), Some(11), 10),
    ("Super Hog Rider", Some(4_000_098), Some(11), 13),
];

const SIEGE_MACHINES: &[Row] = &[
    ("Wall Wrecker", Some(4_000_051), Some(12), 5),
    ("Battle Blimp", Some(4_000_052), Some(12), 4),
    ("Stone Slammer", Some(4_000_062), Some(12), 5),
    ("Siege Barracks", Some(4_000_075), Some(13), 5),
    ("Log Launcher", Some(4_000_087), Some(13), 5),
    ("Flame Flinger", Some(4_000_091), Some(14), 5),
    ("Battle Drill", Some(4_000_092), Some(15), 5),
];

/// Hero pets: listed among a player's `troops` by the API.
const PETS: &[Row] = &[
    ("L.A.S.S.I", Some(73_000_000), Some(14), 15),
    ("Electro Owl", Some(73_000_001), Some(14), 10),
    ("Mighty Yak", Some(73_000_002), Some(14), 15),
    ("Unicorn", Some(73_000_003), Some(14), 10),
    ("Frosty", None, Some(15), 10),
    ("Diggy", None, Some(15), 10),
    ("Poison Lizard", None, Some(15), 10),
    ("Phoenix", None, Some(15), 10),
    ("Spirit Fox", None, Some(16), 10),
    ("Angry Jelly", None, Some(16), 10),
];

const SPELLS: &[Row] = &[
    ("Lightning Spell", Some(26_000_000), Some(5), 11),
    ("Healing Spell", Some(26_000_001), Some(6), 10),
    ("Rage Spell", Some(26_000_002), Some(7), 6),
    ("Jump Spell", Some(26_000_003), Some(9), 5),
    ("Freeze Spell", Some(26_000_005), Some(9), 7),
    ("Clone Spell", Some(26_000_016), Some(10), 8),
    ("Invisibility Spell", Some(26_000_035), Some(11), 4),
    ("Recall Spell", Some(26_000_053), Some(13), 5),
    ("Poison Spell", Some(26_000_009), Some(8), 10),
    ("Earthquake Spell", Some(26_000_010), Some(8), 5),
    ("Haste Spell", Some(26_000_011), Some(9), 5),
    ("Skeleton Spell", Some(26_000_017), Some(9), 8),
    ("Bat Spell", Some(26_000_028), Some(10), 6),
];

/// `(name, id, town hall that unlocks it, max level, caps per town hall from TH12)`.
type HeroRow = (
    &'static str,
    Option<u64>,
    Option<u32>,
    u32,
    &'static [(u32, u32)],
);

const HOME_HEROES: &[HeroRow] = &[
    (
        "Barbarian King",
        Some(28_000_000),
        Some(7),
        100,
        &[(12, 65), (13, 75), (14, 80), (15, 90), (16, 95), (17, 100)],
    ),
    (
        "Archer Queen",
        Some(28_000_001),
        Some(8),
        100,
        &[(12, 65), (13, 75), (14, 80), (15, 90), (16, 95), (17, 100)],
    ),
    ("Minion Prince", Some(28_000_006), Some(9), 90, &[]),
    (
        "Grand Warden",
        Some(28_000_002),
        Some(11),
        75,
        &[(12, 40), (13, 50), (14, 55), (15, 65), (16, 70), (17, 75)],
    ),
    (
        "Royal Champion",
        Some(28_000_004),
        Some(13),
        50,
        &[(13, 25), (14, 30), (15, 40), (16, 45), (17, 50)],
    ),
];

/// `(name, hero, max level)`: common equipment goes to 18, epic to 27.
const EQUIPMENT: &[(&str, &str, u32)] = &[
    ("Barbarian Puppet", "Barbarian King", 18),
    ("Rage Vial", "Barbarian King", 18),
    ("Earthquake Boots", "Barbarian King", 18),
    ("Vampstache", "Barbarian King", 18),
    ("Giant Gauntlet", "Barbarian King", 27),
    ("Spiky Ball", "Barbarian King", 27),
    ("Archer Puppet", "Archer Queen", 18),
    ("Invisibility Vial", "Archer Queen", 18),
    ("Giant Arrow", "Archer Queen", 18),
    ("Healer Puppet", "Archer Queen", 18),
    ("Frozen Arrow", "Archer Queen", 27),
    ("Magic Mirror", "Archer Queen", 27),
    ("Eternal Tome", "Grand Warden", 18),
    ("Life Gem", "Grand Warden", 18),
    ("Rage Gem", "Grand Warden", 18),
    ("Healing Tome", "Grand Warden", 18),
    ("Fireball", "Grand Warden", 27),
    ("Lavaloon Puppet", "Grand Warden", 27),
    ("Royal Gem", "Royal Champion", 18),
    ("Seeking Shield", "Royal Champion", 18),
    ("Hog Rider Puppet", "Royal Champion", 18),
    ("Haste Vial", "Royal Champion", 18),
    ("Rocket Spear", "Royal Champion", 27),
    ("Electro Boots", "Royal Champion", 27),
    ("Henchmen Puppet", "Minion Prince", 18),
    ("Dark Orb", "Minion Prince", 18),
];

const BUILDER_TROOPS: &[Row] = &[
    ("Raged Barbarian", None, Some(1), 20),
    ("Sneaky Archer", None, Some(2), 20),
    ("Boxer Giant", None, Some(3), 20),
    ("Beta Minion", None, Some(4), 20),
    ("Bomber", None, Some(5), 20),
    ("Baby Dragon", None, Some(6), 20),
    ("Cannon Cart", None, Some(7), 20),
    ("Night Witch", None, Some(8), 20),
    ("Drop Ship", None, Some(9), 20),
    ("Power P.E.K.K.A", None, Some(10), 20),
    ("Hog Glider", None, None, 20),
    ("Electrofire Wizard", None, None, 20),
];

const BUILDER_HEROES: &[Row] = &[
    ("Battle Machine", Some(28_000_003), Some(5), 35),
    ("Battle Copter", Some(28_000_005), None, 35),
];

fn unit(kind: &str, village: &str, (name, id, hall, max): Row) -> Value {
    let mut value = json!({ "name": name, "kind": kind, "village": village, "maxLevel": max });
    if let Some(id) = id {
        value["id"] = json!(id);
    }
    if let Some(hall) = hall {
        value["requiredHall"] = json!(hall);
    }
    value
}

/// The whole data file.
pub(crate) fn generate() -> String {
    let mut units = Vec::new();
    for (kind, rows) in [
        ("troop", HOME_TROOPS),
        ("superTroop", SUPER_TROOPS),
        ("siegeMachine", SIEGE_MACHINES),
        ("pet", PETS),
        ("spell", SPELLS),
    ] {
        units.extend(rows.iter().map(|row| unit(kind, "home", *row)));
    }
    units.extend(HOME_HEROES.iter().map(|&(name, id, hall, max, caps)| {
        let mut value = unit("hero", "home", (name, id, hall, max));
        if !caps.is_empty() {
            value["townHallMaxLevels"] = caps
                .iter()
                .map(|(town_hall, level)| json!({ "townHall": town_hall, "maxLevel": level }))
                .collect();
        }
        value
    }));
    units.extend(EQUIPMENT.iter().map(|&(name, hero, max)| {
        let mut value = unit("heroEquipment", "home", (name, None, None, max));
        value["hero"] = json!(hero);
        value
    }));
    units.extend(
        BUILDER_TROOPS
            .iter()
            .map(|row| unit("troop", "builderBase", *row)),
    );
    units.extend(
        BUILDER_HEROES
            .iter()
            .map(|row| unit("hero", "builderBase", *row)),
    );
    to_json(&json!({
        "about": "Static Clash of Clans game data, generated by `cargo xtask gamedata` from the tables in xtask/src/gamedata.rs; do not edit by hand.",
        "units": units,
    }))
}

fn target(root: &Path) -> PathBuf {
    root.join(TARGET)
}

/// Writes the data file.
pub(crate) fn write(root: &Path) -> Result<(), String> {
    let path = target(root);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    fs::write(&path, generate()).map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("wrote {TARGET}");
    Ok(())
}

/// Fails when the data file differs from what the tables generate.
pub(crate) fn check(root: &Path) -> Result<(), String> {
    let path = target(root);
    match fs::read_to_string(&path) {
        Ok(actual) if actual == generate() => {
            println!("gamedata: {TARGET} up to date");
            Ok(())
        }
        Ok(_) => Err(format!(
            "{TARGET} differs from its tables\nrun `cargo xtask gamedata` and commit the result"
        )),
        Err(e) => Err(format!("{TARGET}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_village_and_ids_unique() {
        let data: Value = serde_json::from_str(&generate()).unwrap();
        let units = data["units"].as_array().unwrap();
        let mut names = std::collections::HashSet::new();
        let mut ids = std::collections::HashSet::new();
        for unit in units {
            let key = (unit["name"].to_string(), unit["village"].to_string());
            assert!(names.insert(key), "duplicate {unit}");
            if let Some(id) = unit["id"].as_u64() {
                assert!(ids.insert(id), "duplicate id {id}");
            }
            assert!(unit["maxLevel"].as_u64().unwrap() > 0);
        }
        // Every equipment names a hero of the table.
        for unit in units.iter().filter(|u| u["kind"] == "heroEquipment") {
            assert!(
                HOME_HEROES.iter().any(|h| unit["hero"] == h.0),
                "{unit} names no known hero"
            );
        }
    }
}
