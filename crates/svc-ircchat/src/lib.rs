#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use svc_helix::AccessToken;

mod client;
pub mod commands;
mod error;
mod irc;
mod message;
mod routine;

pub use client::{
    ChatClient, ChatConfig, ChatConfigBuilder, ChatEvent, ChatPool, Credentials, EventError,
    JoinFailure, Transport,
};
pub use error::{Error, ErrorKind, ParseError, ParseErrorKind};
pub use irc::{IrcMessage, Params, Prefix, TagValue, Tags, TagsIter};
pub use message::{
    Badge, Badges, Cap, ClearChat, ClearMsg, Emote, Emotes, EndOfNames, GlobalUserState, Join,
    Names, Notice, Numeric, Part, Ping, Pong, Privmsg, ReplyParent, RoomState, ServerMessage,
    UserNotice, UserNoticeEvent, UserState, Whisper, emote_text,
};
pub use routine::{Routine, RoutineBuilder, Schedule};
/// The connection settings [`ChatConfigBuilder`] takes, from transport-ws (so users need not
/// depend on it): the reconnect backoff and the TLS roots.
pub use transport_ws::{Backoff, TlsConfig};
