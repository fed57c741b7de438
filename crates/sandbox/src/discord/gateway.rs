//! One gateway connection: HELLO, heartbeats, IDENTIFY/RESUME checks, sequenced dispatches,
//! the 120-per-60-s send limit, and control commands.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::compress::Encoder;
use super::intents::Subscription;
use super::state::{Command, State, id_of};
use crate::chaos::{self, Chaos};
use crate::platform::SandboxRequest;
use crate::ws::ServerSocket;

/// The largest payload a client may send.
const MAX_PAYLOAD: usize = 4096;
/// Sends per window per connection.
const SEND_LIMIT: usize = 120;
const SEND_WINDOW: Duration = Duration::from_mins(1);
/// Intent bits Discord defines.
const KNOWN_INTENTS: u64 = 0x0331_ffff;
const PRIVILEGED_INTENTS: u64 = (1 << 1) | (1 << 8) | (1 << 15);
/// The path of `resume_gateway_url`.
pub(crate) const RESUME_PATH: &str = "/resume";

/// What the connection URL asked for.
pub(crate) struct Params {
    compress: Option<String>,
    encoding: Option<String>,
    host: String,
    on_resume_url: bool,
}

impl Params {
    pub(crate) fn from_request(request: &SandboxRequest) -> Self {
        Self {
            compress: request.query_param("compress").map(str::to_owned),
            encoding: request.query_param("encoding").map(str::to_owned),
            host: request.header("host").unwrap_or("127.0.0.1").to_owned(),
            on_resume_url: request.path() == RESUME_PATH,
        }
    }
}

pub(super) struct Connection {
    pub(super) state: Arc<State>,
    pub(super) socket: ServerSocket,
    pub(super) encoder: Encoder,
    /// `encoding=etf`: payloads both ways are ETF binary frames.
    pub(super) etf: bool,
    /// Whether `compress` asked for a transport compression.
    pub(super) compressed: bool,
    /// The last dispatch sent ([`Chaos::OutOfOrderSequence`] sends it again).
    pub(super) previous: Option<Arc<str>>,
    id: u64,
    host: String,
    session: Option<String>,
    shard: Option<u32>,
    zombie: bool,
    sends: VecDeque<Instant>,
    live_tx: mpsc::UnboundedSender<Arc<str>>,
}

enum Input {
    Frame(Option<Result<Message, tokio_tungstenite::tungstenite::Error>>),
    Live(Arc<str>),
    Command(Result<(Option<u32>, Command), broadcast::error::RecvError>),
}

