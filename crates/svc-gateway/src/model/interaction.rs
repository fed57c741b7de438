//! Interactions: what `INTERACTION_CREATE` carries, with its data typed by interaction type.

use std::collections::HashMap;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::channel::Channel;
use super::command::{CommandOptionType, CommandType, InteractionContextType};
use super::component::{Component, ComponentType, text_values};
use super::flags::Permissions;
use super::guild::Role;
use super::id::{
    ApplicationMarker, AttachmentMarker, ChannelMarker, CommandMarker, GuildMarker, Id,
    InteractionMarker, MessageMarker, RoleMarker, UserMarker,
};
use super::member::Member;
use super::message::{Attachment, Message};
use super::user::User;
use super::wire_enum::wire_enum;

wire_enum! {
    /// What started an interaction.
    pub enum InteractionType {
        /// Discord checking an HTTP endpoint (never over the gateway).
        Ping = 1,
        /// A slash or context-menu command.
        ApplicationCommand = 2,
        /// A button click or select menu pick.
        MessageComponent = 3,
        /// The user is typing an option that has autocomplete.
        ApplicationCommandAutocomplete = 4,
        /// A modal was submitted.
        ModalSubmit = 5,
    }
}

/// An interaction: a slash command, a component click, a modal submit… Its `token`
/// answers it for 15 minutes, so `Debug` leaves it out.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "WireInteraction")]
pub struct Interaction {
    /// Its id.
    pub id: Id<InteractionMarker>,
    /// The application.
    pub application_id: Id<ApplicationMarker>,
    /// What started it.
    #[serde(rename = "type")]
    pub kind: InteractionType,
    /// Command, component or modal data, typed by `kind` (see [`InteractionData`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<InteractionData>,
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
    /// The guild's locale.
    #[serde(default)]
    pub guild_locale: Option<String>,
    /// Where it was triggered.
    #[serde(default)]
    pub context: Option<InteractionContextType>,
}

impl std::fmt::Debug for Interaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interaction")
            .field("id", &self.id)
            .field("application_id", &self.application_id)
            .field("kind", &self.kind)
            .field("data", &self.data)
            .field("guild_id", &self.guild_id)
            .field("channel_id", &self.channel_id())
            .field("member", &self.member)
            .field("user", &self.user)
            .field("token", &"[redacted]")
            .field("message", &self.message.as_ref().map(|m| m.id))
            .field("app_permissions", &self.app_permissions)
            .field("locale", &self.locale)
            .field("context", &self.context)
            .finish_non_exhaustive()
    }
}

impl Interaction {
    /// Who triggered it: the member's user in guilds, the user in DMs.
    pub fn author(&self) -> Option<&User> {
        self.member
            .as_ref()
            .and_then(|m| m.user.as_ref())
            .or(self.user.as_ref())
    }

    /// The channel it was triggered in.
    pub fn channel_id(&self) -> Option<Id<ChannelMarker>> {
        self.channel_id.or(self.channel.as_ref().map(|c| c.id))
    }

    /// Command data (slash, context-menu and autocomplete interactions).
    pub fn command_data(&self) -> Option<&CommandData> {
        match &self.data {
            Some(InteractionData::Command(data)) => Some(data),
            _ => None,
        }
    }

    /// Component data (button clicks, select picks).
    pub fn component_data(&self) -> Option<&ComponentData> {
        match &self.data {
            Some(InteractionData::Component(data)) => Some(data),
            _ => None,
        }
    }

    /// Modal submit data.
    pub fn modal_data(&self) -> Option<&ModalSubmitData> {
        match &self.data {
            Some(InteractionData::ModalSubmit(data)) => Some(data),
            _ => None,
        }
    }
}

/// `data` as it arrives, before it is typed by the interaction's `type`.
#[derive(Deserialize)]
struct WireInteraction {
    id: Id<InteractionMarker>,
    application_id: Id<ApplicationMarker>,
    #[serde(rename = "type")]
    kind: InteractionType,
    #[serde(default)]
    data: Option<serde_json::Value>,
    #[serde(default)]
    guild_id: Option<Id<GuildMarker>>,
    #[serde(default)]
    channel: Option<Channel>,
    #[serde(default)]
    channel_id: Option<Id<ChannelMarker>>,
    #[serde(default)]
    member: Option<Member>,
    #[serde(default)]
    user: Option<User>,
    token: String,
    #[serde(default)]
    version: u8,
    #[serde(default)]
    message: Option<Box<Message>>,
    #[serde(default)]
    app_permissions: Option<Permissions>,
    #[serde(default)]
    locale: Option<String>,
    #[serde(default)]
    guild_locale: Option<String>,
    #[serde(default)]
    context: Option<InteractionContextType>,
}

