//! The Rust types an option can parse into ([`OptionType`]) and a context-menu target can
//! ([`CommandTarget`]), with the resolved data Discord sends beside the ids.

use super::option_error::OptionErrorKind;
use crate::model::{
    Attachment, AttachmentMarker, Channel, ChannelMarker, CommandOption, CommandOptionType,
    CommandType, Id, Member, Message, MessageMarker, OptionValue, Resolved, Role, RoleMarker,
    TargetMarker, User, UserMarker,
};

/// A type a command option parses into, and how it is declared.
///
/// Implemented for `String`, the integer types (narrower ones declare their range, so
/// Discord enforces it), `f64`, `bool`, users ([`ResolvedUser`], [`User`], ids), channels,
/// roles, [`Mentionable`], attachments, and by `#[derive(CommandOption)]` for choice enums.
pub trait OptionType: Sized {
    /// The option type Discord shows the user.
    const KIND: CommandOptionType;

    /// Parses a value (with the interaction's resolved data).
    fn from_option(
        value: &OptionValue,
        resolved: Option<&Resolved>,
    ) -> Result<Self, OptionErrorKind>;

    /// Adds what the type implies to its declaration (choices, integer range). Explicit
    /// attributes are applied after, so they win.
    fn describe(option: CommandOption) -> CommandOption {
        option
    }
}

impl OptionType for String {
    const KIND: CommandOptionType = CommandOptionType::String;

    fn from_option(value: &OptionValue, _: Option<&Resolved>) -> Result<Self, OptionErrorKind> {
        match value {
            OptionValue::String(text) => Ok(text.clone()),
            _ => Err(OptionErrorKind::BadValue),
        }
    }
}

impl OptionType for i64 {
    const KIND: CommandOptionType = CommandOptionType::Integer;

    fn from_option(value: &OptionValue, _: Option<&Resolved>) -> Result<Self, OptionErrorKind> {
        match value {
            OptionValue::Integer(value) => Ok(*value),
            _ => Err(OptionErrorKind::BadValue),
        }
    }
}

/// Discord's integers stay within ±2^53.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

macro_rules! narrow_integers {
    ($($ty:ty),*) => {
        $(
            impl OptionType for $ty {
                const KIND: CommandOptionType = CommandOptionType::Integer;

                fn from_option(value: &OptionValue, resolved: Option<&Resolved>) -> Result<Self, OptionErrorKind> {
                    let wide = i64::from_option(value, resolved)?;
                    <$ty>::try_from(wide).map_err(|_| OptionErrorKind::OutOfRange)
                }

                fn describe(option: CommandOption) -> CommandOption {
                    #[allow(clippy::cast_lossless, clippy::cast_possible_wrap)] // clamped into Discord's range
                    let (min, max) = (
                        (<$ty>::MIN as i128).max(-(MAX_SAFE_INTEGER as i128)) as i64,
                        (<$ty>::MAX as i128).min(MAX_SAFE_INTEGER as i128) as i64,
                    );
                    option.min_value(min).max_value(max)
                }
            }
        )*
    };
}

narrow_integers!(i8, i16, i32, u8, u16, u32, u64, usize);

impl OptionType for f64 {
    const KIND: CommandOptionType = CommandOptionType::Number;

    fn from_option(value: &OptionValue, _: Option<&Resolved>) -> Result<Self, OptionErrorKind> {
        match value {
            OptionValue::Number(value) => Ok(*value),
            // A whole number comes as a JSON integer.
            OptionValue::Integer(value) => Ok(*value as f64),
            _ => Err(OptionErrorKind::BadValue),
        }
    }
}

impl OptionType for bool {
    const KIND: CommandOptionType = CommandOptionType::Boolean;

    fn from_option(value: &OptionValue, _: Option<&Resolved>) -> Result<Self, OptionErrorKind> {
        match value {
            OptionValue::Boolean(value) => Ok(*value),
            _ => Err(OptionErrorKind::BadValue),
        }
    }
}

/// The id an option of a snowflake type carries.
fn snowflake<T>(value: &OptionValue) -> Result<Id<T>, OptionErrorKind> {
    match value {
        OptionValue::String(text) => text.parse().map_err(|_| OptionErrorKind::BadValue),
        OptionValue::Integer(value) => u64::try_from(*value)
            .map(Id::new)
            .map_err(|_| OptionErrorKind::BadValue),
        _ => Err(OptionErrorKind::BadValue),
    }
}

/// A user as an option or target names them: the user and, in guilds, their member
/// (without `user`, `deaf` and `mute`).
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedUser {
    /// The user.
    pub user: User,
    /// Their member, when used in a guild they are in.
    pub member: Option<Member>,
}

impl ResolvedUser {
    fn resolve(id: Id<UserMarker>, resolved: Option<&Resolved>) -> Result<Self, OptionErrorKind> {
        let resolved = resolved.ok_or(OptionErrorKind::Unresolved)?;
        let user = resolved
            .users
            .get(&id)
            .cloned()
            .ok_or(OptionErrorKind::Unresolved)?;
        Ok(Self {
            user,
            member: resolved.members.get(&id).cloned(),
        })
    }
}

