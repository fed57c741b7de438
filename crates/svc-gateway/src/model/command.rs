//! Application commands: the definition a bot sends Discord and the object Discord answers
//! with. The builder methods here are the runtime way to define a command; the
//! `interactions` module's derives produce the same values from Rust types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::channel_type::ChannelType;
use super::flags::Permissions;
use super::id::{ApplicationMarker, CommandMarker, GuildMarker, Id};
use super::wire_enum::wire_enum;

/// Text per locale (`"fr"`, `"es-ES"`…), for names, descriptions and choices.
pub type Localizations = BTreeMap<String, String>;

/// The `name_localization` and `description_localization` builders of a command and of an
/// option, which localize the same two fields.
macro_rules! localized {
    () => {
        /// The name in `locale`.
        #[must_use]
        pub fn name_localization(
            mut self,
            locale: impl Into<String>,
            name: impl Into<String>,
        ) -> Self {
            localize(&mut self.name_localizations, locale, name);
            self
        }

        /// The description in `locale`.
        #[must_use]
        pub fn description_localization(
            mut self,
            locale: impl Into<String>,
            description: impl Into<String>,
        ) -> Self {
            localize(&mut self.description_localizations, locale, description);
            self
        }
    };
}

wire_enum! {
    /// What kind of command: a slash command or a context-menu entry.
    #[derive(Default)]
    pub enum CommandType {
        /// A slash command (typed in the chat box).
        #[default]
        ChatInput = 1,
        /// A context-menu entry on a user.
        User = 2,
        /// A context-menu entry on a message.
        Message = 3,
        /// The entry point of an activity.
        PrimaryEntryPoint = 4,
    }
}

wire_enum! {
    /// The type of a command option (and of the value an interaction carries for it).
    pub enum CommandOptionType {
        /// A subcommand: its own options follow.
        SubCommand = 1,
        /// A group of subcommands.
        SubCommandGroup = 2,
        /// Text.
        String = 3,
        /// An integer between -2^53 and 2^53.
        Integer = 4,
        /// True or false.
        Boolean = 5,
        /// A user (with their member in guilds).
        User = 6,
        /// A channel.
        Channel = 7,
        /// A role.
        Role = 8,
        /// A user or a role.
        Mentionable = 9,
        /// A floating-point number between -2^53 and 2^53.
        Number = 10,
        /// An uploaded file.
        Attachment = 11,
    }
}

wire_enum! {
    /// Where a command can be used.
    pub enum InteractionContextType {
        /// In guilds.
        Guild = 0,
        /// In the bot's direct messages.
        BotDm = 1,
        /// In group DMs and DMs other than the bot's (user-installed apps).
        PrivateChannel = 2,
    }
}

wire_enum! {
    /// How an app is installed for a command to be available.
    pub enum IntegrationType {
        /// Installed to a guild.
        GuildInstall = 0,
        /// Installed to a user.
        UserInstall = 1,
    }
}