impl From<WireInteraction> for Interaction {
    fn from(wire: WireInteraction) -> Self {
        Self {
            id: wire.id,
            application_id: wire.application_id,
            kind: wire.kind,
            data: wire
                .data
                .map(|data| InteractionData::typed(wire.kind, data)),
            guild_id: wire.guild_id,
            channel: wire.channel,
            channel_id: wire.channel_id,
            member: wire.member,
            user: wire.user,
            token: wire.token,
            version: wire.version,
            message: wire.message,
            app_permissions: wire.app_permissions,
            locale: wire.locale,
            guild_locale: wire.guild_locale,
            context: wire.context,
        }
    }
}

/// An interaction's `data`, typed by the interaction's type. A shape this crate cannot read
/// stays [`InteractionData::Unknown`] instead of failing the whole event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum InteractionData {
    /// Slash, context-menu and autocomplete interactions.
    Command(Box<CommandData>),
    /// Component interactions.
    Component(Box<ComponentData>),
    /// Modal submits.
    ModalSubmit(Box<ModalSubmitData>),
    /// Anything else, as JSON.
    Unknown(serde_json::Value),
}

impl InteractionData {
    fn typed(kind: InteractionType, data: serde_json::Value) -> Self {
        let typed = match kind {
            InteractionType::ApplicationCommand
            | InteractionType::ApplicationCommandAutocomplete => {
                CommandData::deserialize(&data).map(|d| Self::Command(Box::new(d)))
            }
            InteractionType::MessageComponent => {
                ComponentData::deserialize(&data).map(|d| Self::Component(Box::new(d)))
            }
            InteractionType::ModalSubmit => {
                ModalSubmitData::deserialize(&data).map(|d| Self::ModalSubmit(Box::new(d)))
            }
            _ => return Self::Unknown(data),
        };
        typed.unwrap_or_else(|error| {
            tracing::warn!(%error, ?kind, "interaction data did not decode; kept as JSON");
            Self::Unknown(data)
        })
    }
}

impl Serialize for InteractionData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Command(data) => data.serialize(serializer),
            Self::Component(data) => data.serialize(serializer),
            Self::ModalSubmit(data) => data.serialize(serializer),
            Self::Unknown(data) => data.serialize(serializer),
        }
    }
}

/// Marks the target id of a context-menu command: a user's or a message's id by the
/// command's type ([`CommandData::target_user`], [`CommandData::target_message`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TargetMarker;

/// The data of a command (or autocomplete) interaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandData {
    /// The command's id.
    pub id: Id<CommandMarker>,
    /// The command's name.
    pub name: String,
    /// Slash or context-menu.
    #[serde(rename = "type", default)]
    pub kind: CommandType,
    /// The users, members, roles, channels, messages and attachments the options name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Resolved>,
    /// The options the user gave (subcommands nest theirs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<CommandDataOption>,
    /// The guild of a guild command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guild_id: Option<Id<GuildMarker>>,
    /// The user or message a context-menu command was used on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<Id<TargetMarker>>,
}

impl CommandData {
    /// The target of a user command.
    pub fn target_user(&self) -> Option<Id<UserMarker>> {
        (self.kind == CommandType::User)
            .then_some(self.target_id?)
            .map(Id::cast)
    }

    /// The target of a message command.
    pub fn target_message(&self) -> Option<Id<MessageMarker>> {
        (self.kind == CommandType::Message)
            .then_some(self.target_id?)
            .map(Id::cast)
    }
}

/// One option the user gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandDataOption {
    /// The option's name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: CommandOptionType,
    /// Its value (absent for subcommands and groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<OptionValue>,
    /// A subcommand's options, a group's subcommand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<CommandDataOption>,
    /// The option being typed (autocomplete only; its value is the partial text).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub focused: bool,
}

/// An option's value as sent: text (also ids of users, channels, roles, mentionables and
/// attachments, and every focused autocomplete value), an integer, a number or a boolean.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    /// Text or a snowflake.
    String(String),
    /// An integer.
    Integer(i64),
    /// A number.
    Number(f64),
    /// A boolean.
    Boolean(bool),
}

impl Serialize for OptionValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::String(v) => serializer.serialize_str(v),
            Self::Integer(v) => serializer.serialize_i64(*v),
            Self::Number(v) => serializer.serialize_f64(*v),
            Self::Boolean(v) => serializer.serialize_bool(*v),
        }
    }
}

struct OptionValueVisitor;

impl Visitor<'_> for OptionValueVisitor {
    type Value = OptionValue;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string, number or boolean")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(OptionValue::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(OptionValue::String(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(OptionValue::Integer(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        // Discord keeps integers within ±2^53; a bigger one is kept as a number.
        Ok(i64::try_from(v).map_or(OptionValue::Number(v as f64), OptionValue::Integer))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(OptionValue::Number(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(OptionValue::Boolean(v))
    }
}

