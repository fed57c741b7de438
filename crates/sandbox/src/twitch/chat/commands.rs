//! What a client sends: one IRC line at a time, dispatched by command. Login is in
//! [`super::login`], JOIN/PART in [`super::channels`], PRIVMSG in [`super::privmsg`].

use super::parse::Command;
use super::state::{ChatState, Conn};

/// The capabilities Twitch offers.
const CAPABILITIES: [&str; 3] = [
    "twitch.tv/tags",
    "twitch.tv/commands",
    "twitch.tv/membership",
];

impl ChatState {
    /// Handles one line from session `id`. Before login only CAP, PASS, NICK, PING and
    /// PONG do anything, as on Twitch.
    pub(super) fn handle_line(&self, id: u64, line: &str) {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let Some(command) = Command::parse(line) else {
            return;
        };
        let Some(conn) = inner.conns.get_mut(&id) else {
            return;
        };
        let first = command.params.first().copied();
        match command.name {
            "CAP" => cap(conn, first, command.params.get(1).copied()),
            "PASS" => conn.pass = first.map(str::to_owned),
            "NICK" => self.login(inner, id, &first.unwrap_or("").to_lowercase()),
            "PING" => {
                let argument = command.params.last().copied().unwrap_or("tmi.twitch.tv");
                conn.send(format!(":tmi.twitch.tv PONG tmi.twitch.tv :{argument}"));
            }
            "PONG" => {}
            _ if conn.login.is_none() => {}
            "JOIN" => {
                let login = conn.login.clone().unwrap_or_default();
                let channels = first.unwrap_or("").split(',');
                for channel in channels
                    .filter_map(|c| c.strip_prefix('#'))
                    .filter(|c| !c.is_empty())
                {
                    self.join(inner, id, &login, &channel.to_lowercase());
                }
            }
            "PART" => {
                let login = conn.login.clone().unwrap_or_default();
                let channels = first.unwrap_or("").split(',');
                for channel in channels.filter_map(|c| c.strip_prefix('#')) {
                    super::channels::part(inner, id, &login, channel);
                }
            }
            "PRIVMSG" => {
                let (Some(target), Some(text)) = (first, command.params.get(1)) else {
                    return;
                };
                let Some(channel) = target.strip_prefix('#') else {
                    return;
                };
                self.privmsg(inner, id, channel, text, command.tags);
            }
            other => {
                let nick = conn.login.clone().unwrap_or_default();
                conn.send(format!(
                    ":tmi.twitch.tv 421 {nick} {other} :Unknown command"
                ));
            }
        }
    }
}

/// `CAP REQ :<caps>` is ACKed when every capability is known (NAKed otherwise); `CAP LS`
/// lists them.
fn cap(conn: &mut Conn, subcommand: Option<&str>, wanted: Option<&str>) {
    match subcommand {
        Some("REQ") => {
            let wanted = wanted.unwrap_or("");
            if wanted
                .split(' ')
                .filter(|c| !c.is_empty())
                .all(|c| CAPABILITIES.contains(&c))
            {
                conn.tags |= wanted.contains("twitch.tv/tags");
                conn.membership |= wanted.contains("twitch.tv/membership");
                conn.send(format!(":tmi.twitch.tv CAP * ACK :{wanted}"));
            } else {
                conn.send(format!(":tmi.twitch.tv CAP * NAK :{wanted}"));
            }
        }
        Some("LS") => conn.send(format!(
            ":tmi.twitch.tv CAP * LS :{}",
            CAPABILITIES.join(" ")
        )),
        _ => {}
    }
}
