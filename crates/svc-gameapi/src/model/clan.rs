//! Clans and their members.

use serde::{Deserialize, Serialize};

use super::RawJson;
use super::common::{BadgeUrls, ChatLanguage, Label, Location};
use super::league::{BuilderBaseLeague, CapitalLeague, League, WarLeague};
use crate::Tag;

/// A member's role in the clan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// Not in a clan.
    NotMember,
    /// Member.
    #[default]
    Member,
    /// Elder (`admin` on the wire).
    Admin,
    /// Co-leader.
    CoLeader,
    /// Leader.
    Leader,
    /// A role this crate does not know yet.
    #[serde(other)]
    Unknown,
}

/// Who may join a clan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ClanType {
    /// Anyone.
    #[default]
    Open,
    /// By request.
    InviteOnly,
    /// Nobody.
    Closed,
    /// A type this crate does not know yet.
    #[serde(other)]
    Unknown,
}

/// A member as listed in a clan (`memberList` or `/clans/{tag}/members`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClanMember {
    /// Player tag.
    pub tag: Tag,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Town hall level.
    pub town_hall_level: Option<u32>,
    /// Experience level.
    pub exp_level: u32,
    /// Home village league.
    pub league: Option<League>,
    /// Trophies.
    pub trophies: u32,
    /// Builder base trophies.
    pub builder_base_trophies: u32,
    /// Builder base league.
    pub builder_base_league: Option<BuilderBaseLeague>,
    /// Rank in the clan.
    pub clan_rank: u32,
    /// Rank before the last change.
    pub previous_clan_rank: u32,
    /// Troops donated this season.
    pub donations: u32,
    /// Troops received this season.
    pub donations_received: u32,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}

/// A clan capital district.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct District {
    /// District id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// District hall level.
    pub district_hall_level: u32,
}

/// A clan's capital.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClanCapital {
    /// Capital hall level.
    pub capital_hall_level: Option<u32>,
    /// Districts.
    pub districts: Vec<District>,
}

/// A clan: `GET /clans/{tag}` (with `member_list`) or a search result (without).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Clan {
    /// Clan tag.
    pub tag: Tag,
    /// Name.
    pub name: String,
    /// Who may join.
    #[serde(rename = "type")]
    pub kind: ClanType,
    /// Description.
    pub description: Option<String>,
    /// Location.
    pub location: Option<Location>,
    /// Whether the clan is family friendly.
    pub is_family_friendly: bool,
    /// Badge.
    pub badge_urls: BadgeUrls,
    /// Clan level.
    pub clan_level: u32,
    /// Clan points.
    pub clan_points: u32,
    /// Builder base points.
    pub clan_builder_base_points: u32,
    /// Capital points.
    pub clan_capital_points: u32,
    /// Capital league.
    pub capital_league: Option<CapitalLeague>,
    /// Trophies required to join.
    pub required_trophies: u32,
    /// Builder base trophies required to join.
    pub required_builder_base_trophies: u32,
    /// Town hall level required to join.
    pub required_townhall_level: Option<u32>,
    /// War frequency (`always`, `moreThanOncePerWeek`, …).
    pub war_frequency: Option<String>,
    /// Current war win streak.
    pub war_win_streak: u32,
    /// Wars won.
    pub war_wins: u32,
    /// Wars tied (absent when the war log is private).
    pub war_ties: Option<u32>,
    /// Wars lost (absent when the war log is private).
    pub war_losses: Option<u32>,
    /// Whether the war log is public.
    pub is_war_log_public: bool,
    /// CWL league.
    pub war_league: Option<WarLeague>,
    /// Member count.
    pub members: u32,
    /// Members, in `GET /clans/{tag}` answers.
    pub member_list: Vec<ClanMember>,
    /// Labels.
    pub labels: Vec<Label>,
    /// The capital.
    pub clan_capital: Option<ClanCapital>,
    /// Chat language.
    pub chat_language: Option<ChatLanguage>,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}
