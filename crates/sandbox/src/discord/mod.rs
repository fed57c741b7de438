//! Discord: the gateway (WebSocket, API v10) and the REST API on one listener.
//!
//! - Any path upgraded to a WebSocket is a gateway connection: `?v=10&encoding=json` (or
//!   `encoding=etf`: Erlang terms in binary frames both ways, snowflakes as integers), with
//!   `compress=zlib-stream` or `compress=zstd-stream` (binary frames, one compression stream
//!   per connection, each message flushed). The server sends HELLO, accepts heartbeats at
//!   any time, checks IDENTIFY (bad token → 4004, invalid intents → 4013, disallowed
//!   privileged intents → 4014, bad shard → 4010; a second IDENTIFY in one
//!   `max_concurrency` bucket within 5 s → op 9 `false`; one past the daily session start
//!   budget ends every session with 4004 and resets the token, as Discord does) and RESUME (replays what the session
//!   missed, then RESUMED; an unknown session gets op 9 `false`), numbers dispatches
//!   (only those the session's intents cover; without MESSAGE_CONTENT message content is
//!   blank except in DMs, the bot's own and mentions of it; a GUILD_CREATE lists only the
//!   bot and voice-channel members without GUILD_PRESENCES, and no offline members in a
//!   guild over the IDENTIFY's `large_threshold`), and
//!   closes with 4008 past 120 sends per 60 s and 4002 for payloads over 4096 bytes.
//!   Op 3 changes the bot's presence in its shard's guilds (dispatched as PRESENCE_UPDATE),
//!   op 4 its voice state (VOICE_STATE_UPDATE, plus VOICE_SERVER_UPDATE on a join), op 8
//!   answers with GUILD_MEMBERS_CHUNKs.
//! - REST under `/api/v10` (or `/api`): `GET /gateway/bot` with `session_start_limit`,
//!   users, applications, channels, messages, reactions (stored, with `MESSAGE_REACTION_*`
//!   dispatches), guilds, members (paged by `after`/`limit`), roles, bans, DMs,
//!   interaction responses and follow-ups (messages with `interaction_metadata`),
//!   application commands (only the bot's own application id; a POST creates or replaces
//!   by name; bodies checked as Discord checks them, with its 50035 error tree), stage
//!   instances, webhooks.
//!   Answers carry `Content-Type: application/json` exactly and real `X-RateLimit-*`
//!   headers; buckets are per route and major parameter, and a client that ignores them
//!   gets 429s. A bot's own `POST /channels/{id}/messages` comes back as MESSAGE_CREATE
//!   (so do webhook posts and interaction responses), an edit as MESSAGE_UPDATE with the
//!   whole message; new snowflakes are made at the current time, and message timestamps
//!   agree with them.
//!
//! [`DiscordControl`] injects dispatches and forces disconnects, zombies (no more ACKs),
//! op 7 reconnects and op 9 invalid sessions; [`GatewayFaults`] make the gateway hostile
//! for good (never ACK, op 7 after every login, an insecure `resume_gateway_url`).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), sandbox::Error> {
//! use sandbox::discord::{Discord, DiscordConfig};
//!
//! let discord = Discord::new(DiscordConfig::default());
//! let control = discord.control();
//! let server = sandbox::Server::builder().serve(discord).await?;
//! println!("REST at {}/api/v10, token {}", server.base_url(), control.token());
//! assert_eq!(control.identifies(), 0);
//! # Ok(())
//! # }
//! ```

mod compress;
mod etf;
mod gateway;
mod gateway_chaos;
mod inject;
mod intents;
mod ratelimit;
mod rest;
mod saved;
mod seed;
mod session_starts;
mod state;

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::platform::{Platform, ResponseFuture, SandboxRequest};
use crate::world::DiscordWorld;
use crate::ws;

pub use inject::{InjectError, SlashCommand};
use state::{Command, State};
pub use state::{DiscordConfig, GatewayFaults};

/// The Discord platform. Keep a [`DiscordControl`] from [`Discord::control`] before serving.
#[derive(Debug, Clone)]
pub struct Discord {
    state: Arc<State>,
}

/// Steers the Discord sandbox from a test or demo.
#[derive(Debug, Clone)]
pub struct DiscordControl {
    state: Arc<State>,
}

impl Discord {
    /// A Discord sandbox with the guilds from `fixtures/discord/sandbox-state.json`.
    pub fn new(config: DiscordConfig) -> Self {
        let fixture: Value = serde_json::from_str(state::STATE_FIXTURE).unwrap_or(Value::Null);
        Self {
            state: Arc::new(State::new(config, &fixture)),
        }
    }

    /// A Discord sandbox serving `world`: its bot token, application, users and guilds.
    pub fn from_world(world: &DiscordWorld) -> Self {
        let config = DiscordConfig::default()
            .with_token(world.token.expose())
            .with_shards(world.shards, 1);
        Self {
            state: Arc::new(State::new(config, &seed::state(world))),
        }
    }

