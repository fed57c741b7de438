//! Leagues of every kind, league seasons and the gold pass.

use serde::{Deserialize, Serialize};

use super::RawJson;
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
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}

/// A Clan War League league (`/warleagues`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WarLeague {
    /// League id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}

/// A clan capital league (`/capitalleagues`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CapitalLeague {
    /// League id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}

/// A builder base league (`/builderbaseleagues`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BuilderBaseLeague {
    /// League id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}

/// A Legend League season (`/leagues/{id}/seasons`): `{"id": "2023-09"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LeagueSeason {
    /// Season id, `YYYY-MM`.
    pub id: String,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}

/// The current gold pass season (`/goldpass/seasons/current`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GoldPassSeason {
    /// Start.
    pub start_time: Option<Timestamp>,
    /// End.
    pub end_time: Option<Timestamp>,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}
