//! [`ShardHandle`]: what can be done with a running shard from anywhere (it is cheap to
//! clone): the user commands (op 3 presence, op 4 voice state, op 8 request guild members),
//! the session, readiness, latency and counters. [`Client::shard`](crate::Client::shard)
//! hands these out; a [`Shard`](super::Shard) holds one.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;
use transport_ws::Priority;

use super::commands::{RequestGuildMembers, UpdateVoiceState};
use super::encoding::{GatewayEncoding, send};
use super::shard::{NO_LATENCY, Readiness, SessionInfo, ShardStats, Shared};
use crate::error::Error;
use crate::event::opcode;
use crate::model::UpdatePresence;

/// A cloneable handle on one running shard.
#[derive(Debug, Clone)]
pub struct ShardHandle {
    pub(super) id: u32,
    pub(super) total: u32,
    pub(super) encoding: GatewayEncoding,
    pub(super) sender: transport_ws::Sender,
    pub(super) shared: Arc<Shared>,
}

impl ShardHandle {
    /// The shard id.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// How many shards the bot runs.
    pub fn total(&self) -> u32 {
        self.total
    }

    /// The resumable session, if any: its id, the last sequence number and the URL a
    /// resume connects to (no secret in any of them: the token travels only in IDENTIFY and
    /// RESUME).
    pub fn session(&self) -> Option<SessionInfo> {
        self.shared.session.lock().clone()
    }

    /// What the shard went through so far.
    pub fn stats(&self) -> ShardStats {
        let load = |a: &AtomicU64| a.load(Ordering::SeqCst);
        ShardStats {
            identifies: load(&self.shared.identifies),
            resumes: load(&self.shared.resumes),
            zombies: load(&self.shared.zombies),
            dispatches: load(&self.shared.dispatches),
            duplicates: load(&self.shared.duplicates),
            decode_errors: load(&self.shared.decode_errors),
        }
    }

    /// Whether the shard has received READY (it stays ready through resumes and
    /// reconnects; see [`Client::ready`](crate::Client::ready) to wait for it).
    pub fn is_ready(&self) -> bool {
        self.shared.ready.load(Ordering::SeqCst)
    }

    /// What [`Client::ready`](crate::Client::ready) waits on.
    pub(crate) fn readiness(&self) -> Readiness {
        Readiness(Arc::clone(&self.shared))
    }

    /// The last heartbeat round trip (a HEARTBEAT to its ACK), once one was measured.
    pub fn latency(&self) -> Option<Duration> {
        match self.shared.latency.load(Ordering::SeqCst) {
            NO_LATENCY => None,
            nanos => Some(Duration::from_nanos(nanos)),
        }
    }

    /// Op 3: changes the bot's presence.
    pub async fn update_presence(&self, presence: &UpdatePresence) -> Result<(), Error> {
        send(
            &self.sender,
            self.encoding,
            opcode::PRESENCE_UPDATE,
            presence,
            Priority::Normal,
        )
        .await
    }

    /// Op 4: joins, moves or leaves a voice channel.
    pub async fn update_voice_state(&self, state: &UpdateVoiceState) -> Result<(), Error> {
        send(
            &self.sender,
            self.encoding,
            opcode::VOICE_STATE_UPDATE,
            state,
            Priority::Normal,
        )
        .await
    }

    /// Op 8: asks for guild members (answers arrive as `GUILD_MEMBERS_CHUNK`).
    pub async fn request_guild_members(&self, request: &RequestGuildMembers) -> Result<(), Error> {
        send(
            &self.sender,
            self.encoding,
            opcode::REQUEST_GUILD_MEMBERS,
            request,
            Priority::Normal,
        )
        .await
    }

    /// Sends any payload (`{"op": op, "d": data}`); fails with
    /// [`ErrorKind::PayloadTooLarge`](crate::ErrorKind::PayloadTooLarge) past 4096 bytes.
    pub async fn send<T: Serialize>(&self, op: u8, data: &T) -> Result<(), Error> {
        send(&self.sender, self.encoding, op, data, Priority::Normal).await
    }
}
