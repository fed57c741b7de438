//! Twitch chat over IRC: a zero-copy parser for Twitch's IRC lines, typed server messages,
//! and a chat client that keeps within Twitch's rate limits and rejoins its channels after
//! every reconnect. The connection (WebSocket or TLS TCP, connect timeout, capped lines,
//! reconnect backoff) is transport-ws's; this crate speaks IRC over it.
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
//! ## Coming from twitchio 2
//!
//! twitchio's `Client` is split here in two: chat is [`ChatClient`] (or [`ChatPool`] for many
//! channels), Helix is `svc_helix::HelixClient` with a `svc_helix::TokenManager`.
//!
//! | twitchio 2 | here |
//! |---|---|
//! | `Client(token, initial_channels=…, heartbeat=30)` | [`ChatConfig::builder`]`().oauth(login, token).channels(…).ping_interval(…)` |
//! | `client_secret=` (tokens generated / refreshed for you) | [`ChatConfigBuilder::oauth_managed`] with a `TokenManager` holding the refresh token and secret: validated on connect and hourly, refreshed before expiry |
//! | `Client.from_client_credentials` | `TokenManager::app` (Helix only: chat needs a user token) |
//! | `start` / `connect` / `run` / `close` | [`ChatClient::start`], [`ChatClient::connect`] (returns once logged in; this is `wait_for_ready` too), [`ChatClient::close`] |
//! | `join_channels` / `part_channels` | [`ChatClient::join`] / [`ChatClient::part`] per channel (JOINs are paced to 20 per 10 s either way) |
//! | `wait_for(event, predicate, timeout)` | `client.events().wait_for(\|m: &Privmsg<'static>\| …, timeout)` |
//! | `event_message`, `event_join`, `event_part`, `event_userstate`, `event_notice`, `event_raw_usernotice`, `event_usernotice_subscription` | `client.events().on(\|m: Privmsg<'static>\| …)` and likewise [`Join`], [`Part`], [`UserState`], [`Notice`] (with its `msg_id`), [`UserNotice`] (typed [`UserNoticeEvent`]: sub, resub, gift, raid, …) |
//! | `event_ready`, `event_reconnect` | [`ChatEvent::Ready`] (after every (re)connect) and [`ChatEvent::Disconnected`] |
//! | `event_token_expired` | [`ChatEvent::TokenExpired`] |
//! | `event_channel_join_failure` | a [`Notice`] whose `msg_id` says why (`msg_channel_suspended`, `msg_banned`, …) |
//! | `event_raw_data`, `event_error` | [`ServerMessage::Other`] keeps every command not typed here; unparsable lines are logged (`tracing`, debug) and skipped, never fatal |
//! | `event_mode` | none: Twitch no longer sends MODE; moderator status comes from badges ([`UserState::is_privileged`]) |
//! | `fetch_users`, `fetch_channels`, `fetch_streams`, `fetch_games`, `fetch_top_games`, `search_channels`, `search_categories` | `get_users`, `get_channels`, `streams` (a stream of every page), `get_games`, `top_games`, `search_channels`, `search_categories` |
//! | `fetch_clips`, `fetch_videos`, `delete_videos` | `get_clips` / `clips` / `game_clips` / `create_clip`, `get_videos` / `videos` / `game_videos`, `delete_videos` |
//! | `fetch_global_chat_badges`, `fetch_global_emotes`, `fetch_chatters_colors`, `update_chatter_color` | `chat_badges(None)`, `chat_emotes(None)`, `get_chat_colors`, `update_chat_color` |
//! | `fetch_cheermotes`, `fetch_teams` | `get_cheermotes`, `get_team` / `channel_teams` |
//! | `fetch_tags`, `get_webhook_subscriptions` | none: Twitch removed both (tags are channel fields now; webhooks became EventSub, see `svc-eventsub`) |
//! | `get_channel`, `create_user`, `retain_cache` | none: no client-side channel cache; use `get_users` / `get_channels` |
//!
//! Modules:
//! - `irc`: [`IrcMessage`], [`Tags`], [`TagValue`], [`Prefix`], [`Params`];
//! - `message`: [`ServerMessage`] and one type per command ([`Privmsg`], [`UserNotice`], …);
//! - `client`: [`ChatClient`], [`ChatPool`], [`ChatConfig`], [`ChatEvent`] (and
//!   transport-ws's [`Backoff`] and [`TlsConfig`] for the connection);
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
/// The connection settings [`ChatConfigBuilder`] takes, from transport-ws (so users need not
/// depend on it): the reconnect backoff and the TLS roots.
pub use transport_ws::{Backoff, TlsConfig};
