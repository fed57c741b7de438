//! Twitch chat over IRC: a zero-copy parser for Twitch's IRC lines, typed server messages,
//! and a chat client (WebSocket or TLS TCP) that keeps within Twitch's rate limits and
//! rejoins its channels after every reconnect.
//!
//! The parser is two steps, both without copying: [`IrcMessage::parse`] splits a line into
//! tags, prefix, command and parameters; [`ServerMessage::try_from`] types it by command.
//!
//! ```
//! use svc_ircchat::{IrcMessage, ServerMessage};
//!
//! let line = "@badge-info=;badges=vip/1;color=;display-name=Elle;emotes=;id=1;mod=0;room-id=9;tmi-sent-ts=5;user-id=7 :elle!elle@elle.tmi.twitch.tv PRIVMSG #dallas :\u{1}ACTION waves\u{1}";
//! match ServerMessage::try_from(IrcMessage::parse(line)?)? {
//!     ServerMessage::Privmsg(msg) => {
//!         assert_eq!((&*msg.sender_login, &*msg.text, msg.is_action), ("elle", "waves", true));
//!         assert!(msg.is_privileged());
//!     }
//!     other => panic!("unexpected {other:?}"),
//! }
//! # Ok::<(), svc_ircchat::ParseError>(())
//! ```
//!
//! Modules:
//! - `irc`: [`IrcMessage`], [`Tags`], [`TagValue`], [`Prefix`], [`Params`];
//! - `message`: [`ServerMessage`] and one type per command ([`Privmsg`], [`UserNotice`], …);
//! - `client`: [`ChatClient`], [`ChatPool`], [`ChatConfig`], [`ChatEvent`];
//! - `error`: [`ParseError`] and the client's [`Error`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use svc_helix::AccessToken;

mod client;
mod error;
mod irc;
mod message;

pub use client::{
    ChatClient, ChatConfig, ChatConfigBuilder, ChatEvent, ChatPool, Credentials, Transport,
};
pub use error::{Error, ErrorKind, ParseError, ParseErrorKind};
pub use irc::{IrcMessage, Params, Prefix, TagValue, Tags, TagsIter};
pub use message::{
    Badge, Badges, Cap, ClearChat, ClearMsg, Emote, Emotes, EndOfNames, GlobalUserState, Join,
    Names, Notice, Numeric, Part, Ping, Pong, Privmsg, ReplyParent, RoomState, ServerMessage,
    UserNotice, UserNoticeEvent, UserState, Whisper, emote_text,
};
