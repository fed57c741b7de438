//! Login: `PASS oauth:<token>` then `NICK <login>`, limited per login; anonymous
//! `justinfan<digits>` nicks need no token.

use tokio::time::Instant;

use super::state::{ChatState, Inner};
use crate::twitch::window::Window;

impl ChatState {
    /// `NICK`: logs session `id` in as `nick` (lowercased) if its token names that user,
    /// or anonymously; refuses with a NOTICE and closes otherwise or past the login limit.
    pub(super) fn login(&self, inner: &mut Inner, id: u64, nick: &str) {
        let Inner {
            conns,
            users,
            auth_windows,
            counters,
            ..
        } = inner;
        let Some(conn) = conns.get_mut(&id) else {
            return;
        };
        if self.chaos.is_on(crate::chaos::Chaos::DropMidHandshake) {
            conn.close();
            return;
        }
        let window = auth_windows
            .entry(nick.to_owned())
            .or_insert_with(|| Window::new(self.limits.auth.0, self.limits.auth.1));
        if !window.admit() {
            counters.auths_dropped += 1;
            conn.send(":tmi.twitch.tv NOTICE * :Login authentication failed".into());
            conn.close();
            return;
        }
        let anonymous = nick
            .strip_prefix("justinfan")
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
        let token = conn.pass.as_deref().and_then(|p| p.strip_prefix("oauth:"));
        let user = token.and_then(|t| {
            users.get(t).cloned().or_else(|| {
                let helix = self.helix.lock();
                let record = helix
                    .tokens
                    .get(t)
                    .filter(|r| r.expires_at > Instant::now())?;
                Some((record.login.clone()?, record.user_id.clone()?))
            })
        });
        let user_id = match user {
            Some((login, user_id)) if login == nick => Some(user_id),
            _ if anonymous => None,
            _ => {
                conn.send(":tmi.twitch.tv NOTICE * :Login authentication failed".into());
                conn.close();
                return;
            }
        };
        conn.login = Some(nick.to_owned());
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
            conn.send(format!(":tmi.twitch.tv {code} {nick} :{text}"));
        }
        if conn.tags {
            conn.send(format!(
                "@badge-info=;badges=;color=;display-name={nick};emote-sets=0;user-id={};user-type= :tmi.twitch.tv GLOBALUSERSTATE",
                user_id.unwrap_or_default()
            ));
        }
    }
}