/// A user or a role, from a mentionable option.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // made once per interaction; a box would only add a hop
pub enum Mentionable {
    /// A user.
    User(ResolvedUser),
    /// A role.
    Role(Role),
}

/// Defines the snowflake option types: the id alone, and the resolved object.
macro_rules! snowflake_options {
    ($($kind:ident: $marker:ty => $object:ty, |$id:ident, $resolved:ident| $resolve:expr;)*) => {
        $(
            impl OptionType for Id<$marker> {
                const KIND: CommandOptionType = CommandOptionType::$kind;

                fn from_option(value: &OptionValue, _: Option<&Resolved>) -> Result<Self, OptionErrorKind> {
                    snowflake(value)
                }
            }

            impl OptionType for $object {
                const KIND: CommandOptionType = CommandOptionType::$kind;

                fn from_option(value: &OptionValue, resolved: Option<&Resolved>) -> Result<Self, OptionErrorKind> {
                    let $id: Id<$marker> = snowflake(value)?;
                    let $resolved = resolved;
                    $resolve
                }
            }
        )*
    };
}

snowflake_options! {
    User: UserMarker => ResolvedUser, |id, resolved| ResolvedUser::resolve(id, resolved);
    Channel: ChannelMarker => Channel, |id, resolved| resolved
        .and_then(|r| r.channels.get(&id).cloned())
        .ok_or(OptionErrorKind::Unresolved);
    Role: RoleMarker => Role, |id, resolved| resolved
        .and_then(|r| r.roles.get(&id).cloned())
        .ok_or(OptionErrorKind::Unresolved);
    Attachment: AttachmentMarker => Attachment, |id, resolved| resolved
        .and_then(|r| r.attachments.get(&id).cloned())
        .ok_or(OptionErrorKind::Unresolved);
}

impl OptionType for User {
    const KIND: CommandOptionType = CommandOptionType::User;

    fn from_option(
        value: &OptionValue,
        resolved: Option<&Resolved>,
    ) -> Result<Self, OptionErrorKind> {
        ResolvedUser::from_option(value, resolved).map(|r| r.user)
    }
}

impl OptionType for Mentionable {
    const KIND: CommandOptionType = CommandOptionType::Mentionable;

    fn from_option(
        value: &OptionValue,
        resolved: Option<&Resolved>,
    ) -> Result<Self, OptionErrorKind> {
        let id: u64 = snowflake::<()>(value)?.get();
        let roles = resolved.map(|r| &r.roles);
        match roles.and_then(|roles| roles.get(&Id::new(id))) {
            Some(role) => Ok(Self::Role(role.clone())),
            None => ResolvedUser::resolve(Id::new(id), resolved).map(Self::User),
        }
    }
}

/// What a context-menu command's target parses into: [`ResolvedUser`], [`User`] or a user
/// id for user commands; [`Message`] or a message id for message commands.
pub trait CommandTarget: Sized {
    /// The command type whose target this is.
    const COMMAND_TYPE: CommandType;

    /// Reads the target (with the interaction's resolved data).
    fn from_target(
        target: Id<TargetMarker>,
        resolved: Option<&Resolved>,
    ) -> Result<Self, OptionErrorKind>;
}

impl CommandTarget for ResolvedUser {
    const COMMAND_TYPE: CommandType = CommandType::User;

    fn from_target(
        target: Id<TargetMarker>,
        resolved: Option<&Resolved>,
    ) -> Result<Self, OptionErrorKind> {
        Self::resolve(target.cast(), resolved)
    }
}

impl CommandTarget for User {
    const COMMAND_TYPE: CommandType = CommandType::User;

    fn from_target(
        target: Id<TargetMarker>,
        resolved: Option<&Resolved>,
    ) -> Result<Self, OptionErrorKind> {
        ResolvedUser::resolve(target.cast(), resolved).map(|r| r.user)
    }
}

impl CommandTarget for Id<UserMarker> {
    const COMMAND_TYPE: CommandType = CommandType::User;

    fn from_target(
        target: Id<TargetMarker>,
        _: Option<&Resolved>,
    ) -> Result<Self, OptionErrorKind> {
        Ok(target.cast())
    }
}

impl CommandTarget for Message {
    const COMMAND_TYPE: CommandType = CommandType::Message;

    fn from_target(
        target: Id<TargetMarker>,
        resolved: Option<&Resolved>,
    ) -> Result<Self, OptionErrorKind> {
        resolved
            .and_then(|r| r.messages.get(&target.cast()).cloned())
            .ok_or(OptionErrorKind::Unresolved)
    }
}

impl CommandTarget for Id<MessageMarker> {
    const COMMAND_TYPE: CommandType = CommandType::Message;

    fn from_target(
        target: Id<TargetMarker>,
        _: Option<&Resolved>,
    ) -> Result<Self, OptionErrorKind> {
        Ok(target.cast())
    }
}
