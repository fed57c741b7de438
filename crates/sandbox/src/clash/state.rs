//! The game world the sandbox serves, loaded from `fixtures/clash/*.json` and mutated
//! through [`ClashControl`](super::ClashControl).

use std::collections::HashMap;

use serde_json::{Value, json};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/clash/",
            $name
        ))
    };
}

const CLAN: &str = fixture!("clan.json");
const PLAYERS: &str = fixture!("players.json");
const WAR: &str = fixture!("war.json");
const WARLOG: &str = fixture!("warlog.json");
const CWL: &str = fixture!("cwl.json");
const RAIDS: &str = fixture!("capitalraidseasons.json");
const LEAGUES: &str = fixture!("leagues.json");
const LOCATIONS: &str = fixture!("locations.json");
const MISC: &str = fixture!("misc.json");
const CLANS: &str = fixture!("clans.json");

/// Characters the game uses in tags.
const TAG_ALPHABET: &[u8] = b"0289PYLQGRJCUV";

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| {
        tracing::error!(%error, "a clash fixture is not JSON; serving empty data");
        Value::Null
    })
}

/// Everything the REST API serves.
#[derive(Debug)]
pub(super) struct World {
    pub(super) clans: HashMap<String, Value>,
    pub(super) players: HashMap<String, Value>,
    pub(super) wars: HashMap<String, Value>,
    pub(super) warlogs: HashMap<String, Value>,
    pub(super) raids: HashMap<String, Value>,
    pub(super) league_groups: HashMap<String, Value>,
    pub(super) league_wars: HashMap<String, Value>,
    pub(super) leagues: Value,
    pub(super) locations: Value,
    pub(super) misc: Value,
    pub(super) player_tokens: HashMap<String, String>,
    pub(super) main_clan: String,
    counter: u64,
}

impl World {
    pub(super) fn load() -> Self {
        let main = parse(CLAN);
        let main_clan = main["tag"].as_str().unwrap_or("#0").to_owned();
        let mut clans: HashMap<String, Value> = HashMap::new();
        for mut clan in parse(CLANS).as_array().cloned().unwrap_or_default() {
            if let Some(tag) = clan["tag"].as_str().map(str::to_owned) {
                clan["memberList"] = json!([]);
                clans.insert(tag, clan);
            }
        }
        clans.insert(main_clan.clone(), main);
        let players = parse(PLAYERS)
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| Some((p["tag"].as_str()?.to_owned(), p)))
            .collect();
        let cwl = parse(CWL);
        let mut league_groups = HashMap::new();
        for clan in cwl["group"]["clans"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            if let Some(tag) = clan["tag"].as_str() {
                league_groups.insert(tag.to_owned(), cwl["group"].clone());
            }
        }
        let league_wars = cwl["wars"]
            .as_object()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect();
        let mut wars = HashMap::new();
        wars.insert(main_clan.clone(), parse(WAR));
        let mut warlogs = HashMap::new();
        warlogs.insert(main_clan.clone(), parse(WARLOG)["items"].clone());
        let mut raids = HashMap::new();
        raids.insert(main_clan.clone(), parse(RAIDS)["items"].clone());
        Self {
            clans,
            players,
            wars,
            warlogs,
            raids,
            league_groups,
            league_wars,
            leagues: parse(LEAGUES),
            locations: parse(LOCATIONS),
            misc: parse(MISC),
            player_tokens: HashMap::new(),
            main_clan,
            counter: 0,
        }
    }

    /// A fresh tag, deterministic: the sandbox's n-th generated tag.
    pub(super) fn new_tag(&mut self) -> String {
        self.counter += 1;
        let mut n = self.counter + 1000;
        let mut tag = String::new();
        while n > 0 {
            tag.insert(
                0,
                char::from(TAG_ALPHABET[(n % TAG_ALPHABET.len() as u64) as usize]),
            );
            n /= TAG_ALPHABET.len() as u64;
        }
        format!("#Q{tag}")
    }

    pub(super) fn next_counter(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// Recomputes `members` and clan ranks after the member list changed.
    pub(super) fn renumber(clan: &mut Value) {
        if let Some(list) = clan["memberList"].as_array_mut() {
            list.sort_by_key(|m| std::cmp::Reverse(m["trophies"].as_u64().unwrap_or(0)));
            for (i, member) in list.iter_mut().enumerate() {
                member["clanRank"] = json!(i + 1);
            }
            let count = list.len();
            clan["members"] = json!(count);
        }
    }
}
