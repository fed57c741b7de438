//! Chat: IRC sessions over WebSocket or TCP, channels, tags, and Twitch's limits.
//!
//! What a session sees, as on Twitch: `CAP REQ` is ACKed; `PASS oauth:<token>` + `NICK` log
//! in (a `justinfan<digits>` nick logs in anonymously and may only read); `001`–`004` and
//! `375`/`372`/`376` follow, then `GLOBALUSERSTATE` with the tags capability. `JOIN` is
//! echoed, then `353`/`366`, `USERSTATE` and `ROOMSTATE`. A `PRIVMSG` goes to the *other*
//! sessions in the channel with the full tag set; its sender gets `USERSTATE` instead.
//! Over-limit JOINs, logins and PRIVMSGs are dropped with a NOTICE and counted. A login's
//! token is either one registered with [`ChatControl::add_user`] or a user token the Helix /
//! OAuth side knows and that has not expired (so a refreshed token logs in, an expired one
//! fails like on Twitch).

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use crate::twitch::helix::HelixState;
use crate::twitch::window::Window;
use crate::ws::ServerSocket;

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

#[derive(Debug)]
enum Out {
    Line(String),
    Close,
}

#[derive(Debug)]
struct Conn {
    tx: mpsc::UnboundedSender<Out>,
    pass: Option<String>,
    login: Option<String>,
    user_id: Option<String>,
    anonymous: bool,
    tags: bool,
    membership: bool,
    channels: BTreeSet<String>,
}

#[derive(Debug, Default)]
#[allow(clippy::struct_field_names, reason = "each counts one kind of drop")]
struct Counters {
    joins_dropped: usize,
    privmsgs_dropped: usize,
    duplicates_dropped: usize,
    auths_dropped: usize,
}

#[derive(Debug)]
struct Inner {
    users: HashMap<String, (String, String)>,
    conns: HashMap<u64, Conn>,
    channels: HashMap<String, BTreeSet<u64>>,
    badges: HashMap<(String, String), String>,
    join_windows: HashMap<String, Window>,
    auth_windows: HashMap<String, Window>,
    msg_windows: HashMap<String, (Window, Window)>,
    last_text: HashMap<(String, String), (String, Instant)>,
    sent: Vec<SentMessage>,
    counters: Counters,
}

/// Chat state shared by every session.
#[derive(Debug)]
pub(crate) struct ChatState {
    limits: ChatLimits,
    /// Tokens issued by the OAuth side also log in.
    helix: Arc<HelixState>,
    inner: Mutex<Inner>,
    next_id: AtomicU64,
    accepted: AtomicUsize,
}

impl ChatState {
    pub(crate) fn new(limits: ChatLimits, helix: Arc<HelixState>) -> Self {
        Self {
            limits,
            helix,
            inner: Mutex::new(Inner {
                users: HashMap::new(),
                conns: HashMap::new(),
                channels: HashMap::new(),
                badges: HashMap::new(),
                join_windows: HashMap::new(),
                auth_windows: HashMap::new(),
                msg_windows: HashMap::new(),
                last_text: HashMap::new(),
                sent: Vec::new(),
                counters: Counters::default(),
            }),
            next_id: AtomicU64::new(1),
            accepted: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn register(&self, tx: mpsc::UnboundedSender<Out>) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.accepted.fetch_add(1, Ordering::Relaxed);
        let conn = Conn {
            tx,
            pass: None,
            login: None,
            user_id: None,
            anonymous: false,
            tags: false,
            membership: false,
            channels: BTreeSet::new(),
        };
        self.lock().conns.insert(id, conn);
        id
    }

    fn unregister(&self, id: u64) {
        let mut inner = self.lock();
        if let Some(conn) = inner.conns.remove(&id) {
            for channel in conn.channels {
                if let Some(members) = inner.channels.get_mut(&channel) {
                    members.remove(&id);
                }
            }
        }
    }

    fn message_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!(
            "{:08x}-5b0c-4d1e-8f00-{:012x}",
            n.wrapping_mul(2_654_435_761) & 0xffff_ffff,
            n
        )
    }

