//! PRIVMSG: the duplicate rule, the normal and privileged send limits, USERSTATE to the
//! sender and the message with its tags to everyone else in the channel.

use tokio::time::Instant;

use super::SentMessage;
use super::lines::{PrivmsgLine, privmsg_line, userstate};
use super::state::{ChatState, Inner};
use crate::twitch::window::Window;

impl ChatState {
    /// `PRIVMSG #channel :text` from session `id`; `client_tags` are the tags it sent.
    pub(super) fn privmsg(
        &self,
        inner: &mut Inner,
        id: u64,
        channel: &str,
        text: &str,
        client_tags: &str,
    ) {
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
            conn.send(format!(
                "@msg-id=msg_duplicate :tmi.twitch.tv NOTICE #{channel} :Your message was not sent because it is identical to the previous one you sent, less than 30 seconds ago."
            ));
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
            conn.send(format!(
                "@msg-id=msg_ratelimit :tmi.twitch.tv NOTICE #{channel} :Your message was not sent because you are sending messages too quickly."
            ));
            return;
        }
        inner.last_text.insert(key, (text.to_owned(), now));
        let message_id = self.message_id();
        let user_id = conn.user_id.clone().unwrap_or_default();
        conn.send(if conn.tags {
            userstate(&login, channel, &badges, Some(&message_id))
        } else {
            String::new()
        });
        let full = privmsg_line(&PrivmsgLine {
            login: &login,
            user_id: &user_id,
            channel,
            room_id: &self.id_of(channel),
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
                    other.send(line);
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
