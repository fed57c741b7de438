//! [`ChatEvent`]: what the client publishes on its event hub.

use core_events::Extract;

use crate::{
    ClearChat, ClearMsg, GlobalUserState, Join, Notice, Part, Privmsg, RoomState, ServerMessage,
    UserNotice, UserState, Whisper,
};

/// An event from the chat client. Listen for one payload type with
/// `client.events().on::<Privmsg<'static>>(…)`, or for everything with `ChatEvent`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[allow(
    clippy::large_enum_variant,
    reason = "nearly every event is a Message; boxing would cost an allocation per line"
)]
pub enum ChatEvent {
    /// Logged in (after every (re)connect); carries the login used.
    Ready {
        /// Our login on this connection.
        login: String,
    },
    /// The connection ended; a reconnect follows unless the client is closing.
    Disconnected {
        /// Why.
        reason: String,
    },
    /// The managed OAuth token (see
    /// [`ChatConfigBuilder::oauth_managed`](crate::ChatConfigBuilder::oauth_managed)) failed
    /// its hourly validation and could not be renewed: it was revoked, or expired without a
    /// refresh token. The current connection stays up; the next login will be refused.
    TokenExpired {
        /// Why (no token value).
        reason: String,
    },
    /// A message from the server.
    Message(ServerMessage<'static>),
    /// A message we sent was not confirmed by Twitch (no USERSTATE) within 10 s, or the
    /// connection dropped before it was and it had already been sent again once: it may or
    /// may not have arrived, and it is not sent again (a server that never confirms would
    /// otherwise get every message again after each reconnect).
    Unconfirmed {
        /// The channel it was sent to.
        channel: String,
        /// Its text.
        text: String,
    },
}

macro_rules! extract {
    ($($variant:ident => $ty:ident),* $(,)?) => {$(
        impl Extract<ChatEvent> for $ty<'static> {
            fn extract(event: ChatEvent) -> Option<Self> {
                match event {
                    ChatEvent::Message(ServerMessage::$variant(m)) => Some(m),
                    _ => None,
                }
            }
        }
    )*};
}

extract!(
    Privmsg => Privmsg,
    UserNotice => UserNotice,
    ClearChat => ClearChat,
    ClearMsg => ClearMsg,
    RoomState => RoomState,
    UserState => UserState,
    GlobalUserState => GlobalUserState,
    Notice => Notice,
    Whisper => Whisper,
    Join => Join,
    Part => Part,
);

impl Extract<ChatEvent> for ServerMessage<'static> {
    fn extract(event: ChatEvent) -> Option<Self> {
        match event {
            ChatEvent::Message(m) => Some(m),
            _ => None,
        }
    }
}