    /// Handles one line from session `id`.
    #[allow(
        clippy::too_many_lines,
        reason = "one flat match over the IRC commands a client sends"
    )]
    fn handle_line(&self, id: u64, line: &str) {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let Some(command) = Command::parse(line) else {
            return;
        };
        let Some(conn) = inner.conns.get_mut(&id) else {
            return;
        };
        let send = |conn: &Conn, text: String| {
            let _ = conn.tx.send(Out::Line(text));
        };
        match command.name {
            "CAP" => match command.params.first().copied() {
                Some("REQ") => {
                    let wanted = command.params.get(1).copied().unwrap_or("");
                    let known = ["twitch.tv/tags", "twitch.tv/commands", "twitch.tv/membership"];
                    if wanted.split(' ').filter(|c| !c.is_empty()).all(|c| known.contains(&c)) {
                        conn.tags |= wanted.contains("twitch.tv/tags");
                        conn.membership |= wanted.contains("twitch.tv/membership");
                        send(conn, format!(":tmi.twitch.tv CAP * ACK :{wanted}"));
                    } else {
                        send(conn, format!(":tmi.twitch.tv CAP * NAK :{wanted}"));
                    }
                }
                Some("LS") => send(conn, ":tmi.twitch.tv CAP * LS :twitch.tv/tags twitch.tv/commands twitch.tv/membership".into()),
                _ => {}
            },
            "PASS" => conn.pass = command.params.first().map(|p| (*p).to_owned()),
            "NICK" => {
                let nick = command.params.first().copied().unwrap_or("").to_lowercase();
                let window = inner
                    .auth_windows
                    .entry(nick.clone())
                    .or_insert_with(|| Window::new(self.limits.auth.0, self.limits.auth.1));
                if !window.admit() {
                    inner.counters.auths_dropped += 1;
                    send(conn, ":tmi.twitch.tv NOTICE * :Login authentication failed".into());
                    let _ = conn.tx.send(Out::Close);
                    return;
                }
                let anonymous = nick.strip_prefix("justinfan").is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
                let token = conn.pass.as_deref().and_then(|p| p.strip_prefix("oauth:"));
                let user = token.and_then(|t| {
                    inner.users.get(t).cloned().or_else(|| {
                        let helix = self.helix.lock();
                        let record = helix.tokens.get(t).filter(|r| r.expires_at > Instant::now())?;
                        Some((record.login.clone()?, record.user_id.clone()?))
                    })
                });
                let user_id = match user {
                    Some((login, user_id)) if login == nick => Some(user_id),
                    _ if anonymous => None,
                    _ => {
                        send(conn, ":tmi.twitch.tv NOTICE * :Login authentication failed".into());
                        let _ = conn.tx.send(Out::Close);
                        return;
                    }
                };
                conn.login = Some(nick.clone());
                conn.user_id.clone_from(&user_id);
                conn.anonymous = anonymous;
                for (code, text) in [
                    ("001", "Welcome, GLHF!"),
                    ("002", "Your host is tmi.twitch.tv"),
                    ("003", "This server is rather new"),
                    ("004", "-"),
                    ("375", "-"),
                    ("372", "You are in a maze of twisty passages, all alike."),
                    ("376", ">"),
                ] {
                    send(conn, format!(":tmi.twitch.tv {code} {nick} :{text}"));
                }
                if conn.tags {
                    send(conn, format!(
                        "@badge-info=;badges=;color=;display-name={nick};emote-sets=0;user-id={};user-type= :tmi.twitch.tv GLOBALUSERSTATE",
                        user_id.unwrap_or_default()
                    ));
                }
            }
            "PING" => {
                let argument = command.params.last().copied().unwrap_or("tmi.twitch.tv");
                send(conn, format!(":tmi.twitch.tv PONG tmi.twitch.tv :{argument}"));
            }
            "PONG" => {}
            _ if conn.login.is_none() => {}
            "JOIN" => {
                let login = conn.login.clone().unwrap_or_default();
                let list = command.params.first().copied().unwrap_or("");
                for channel in list.split(',').filter_map(|c| c.strip_prefix('#')).filter(|c| !c.is_empty()) {
                    self.join(inner, id, &login, &channel.to_lowercase());
                }
            }
            "PART" => {
                let login = conn.login.clone().unwrap_or_default();
                let list = command.params.first().copied().unwrap_or("");
                for channel in list.split(',').filter_map(|c| c.strip_prefix('#')) {
                    part(inner, id, &login, channel);
                }
            }
            "PRIVMSG" => {
                let (Some(target), Some(text)) = (command.params.first(), command.params.get(1)) else { return };
                let Some(channel) = target.strip_prefix('#') else { return };
                self.privmsg(inner, id, channel, text, command.tags);
            }
            other => {
                let nick = conn.login.clone().unwrap_or_default();
                send(conn, format!(":tmi.twitch.tv 421 {nick} {other} :Unknown command"));
            }
        }
    }

    fn join(&self, inner: &mut Inner, id: u64, login: &str, channel: &str) {
        let window = inner
            .join_windows
            .entry(login.to_owned())
            .or_insert_with(|| Window::new(self.limits.join.0, self.limits.join.1));
        let Some(conn) = inner.conns.get(&id) else {
            return;
        };
        if !window.admit() {
            inner.counters.joins_dropped += 1;
            let _ = conn.tx.send(Out::Line(format!(
                "@msg-id=msg_ratelimit :tmi.twitch.tv NOTICE #{channel} :Your JOIN was dropped because you are joining channels too quickly."
            )));
            return;
        }
        let echo = format!(":{login}!{login}@{login}.tmi.twitch.tv JOIN #{channel}");
        let members = inner.channels.entry(channel.to_owned()).or_default();
        members.insert(id);
        for member in members.iter().filter(|m| **m != id) {
            if let Some(other) = inner.conns.get(member).filter(|c| c.membership) {
                let _ = other.tx.send(Out::Line(echo.clone()));
            }
        }
        let badges = inner
            .badges
            .get(&(login.to_owned(), channel.to_owned()))
            .cloned()
            .unwrap_or_default();
        let room_id = room_id(channel);
        let Some(conn) = inner.conns.get_mut(&id) else {
            return;
        };
        conn.channels.insert(channel.to_owned());
        let mut lines = vec![
            echo,
            format!(":{login}.tmi.twitch.tv 353 {login} = #{channel} :{login}"),
            format!(":{login}.tmi.twitch.tv 366 {login} #{channel} :End of /NAMES list"),
        ];
        if conn.tags {
            lines.push(userstate(login, channel, &badges, None));
            lines.push(format!(
                "@emote-only=0;followers-only=-1;r9k=0;room-id={room_id};slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #{channel}"
            ));
        }
        for line in lines {
            let _ = conn.tx.send(Out::Line(line));
        }
    }

    fn privmsg(&self, inner: &mut Inner, id: u64, channel: &str, text: &str, client_tags: &str) {
        let Some(conn) = inner.conns.get(&id) else {
            return;
        };
        if conn.anonymous {
            // Twitch silently ignores messages from anonymous logins.
            return;
        }
        let login = conn.login.clone().unwrap_or_default();
        let badges = inner
            .badges
            .get(&(login.clone(), channel.to_owned()))
            .cloned()
            .unwrap_or_default();
        let privileged = login == channel
            || badges.split(',').any(|b| {
                b.starts_with("moderator/")
                    || b.starts_with("vip/")
                    || b.starts_with("broadcaster/")
            });
        let now = Instant::now();
        let key = (login.clone(), channel.to_owned());
        if !privileged
            && inner.last_text.get(&key).is_some_and(|(last, at)| {
                last == text && now.duration_since(*at) < self.limits.duplicate_window
            })
        {
            inner.counters.duplicates_dropped += 1;
            let _ = conn.tx.send(Out::Line(format!(
                "@msg-id=msg_duplicate :tmi.twitch.tv NOTICE #{channel} :Your message was not sent because it is identical to the previous one you sent, less than 30 seconds ago."
            )));
            return;
        }
        let (normal, all) = inner.msg_windows.entry(login.clone()).or_insert_with(|| {
            (
                Window::new(self.limits.privmsg.0, self.limits.privmsg.1),
                Window::new(
                    self.limits.privmsg_privileged.0,
                    self.limits.privmsg_privileged.1,
                ),
            )
        });
        let admitted = all.has_room() && (privileged || normal.has_room());
        if admitted {
            all.admit();
            if !privileged {
                normal.admit();
            }
        } else {
            inner.counters.privmsgs_dropped += 1;
            let _ = conn.tx.send(Out::Line(format!(
                "@msg-id=msg_ratelimit :tmi.twitch.tv NOTICE #{channel} :Your message was not sent because you are sending messages too quickly."
            )));
            return;
        }
        inner.last_text.insert(key, (text.to_owned(), now));
        let message_id = self.message_id();
        let user_id = conn.user_id.clone().unwrap_or_default();
        let _ = conn.tx.send(Out::Line(if conn.tags {
            userstate(&login, channel, &badges, Some(&message_id))
        } else {
            String::new()
        }));
        let full = privmsg_line(&PrivmsgLine {
            login: &login,
            user_id: &user_id,
            channel,
            text,
            badges: &badges,
            id: &message_id,
            client_tags,
        });
        let plain = format!(":{login}!{login}@{login}.tmi.twitch.tv PRIVMSG #{channel} :{text}");
        if let Some(members) = inner.channels.get(channel) {
            for member in members.iter().filter(|m| **m != id) {
                if let Some(other) = inner.conns.get(member) {
                    let line = if other.tags {
                        full.clone()
                    } else {
                        plain.clone()
                    };
                    let _ = other.tx.send(Out::Line(line));
                }
            }
        }
        inner.sent.push(SentMessage {
            channel: channel.to_owned(),
            login,
            text: text.to_owned(),
            id: message_id,
        });
    }
}

