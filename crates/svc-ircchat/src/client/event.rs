//! [`ChatEvent`]: what the client publishes on its event hub.

use core_events::Extract;

use crate::client::event_error::EventError;
use crate::client::join_watch::JoinFailure;

use crate::{
    ClearChat, ClearMsg, GlobalUserState, Join, Notice, ParseError, Part, Privmsg, RoomState,
    ServerMessage, UserNotice, UserState, Whisper,
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
        /// The transport error behind it, when there was one (`transport_ws::Error`).
        error: Option<EventError>,
    },
    /// Twitch asked us to reconnect (`RECONNECT`, sent before its servers restart), as
    /// twitchio's `event_reconnect`. The client reconnects and rejoins on its own:
    /// [`Disconnected`](Self::Disconnected) and then [`Ready`](Self::Ready) follow. A dropped
    /// connection is only `Disconnected`.
    Reconnect,
    /// A line from the server could not be parsed (twitchio's `event_error` with the data):
    /// it is skipped and the connection goes on.
    ParseFailed {
        /// The line as received.
        line: String,
        /// Why it could not be parsed.
        error: ParseError,
    },
    /// A JOIN failed (twitchio's `event_channel_join_failure`): Twitch refused it
    /// (suspended channel, ban) or never echoed it. The channel is dropped from
    /// [`ChatClient::channels`](crate::ChatClient::channels), so it is not rejoined after a
    /// reconnect; join it again to retry.
    JoinFailed {
        /// The channel, without `#`.
        channel: String,
        /// Why.
        reason: JoinFailure,
    },
    /// Every line received, before parsing (twitchio's `event_raw_data`); published only
    /// when [`ChatConfigBuilder::raw_lines`](crate::ChatConfigBuilder::raw_lines) is on, so
    /// that clients not listening pay no copy per line and no hub slot.
    Raw(String),
    /// The managed OAuth token (see
    /// [`ChatConfigBuilder::oauth_managed`](crate::ChatConfigBuilder::oauth_managed)) failed
    /// its hourly validation and could not be renewed: it was revoked, or expired without a
    /// refresh token. The current connection stays up; the next login will be refused.
    TokenExpired {
        /// Why (no token value).
        reason: String,
        /// The Helix error behind it (`svc_helix::Error`).
        error: EventError,
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