pub(super) enum Flow {
    Continue,
    Close(u16, &'static str),
    Stop,
}

pub(crate) async fn run(state: Arc<State>, params: Params, socket: ServerSocket) {
    state.counters.connect();
    if params.on_resume_url {
        state.counters.resume_url_connection();
    }
    let (live_tx, live_rx) = mpsc::unbounded_channel();
    let etf = params.encoding.as_deref() == Some("etf");
    let encoder = match (
        params.encoding.as_deref(),
        Encoder::new(params.compress.as_deref()),
    ) {
        (None | Some("json" | "etf"), Ok(encoder)) => Some(encoder),
        _ => None,
    };
    let mut connection = Connection {
        id: state.next_connection_id(),
        state: Arc::clone(&state),
        socket,
        encoder: encoder.unwrap_or(Encoder::None),
        etf,
        compressed: !matches!(params.compress.as_deref(), None | Some("")),
        previous: None,
        host: params.host,
        session: None,
        shard: None,
        zombie: false,
        sends: VecDeque::new(),
        live_tx,
    };
    if matches!(params.encoding.as_deref(), Some(e) if e != "json" && e != "etf")
        || Encoder::new(params.compress.as_deref()).is_err()
    {
        // Unknown encodings and compressions are not served: Discord closes with 4002
        // likewise when it cannot decode what the client asked for.
        connection
            .close(4002, "Unsupported encoding or compression")
            .await;
    } else {
        connection.serve(live_rx).await;
    }
    if let Some(session) = &connection.session {
        state.detach(session, connection.id);
    }
    state.counters.disconnected();
}

impl Connection {
    async fn serve(&mut self, mut live_rx: mpsc::UnboundedReceiver<Arc<str>>) {
        let mut commands = self.state.subscribe();
        let interval =
            chaos::heartbeat_interval(&self.state.chaos, self.state.heartbeat_interval());
        let hello = json!({"t": null, "s": null, "op": 10, "d": {"heartbeat_interval": interval}});
        if self.send(&hello.to_string()).await.is_err() {
            return;
        }
        loop {
            let input = tokio::select! {
                incoming = self.socket.next() => Input::Frame(incoming),
                Some(payload) = live_rx.recv() => Input::Live(payload),
                command = commands.recv() => Input::Command(command),
            };
            let flow = match input {
                Input::Frame(Some(Ok(Message::Text(text)))) => {
                    self.on_payload(text.as_bytes()).await
                }
                Input::Frame(Some(Ok(Message::Binary(bytes)))) => self.on_payload(&bytes).await,
                Input::Frame(Some(Ok(Message::Close(_)) | Err(_)) | None)
                | Input::Command(Err(broadcast::error::RecvError::Closed)) => Flow::Stop,
                Input::Frame(Some(Ok(_))) => Flow::Continue,
                Input::Live(payload) => self.send_live(payload).await,
                Input::Command(Ok((target, command)))
                    if target.is_none() || target == self.shard =>
                {
                    self.on_command(command).await
                }
                Input::Command(Ok(_) | Err(broadcast::error::RecvError::Lagged(_))) => {
                    Flow::Continue
                }
            };
            match flow {
                Flow::Continue => {}
                Flow::Stop => return,
                Flow::Close(code, reason) => {
                    self.close(code, reason).await;
                    return;
                }
            }
        }
    }

    pub(super) async fn send(&mut self, text: &str) -> Result<(), ()> {
        let frame = self.frame(text)?;
        self.socket.send(frame).await.map_err(|_| ())
    }

    /// `text` (a JSON payload) as the frame this connection's encoding and compression
    /// make of it.
    pub(super) fn frame(&mut self, text: &str) -> Result<Message, ()> {
        if self.etf {
            let value: Value = serde_json::from_str(text).map_err(|_| ())?;
            self.encoder.frame_binary(super::etf::encode(&value))
        } else {
            self.encoder.frame(text)
        }
        .map_err(|_| ())
    }

    async fn close(&mut self, code: u16, reason: &'static str) {
        let frame = CloseFrame {
            code: CloseCode::from(code),
            reason: reason.into(),
        };
        let _ = self.socket.close(Some(frame)).await;
    }