fn part(inner: &mut Inner, id: u64, login: &str, channel: &str) {
    let echo = format!(":{login}!{login}@{login}.tmi.twitch.tv PART #{channel}");
    if let Some(members) = inner.channels.get_mut(channel) {
        for member in members.iter() {
            if let Some(other) = inner
                .conns
                .get(member)
                .filter(|c| *member == id || c.membership)
            {
                let _ = other.tx.send(Out::Line(echo.clone()));
            }
        }
        members.remove(&id);
    }
    if let Some(conn) = inner.conns.get_mut(&id) {
        conn.channels.remove(channel);
    }
}

fn room_id(channel: &str) -> u64 {
    channel.bytes().fold(1_469_598_103_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(1_099_511)
    }) % 900_000_000
        + 10_000
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

fn userstate(login: &str, channel: &str, badges: &str, message_id: Option<&str>) -> String {
    let mut line =
        format!("@badge-info=;badges={badges};color=;display-name={login};emote-sets=0;");
    if let Some(id) = message_id {
        let _ = write!(line, "id={id};");
    }
    let is_mod = u8::from(badges.contains("moderator/"));
    let _ = write!(
        line,
        "mod={is_mod};subscriber=0;user-type= :tmi.twitch.tv USERSTATE #{channel}"
    );
    line
}

