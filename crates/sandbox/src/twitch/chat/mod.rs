//! Chat: IRC sessions over WebSocket or TCP, channels, tags, and Twitch's limits.
//!
//! What a session sees, as on Twitch: `CAP REQ` is ACKed; `PASS oauth:<token>` + `NICK` log
//! in (a `justinfan<digits>` nick logs in anonymously and may only read); `001`–`004` and
//! `375`/`372`/`376` follow, then `GLOBALUSERSTATE` with the tags capability. `JOIN` is
//! echoed, then `353`/`366`, `USERSTATE` and `ROOMSTATE`. A `PRIVMSG` goes to the *other*
//! sessions in the channel with the full tag set; its sender gets `USERSTATE` instead.
//! Over-limit JOINs, logins and PRIVMSGs are dropped with a NOTICE and counted. A JOIN to
//! a suspended channel gets `msg_channel_suspended`, one to a channel the login is banned
//! from `msg_banned`, neither echoed ([`ChatControl::suspend_channel`],
//! [`ChatControl::ban`]; [`ChatControl::ignore_joins`] leaves JOINs unanswered). A login's
//! token is either one registered with [`ChatControl::add_user`] or a user token the Helix /
//! OAuth side knows and that has not expired (so a refreshed token logs in, an expired one
//! fails like on Twitch).

mod channels;
mod chaos;
mod commands;
mod control;
mod lines;
mod login;
mod parse;
mod privmsg;
mod session;
mod state;

use std::time::Duration;

pub use control::ChatControl;
pub(crate) use session::{run_tcp, run_ws};
pub(crate) use state::ChatState;

/// Twitch's chat limits (defaults are the documented ones).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ChatLimits {
    /// PRIVMSGs per window for a normal user: 20 per 30 s.
    pub privmsg: (usize, Duration),
    /// PRIVMSGs per window where the user is broadcaster, moderator or VIP: 100 per 30 s.
    pub privmsg_privileged: (usize, Duration),
    /// JOINs per window: 20 per 10 s.
    pub join: (usize, Duration),
    /// Login attempts per window: 20 per 10 s.
    pub auth: (usize, Duration),
    /// An identical message from a normal user within this span is dropped: 30 s.
    pub duplicate_window: Duration,
}

impl Default for ChatLimits {
    fn default() -> Self {
        Self {
            privmsg: (20, Duration::from_secs(30)),
            privmsg_privileged: (100, Duration::from_secs(30)),
            join: (20, Duration::from_secs(10)),
            auth: (20, Duration::from_secs(10)),
            duplicate_window: Duration::from_secs(30),
        }
    }
}

/// A PRIVMSG the sandbox accepted from a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessage {
    /// Channel login.
    pub channel: String,
    /// Sender login.
    pub login: String,
    /// The text.
    pub text: String,
    /// The message id the sandbox gave it.
    pub id: String,
}
