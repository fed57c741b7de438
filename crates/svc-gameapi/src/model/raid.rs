//! Capital raid weekends.

use serde::{Deserialize, Serialize};

use super::RawJson;
use crate::{Tag, Timestamp};

/// A member's raid weekend results.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RaidMember {
    /// Player tag.
    pub tag: Tag,
    /// Name.
    pub name: String,
    /// Attacks made.
    pub attacks: u32,
    /// Attack limit.
    pub attack_limit: u32,
    /// Bonus attacks.
    pub bonus_attack_limit: u32,
    /// Capital gold looted.
    pub capital_resources_looted: u64,
}

/// One raid weekend (`/clans/{tag}/capitalraidseasons`). The attack and defense logs are
/// kept as raw JSON.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CapitalRaidSeason {
    /// `ongoing` or `ended`.
    pub state: String,
    /// Start.
    pub start_time: Option<Timestamp>,
    /// End.
    pub end_time: Option<Timestamp>,
    /// Total capital gold looted.
    pub capital_total_loot: u64,
    /// Raids completed.
    pub raids_completed: u32,
    /// Attacks made.
    pub total_attacks: u32,
    /// Enemy districts destroyed.
    pub enemy_districts_destroyed: u32,
    /// Offensive raid medals.
    pub offensive_reward: u32,
    /// Defensive raid medals.
    pub defensive_reward: u32,
    /// Members who raided.
    pub members: Vec<RaidMember>,
    /// Attack log, raw.
    pub attack_log: Vec<serde_json::Value>,
    /// Defense log, raw.
    pub defense_log: Vec<serde_json::Value>,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}
