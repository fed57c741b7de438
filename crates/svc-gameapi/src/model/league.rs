//! Leagues of every kind, league seasons and the gold pass.

use serde::{Deserialize, Serialize};

use super::common::IconUrls;
use crate::Timestamp;

/// A home village league (`/leagues`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct League {
    /// League id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Icons.
    pub icon_urls: IconUrls,
}

/// A Clan War League league (`/warleagues`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WarLeague {
    /// League id.
    pub id: u64,
    /// Name.
    pub name: String,
}

/// A clan capital league (`/capitalleagues`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CapitalLeague {
    /// League id.
    pub id: u64,
    /// Name.
    pub name: String,
}

/// A builder base league (`/builderbaseleagues`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BuilderBaseLeague {
    /// League id.
    pub id: u64,
    /// Name.
    pub name: String,
}

/// A Legend League season (`/leagues/{id}/seasons`): `{"id": "2023-09"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LeagueSeason {
    /// Season id, `YYYY-MM`.
    pub id: String,
}

/// The current gold pass season (`/goldpass/seasons/current`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GoldPassSeason {
    /// Start.
    pub start_time: Option<Timestamp>,
    /// End.
    pub end_time: Option<Timestamp>,
}
