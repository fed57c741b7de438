//! Twitch: chat (IRC over WebSocket and plain TCP), Helix and OAuth.
//!
//! [`Twitch`] is one [`Platform`](crate::Platform) serving every Twitch surface on one
//! listener: a WebSocket upgrade on `/` (or `/irc`) speaks chat IRC like
//! `wss://irc-ws.chat.twitch.tv`; [`serve_tcp`] adds a plain TCP listener speaking the same
//! IRC like `irc.chat.twitch.tv:6667`. Helix answers under `/helix/…` and OAuth under
//! `/oauth2/…` (so `{base}/helix` and `{base}` are the two base URLs a client needs).
//! [`ChatControl`] and [`HelixControl`] steer them from tests.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), sandbox::Error> {
//! use sandbox::twitch::Twitch;
//!
//! let twitch = Twitch::new();
//! let chat = twitch.chat();
//! chat.add_user("oauth-token-1", "mybot", "100");
//! let server = sandbox::Server::builder().serve(twitch.clone()).await?;
//! let tcp = sandbox::twitch::serve_tcp(&twitch).await?;
//! println!("chat at {} and {}", server.ws_url("/"), tcp.addr());
//! assert_eq!(chat.connected(), 0);
//! # Ok(())
//! # }
//! ```

mod chat;
pub mod eventsub;
mod helix;
mod oauth;
mod tcp;
mod window;

use std::sync::Arc;

use http::Method;

pub use chat::{ChatControl, ChatLimits, SentMessage};
pub use helix::{DEFAULT_POINTS_PER_MINUTE, HelixControl};
pub use tcp::{TcpServer, serve_tcp, serve_tcp_on};

use crate::platform::{Platform, ResponseFuture, SandboxRequest};
use crate::world::TwitchWorld;
use crate::{response, ws};

/// The Twitch platform. Clone it freely: clones share state.
#[derive(Debug, Clone)]
pub struct Twitch {
    pub(crate) chat: Arc<chat::ChatState>,
    pub(crate) helix: Arc<helix::HelixState>,
    /// EventSub's REST side under `/helix/eventsub/…`, where Twitch has it.
    eventsub: Option<eventsub::EventSub>,
}

impl Default for Twitch {
    fn default() -> Self {
        Self::new()
    }
}

impl Twitch {
    /// A Twitch with Twitch's real chat limits and no users (anonymous `justinfan` logins work).
    pub fn new() -> Self {
        Self::with_limits(ChatLimits::default())
    }

    /// A Twitch with the given chat limits.
    pub fn with_limits(limits: ChatLimits) -> Self {
        let helix = Arc::new(helix::HelixState::new());
        Self {
            chat: Arc::new(chat::ChatState::new(limits, Arc::clone(&helix))),
            helix,
            eventsub: None,
        }
    }

    /// A Twitch serving `world`: its app (client credentials and refresh grants), its users
    /// with their tokens and scopes (OAuth validate, Helix, chat `PASS oauth:`), and their
    /// channels (stream, followers, subscribers, moderators and VIPs, who also wear those
    /// badges in chat).
    pub fn from_world(world: &TwitchWorld) -> Self {
        let twitch = Self::new();
        twitch.helix().seed(world);
        let chat = twitch.chat();
        for channel in &world.channels {
            let Some(owner) = world.user(&channel.broadcaster) else {
                continue;
            };
            let badges_of = |login: &str| {
                let mut badges = Vec::new();
                if login == owner.login {
                    badges.push("broadcaster/1");
                }
                if channel.moderators.iter().any(|m| m == login) {
                    badges.push("moderator/1");
                }
                if channel.vips.iter().any(|v| v == login) {
                    badges.push("vip/1");
                }
                if channel.subscribers.iter().any(|s| s == login) {
                    badges.push("subscriber/0");
                }
                badges.join(",")
            };
            for user in &world.users {
                let badges = badges_of(&user.login);
                if !badges.is_empty() {
                    chat.set_badges(&user.login, &owner.login, &badges);
                }
            }
        }
        twitch
    }

    /// Serves `eventsub`'s REST endpoints under `/helix/eventsub/…` too, where a client
    /// pointed at this server's Helix expects them (subscriptions, conduits).
    #[must_use]
    pub fn with_eventsub(mut self, eventsub: eventsub::EventSub) -> Self {
        self.eventsub = Some(eventsub);
        self
    }

    /// The Helix / OAuth control handle.
    pub fn helix(&self) -> HelixControl {
        HelixControl::new(Arc::clone(&self.helix))
    }

    /// The chat control handle.
    pub fn chat(&self) -> ChatControl {
        ChatControl::new(Arc::clone(&self.chat))
    }
}

impl Platform for Twitch {
    fn name(&self) -> &'static str {
        "twitch"
    }

    fn handle(&self, mut request: SandboxRequest) -> ResponseFuture<'_> {
        Box::pin(async move {
            let segments = request.segments();
            match (request.method.clone(), segments.as_slice()) {
                (Method::GET, [] | ["irc"]) => {
                    let state = Arc::clone(&self.chat);
                    ws::accept(&mut request, None, move |socket| {
                        chat::run_ws(state, socket)
                    })
                }
                (_, ["helix", "eventsub", ..]) if self.eventsub.is_some() => match &self.eventsub {
                    Some(eventsub) => eventsub.handle_rest(&request, &segments[1..]),
                    None => response::not_found(),
                },
                (_, ["helix", rest @ ..]) => helix::handle(&self.helix, &request, rest),
                (_, ["oauth2", rest @ ..]) => oauth::handle(&self.helix, &request, rest),
                _ => response::not_found(),
            }
        })
    }

    fn http_chaos(&self, path: &str) -> Option<crate::chaos::ChaosSwitch> {
        (path.starts_with("/helix") || path.starts_with("/oauth2"))
            .then(|| self.helix.chaos.clone())
    }
}