    /// The control handle.
    pub fn control(&self) -> DiscordControl {
        DiscordControl {
            state: Arc::clone(&self.state),
        }
    }
}

impl Default for Discord {
    fn default() -> Self {
        Self::new(DiscordConfig::default())
    }
}

impl DiscordControl {
    /// The bot token the sandbox accepts (without the `Bot ` prefix).
    pub fn token(&self) -> &str {
        &self.state.config.token
    }

    /// Sends a dispatch to the current session of `shard` (every shard when `None`). A
    /// session that is disconnected but resumable keeps it for the replay.
    pub fn dispatch(&self, shard: Option<u32>, event: &str, data: &Value) {
        self.state.dispatch(shard, event, data);
    }

    /// Sends a dispatch to the shard owning `guild_id`.
    pub fn dispatch_guild(&self, guild_id: u64, event: &str, data: &Value) {
        let shard = self.state.shard_of(guild_id);
        self.state.dispatch(Some(shard), event, data);
    }

    /// Closes the connections of `shard` (all when `None`) with `code`; the sessions stay
    /// resumable unless the code says otherwise.
    pub fn close(&self, shard: Option<u32>, code: u16) {
        self.state.command(shard, Command::Close(code));
    }

    /// Drops the connections of `shard` (all when `None`) without a close frame.
    pub fn drop_connections(&self, shard: Option<u32>) {
        self.state.command(shard, Command::Drop);
    }

    /// Stops (or resumes) answering heartbeats on the connections of `shard`, so the client
    /// sees a zombied connection.
    pub fn zombie(&self, shard: Option<u32>, zombie: bool) {
        self.state.command(shard, Command::Zombie(zombie));
    }

    /// Sends op 7 Reconnect.
    pub fn request_reconnect(&self, shard: Option<u32>) {
        self.state.command(shard, Command::Reconnect);
    }

    /// Sends op 9 Invalid Session; a non-resumable one also forgets the session.
    pub fn invalidate_session(&self, shard: Option<u32>, resumable: bool) {
        self.state
            .command(shard, Command::InvalidSession(resumable));
    }

    /// Gateway connections open right now.
    pub fn connected(&self) -> usize {
        self.state.counters.connected()
    }

    /// IDENTIFYs accepted so far.
    pub fn identifies(&self) -> usize {
        self.state.counters.identifies()
    }

    /// RESUMEs accepted so far.
    pub fn resumes(&self) -> usize {
        self.state.counters.resumes()
    }

    /// Connections that came in on the `resume_gateway_url` path.
    pub fn resume_url_connections(&self) -> usize {
        self.state.counters.resume_url_connections()
    }

    /// Whether the bot's token was reset because an IDENTIFY overran the daily session
    /// start budget (Discord then ends every session; the token authenticates nothing more).
    pub fn token_was_reset(&self) -> bool {
        self.state.token_was_reset()
    }

    /// Identifies that broke `max_concurrency` (two in one bucket within 5 s); each was
    /// refused with op 9 Invalid Session (`false`).
    pub fn identify_violations(&self) -> usize {
        self.state.counters.identify_violations()
    }

    /// Heartbeats received.
    pub fn heartbeats(&self) -> usize {
        self.state.counters.heartbeats()
    }

    /// 429 answers served by the REST API.
    pub fn rate_limited(&self) -> usize {
        self.state.counters.rate_limited()
    }

    /// Every gateway payload clients sent (op and data), oldest first, tokens redacted.
    pub fn gateway_log(&self) -> Vec<Value> {
        self.state.gateway_log()
    }

    /// `[shard_id, shard_count]` of each accepted identify, in order.
    pub fn identified_shards(&self) -> Vec<[u32; 2]> {
        self.state.identified_shards()
    }

    /// The gateway's chaos switch: hostile behaviours (see [`crate::chaos::Chaos`]) for
    /// every connection, open or later, until switched off.
    pub fn chaos(&self) -> crate::chaos::ChaosSwitch {
        self.state.chaos.clone()
    }

    /// Makes the gateway misbehave (or behave again, with the default) from now on.
    pub fn set_gateway_faults(&self, faults: GatewayFaults) {
        self.state.set_faults(faults);
    }

    /// Sets the heartbeat interval announced in later HELLOs (a hostile 1 ms included).
    pub fn set_heartbeat_interval(&self, interval: Duration) {
        self.state.set_heartbeat_interval(interval);
    }
}

impl Platform for Discord {
    fn name(&self) -> &'static str {
        "discord"
    }

    fn handle(&self, mut request: SandboxRequest) -> ResponseFuture<'_> {
        Box::pin(async move {
            if ws::is_upgrade(&request.headers) {
                let state = Arc::clone(&self.state);
                let params = gateway::Params::from_request(&request);
                return ws::accept(&mut request, None, move |socket| {
                    gateway::run(state, params, socket)
                });
            }
            rest::handle(&self.state, &request)
        })
    }
}
