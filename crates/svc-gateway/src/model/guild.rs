//! Guilds, roles and emojis.

use serde::{Deserialize, Serialize};

use super::channel::Channel;
use super::flags::Permissions;
use super::id::{ChannelMarker, EmojiMarker, GuildMarker, Id, RoleMarker, UserMarker};
use super::image_hash::{ImageHash, cdn_url};
use super::member::Member;
use super::presence::Presence;
use super::timestamp::Timestamp;
use super::voice::VoiceState;

/// A guild as REST returns it and `GUILD_UPDATE` sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Guild {
    /// The guild's id.
    pub id: Id<GuildMarker>,
    /// Name.
    pub name: String,
    /// Icon hash.
    #[serde(default)]
    pub icon: Option<ImageHash>,
    /// Owner.
    #[serde(default)]
    pub owner_id: Option<Id<UserMarker>>,
    /// AFK voice channel.
    #[serde(default)]
    pub afk_channel_id: Option<Id<ChannelMarker>>,
    /// Roles.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Custom emojis.
    #[serde(default)]
    pub emojis: Vec<Emoji>,
    /// Enabled features.
    #[serde(default)]
    pub features: Vec<String>,
    /// Verification level.
    #[serde(default)]
    pub verification_level: u8,
    /// Preferred locale.
    #[serde(default)]
    pub preferred_locale: Option<String>,
    /// Approximate member count (REST `with_counts`).
    #[serde(default)]
    pub approximate_member_count: Option<u64>,
    /// Approximate online count (REST `with_counts`).
    #[serde(default)]
    pub approximate_presence_count: Option<u64>,
}

/// `GUILD_CREATE`: a guild with the gateway-only extras (members, channels, presences…).
///
/// The guild fields are inline rather than a flattened [`Guild`]: serde's `flatten` buffers
/// the whole object first, which would double the cost of the largest payload Discord sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuildCreate {
    /// The guild's id.
    pub id: Id<GuildMarker>,
    /// Name (absent when `unavailable`).
    #[serde(default)]
    pub name: String,
    /// Icon hash.
    #[serde(default)]
    pub icon: Option<ImageHash>,
    /// Owner.
    #[serde(default)]
    pub owner_id: Option<Id<UserMarker>>,
    /// AFK voice channel.
    #[serde(default)]
    pub afk_channel_id: Option<Id<ChannelMarker>>,
    /// Roles.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Custom emojis.
    #[serde(default)]
    pub emojis: Vec<Emoji>,
    /// Enabled features.
    #[serde(default)]
    pub features: Vec<String>,
    /// Verification level.
    #[serde(default)]
    pub verification_level: u8,
    /// Preferred locale.
    #[serde(default)]
    pub preferred_locale: Option<String>,
    /// When the bot joined.
    #[serde(default)]
    pub joined_at: Option<Timestamp>,
    /// Whether this counts as a large guild (members sent partially).
    #[serde(default)]
    pub large: bool,
    /// Whether the guild is unavailable (outage).
    #[serde(default)]
    pub unavailable: bool,
    /// Total members.
    #[serde(default)]
    pub member_count: u64,
    /// Voice states.
    #[serde(default)]
    pub voice_states: Vec<VoiceState>,
    /// Members (all, or online ones for large guilds).
    #[serde(default)]
    pub members: Vec<Member>,
    /// Channels.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Active threads.
    #[serde(default)]
    pub threads: Vec<Channel>,
    /// Presences.
    #[serde(default)]
    pub presences: Vec<Presence>,
    /// Live stages.
    #[serde(default)]
    pub stage_instances: Vec<super::channel::StageInstance>,
}

impl Guild {
    /// The guild icon on the CDN, `size` pixels wide; `None` without one.
    pub fn icon_url(&self, size: u16) -> Option<String> {
        let hash = self.icon.as_ref()?;
        Some(cdn_url(format_args!("icons/{}", self.id), hash, size))
    }
}

impl GuildCreate {
    /// The guild part, as REST would return it.
    pub fn guild(&self) -> Guild {
        Guild {
            id: self.id,
            name: self.name.clone(),
            icon: self.icon.clone(),
            owner_id: self.owner_id,
            afk_channel_id: self.afk_channel_id,
            roles: self.roles.clone(),
            emojis: self.emojis.clone(),
            features: self.features.clone(),
            verification_level: self.verification_level,
            preferred_locale: self.preferred_locale.clone(),
            approximate_member_count: None,
            approximate_presence_count: None,
        }
    }
}

/// A guild known only by id: READY's stubs, `GUILD_DELETE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnavailableGuild {
    /// The guild's id.
    pub id: Id<GuildMarker>,
    /// `true` for an outage; absent (`false`) when the bot was removed.
    #[serde(default)]
    pub unavailable: bool,
}

/// A role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// The role's id.
    pub id: Id<RoleMarker>,
    /// Name.
    pub name: String,
    /// Colour as RGB integer.
    #[serde(default)]
    pub color: u32,
    /// Shown separately in the member list.
    #[serde(default)]
    pub hoist: bool,
    /// Sort position.
    #[serde(default)]
    pub position: i64,
    /// Permissions.
    pub permissions: Permissions,
    /// Managed by an integration.
    #[serde(default)]
    pub managed: bool,
    /// Mentionable.
    #[serde(default)]
    pub mentionable: bool,
}

/// A custom or unicode emoji.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Emoji {
    /// Id (custom emojis only).
    #[serde(default)]
    pub id: Option<Id<EmojiMarker>>,
    /// Name (the character for unicode emojis).
    #[serde(default)]
    pub name: Option<String>,
    /// Animated.
    #[serde(default)]
    pub animated: bool,
}

/// A ban.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ban {
    /// Why.
    #[serde(default)]
    pub reason: Option<String>,
    /// Who.
    pub user: super::user::User,
}
