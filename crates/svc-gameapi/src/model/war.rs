//! Clan wars, the war log and Clan War League groups.

use serde::{Deserialize, Serialize};

use super::RawJson;
use super::common::BadgeUrls;
use crate::{Tag, Timestamp};

/// Where a war stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WarState {
    /// No war.
    #[default]
    NotInWar,
    /// Preparation day.
    Preparation,
    /// Battle day.
    InWar,
    /// Over.
    WarEnded,
    /// A state this crate does not know yet.
    #[serde(other)]
    Unknown,
}

/// A war's result from the clan's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WarResult {
    /// Won.
    Win,
    /// Lost.
    Lose,
    /// Tied.
    Tie,
    /// A result this crate does not know yet.
    #[serde(other)]
    Unknown,
}

/// One attack.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Attack {
    /// Attacker's tag.
    pub attacker_tag: Tag,
    /// Defender's tag.
    pub defender_tag: Tag,
    /// Stars.
    pub stars: u32,
    /// Destruction, percent.
    pub destruction_percentage: f64,
    /// Order of the attack in the war (1-based).
    pub order: u32,
    /// Duration in seconds.
    pub duration: Option<u32>,
}

/// A clan member in a war.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct WarMember {
    /// Player tag.
    pub tag: Tag,
    /// Name.
    pub name: String,
    /// Town hall level.
    pub townhall_level: u32,
    /// Map position.
    pub map_position: u32,
    /// Attacks made.
    pub attacks: Vec<Attack>,
    /// Attacks received.
    pub opponent_attacks: u32,
    /// The best attack against this member.
    pub best_opponent_attack: Option<Attack>,
}

/// One side of a war.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct WarClan {
    /// Clan tag (absent for a hidden opponent).
    pub tag: Option<Tag>,
    /// Name.
    pub name: Option<String>,
    /// Badge.
    pub badge_urls: BadgeUrls,
    /// Clan level.
    pub clan_level: u32,
    /// Attacks made.
    pub attacks: u32,
    /// Stars.
    pub stars: u32,
    /// Destruction, percent.
    pub destruction_percentage: f64,
    /// Members.
    pub members: Vec<WarMember>,
}

/// A war: `/clans/{tag}/currentwar` or `/clanwarleagues/wars/{warTag}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClanWar {
    /// State.
    pub state: WarState,
    /// Players per side.
    pub team_size: u32,
    /// Attacks per member (2, or 1 in CWL).
    pub attacks_per_member: Option<u32>,
    /// Battle modifier (`none`, `hardMode`).
    pub battle_modifier: Option<String>,
    /// Preparation start.
    pub preparation_start_time: Option<Timestamp>,
    /// Battle start.
    pub start_time: Option<Timestamp>,
    /// End.
    pub end_time: Option<Timestamp>,
    /// CWL war tag, for league wars.
    pub tag: Option<Tag>,
    /// CWL season, for league wars.
    pub season: Option<String>,
    /// The requested clan's side.
    pub clan: WarClan,
    /// The other side.
    pub opponent: WarClan,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}

impl ClanWar {
    /// Every attack of both sides, by order.
    pub fn attacks(&self) -> Vec<&Attack> {
        let mut attacks: Vec<&Attack> = self
            .clan
            .members
            .iter()
            .chain(&self.opponent.members)
            .flat_map(|member| &member.attacks)
            .collect();
        attacks.sort_by_key(|attack| attack.order);
        attacks
    }
}

/// One side of a war log entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct WarLogClan {
    /// Clan tag (absent for CWL entries' opponent).
    pub tag: Option<Tag>,
    /// Name.
    pub name: Option<String>,
    /// Badge.
    pub badge_urls: BadgeUrls,
    /// Clan level.
    pub clan_level: u32,
    /// Attacks made.
    pub attacks: Option<u32>,
    /// Stars.
    pub stars: u32,
    /// Destruction, percent.
    pub destruction_percentage: f64,
    /// Experience earned.
    pub exp_earned: Option<u32>,
}

/// A war log entry (`/clans/{tag}/warlog`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct WarLogEntry {
    /// Result (absent for CWL entries).
    pub result: Option<WarResult>,
    /// End.
    pub end_time: Option<Timestamp>,
    /// Players per side.
    pub team_size: u32,
    /// Attacks per member.
    pub attacks_per_member: Option<u32>,
    /// The clan's side.
    pub clan: WarLogClan,
    /// The opponent.
    pub opponent: WarLogClan,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}

/// A member of a clan in a league group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LeagueGroupMember {
    /// Player tag.
    pub tag: Tag,
    /// Name.
    pub name: String,
    /// Town hall level.
    pub town_hall_level: u32,
}

/// A clan of a league group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LeagueGroupClan {
    /// Clan tag.
    pub tag: Tag,
    /// Name.
    pub name: String,
    /// Clan level.
    pub clan_level: u32,
    /// Badge.
    pub badge_urls: BadgeUrls,
    /// Roster.
    pub members: Vec<LeagueGroupMember>,
}

/// A CWL round: war tags, `#0` for wars not drawn yet.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LeagueRound {
    /// The round's war tags.
    pub war_tags: Vec<Tag>,
}

impl LeagueRound {
    /// The war tags already drawn (not `#0`).
    pub fn drawn(&self) -> impl Iterator<Item = &Tag> {
        self.war_tags.iter().filter(|tag| tag.as_str() != "#0")
    }
}

/// A Clan War League group (`/clans/{tag}/currentwar/leaguegroup`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LeagueGroup {
    /// `preparation`, `inWar`, `ended`.
    pub state: String,
    /// Season, `YYYY-MM`.
    pub season: String,
    /// Clans.
    pub clans: Vec<LeagueGroupClan>,
    /// Rounds.
    pub rounds: Vec<LeagueRound>,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}
