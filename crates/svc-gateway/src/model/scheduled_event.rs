//! Guild scheduled events (`GUILD_SCHEDULED_EVENT_*`).

use serde::{Deserialize, Serialize};

use super::id::{ChannelMarker, GuildMarker, Id, ScheduledEventMarker, StageMarker, UserMarker};
use super::image_hash::ImageHash;
use super::timestamp::Timestamp;
use super::user::User;

/// A scheduled event in a guild: a stage, voice or external event users can sign up for.
///
/// The small enums stay numbers, as Discord sends them (new values keep decoding):
/// `privacy_level` 2 guild only; `status` 1 scheduled, 2 active, 3 completed, 4 canceled;
/// `entity_type` 1 stage instance, 2 voice, 3 external.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuildScheduledEvent {
    /// Its id.
    pub id: Id<ScheduledEventMarker>,
    /// Guild.
    pub guild_id: Id<GuildMarker>,
    /// The stage or voice channel (`None` for external events).
    #[serde(default)]
    pub channel_id: Option<Id<ChannelMarker>>,
    /// Who created it (absent for events created before October 2021).
    #[serde(default)]
    pub creator_id: Option<Id<UserMarker>>,
    /// Name (1–100 characters).
    pub name: String,
    /// Description (up to 1000 characters).
    #[serde(default)]
    pub description: Option<String>,
    /// When it starts.
    pub scheduled_start_time: Timestamp,
    /// When it ends (required for external events).
    #[serde(default)]
    pub scheduled_end_time: Option<Timestamp>,
    /// Privacy level (2 guild only).
    #[serde(default)]
    pub privacy_level: u8,
    /// Status (1 scheduled, 2 active, 3 completed, 4 canceled).
    #[serde(default)]
    pub status: u8,
    /// Entity type (1 stage instance, 2 voice, 3 external).
    #[serde(default)]
    pub entity_type: u8,
    /// The stage instance it is attached to (a snowflake string on the wire).
    #[serde(default)]
    pub entity_id: Option<Id<StageMarker>>,
    /// Where an external event takes place.
    #[serde(default)]
    pub entity_metadata: Option<ScheduledEventMetadata>,
    /// The creator.
    #[serde(default)]
    pub creator: Option<User>,
    /// Users subscribed (only with `with_user_count` over REST).
    #[serde(default)]
    pub user_count: Option<u64>,
    /// Cover image.
    #[serde(default)]
    pub image: Option<ImageHash>,
}

/// `entity_metadata` of a scheduled event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledEventMetadata {
    /// Location of an external event (1–100 characters).
    #[serde(default)]
    pub location: Option<String>,
}