/// An application command.
///
/// ```
/// use svc_gateway::model::{ChannelType, Command, CommandOption, Permissions};
///
/// let ban = Command::chat_input("ban", "Bans a member")
///     .option(CommandOption::user("target", "Who to ban").required(true))
///     .option(CommandOption::integer("days", "Days of messages to delete").min_value(0).max_value(7))
///     .option(CommandOption::channel("log", "Where to log it").channel_types([ChannelType::GuildText]))
///     .default_member_permissions(Permissions::BAN_MEMBERS);
/// let json = serde_json::to_value(&ban).unwrap();
/// assert_eq!(json["options"][0]["type"], 6);
/// assert_eq!(json["options"][1]["max_value"], 7);
/// assert_eq!(json["default_member_permissions"], "4");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Command {
    /// Its id (absent when creating).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id<CommandMarker>>,
    /// Slash command or context-menu entry.
    #[serde(rename = "type", default)]
    pub kind: CommandType,
    /// The application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<Id<ApplicationMarker>>,
    /// Guild, for guild commands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guild_id: Option<Id<GuildMarker>>,
    /// Name (1–32 chars; lowercase for slash commands).
    pub name: String,
    /// The name per locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_localizations: Option<Localizations>,
    /// Description (1–100 chars; empty for user/message commands).
    #[serde(default)]
    pub description: String,
    /// The description per locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_localizations: Option<Localizations>,
    /// Options (slash commands only; up to 25).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<CommandOption>,
    /// Who may use it by default (`Permissions::empty()`: administrators only; `None`:
    /// everyone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_member_permissions: Option<Permissions>,
    /// Usable in DMs (deprecated by Discord in favour of `contexts`; global commands only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dm_permission: Option<bool>,
    /// Where it can be used (`None`: Discord's default, everywhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contexts: Option<Vec<InteractionContextType>>,
    /// Install types it is available for (`None`: Discord's default, guild installs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_types: Option<Vec<IntegrationType>>,
    /// Age-restricted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nsfw: bool,
    /// Version snowflake Discord bumps on every change (server-set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl Command {
    fn new(kind: CommandType, name: String, description: String) -> Self {
        Self {
            id: None,
            kind,
            application_id: None,
            guild_id: None,
            name,
            name_localizations: None,
            description,
            description_localizations: None,
            options: Vec::new(),
            default_member_permissions: None,
            dm_permission: None,
            contexts: None,
            integration_types: None,
            nsfw: false,
            version: None,
        }
    }

    /// A chat-input (slash) command with no options.
    pub fn chat_input(name: impl Into<String>, description: impl Into<String>) -> Self {
        Self::new(CommandType::ChatInput, name.into(), description.into())
    }

    /// A context-menu command on users (`name` is what the menu shows: any case, spaces).
    pub fn user(name: impl Into<String>) -> Self {
        Self::new(CommandType::User, name.into(), String::new())
    }

    /// A context-menu command on messages.
    pub fn message(name: impl Into<String>) -> Self {
        Self::new(CommandType::Message, name.into(), String::new())
    }

    /// Adds an option (or a subcommand, or a group).
    #[must_use]
    pub fn option(mut self, option: CommandOption) -> Self {
        self.options.push(option);
        self
    }

    /// Adds several options.
    #[must_use]
    pub fn options(mut self, options: impl IntoIterator<Item = CommandOption>) -> Self {
        self.options.extend(options);
        self
    }

    /// Who may use it by default (server admins can change it).
    #[must_use]
    pub fn default_member_permissions(mut self, permissions: Permissions) -> Self {
        self.default_member_permissions = Some(permissions);
        self
    }

    /// Whether it can be used in DMs (deprecated by Discord: prefer [`contexts`](Self::contexts)).
    #[must_use]
    pub fn dm_permission(mut self, allowed: bool) -> Self {
        self.dm_permission = Some(allowed);
        self
    }

    /// Where it can be used.
    #[must_use]
    pub fn contexts(mut self, contexts: impl IntoIterator<Item = InteractionContextType>) -> Self {
        self.contexts = Some(contexts.into_iter().collect());
        self
    }

    /// Install types it is available for.
    #[must_use]
    pub fn integration_types(mut self, types: impl IntoIterator<Item = IntegrationType>) -> Self {
        self.integration_types = Some(types.into_iter().collect());
        self
    }

    /// Marks it age-restricted.
    #[must_use]
    pub fn nsfw(mut self, nsfw: bool) -> Self {
        self.nsfw = nsfw;
        self
    }

    localized!();
}

fn localize(map: &mut Option<Localizations>, locale: impl Into<String>, text: impl Into<String>) {
    map.get_or_insert_with(Localizations::new)
        .insert(locale.into(), text.into());
}

