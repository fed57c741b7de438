//! Typed server messages: [`ServerMessage`] and one struct per command.

mod badge;
mod connection;
mod emote;
mod membership;
mod moderation;
mod notice;
pub(crate) mod owned;
pub(crate) mod privmsg;
mod state;
mod usernotice;
mod util;

use std::borrow::Cow;

pub use badge::{Badge, Badges};
pub use connection::{Cap, Numeric, Ping, Pong};
pub use emote::{Emote, Emotes, emote_text};
pub use membership::{EndOfNames, Join, Names, Part};
pub use moderation::{ClearChat, ClearMsg};
pub use notice::{Notice, Whisper};
pub use privmsg::{Privmsg, ReplyParent};
pub use state::{GlobalUserState, RoomState, UserState};
pub use usernotice::{UserNotice, UserNoticeEvent};

use crate::irc::message::Parts;
use crate::{IrcMessage, ParseError};

/// A message from Twitch chat, typed by command. Commands without a type stay available as
/// the raw [`IrcMessage`] in [`ServerMessage::Other`].
///
/// Conversion reads every tag once and copies nothing: string fields borrow from the line
/// and tag values stay escaped until asked for. [`into_owned`](Self::into_owned) gives a
/// `'static` copy.
///
/// ```
/// use svc_ircchat::{IrcMessage, ServerMessage};
///
/// let line = "@badges=moderator/1;color=#1E90FF;display-name=Ronni;emotes=25:0-4;id=abc;mod=1;room-id=1;tmi-sent-ts=1;user-id=2 :ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #dallas :Kappa hi";
/// let ServerMessage::Privmsg(msg) = ServerMessage::try_from(IrcMessage::parse(line)?)? else { unreachable!() };
/// assert_eq!(msg.channel_login, "dallas");
/// assert_eq!(msg.text, "Kappa hi");
/// assert!(msg.badges.has("moderator"));
/// assert_eq!(msg.emotes.iter().next().unwrap().ranges().next(), Some(0..=4));
/// # Ok::<(), svc_ircchat::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerMessage<'a> {
    /// A chat message.
    Privmsg(Privmsg<'a>),
    /// A sub, gift, raid, announcement, ….
    UserNotice(UserNotice<'a>),
    /// Chat cleared, or a user banned / timed out.
    ClearChat(ClearChat<'a>),
    /// A message deleted.
    ClearMsg(ClearMsg<'a>),
    /// Channel settings.
    RoomState(RoomState<'a>),
    /// Our standing in a channel.
    UserState(UserState<'a>),
    /// Who we are.
    GlobalUserState(GlobalUserState<'a>),
    /// A server notice.
    Notice(Notice<'a>),
    /// A whisper.
    Whisper(Whisper<'a>),
    /// Someone joined.
    Join(Join<'a>),
    /// Someone left.
    Part(Part<'a>),
    /// `353`: chatter names.
    Names(Names<'a>),
    /// `366`: end of names.
    EndOfNames(EndOfNames<'a>),
    /// Server PING: answer with PONG.
    Ping(Ping<'a>),
    /// The answer to our PING.
    Pong(Pong<'a>),
    /// The server is about to restart: reconnect and rejoin.
    Reconnect,
    /// A numeric reply 001–376.
    Numeric(Numeric<'a>),
    /// A capability answer.
    Cap(Cap<'a>),
    /// Anything else, untyped.
    Other(IrcMessage<'a>),
}

impl<'a> TryFrom<IrcMessage<'a>> for ServerMessage<'a> {
    type Error = ParseError;

    fn try_from(message: IrcMessage<'a>) -> Result<Self, ParseError> {
        let typed = match message.raw_cow() {
            Cow::Borrowed(raw) => {
                let raw: &'a str = raw;
                convert(&message.spans.parts(raw))?
            }
            Cow::Owned(raw) => convert(&message.spans.parts(raw))?.map(ServerMessage::into_owned),
        };
        Ok(typed.unwrap_or(ServerMessage::Other(message)))
    }
}

impl ServerMessage<'_> {
    /// Parses one line straight into a typed message.
    pub fn parse(line: &str) -> Result<ServerMessage<'_>, ParseError> {
        ServerMessage::try_from(IrcMessage::parse(line)?)
    }

    /// A copy that owns all its text.
    pub fn into_owned(self) -> ServerMessage<'static> {
        match self {
            Self::Privmsg(m) => ServerMessage::Privmsg(m.into_owned()),
            Self::UserNotice(m) => ServerMessage::UserNotice(m.into_owned()),
            Self::ClearChat(m) => ServerMessage::ClearChat(m.into_owned()),
            Self::ClearMsg(m) => ServerMessage::ClearMsg(m.into_owned()),
            Self::RoomState(m) => ServerMessage::RoomState(m.into_owned()),
            Self::UserState(m) => ServerMessage::UserState(m.into_owned()),
            Self::GlobalUserState(m) => ServerMessage::GlobalUserState(m.into_owned()),
            Self::Notice(m) => ServerMessage::Notice(m.into_owned()),
            Self::Whisper(m) => ServerMessage::Whisper(m.into_owned()),
            Self::Join(m) => ServerMessage::Join(m.into_owned()),
            Self::Part(m) => ServerMessage::Part(m.into_owned()),
            Self::Names(m) => ServerMessage::Names(m.into_owned()),
            Self::EndOfNames(m) => ServerMessage::EndOfNames(m.into_owned()),
            Self::Ping(m) => ServerMessage::Ping(m.into_owned()),
            Self::Pong(m) => ServerMessage::Pong(m.into_owned()),
            Self::Reconnect => ServerMessage::Reconnect,
            Self::Numeric(m) => ServerMessage::Numeric(m.into_owned()),
            Self::Cap(m) => ServerMessage::Cap(m.into_owned()),
            Self::Other(m) => ServerMessage::Other(m.into_owned()),
        }
    }

    /// The channel the message is about, if any.
    pub fn channel_login(&self) -> Option<&str> {
        match self {
            Self::Privmsg(m) => Some(&m.channel_login),
            Self::UserNotice(m) => Some(&m.channel_login),
            Self::ClearChat(m) => Some(&m.channel_login),
            Self::ClearMsg(m) => Some(&m.channel_login),
            Self::RoomState(m) => Some(&m.channel_login),
            Self::UserState(m) => Some(&m.channel_login),
            Self::Notice(m) => m.channel_login.as_deref(),
            Self::Join(m) => Some(&m.channel_login),
            Self::Part(m) => Some(&m.channel_login),
            Self::Names(m) => Some(&m.channel_login),
            Self::EndOfNames(m) => Some(&m.channel_login),
            _ => None,
        }
    }
}

/// `Ok(None)` means "no typed form": the caller keeps the raw message.
fn convert<'s>(parts: &Parts<'s>) -> Result<Option<ServerMessage<'s>>, ParseError> {
    Ok(Some(match parts.command {
        "PRIVMSG" => ServerMessage::Privmsg(Privmsg::from_parts(parts)?),
        "USERNOTICE" => ServerMessage::UserNotice(UserNotice::from_parts(parts)?),
        "CLEARCHAT" => ServerMessage::ClearChat(ClearChat::from_parts(parts)?),
        "CLEARMSG" => ServerMessage::ClearMsg(ClearMsg::from_parts(parts)?),
        "ROOMSTATE" => ServerMessage::RoomState(RoomState::from_parts(parts)?),
        "USERSTATE" => ServerMessage::UserState(UserState::from_parts(parts)?),
        "GLOBALUSERSTATE" => ServerMessage::GlobalUserState(GlobalUserState::from_parts(parts)),
        "NOTICE" => ServerMessage::Notice(Notice::from_parts(parts)?),
        "WHISPER" => ServerMessage::Whisper(Whisper::from_parts(parts)?),
        "JOIN" => ServerMessage::Join(Join::from_parts(parts)?),
        "PART" => ServerMessage::Part(Part::from_parts(parts)?),
        "353" => ServerMessage::Names(Names::from_parts(parts)?),
        "366" => ServerMessage::EndOfNames(EndOfNames::from_parts(parts)?),
        "PING" => ServerMessage::Ping(Ping::from_parts(parts)),
        "PONG" => ServerMessage::Pong(Pong::from_parts(parts)),
        "RECONNECT" => ServerMessage::Reconnect,
        "CAP" => ServerMessage::Cap(Cap::from_parts(parts)?),
        command => match command.parse::<u16>() {
            Ok(code @ 1..=376) if command.len() == 3 => {
                ServerMessage::Numeric(Numeric::from_parts(parts, code))
            }
            _ => return Ok(None),
        },
    }))
}