    async fn on_command(&mut self, command: Command) -> Flow {
        match command {
            Command::Close(code) => Flow::Close(code, "closed by sandbox control"),
            Command::Drop => Flow::Stop,
            Command::Zombie(zombie) => {
                self.zombie = zombie;
                Flow::Continue
            }
            Command::Reconnect => {
                self.send_or_stop(r#"{"t":null,"s":null,"op":7,"d":null}"#)
                    .await
            }
            Command::InvalidSession(resumable) => {
                if let Some(session) = self.session.take() {
                    if resumable {
                        self.state.detach(&session, self.id);
                    } else {
                        self.state.forget_session(&session);
                    }
                }
                let payload = format!(r#"{{"t":null,"s":null,"op":9,"d":{resumable}}}"#);
                self.send_or_stop(&payload).await
            }
        }
    }

    pub(super) async fn send_or_stop(&mut self, text: &str) -> Flow {
        if self.send(text).await.is_err() {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }

    async fn on_payload(&mut self, bytes: &[u8]) -> Flow {
        let now = Instant::now();
        while self
            .sends
            .front()
            .is_some_and(|t| now.duration_since(*t) >= SEND_WINDOW)
        {
            self.sends.pop_front();
        }
        if self.sends.len() >= SEND_LIMIT {
            return Flow::Close(4008, "Rate limited.");
        }
        self.sends.push_back(now);
        if bytes.len() > MAX_PAYLOAD {
            return Flow::Close(4002, "Error while decoding payload.");
        }
        let decoded = if self.etf {
            super::etf::decode(bytes).ok()
        } else {
            serde_json::from_slice::<Value>(bytes).ok()
        };
        let Some(payload) = decoded else {
            return Flow::Close(4002, "Error while decoding payload.");
        };
        let mut logged = payload.clone();
        if logged["d"].get("token").is_some() {
            logged["d"]["token"] = Value::from("[redacted]");
        }
        self.state.record(logged);
        let op = payload["op"].as_u64();
        let data = &payload["d"];
        match op {
            Some(1) => {
                self.state.counters.heartbeat();
                if self.zombie
                    || self.state.faults().never_ack
                    || self.state.chaos.is_on(Chaos::NeverAck)
                {
                    Flow::Continue
                } else {
                    self.send_or_stop(r#"{"t":null,"s":null,"op":11,"d":null}"#)
                        .await
                }
            }
            Some(2 | 6) if self.state.chaos.is_on(Chaos::DropMidHandshake) => Flow::Stop,
            Some(2) => self.identify(data).await,
            Some(6) => self.resume(data).await,
            Some(3 | 4 | 8) if self.session.is_none() => Flow::Close(4003, "Not authenticated."),
            Some(3) => {
                self.update_presence(data);
                Flow::Continue
            }
            Some(4) => {
                self.update_voice_state(data);
                Flow::Continue
            }
            Some(8) => {
                self.request_members(data);
                Flow::Continue
            }
            _ => Flow::Close(4001, "Unknown opcode."),
        }
    }

    fn token_ok(&self, data: &Value) -> bool {
        self.state
            .token_accepted(data["token"].as_str().unwrap_or_default())
    }

    async fn identify(&mut self, data: &Value) -> Flow {
        if self.session.is_some() {
            return Flow::Close(4005, "Already authenticated.");
        }
        if !self.token_ok(data) {
            return Flow::Close(4004, "Authentication failed.");
        }
        let Some(intents) = data["intents"].as_u64() else {
            return Flow::Close(4013, "Invalid intent(s).");
        };
        if intents & !KNOWN_INTENTS != 0 {
            return Flow::Close(4013, "Invalid intent(s).");
        }
        if intents & PRIVILEGED_INTENTS & !self.state.config.allowed_privileged_intents != 0 {
            return Flow::Close(4014, "Disallowed intent(s).");
        }
        let shards = self.state.config.shards;
        let shard = match data["shard"].as_array().map(|a| {
            (
                a.first().and_then(Value::as_u64),
                a.get(1).and_then(Value::as_u64),
            )
        }) {
            None if shards > 1 => return Flow::Close(4011, "Sharding required."),
            None => [0, 1],
            Some((Some(id), Some(count))) if count == u64::from(shards) && id < count => {
                [id as u32, count as u32]
            }
            Some(_) => return Flow::Close(4010, "Invalid shard."),
        };
        // Identifying faster than `max_concurrency` allows: Discord answers op 9 (not
        // resumable) and the client identifies again later.
        if !self.state.take_identify_slot(shard[0]) {
            return self
                .send_or_stop(r#"{"t":null,"s":null,"op":9,"d":false}"#)
                .await;
        }
        // Past the daily budget Discord ends all of the bot's sessions and resets its token.
        if !self.state.take_session_start() {
            self.state.reset_token();
            return Flow::Close(4004, "Authentication failed.");
        }
        self.state.counters.identify();
        let subscription = Subscription::new(intents, data["large_threshold"].as_u64());
        let session_id = self
            .state
            .new_session(shard, subscription, self.id, self.live_tx.clone());
        self.session = Some(session_id.clone());
        self.shard = Some(shard[0]);
        let (user, application, guilds) = {
            let data = self.state.data();
            let guilds: Vec<Value> = data
                .guilds
                .values()
                .filter(|g| self.state.shard_of(id_of(g)) == shard[0])
                .cloned()
                .collect();
            (data.user.clone(), data.application.clone(), guilds)
        };
        let stubs: Vec<Value> = guilds
            .iter()
            .map(|g| json!({"id": g["id"], "unavailable": true}))
            .collect();
        let faults = self.state.faults();
        let resume_gateway_url = if self.state.chaos.is_on(Chaos::ForeignReconnectUrl) {
            chaos::FOREIGN_URL.to_owned()
        } else {
            faults
                .resume_gateway_url
                .clone()
                .unwrap_or_else(|| format!("ws://{}{RESUME_PATH}", self.host))
        };
        let ready = json!({
            "v": 10,
            "user": user,
            "guilds": stubs,
            "session_id": session_id,
            "resume_gateway_url": resume_gateway_url,
            "shard": shard,
            "application": {"id": application["id"], "flags": application["flags"]},
            "private_channels": [],
            "presences": [],
        });
        self.state.dispatch_to(&session_id, "READY", &ready);
        for guild in &guilds {
            self.state.dispatch_to(&session_id, "GUILD_CREATE", guild);
        }
        self.reconnect_after_login(&faults);
        Flow::Continue
    }

    /// [`GatewayFaults::reconnect_after_login`](super::GatewayFaults::reconnect_after_login):
    /// op 7 behind what the login queued.
    fn reconnect_after_login(&self, faults: &super::GatewayFaults) {
        if faults.reconnect_after_login {
            let _ = self
                .live_tx
                .send(Arc::from(r#"{"t":null,"s":null,"op":7,"d":null}"#));
        }
    }

    async fn resume(&mut self, data: &Value) -> Flow {
        if self.session.is_some() {
            return Flow::Close(4005, "Already authenticated.");
        }
        if !self.token_ok(data) {
            return Flow::Close(4004, "Authentication failed.");
        }
        let session_id = data["session_id"].as_str().unwrap_or_default().to_owned();
        let seq = data["seq"].as_u64().unwrap_or_default();
        let Some((shard, missed)) =
            self.state
                .resume_session(&session_id, seq, self.id, self.live_tx.clone())
        else {
            return self
                .send_or_stop(r#"{"t":null,"s":null,"op":9,"d":false}"#)
                .await;
        };
        self.state.counters.resume();
        self.session = Some(session_id.clone());
        self.shard = Some(shard[0]);
        for payload in missed {
            if self.send(&payload).await.is_err() {
                return Flow::Stop;
            }
        }
        self.state.dispatch_to(&session_id, "RESUMED", &Value::Null);
        self.reconnect_after_login(&self.state.faults());
        Flow::Continue
    }

    /// Op 3: the bot's presence changes in every guild of its shard; the guild hears it as
    /// `PRESENCE_UPDATE` (`invisible` shows as `offline`, as to any other member).
    fn update_presence(&self, data: &Value) {
        let Some(shard) = self.shard else { return };
        let status = match data["status"].as_str() {
            Some("invisible") => "offline",
            Some(status @ ("online" | "idle" | "dnd" | "offline")) => status,
            _ => "online",
        };
        let activities = data["activities"].as_array().cloned().unwrap_or_default();
        let client_status = if status == "offline" {
            json!({})
        } else {
            json!({"web": status})
        };
        let mut changed = Vec::new();
        {
            let mut state = self.state.data();
            let user_id = state.user["id"].clone();
            for (guild_id, guild) in &mut state.guilds {
                if self.state.shard_of(*guild_id) != shard {
                    continue;
                }
                let presence = json!({
                    "user": {"id": user_id},
                    "guild_id": guild_id.to_string(),
                    "status": status,
                    "activities": activities,
                    "client_status": client_status,
                });
                replace_by_user(guild, "presences", &user_id, Some(presence.clone()));
                changed.push(presence);
            }
        }
        for presence in changed {
            self.state
                .dispatch(Some(shard), "PRESENCE_UPDATE", &presence);
        }
    }

    /// Op 4: the bot joins, moves in or leaves (`channel_id` null) a guild's voice channel.
    /// The guild hears `VOICE_STATE_UPDATE` with the whole voice state; joining also sends
    /// this session `VOICE_SERVER_UPDATE` (where a voice connection would go).
    fn update_voice_state(&self, data: &Value) {
        let (Some(shard), Some(session)) = (self.shard, self.session.clone()) else {
            return;
        };
        let Some(guild_id) = data["guild_id"]
            .as_str()
            .and_then(|s| s.parse::<u64>().ok())
        else {
            return;
        };
        let channel_id = match &data["channel_id"] {
            Value::String(id) => Value::String(id.clone()),
            _ => Value::Null,
        };
        let voice_state = {
            let mut state = self.state.data();
            let user = state.user.clone();
            let Some(guild) = state.guilds.get_mut(&guild_id) else {
                return;
            };
            let member = guild["members"]
                .as_array()
                .and_then(|members| members.iter().find(|m| m["user"]["id"] == user["id"]))
                .cloned()
                .unwrap_or_else(
                    || json!({"user": user, "roles": [], "deaf": false, "mute": false}),
                );
            let voice_state = json!({
                "guild_id": guild_id.to_string(),
                "channel_id": channel_id,
                "user_id": user["id"],
                "member": member,
                "session_id": session,
                "deaf": false,
                "mute": false,
                "self_deaf": data["self_deaf"].as_bool().unwrap_or(false),
                "self_mute": data["self_mute"].as_bool().unwrap_or(false),
                "self_stream": false,
                "self_video": false,
                "suppress": false,
                "request_to_speak_timestamp": null,
            });
            let kept = (!channel_id.is_null()).then(|| voice_state.clone());
            replace_by_user(guild, "voice_states", &user["id"], kept);
            voice_state
        };
        self.state
            .dispatch(Some(shard), "VOICE_STATE_UPDATE", &voice_state);
        if !channel_id.is_null() {
            let server = json!({
                "token": format!("{:016x}", self.id),
                "guild_id": guild_id.to_string(),
                "endpoint": format!("{}/voice", self.host),
            });
            self.state
                .dispatch_to(&session, "VOICE_SERVER_UPDATE", &server);
        }
    }

    fn request_members(&self, data: &Value) {
        let guild_id = data["guild_id"]
            .as_str()
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or_default();
        let query = data["query"].as_str().unwrap_or_default().to_lowercase();
        let limit = data["limit"]
            .as_u64()
            .filter(|l| *l > 0)
            .unwrap_or(u64::MAX) as usize;
        let members: Vec<Value> = {
            let state = self.state.data();
            state
                .guilds
                .get(&guild_id)
                .and_then(|g| g["members"].as_array().cloned())
                .unwrap_or_default()
        };
        let matching: Vec<Value> = members
            .into_iter()
            .filter(|m| {
                m["user"]["username"]
                    .as_str()
                    .unwrap_or_default()
                    .to_lowercase()
                    .starts_with(&query)
            })
            .take(limit)
            .collect();
        let chunks: Vec<&[Value]> = if matching.is_empty() {
            vec![&[]]
        } else {
            matching.chunks(1000).collect()
        };
        let count = chunks.len();
        for (index, chunk) in chunks.into_iter().enumerate() {
            let mut chunk_data = json!({
                "guild_id": guild_id.to_string(),
                "members": chunk,
                "chunk_index": index,
                "chunk_count": count,
                "not_found": [],
            });
            if let Some(nonce) = data.get("nonce") {
                chunk_data["nonce"] = nonce.clone();
            }
            if let Some(session) = &self.session {
                self.state
                    .dispatch_to(session, "GUILD_MEMBERS_CHUNK", &chunk_data);
            }
        }
    }
}

/// Replaces the entry of `user_id` in `guild[list]` (presences, voice states) with `entry`,
/// or removes it when `entry` is `None`.
fn replace_by_user(guild: &mut Value, list: &str, user_id: &Value, entry: Option<Value>) {
    if !guild[list].is_array() {
        guild[list] = Value::Array(Vec::new());
    }
    if let Some(entries) = guild[list].as_array_mut() {
        entries.retain(|e| e["user_id"] != *user_id && e["user"]["id"] != *user_id);
        entries.extend(entry);
    }
}
