//! Players: profiles, achievements and units.

use serde::{Deserialize, Serialize};

use super::RawJson;
use super::clan::Role;
use super::common::{BadgeUrls, Label};
use super::league::{BuilderBaseLeague, League};
use crate::Tag;

/// Which village something belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Village {
    /// The home village.
    #[default]
    Home,
    /// The builder base.
    BuilderBase,
    /// The clan capital.
    ClanCapital,
    /// A village this crate does not know yet.
    #[serde(other)]
    Unknown,
}

/// The clan a player is in, as embedded in the player profile.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PlayerClan {
    /// Clan tag.
    pub tag: Tag,
    /// Name.
    pub name: String,
    /// Clan level.
    pub clan_level: u32,
    /// Badge.
    pub badge_urls: BadgeUrls,
}

/// An achievement's progress.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Achievement {
    /// Name.
    pub name: String,
    /// Stars earned (0–3).
    pub stars: u32,
    /// Current value.
    pub value: u64,
    /// Target for the next star.
    pub target: u64,
    /// Description.
    pub info: String,
    /// Completion text, once complete.
    pub completion_info: Option<String>,
    /// Village.
    pub village: Village,
}

/// A troop, spell, hero or piece of hero equipment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Unit {
    /// Name.
    pub name: String,
    /// Level.
    pub level: u32,
    /// Maximum level.
    pub max_level: u32,
    /// Village.
    pub village: Village,
    /// Whether a super troop is active.
    pub super_troop_is_active: Option<bool>,
    /// For heroes: the equipment worn now (the API lists it inside each hero).
    pub equipment: Vec<Unit>,
}

/// One Legend League season's result.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LegendSeason {
    /// Season id, `YYYY-MM` (absent for the current season).
    pub id: Option<String>,
    /// Global rank, when ranked.
    pub rank: Option<u32>,
    /// Trophies.
    pub trophies: u32,
}

/// A player's Legend League record (`legendStatistics`, for players who reached it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LegendStatistics {
    /// Legend trophies.
    pub legend_trophies: u32,
    /// This season so far.
    pub current_season: Option<LegendSeason>,
    /// Last season.
    pub previous_season: Option<LegendSeason>,
    /// The best season.
    pub best_season: Option<LegendSeason>,
    /// Last builder base season.
    pub previous_builder_base_season: Option<LegendSeason>,
    /// The best builder base season.
    pub best_builder_base_season: Option<LegendSeason>,
}

/// A player profile (`/players/{tag}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Player {
    /// Player tag.
    pub tag: Tag,
    /// Name.
    pub name: String,
    /// Town hall level.
    pub town_hall_level: u32,
    /// Town hall weapon level (TH12+).
    pub town_hall_weapon_level: Option<u32>,
    /// Experience level.
    pub exp_level: u32,
    /// Trophies.
    pub trophies: u32,
    /// Best trophies.
    pub best_trophies: u32,
    /// War stars.
    pub war_stars: u32,
    /// Attack wins this season.
    pub attack_wins: u32,
    /// Defense wins this season.
    pub defense_wins: u32,
    /// Builder hall level.
    pub builder_hall_level: Option<u32>,
    /// Builder base trophies.
    pub builder_base_trophies: u32,
    /// Best builder base trophies.
    pub best_builder_base_trophies: u32,
    /// Role in the clan.
    pub role: Option<Role>,
    /// War preference (`in` / `out`).
    pub war_preference: Option<String>,
    /// Troops donated this season.
    pub donations: u32,
    /// Troops received this season.
    pub donations_received: u32,
    /// Capital gold contributed.
    pub clan_capital_contributions: u64,
    /// The player's clan, if any.
    pub clan: Option<PlayerClan>,
    /// Home village league.
    pub league: Option<League>,
    /// Builder base league.
    pub builder_base_league: Option<BuilderBaseLeague>,
    /// Legend League record, for players who reached it.
    pub legend_statistics: Option<LegendStatistics>,
    /// Achievements.
    pub achievements: Vec<Achievement>,
    /// Labels.
    pub labels: Vec<Label>,
    /// Troops.
    pub troops: Vec<Unit>,
    /// Heroes.
    pub heroes: Vec<Unit>,
    /// Spells.
    pub spells: Vec<Unit>,
    /// Hero equipment.
    pub hero_equipment: Vec<Unit>,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}

/// The answer of `POST /players/{tag}/verifytoken`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VerifyTokenResponse {
    /// Player tag.
    pub tag: Tag,
    /// The token checked.
    pub token: String,
    /// `ok` or `invalid`.
    pub status: String,
}

impl VerifyTokenResponse {
    /// Whether the token belongs to the player.
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }
}
