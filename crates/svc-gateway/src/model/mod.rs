//! The Discord data model: typed ids, timestamps, flags and the entities events carry.

mod auto_moderation;
mod channel;
mod channel_type;
mod command;
mod component;
mod flags;
mod guild;
mod id;
mod image_hash;
mod interaction;
mod member;
mod message;
mod presence;
mod scheduled_event;
mod timestamp;
mod user;
mod voice;
mod wire_enum;

pub use auto_moderation::{AutoModerationAction, AutoModerationRule};
pub use channel::{
    Channel, OverwriteTarget, OverwriteTargetMarker, PermissionOverwrite, StageInstance,
    ThreadMember, ThreadMetadata,
};
pub use channel_type::ChannelType;
pub use command::{
    ChoiceValue, Command, CommandNumber, CommandOption, CommandOptionChoice, CommandOptionType,
    CommandType, IntegrationType, InteractionContextType, Localizations,
};
pub use component::{
    ActionRow, Button, ButtonStyle, Component, ComponentType, Modal, SelectDefaultValue,
    SelectMenu, SelectOption, TextInput, TextInputStyle,
};
pub use flags::{Intents, Permissions};
pub use guild::{Ban, Emoji, Guild, GuildCreate, Role, UnavailableGuild};
pub use id::{
    ApplicationMarker, AttachmentMarker, AutoModerationRuleMarker, ChannelMarker, CommandMarker,
    DISCORD_EPOCH_MS, EmojiMarker, GuildMarker, Id, InteractionMarker, MessageMarker, RoleMarker,
    ScheduledEventMarker, StageMarker, UserMarker, WebhookMarker,
};
pub use image_hash::{CDN_URL, ImageHash};
pub use interaction::{
    Application, CommandData, CommandDataOption, ComponentData, Interaction, InteractionData,
    InteractionType, ModalSubmitData, OptionValue, Resolved, TargetMarker,
};
pub use member::Member;
pub use message::{Attachment, Embed, EmbedField, Message, MessageReference, Reaction};
pub use presence::{Activity, Presence, PresenceUser, Status, UpdatePresence};
pub use scheduled_event::{GuildScheduledEvent, ScheduledEventMetadata};
pub use timestamp::Timestamp;
pub use user::User;
pub use voice::VoiceState;