impl<'de> Deserialize<'de> for OptionValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OptionValueVisitor)
    }
}

/// The objects an interaction's options (or select menu picks) name, by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Resolved {
    /// Users.
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub users: HashMap<Id<UserMarker>, User>,
    /// Their members (without `user`, `deaf` and `mute`), in guilds.
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub members: HashMap<Id<UserMarker>, Member>,
    /// Roles.
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub roles: HashMap<Id<RoleMarker>, Role>,
    /// Partial channels (id, name, type, permissions, thread metadata, parent).
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub channels: HashMap<Id<ChannelMarker>, Channel>,
    /// Messages (a message command's target).
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub messages: HashMap<Id<MessageMarker>, Message>,
    /// Attachments.
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub attachments: HashMap<Id<AttachmentMarker>, Attachment>,
}

/// The data of a component interaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentData {
    /// The component's `custom_id`.
    pub custom_id: String,
    /// Its type.
    pub component_type: ComponentType,
    /// What was picked in a select menu (option values, or ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// The users, roles and channels picked in an auto-populated select menu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Resolved>,
}

/// The data of a modal submit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModalSubmitData {
    /// The modal's `custom_id`.
    pub custom_id: String,
    /// Its rows with the text inputs' values.
    #[serde(default)]
    pub components: Vec<Component>,
}

impl ModalSubmitData {
    /// What the user typed in the text input `custom_id`.
    pub fn value(&self, custom_id: &str) -> Option<&str> {
        text_values(&self.components).find_map(|(id, value)| (id == custom_id).then_some(value))
    }

    /// Every text input's `(custom_id, value)`.
    pub fn values(&self) -> impl Iterator<Item = (&str, &str)> {
        text_values(&self.components)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn interaction(kind: u8, data: &serde_json::Value) -> Interaction {
        let mut raw = serde_json::json!({
            "id": "1", "application_id": "2", "type": kind, "token": "t", "version": 1,
            "data": data,
        })
        .to_string()
        .into_bytes();
        simd_json::serde::from_slice(&mut raw).unwrap()
    }

    #[test]
    fn data_is_typed_by_interaction_type() {
        let command = interaction(
            2,
            &serde_json::json!({
                "id": "3", "name": "ban", "type": 1,
                "options": [{"name": "target", "type": 6, "value": "42"}, {"name": "days", "type": 4, "value": 3}],
                "resolved": {"users": {"42": {"id": "42", "username": "ana"}}},
            }),
        );
        let data = command.command_data().unwrap();
        assert_eq!(
            data.options[0].value,
            Some(OptionValue::String("42".into()))
        );
        assert_eq!(data.options[1].value, Some(OptionValue::Integer(3)));
        assert!(
            data.resolved.as_ref().unwrap().users[&Id::new(42)].username == "ana",
            "resolved users keyed by id"
        );

        let component = interaction(
            3,
            &serde_json::json!({"custom_id": "vote:yes", "component_type": 2}),
        );
        assert_eq!(component.component_data().unwrap().custom_id, "vote:yes");

        let modal = interaction(
            5,
            &serde_json::json!({"custom_id": "f", "components": [{"type": 1, "components": [{"type": 4, "custom_id": "a", "value": "b"}]}]}),
        );
        assert_eq!(modal.modal_data().unwrap().value("a"), Some("b"));
    }

    #[test]
    fn debug_leaves_the_token_out() {
        let mut raw = serde_json::json!({
            "id": "1", "application_id": "2", "type": 3, "token": "secret-interaction-token",
        })
        .to_string()
        .into_bytes();
        let interaction: Interaction = simd_json::serde::from_slice(&mut raw).unwrap();
        let shown = format!("{interaction:?}");
        assert!(!shown.contains("secret-interaction-token"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn unreadable_data_is_kept_as_json() {
        let odd = interaction(2, &serde_json::json!({"name": 5}));
        assert!(matches!(odd.data, Some(InteractionData::Unknown(_))));
        let future = interaction(9, &serde_json::json!({"x": 1}));
        assert_eq!(future.kind, InteractionType::Unknown(9));
        assert!(matches!(future.data, Some(InteractionData::Unknown(_))));
        let again: Interaction =
            serde_json::from_value(serde_json::to_value(&future).unwrap()).unwrap();
        assert_eq!(again, future);
    }

    #[test]
    fn context_menu_targets_are_cast_by_command_type() {
        let user = interaction(
            2,
            &serde_json::json!({"id": "3", "name": "Report", "type": 2, "target_id": "42"}),
        );
        let data = user.command_data().unwrap();
        assert_eq!(data.target_user(), Some(Id::new(42)));
        assert_eq!(data.target_message(), None);
    }
}