/// One option of a command, or a subcommand / group of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandOption {
    /// Its type.
    #[serde(rename = "type")]
    pub kind: CommandOptionType,
    /// Name (1–32 chars, lowercase).
    pub name: String,
    /// The name per locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_localizations: Option<Localizations>,
    /// Description (1–100 chars).
    #[serde(default)]
    pub description: String,
    /// The description per locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_localizations: Option<Localizations>,
    /// Must be given (required options come before optional ones).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// The only values allowed (up to 25; strings, integers and numbers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<CommandOptionChoice>,
    /// The options of a subcommand, or the subcommands of a group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<CommandOption>,
    /// The channel types a channel option accepts (empty: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channel_types: Vec<ChannelType>,
    /// Lowest integer or number accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<CommandNumber>,
    /// Highest integer or number accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<CommandNumber>,
    /// Shortest string accepted (0–6000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u16>,
    /// Longest string accepted (1–6000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u16>,
    /// Suggestions come from the bot as the user types (not with `choices`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub autocomplete: bool,
}

macro_rules! option_constructors {
    ($($(#[$doc:meta])* $fn:ident => $kind:ident,)*) => {
        $(
            $(#[$doc])*
            pub fn $fn(name: impl Into<String>, description: impl Into<String>) -> Self {
                Self::new(CommandOptionType::$kind, name, description)
            }
        )*
    };
}

impl CommandOption {
    /// An option of `kind`, optional, with nothing else set.
    pub fn new(
        kind: CommandOptionType,
        name: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            name: name.into(),
            name_localizations: None,
            description: description.into(),
            description_localizations: None,
            required: false,
            choices: Vec::new(),
            options: Vec::new(),
            channel_types: Vec::new(),
            min_value: None,
            max_value: None,
            min_length: None,
            max_length: None,
            autocomplete: false,
        }
    }

    option_constructors! {
        /// A text option.
        string => String,
        /// An integer option.
        integer => Integer,
        /// A floating-point option.
        number => Number,
        /// A true/false option.
        boolean => Boolean,
        /// A user option (the interaction resolves the user and, in guilds, the member).
        user => User,
        /// A channel option.
        channel => Channel,
        /// A role option.
        role => Role,
        /// A user-or-role option.
        mentionable => Mentionable,
        /// A file upload.
        attachment => Attachment,
        /// A subcommand; add its options with [`option`](Self::option).
        subcommand => SubCommand,
        /// A group of subcommands; add them with [`option`](Self::option).
        group => SubCommandGroup,
    }

    /// A subcommand (or, when `command`'s options are all subcommands, a group) made of a
    /// whole command definition: how a derived enum nests its variants' commands.
    pub fn from_command(command: Command) -> Self {
        let group = !command.options.is_empty()
            && command
                .options
                .iter()
                .all(|o| o.kind == CommandOptionType::SubCommand);
        let kind = if group {
            CommandOptionType::SubCommandGroup
        } else {
            CommandOptionType::SubCommand
        };
        Self {
            name_localizations: command.name_localizations,
            description_localizations: command.description_localizations,
            options: command.options,
            ..Self::new(kind, command.name, command.description)
        }
    }

    /// Whether it must be given.
    #[must_use]
    pub fn required(mut self, required: bool) -> Self {
        self.required = required;
        self
    }

    /// Adds an allowed value.
    #[must_use]
    pub fn choice(mut self, name: impl Into<String>, value: impl Into<ChoiceValue>) -> Self {
        self.choices.push(CommandOptionChoice::new(name, value));
        self
    }

    /// Adds allowed values.
    #[must_use]
    pub fn choices(mut self, choices: impl IntoIterator<Item = CommandOptionChoice>) -> Self {
        self.choices.extend(choices);
        self
    }

    /// Adds a nested option (to a subcommand) or subcommand (to a group).
    #[must_use]
    pub fn option(mut self, option: CommandOption) -> Self {
        self.options.push(option);
        self
    }

    /// Limits a channel option to these types.
    #[must_use]
    pub fn channel_types(mut self, types: impl IntoIterator<Item = ChannelType>) -> Self {
        self.channel_types.extend(types);
        self
    }

    /// Lowest value accepted.
    #[must_use]
    pub fn min_value(mut self, min: impl Into<CommandNumber>) -> Self {
        self.min_value = Some(min.into());
        self
    }

    /// Highest value accepted.
    #[must_use]
    pub fn max_value(mut self, max: impl Into<CommandNumber>) -> Self {
        self.max_value = Some(max.into());
        self
    }

    /// Shortest text accepted.
    #[must_use]
    pub fn min_length(mut self, min: u16) -> Self {
        self.min_length = Some(min);
        self
    }

    /// Longest text accepted.
    #[must_use]
    pub fn max_length(mut self, max: u16) -> Self {
        self.max_length = Some(max);
        self
    }

    /// Suggestions come from the bot as the user types.
    #[must_use]
    pub fn autocomplete(mut self, autocomplete: bool) -> Self {
        self.autocomplete = autocomplete;
        self
    }

    localized!();
}

/// One allowed value of an option (also an autocomplete suggestion).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandOptionChoice {
    /// What the user sees (1–100 chars).
    pub name: String,
    /// The name per locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_localizations: Option<Localizations>,
    /// What the bot receives.
    pub value: ChoiceValue,
}

impl CommandOptionChoice {
    /// A choice shown as `name`, received as `value`.
    pub fn new(name: impl Into<String>, value: impl Into<ChoiceValue>) -> Self {
        Self {
            name: name.into(),
            name_localizations: None,
            value: value.into(),
        }
    }

    /// The name in `locale`.
    #[must_use]
    pub fn name_localization(mut self, locale: impl Into<String>, name: impl Into<String>) -> Self {
        localize(&mut self.name_localizations, locale, name);
        self
    }
}

/// The value of a choice: text, an integer or a number, by the option's type.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ChoiceValue {
    /// For string options.
    String(String),
    /// For integer options.
    Integer(i64),
    /// For number options.
    Number(f64),
}

