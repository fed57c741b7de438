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
pub use tcp::{TcpServer, serve_tcp};

use crate::platform::{Platform, ResponseFuture, SandboxRequest};
use crate::{response, ws};

/// The Twitch platform. Clone it freely: clones share state.
#[derive(Debug, Clone)]
pub struct Twitch {
    pub(crate) chat: Arc<chat::ChatState>,
    pub(crate) helix: Arc<helix::HelixState>,
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
        }
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
                (_, ["helix", rest @ ..]) => helix::handle(&self.helix, &request, rest),
                (_, ["oauth2", rest @ ..]) => oauth::handle(&self.helix, &request, rest),
                _ => response::not_found(),
            }
        })
    }
}
