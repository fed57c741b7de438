//! The Clash of Clans part of the world: the developer account, and clans with their
//! members, current war and Clan War League group. War times are relative to now.

use serde::{Deserialize, Serialize};

use super::{Offset, Secret};

/// Clash of Clans: a developer account and the clans the API serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClashWorld {
    /// The developer site account's email.
    pub email: String,
    /// Its password.
    pub password: Secret,
    /// Clans; the first is the one printed at start.
    pub clans: Vec<ClashClan>,
}

/// A clan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClashClan {
    /// Tag (`#` and uppercase; `O` is written `0`).
    pub tag: String,
    /// Name.
    pub name: String,
    /// Clan level.
    #[serde(default = "clan_level")]
    pub level: u32,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// `open`, `inviteOnly` or `closed`.
    #[serde(default = "open", rename = "type")]
    pub kind: String,
    /// War league name.
    #[serde(default = "war_league")]
    pub war_league: String,
    /// Wars won.
    #[serde(default)]
    pub war_wins: u32,
    /// Members, leader first.
    #[serde(default)]
    pub members: Vec<ClashPlayer>,
    /// The current war, if one is on.
    #[serde(default)]
    pub war: Option<ClashWar>,
    /// The Clan War League group, if the clan is in one.
    #[serde(default)]
    pub league: Option<ClashLeague>,
}

fn clan_level() -> u32 {
    10
}

fn open() -> String {
    "open".to_owned()
}

fn war_league() -> String {
    "Gold League I".to_owned()
}

/// A player (a clan member).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClashPlayer {
    /// Tag.
    pub tag: String,
    /// Name.
    pub name: String,
    /// `leader`, `coLeader`, `admin` (elder) or `member`.
    #[serde(default = "member")]
    pub role: String,
    /// Town hall level.
    #[serde(default = "town_hall")]
    pub town_hall: u32,
    /// Experience level.
    #[serde(default = "exp_level")]
    pub exp_level: u32,
    /// Trophies.
    #[serde(default = "trophies")]
    pub trophies: u32,
    /// Builder base trophies.
    #[serde(default = "builder_trophies")]
    pub builder_base_trophies: u32,
    /// Troops donated this season.
    #[serde(default)]
    pub donations: u32,
    /// Troops received this season.
    #[serde(default)]
    pub donations_received: u32,
    /// War stars.
    #[serde(default)]
    pub war_stars: u32,
    /// The in-game API token `POST /players/{tag}/verifytoken` accepts.
    #[serde(default)]
    pub api_token: Option<Secret>,
}

fn member() -> String {
    "member".to_owned()
}

fn town_hall() -> u32 {
    13
}

fn exp_level() -> u32 {
    150
}

fn trophies() -> u32 {
    3000
}

fn builder_trophies() -> u32 {
    2500
}

/// Where a war stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WarState {
    /// Preparation day.
    #[serde(rename = "preparation")]
    Preparation,
    /// Battle day.
    #[serde(rename = "inWar")]
    InWar,
    /// Over.
    #[serde(rename = "warEnded")]
    WarEnded,
}

impl WarState {
    /// The API's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preparation => "preparation",
            Self::InWar => "inWar",
            Self::WarEnded => "warEnded",
        }
    }
}

/// A clan's current war. Without `start`/`end`, times follow the state: a war in
/// preparation starts in 12 hours, one in war started 2 hours ago, an ended one ended an
/// hour ago; battle day lasts 24 hours, preparation 23.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClashWar {
    /// Where it stands.
    pub state: WarState,
    /// The other clan (members are generated).
    pub opponent: ClashOpponent,
    /// When battle day starts.
    #[serde(default)]
    pub start: Option<Offset>,
    /// Attacks per member.
    #[serde(default = "two")]
    pub attacks_per_member: u32,
}

fn two() -> u32 {
    2
}

impl ClashWar {
    /// Battle day's start.
    pub fn start(&self) -> Offset {
        self.start.unwrap_or(match self.state {
            WarState::Preparation => Offset::hours(12),
            WarState::InWar => Offset::hours(-2),
            WarState::WarEnded => Offset::hours(-25),
        })
    }
}

/// Another clan (a war opponent, a league rival).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClashOpponent {
    /// Tag.
    pub tag: String,
    /// Name.
    pub name: String,
    /// Clan level.
    #[serde(default = "clan_level")]
    pub level: u32,
}

/// A Clan War League group: this clan and seven rivals; rounds are drawn through the
/// control API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClashLeague {
    /// The other clans.
    pub rivals: Vec<ClashOpponent>,
}

impl ClashWorld {
    /// A clan by tag (with or without `#`, any case).
    pub fn clan(&self, tag: &str) -> Option<&ClashClan> {
        let tag = normalise_tag(tag);
        self.clans.iter().find(|c| normalise_tag(&c.tag) == tag)
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        if self.email.is_empty() || self.password.expose().is_empty() {
            return Err("clash: the developer account needs an email and a password".to_owned());
        }
        if self.clans.is_empty() {
            return Err("clash: the world needs at least one clan".to_owned());
        }
        let mut tags = Vec::new();
        for clan in &self.clans {
            tags.push(&clan.tag);
            tags.extend(clan.members.iter().map(|m| &m.tag));
            tags.extend(clan.war.iter().map(|w| &w.opponent.tag));
            if let Some(league) = &clan.league {
                tags.extend(league.rivals.iter().map(|r| &r.tag));
            }
        }
        for tag in &tags {
            if normalise_tag(tag) != **tag || tag.len() < 4 {
                return Err(format!(
                    "clash: tag {tag:?} is not a tag (# then 3+ of 0289PYLQGRJCUV)"
                ));
            }
        }
        for clan in &self.clans {
            for member in &clan.members {
                if !matches!(
                    member.role.as_str(),
                    "leader" | "coLeader" | "admin" | "member"
                ) {
                    return Err(format!(
                        "clash: {} has role {:?} (leader, coLeader, admin or member)",
                        member.name, member.role
                    ));
                }
            }
            if clan.war.is_some() && clan.members.is_empty() {
                return Err(format!(
                    "clash: clan {} is at war with no members",
                    clan.name
                ));
            }
            if clan.league.as_ref().is_some_and(|l| l.rivals.len() != 7) {
                return Err(format!(
                    "clash: clan {}'s league group needs exactly 7 rivals",
                    clan.name
                ));
            }
        }
        Ok(())
    }
}

/// A tag as the game writes it: `#`, uppercase, `O` read as `0`, only the game's letters.
pub(crate) fn normalise_tag(tag: &str) -> String {
    let body: String = tag
        .trim()
        .trim_start_matches('#')
        .to_uppercase()
        .replace('O', "0")
        .chars()
        .filter(|c| "0289PYLQGRJCUV".contains(*c))
        .collect();
    format!("#{body}")
}
