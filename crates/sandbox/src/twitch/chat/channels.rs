//! Channels: JOIN (limited per login, echoed, then NAMES, USERSTATE and ROOMSTATE) and
//! PART.

use super::lines::userstate;
use super::state::{ChatState, Inner};
use crate::twitch::window::Window;

impl ChatState {
    pub(super) fn join(&self, inner: &mut Inner, id: u64, login: &str, channel: &str) {
        let window = inner
            .join_windows
            .entry(login.to_owned())
            .or_insert_with(|| Window::new(self.limits.join.0, self.limits.join.1));
        let Some(conn) = inner.conns.get(&id) else {
            return;
        };
        if !window.admit() {
            inner.counters.joins_dropped += 1;
            conn.send(format!(
                "@msg-id=msg_ratelimit :tmi.twitch.tv NOTICE #{channel} :Your JOIN was dropped because you are joining channels too quickly."
            ));
            return;
        }
        if inner.silent.contains(channel) {
            return;
        }
        if inner.suspended.contains(channel) {
            conn.send(format!(
                "@msg-id=msg_channel_suspended :tmi.twitch.tv NOTICE #{channel} :This channel does not exist or has been suspended."
            ));
            return;
        }
        if inner
            .banned
            .contains(&(login.to_owned(), channel.to_owned()))
        {
            conn.send(format!(
                "@msg-id=msg_banned :tmi.twitch.tv NOTICE #{channel} :You are permanently banned from talking in {channel}."
            ));
            return;
        }
        let echo = format!(":{login}!{login}@{login}.tmi.twitch.tv JOIN #{channel}");
        let members = inner.channels.entry(channel.to_owned()).or_default();
        members.insert(id);
        for member in members.iter().filter(|m| **m != id) {
            if let Some(other) = inner.conns.get(member).filter(|c| c.membership) {
                other.send(echo.clone());
            }
        }
        let badges = inner
            .badges
            .get(&(login.to_owned(), channel.to_owned()))
            .cloned()
            .unwrap_or_default();
        let room_id = self.id_of(channel);
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
            conn.send(line);
        }
    }
}

/// `PART #channel`: echoed to the session and to members with the membership capability.
pub(super) fn part(inner: &mut Inner, id: u64, login: &str, channel: &str) {
    let echo = format!(":{login}!{login}@{login}.tmi.twitch.tv PART #{channel}");
    if let Some(members) = inner.channels.get_mut(channel) {
        for member in members.iter() {
            if let Some(other) = inner
                .conns
                .get(member)
                .filter(|c| *member == id || c.membership)
            {
                other.send(echo.clone());
            }
        }
        members.remove(&id);
    }
    if let Some(conn) = inner.conns.get_mut(&id) {
        conn.channels.remove(channel);
    }
}
