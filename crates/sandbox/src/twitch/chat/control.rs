//! [`ChatControl`]: steering the chat server from tests and demos.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::SentMessage;
use super::lines::{PrivmsgLine, UsernoticeLine, privmsg_line, usernotice_line};
use super::state::ChatState;

/// Steers the chat server from tests and demos.
#[derive(Debug, Clone)]
pub struct ChatControl {
    state: Arc<ChatState>,
}

impl ChatControl {
    pub(crate) fn new(state: Arc<ChatState>) -> Self {
        Self { state }
    }

    /// The chat server's chaos switch (TCP and WebSocket): hostile behaviours, see
    /// [`crate::chaos::Chaos`].
    pub fn chaos(&self) -> crate::chaos::ChaosSwitch {
        self.state.chaos.clone()
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

    /// Suspends `channel`: a JOIN gets `NOTICE #channel` with `msg-id=msg_channel_suspended`
    /// and no echo, as on Twitch.
    pub fn suspend_channel(&self, channel: &str) {
        self.state
            .lock()
            .suspended
            .insert(channel.trim_start_matches('#').to_lowercase());
    }

    /// Bans `login` from `channel`: its JOIN gets `NOTICE #channel` with `msg-id=msg_banned`
    /// and no echo.
    pub fn ban(&self, login: &str, channel: &str) {
        self.state.lock().banned.insert((
            login.to_lowercase(),
            channel.trim_start_matches('#').to_lowercase(),
        ));
    }

    /// Leaves JOINs to `channel` unanswered (no echo, no NOTICE), so a client's join
    /// timeout can be seen.
    pub fn ignore_joins(&self, channel: &str) {
        self.state
            .lock()
            .silent
            .insert(channel.trim_start_matches('#').to_lowercase());
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
            conn.send(line.to_owned());
        }
    }

    /// Sends a raw line to every session in `channel`.
    pub fn inject_channel(&self, channel: &str, line: &str) {
        self.inject_channel_counted(channel, line);
    }

    /// [`inject_channel`](Self::inject_channel), returning how many sessions got it.
    pub fn inject_channel_counted(&self, channel: &str, line: &str) -> usize {
        let inner = self.state.lock();
        let mut sent = 0;
        for id in inner.channels.get(channel).into_iter().flatten() {
            if let Some(conn) = inner.conns.get(id) {
                conn.send(line.to_owned());
                sent += 1;
            }
        }
        sent
    }

    /// Every session: its login (`None` before login), whether anonymous, and its channels.
    pub fn sessions(&self) -> Vec<(Option<String>, bool, Vec<String>)> {
        let inner = self.state.lock();
        let mut sessions: Vec<(Option<String>, bool, Vec<String>)> = inner
            .conns
            .values()
            .map(|c| {
                (
                    c.login.clone(),
                    c.anonymous,
                    c.channels.iter().cloned().collect(),
                )
            })
            .collect();
        sessions.sort();
        sessions
    }

    /// Delivers a chat message from `login` to every session in `channel`, with the full tag
    /// set (as if another user had typed it).
    pub fn say(&self, channel: &str, login: &str, text: &str) {
        self.say_counted(channel, login, text);
    }

    /// [`say`](Self::say), returning how many sessions in `channel` got the line. The
    /// sender's badges in the channel (moderator, VIP…) are on it.
    pub fn say_counted(&self, channel: &str, login: &str, text: &str) -> usize {
        let who = Speaker::of(self, channel, login);
        let badges = self
            .state
            .lock()
            .badges
            .get(&(who.login.clone(), who.channel.clone()))
            .cloned()
            .unwrap_or_default();
        let line = privmsg_line(&who.privmsg(text, &badges));
        self.inject_channel_counted(&who.channel, &line)
    }

    /// A USERNOTICE from `login` in `channel` (`msg_id` `sub`, `resub`, `raid`…, with its
    /// `msg-param-*` tags and system message). Returns how many sessions got it.
    pub fn usernotice(
        &self,
        channel: &str,
        login: &str,
        msg_id: &str,
        params: &[(&str, String)],
        system_msg: &str,
    ) -> usize {
        let who = Speaker::of(self, channel, login);
        let line = usernotice_line(&UsernoticeLine {
            login: &who.login,
            user_id: &who.user_id,
            channel: &who.channel,
            room_id: &who.room_id,
            msg_id,
            params,
            system_msg,
            id: &who.message_id,
        });
        self.inject_channel_counted(&who.channel, &line)
    }

    /// A cheer: `login` sends `text` with `bits` bits (a PRIVMSG carrying the `bits` tag).
    /// Returns how many sessions got it.
    pub fn cheer(&self, channel: &str, login: &str, bits: u32, text: &str) -> usize {
        let who = Speaker::of(self, channel, login);
        let line = privmsg_line(&who.privmsg(text, ""));
        // Twitch puts `bits` right after `badges` (tags are alphabetical).
        let line = line.replacen(";color=", &format!(";bits={bits};color="), 1);
        self.inject_channel_counted(&who.channel, &line)
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
            conn.close();
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

/// Someone speaking in a channel, as the lines the server writes name them.
struct Speaker {
    channel: String,
    login: String,
    user_id: String,
    room_id: String,
    message_id: String,
}

impl Speaker {
    /// `login` in `channel` (`#` optional, any case), with their ids and a fresh message id.
    fn of(control: &ChatControl, channel: &str, login: &str) -> Self {
        let channel = channel.trim_start_matches('#').to_lowercase();
        let login = login.to_lowercase();
        Self {
            user_id: control.state.id_of(&login),
            room_id: control.state.id_of(&channel),
            message_id: control.state.message_id(),
            channel,
            login,
        }
    }

    fn privmsg<'s>(&'s self, text: &'s str, badges: &'s str) -> PrivmsgLine<'s> {
        PrivmsgLine {
            login: &self.login,
            user_id: &self.user_id,
            channel: &self.channel,
            room_id: &self.room_id,
            text,
            badges,
            id: &self.message_id,
            client_tags: "",
        }
    }
}
