//! The Discord data model: typed ids, timestamps, flags and the entities events carry.

mod channel;
mod flags;
mod guild;
mod id;
mod image_hash;
mod interaction;
mod member;
mod message;
mod presence;
mod timestamp;
mod user;
mod voice;

pub use channel::{
    Channel, OverwriteTarget, OverwriteTargetMarker, PermissionOverwrite, StageInstance,
    ThreadMember, ThreadMetadata,
};
pub use flags::{Intents, Permissions};
pub use guild::{Ban, Emoji, Guild, GuildCreate, Role, UnavailableGuild};
pub use id::{
    ApplicationMarker, AttachmentMarker, ChannelMarker, CommandMarker, DISCORD_EPOCH_MS,
    EmojiMarker, GuildMarker, Id, InteractionMarker, MessageMarker, RoleMarker, StageMarker,
    UserMarker, WebhookMarker,
};
pub use image_hash::{CDN_URL, ImageHash};
pub use interaction::{Application, Command, Interaction};
pub use member::Member;
pub use message::{Attachment, Embed, EmbedField, Message, MessageReference, Reaction};
pub use presence::{Activity, Presence, PresenceUser, Status, UpdatePresence};
pub use timestamp::Timestamp;
pub use user::User;
pub use voice::VoiceState;
