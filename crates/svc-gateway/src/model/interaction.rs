//! Interactions and application commands.

use serde::{Deserialize, Serialize};

use super::channel::Channel;
use super::flags::Permissions;
use super::id::{
    ApplicationMarker, ChannelMarker, CommandMarker, GuildMarker, Id, InteractionMarker,
};
use super::member::Member;
use super::message::Message;
use super::user::User;

/// An interaction: a slash command, a component click, a modal submit…
/// `kind`: 1 ping, 2 application command, 3 component, 4 autocomplete, 5 modal submit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    /// Its id.
    pub id: Id<InteractionMarker>,
    /// The application.
    pub application_id: Id<ApplicationMarker>,
    /// Interaction type.
    #[serde(rename = "type")]
    pub kind: u8,
    /// Command or component data, kept as JSON (its shape depends on `kind`).
    #[serde(default)]
    pub data: Option<serde_json::Value>,
    /// Guild.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
    /// Channel.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// Channel id.
    #[serde(default)]
    pub channel_id: Option<Id<ChannelMarker>>,
    /// Invoking member (guilds).
    #[serde(default)]
    pub member: Option<Member>,
    /// Invoking user (DMs).
    #[serde(default)]
    pub user: Option<User>,
    /// Token for responses and follow-ups (valid 15 minutes).
    pub token: String,
    /// Always 1.
    #[serde(default)]
    pub version: u8,
    /// The message a component was on.
    #[serde(default)]
    pub message: Option<Box<Message>>,
    /// The bot's permissions in the channel.
    #[serde(default)]
    pub app_permissions: Option<Permissions>,
    /// The user's locale.
    #[serde(default)]
    pub locale: Option<String>,
}

/// An application command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Command {
    /// Its id (absent when creating).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id<CommandMarker>>,
    /// 1 chat input, 2 user, 3 message.
    #[serde(rename = "type", default = "chat_input")]
    pub kind: u8,
    /// The application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<Id<ApplicationMarker>>,
    /// Guild, for guild commands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guild_id: Option<Id<GuildMarker>>,
    /// Name (1–32 chars).
    pub name: String,
    /// Description (1–100 chars; empty for user/message commands).
    #[serde(default)]
    pub description: String,
    /// Options, as JSON.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<serde_json::Value>,
}

fn chat_input() -> u8 {
    1
}

impl Command {
    /// A chat-input (slash) command with no options.
    pub fn chat_input(name: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            id: None,
            kind: 1,
            application_id: None,
            guild_id: None,
            name: name.into(),
            description: description.into(),
            options: Vec::new(),
        }
    }
}

/// The application a bot belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// Its id.
    pub id: Id<ApplicationMarker>,
    /// Name (absent in READY's partial application).
    #[serde(default)]
    pub name: Option<String>,
    /// Flags.
    #[serde(default)]
    pub flags: Option<u64>,
    /// Owner.
    #[serde(default)]
    pub owner: Option<User>,
    /// Whether anyone can invite the bot.
    #[serde(default)]
    pub bot_public: Option<bool>,
}
