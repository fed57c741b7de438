//! Auto moderation rules and their actions (`AUTO_MODERATION_*`).

use serde::{Deserialize, Serialize};

use super::id::{AutoModerationRuleMarker, ChannelMarker, GuildMarker, Id, RoleMarker, UserMarker};

/// A guild's auto moderation rule.
///
/// `event_type` 1 message send, 2 member update; `trigger_type` 1 keyword, 3 spam,
/// 4 keyword preset, 5 mention spam, 6 member profile. Kept as numbers, as Discord sends
/// them; `trigger_metadata` stays JSON because its shape depends on `trigger_type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoModerationRule {
    /// Its id.
    pub id: Id<AutoModerationRuleMarker>,
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// Name.
    pub name: String,
    /// Who created it.
    pub creator_id: Id<UserMarker>,
    /// When it is checked.
    #[serde(default)]
    pub event_type: u8,
    /// What triggers it.
    #[serde(default)]
    pub trigger_type: u8,
    /// Keywords, patterns, presets, limits: depends on `trigger_type`.
    #[serde(default)]
    pub trigger_metadata: serde_json::Value,
    /// What happens when it triggers.
    #[serde(default)]
    pub actions: Vec<AutoModerationAction>,
    /// Enabled.
    #[serde(default)]
    pub enabled: bool,
    /// Roles it does not apply to (up to 20).
    #[serde(default)]
    pub exempt_roles: Vec<Id<RoleMarker>>,
    /// Channels it does not apply to (up to 50).
    #[serde(default)]
    pub exempt_channels: Vec<Id<ChannelMarker>>,
}

/// One action of a rule: `kind` 1 block message, 2 send alert message, 3 timeout,
/// 4 block member interaction; `metadata` (alert channel, timeout seconds, custom message)
/// depends on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoModerationAction {
    /// Action type.
    #[serde(rename = "type")]
    pub kind: u8,
    /// Action metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Value>,
}
