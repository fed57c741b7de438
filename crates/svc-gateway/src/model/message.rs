//! Messages, attachments, embeds, reactions.

use serde::{Deserialize, Serialize};

use super::guild::Emoji;
use super::id::{
    AttachmentMarker, ChannelMarker, GuildMarker, Id, MessageMarker, RoleMarker, WebhookMarker,
};
use super::member::Member;
use super::timestamp::Timestamp;
use super::user::User;

/// A message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Its id.
    pub id: Id<MessageMarker>,
    /// Channel.
    pub channel_id: Id<ChannelMarker>,
    /// Guild (gateway events only).
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
    /// Author.
    pub author: User,
    /// The author as a member (guild gateway events; no `user` inside).
    #[serde(default)]
    pub member: Option<Member>,
    /// Text (empty without the MESSAGE_CONTENT intent).
    #[serde(default)]
    pub content: String,
    /// Sent at.
    pub timestamp: Timestamp,
    /// Last edited at.
    #[serde(default)]
    pub edited_timestamp: Option<Timestamp>,
    /// Text-to-speech.
    #[serde(default)]
    pub tts: bool,
    /// Mentions @everyone.
    #[serde(default)]
    pub mention_everyone: bool,
    /// Mentioned users.
    #[serde(default)]
    pub mentions: Vec<User>,
    /// Mentioned roles.
    #[serde(default)]
    pub mention_roles: Vec<Id<RoleMarker>>,
    /// Attachments.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Embeds.
    #[serde(default)]
    pub embeds: Vec<Embed>,
    /// Reactions.
    #[serde(default)]
    pub reactions: Vec<Reaction>,
    /// Pinned.
    #[serde(default)]
    pub pinned: bool,
    /// Sent by a webhook.
    #[serde(default)]
    pub webhook_id: Option<Id<WebhookMarker>>,
    /// Message type (0 default, 19 reply…).
    #[serde(rename = "type", default)]
    pub kind: u8,
    /// Flags.
    #[serde(default)]
    pub flags: u64,
    /// Reply reference.
    #[serde(default)]
    pub message_reference: Option<MessageReference>,
}

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Its id.
    pub id: Id<AttachmentMarker>,
    /// File name.
    pub filename: String,
    /// Size in bytes.
    #[serde(default)]
    pub size: u64,
    /// CDN URL.
    pub url: String,
    /// MIME type.
    #[serde(default)]
    pub content_type: Option<String>,
}

/// A rich embed (the commonly used fields).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Embed {
    /// Embed type (`"rich"` for bot and webhook embeds; `"image"`, `"video"`, `"link"`… for
    /// link previews).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<u32>,
    /// Fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<EmbedField>,
}

/// One embed field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedField {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
    /// Shown inline.
    #[serde(default)]
    pub inline: bool,
}

/// A reaction count on a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    /// How many.
    pub count: u64,
    /// Whether the bot reacted.
    #[serde(default)]
    pub me: bool,
    /// Which emoji.
    pub emoji: Emoji,
}

/// What a message replies to or crossposts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageReference {
    /// Referenced message.
    #[serde(default)]
    pub message_id: Option<Id<MessageMarker>>,
    /// Its channel.
    #[serde(default)]
    pub channel_id: Option<Id<ChannelMarker>>,
    /// Its guild.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
}
