//! Location rankings.

use serde::{Deserialize, Serialize};

use super::RawJson;
use super::common::{BadgeUrls, Location};
use super::league::League;
use super::player::PlayerClan;
use crate::Tag;

/// A clan in a ranking (`/locations/{id}/rankings/clans` and `…/clans-builder-base`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClanRanking {
    /// Clan tag.
    pub tag: Tag,
    /// Name.
    pub name: String,
    /// Location.
    pub location: Option<Location>,
    /// Badge.
    pub badge_urls: BadgeUrls,
    /// Clan level.
    pub clan_level: u32,
    /// Member count.
    pub members: u32,
    /// Points (home village ranking).
    pub clan_points: Option<u32>,
    /// Points (builder base ranking).
    pub clan_builder_base_points: Option<u32>,
    /// Rank.
    pub rank: u32,
    /// Previous rank.
    pub previous_rank: u32,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}

/// A clan in the capital ranking (`/locations/{id}/rankings/capitals`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClanCapitalRanking {
    /// Clan tag.
    pub tag: Tag,
    /// Name.
    pub name: String,
    /// Clan level.
    pub clan_level: u32,
    /// Capital points.
    pub clan_capital_points: u32,
    /// Rank.
    pub rank: u32,
    /// Previous rank.
    pub previous_rank: u32,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}

/// A player in a ranking (`/locations/{id}/rankings/players`, `…/players-builder-base`,
/// `/leagues/{id}/seasons/{season}`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PlayerRanking {
    /// Player tag.
    pub tag: Tag,
    /// Name.
    pub name: String,
    /// Experience level.
    pub exp_level: u32,
    /// Trophies (home village ranking).
    pub trophies: Option<u32>,
    /// Builder base trophies (builder base ranking).
    pub builder_base_trophies: Option<u32>,
    /// Attack wins.
    pub attack_wins: Option<u32>,
    /// Defense wins.
    pub defense_wins: Option<u32>,
    /// Rank.
    pub rank: u32,
    /// Previous rank.
    pub previous_rank: Option<u32>,
    /// Clan.
    pub clan: Option<PlayerClan>,
    /// League.
    pub league: Option<League>,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}