struct PrivmsgLine<'s> {
    login: &'s str,
    user_id: &'s str,
    channel: &'s str,
    text: &'s str,
    badges: &'s str,
    id: &'s str,
    client_tags: &'s str,
}

/// A PRIVMSG with the tag set Twitch sends (alphabetical, as Twitch orders them).
fn privmsg_line(m: &PrivmsgLine<'_>) -> String {
    let PrivmsgLine {
        login,
        user_id,
        channel,
        text,
        badges,
        id,
        client_tags,
    } = *m;
    let client_tag = |name: &str| {
        client_tags.split(';').find_map(|pair| {
            pair.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('='))
        })
    };
    let mut tags = format!("@badge-info=;badges={badges};");
    if let Some(nonce) = client_tag("client-nonce") {
        let _ = write!(tags, "client-nonce={nonce};");
    }
    let is_mod = u8::from(badges.contains("moderator/"));
    let _ = write!(
        tags,
        "color=;display-name={login};emotes=;first-msg=0;flags=;id={id};mod={is_mod};"
    );
    if let Some(parent) = client_tag("reply-parent-msg-id") {
        let _ = write!(tags, "reply-parent-msg-id={parent};");
    }
    let _ = write!(
        tags,
        "returning-chatter=0;room-id={};subscriber=0;tmi-sent-ts={};turbo=0;user-id={user_id};user-type=",
        room_id(channel),
        now_ms()
    );
    if badges.contains("vip/") {
        tags.push_str(";vip=1");
    }
    format!("{tags} :{login}!{login}@{login}.tmi.twitch.tv PRIVMSG #{channel} :{text}")
}