/// Numbers compare by value (`1` equals `1.0`): Discord may answer a bound or choice as
/// either.
impl PartialEq for ChoiceValue {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::String(a), Self::String(b)) => a == b,
            (Self::String(_), _) | (_, Self::String(_)) => false,
            (a, b) => a.as_f64() == b.as_f64(),
        }
    }
}

impl ChoiceValue {
    fn as_f64(&self) -> Option<f64> {
        match self {
            Self::String(_) => None,
            Self::Integer(v) => Some(*v as f64),
            Self::Number(v) => Some(*v),
        }
    }
}

impl From<&str> for ChoiceValue {
    fn from(value: &str) -> Self {
        Self::String(value.to_owned())
    }
}

impl From<String> for ChoiceValue {
    fn from(value: String) -> Self {
        Self::String(value)
    }
}

impl From<i64> for ChoiceValue {
    fn from(value: i64) -> Self {
        Self::Integer(value)
    }
}

impl From<i32> for ChoiceValue {
    fn from(value: i32) -> Self {
        Self::Integer(value.into())
    }
}

impl From<f64> for ChoiceValue {
    fn from(value: f64) -> Self {
        Self::Number(value)
    }
}

/// A bound of an integer or number option (`min_value`, `max_value`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CommandNumber {
    /// An integer bound.
    Integer(i64),
    /// A fractional bound.
    Number(f64),
}

impl CommandNumber {
    /// The bound as a float.
    pub fn as_f64(self) -> f64 {
        match self {
            Self::Integer(v) => v as f64,
            Self::Number(v) => v,
        }
    }
}

/// By value (`1` equals `1.0`).
impl PartialEq for CommandNumber {
    fn eq(&self, other: &Self) -> bool {
        self.as_f64() == other.as_f64()
    }
}

impl From<i64> for CommandNumber {
    fn from(value: i64) -> Self {
        Self::Integer(value)
    }
}

impl From<i32> for CommandNumber {
    fn from(value: i32) -> Self {
        Self::Integer(value.into())
    }
}

impl From<u32> for CommandNumber {
    fn from(value: u32) -> Self {
        Self::Integer(value.into())
    }
}

impl From<f64> for CommandNumber {
    fn from(value: f64) -> Self {
        Self::Number(value)
    }
}