/// A client line: tags (raw), command, params with the trailing one last.
struct Command<'s> {
    tags: &'s str,
    name: &'s str,
    params: Vec<&'s str>,
}

impl<'s> Command<'s> {
    fn parse(line: &'s str) -> Option<Self> {
        let mut rest = line.trim_end_matches(['\r', '\n']);
        let mut tags = "";
        if let Some(tagged) = rest.strip_prefix('@') {
            let (t, r) = tagged.split_once(' ')?;
            tags = t;
            rest = r.trim_start();
        }
        if rest.starts_with(':') {
            rest = rest.split_once(' ')?.1.trim_start();
        }
        let (name, mut rest) = rest.split_once(' ').unwrap_or((rest, ""));
        if name.is_empty() {
            return None;
        }
        let mut params = Vec::new();
        loop {
            rest = rest.trim_start_matches(' ');
            if rest.is_empty() {
                break;
            }
            if let Some(trailing) = rest.strip_prefix(':') {
                params.push(trailing);
                break;
            }
            let (param, r) = rest.split_once(' ').unwrap_or((rest, ""));
            params.push(param);
            rest = r;
        }
        Some(Self { tags, name, params })
    }
}

pub(crate) async fn run_ws(state: Arc<ChatState>, mut socket: ServerSocket) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = state.register(tx);
    loop {
        tokio::select! {
            incoming = socket.next() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
                        state.handle_line(id, line);
                    }
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            out = rx.recv() => match out {
                Some(Out::Line(line)) if line.is_empty() => {}
                Some(Out::Line(line)) => {
                    if socket.send(Message::text(format!("{line}\r\n"))).await.is_err() {
                        break;
                    }
                }
                Some(Out::Close) | None => break,
            },
        }
    }
    state.unregister(id);
}

pub(crate) async fn run_tcp(state: Arc<ChatState>, stream: TcpStream) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = state.register(tx);
    loop {
        tokio::select! {
            line = lines.next_line() => match line {
                Ok(Some(line)) => state.handle_line(id, &line),
                Ok(None) | Err(_) => break,
            },
            out = rx.recv() => match out {
                Some(Out::Line(line)) if line.is_empty() => {}
                Some(Out::Line(line)) => {
                    if write.write_all(format!("{line}\r\n").as_bytes()).await.is_err() {
                        break;
                    }
                }
                Some(Out::Close) | None => break,
            },
        }
    }
    state.unregister(id);
}

/// Steers the chat server from tests and demos.
#[derive(Debug, Clone)]
pub struct ChatControl {
    state: Arc<ChatState>,
}

impl ChatControl {
    pub(crate) fn new(state: Arc<ChatState>) -> Self {
        Self { state }
    }

    /// Registers a user: `PASS oauth:<token>` with `NICK <login>` then logs in as `user_id`.
    pub fn add_user(&self, token: &str, login: &str, user_id: &str) {
        self.state
            .lock()
            .users
            .insert(token.to_owned(), (login.to_lowercase(), user_id.to_owned()));
    }

    /// Gives `login` these badges in `channel` (`"moderator/1"`, `"vip/1"`): moderators, VIPs and
    /// broadcasters get the higher send limit and skip the duplicate rule.
    pub fn set_badges(&self, login: &str, channel: &str, badges: &str) {
        self.state.lock().badges.insert(
            (login.to_lowercase(), channel.to_lowercase()),
            badges.to_owned(),
        );
    }

    /// Sends a raw line to every logged-in session.
    pub fn inject(&self, line: &str) {
        for conn in self
            .state
            .lock()
            .conns
            .values()
            .filter(|c| c.login.is_some())
        {
            let _ = conn.tx.send(Out::Line(line.to_owned()));
        }
    }

    /// Sends a raw line to every session in `channel`.
    pub fn inject_channel(&self, channel: &str, line: &str) {
        let inner = self.state.lock();
        for id in inner.channels.get(channel).into_iter().flatten() {
            if let Some(conn) = inner.conns.get(id) {
                let _ = conn.tx.send(Out::Line(line.to_owned()));
            }
        }
    }

    /// Delivers a chat message from `login` to every session in `channel`, with the full tag
    /// set (as if another user had typed it).
    pub fn say(&self, channel: &str, login: &str, text: &str) {
        let id = self.state.message_id();
        let line = privmsg_line(&PrivmsgLine {
            login,
            user_id: &room_id(login).to_string(),
            channel,
            text,
            badges: "",
            id: &id,
            client_tags: "",
        });
        self.inject_channel(channel, &line);
    }

    /// Sends `:tmi.twitch.tv RECONNECT` to every session (they should reconnect and rejoin).
    pub fn request_reconnect(&self) {
        self.inject(":tmi.twitch.tv RECONNECT");
    }

    /// Sends `PING :tmi.twitch.tv` to every session.
    pub fn ping(&self) {
        self.inject("PING :tmi.twitch.tv");
    }

    /// Drops every session without a goodbye, like a network failure.
    pub fn disconnect_all(&self) {
        for conn in self.state.lock().conns.values() {
            let _ = conn.tx.send(Out::Close);
        }
    }

    /// Sessions open now.
    pub fn connected(&self) -> usize {
        self.state.lock().conns.len()
    }

    /// Sessions accepted since the start.
    pub fn accepted(&self) -> usize {
        self.state.accepted.load(Ordering::Relaxed)
    }

    /// Sessions currently in `channel`.
    pub fn members(&self, channel: &str) -> usize {
        self.state
            .lock()
            .channels
            .get(channel)
            .map_or(0, BTreeSet::len)
    }

    /// Channels `login` is in right now (over all its sessions).
    pub fn channels_of(&self, login: &str) -> BTreeSet<String> {
        let inner = self.state.lock();
        inner
            .conns
            .values()
            .filter(|c| c.login.as_deref() == Some(login))
            .flat_map(|c| c.channels.iter().cloned())
            .collect()
    }

    /// Every PRIVMSG accepted so far, in order.
    pub fn sent(&self) -> Vec<SentMessage> {
        self.state.lock().sent.clone()
    }

    /// JOINs dropped for exceeding the JOIN limit.
    pub fn joins_dropped(&self) -> usize {
        self.state.lock().counters.joins_dropped
    }

    /// PRIVMSGs dropped for exceeding the message limit.
    pub fn privmsgs_dropped(&self) -> usize {
        self.state.lock().counters.privmsgs_dropped
    }

    /// PRIVMSGs dropped as duplicates.
    pub fn duplicates_dropped(&self) -> usize {
        self.state.lock().counters.duplicates_dropped
    }

    /// Logins refused for exceeding the login limit.
    pub fn auths_dropped(&self) -> usize {
        self.state.lock().counters.auths_dropped
    }

    /// All rate-limit NOTICEs sent (JOIN, PRIVMSG, duplicate, login).
    pub fn rate_limit_notices(&self) -> usize {
        let c = &self.state.lock().counters;
        c.joins_dropped + c.privmsgs_dropped + c.duplicates_dropped + c.auths_dropped
    }
}
