//! The lines the server writes: PRIVMSG and USERSTATE with Twitch's tag sets, and the
//! ids and timestamps in them.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

/// A stable room id for a channel login nobody registered (Twitch's are numeric user ids;
/// [`ChatState::id_of`](super::state::ChatState::id_of) uses the real one when it knows the user).
pub(super) fn room_id(channel: &str) -> u64 {
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

/// USERSTATE for `login` in `channel`; after a PRIVMSG it carries the message `id`.
pub(super) fn userstate(
    login: &str,
    channel: &str,
    badges: &str,
    message_id: Option<&str>,
) -> String {
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

/// What goes into a PRIVMSG line.
pub(super) struct PrivmsgLine<'s> {
    pub(super) login: &'s str,
    pub(super) user_id: &'s str,
    pub(super) channel: &'s str,
    /// The channel owner's user id.
    pub(super) room_id: &'s str,
    pub(super) text: &'s str,
    pub(super) badges: &'s str,
    pub(super) id: &'s str,
    pub(super) client_tags: &'s str,
}

/// A PRIVMSG with the tag set Twitch sends (alphabetical, as Twitch orders them).
pub(super) fn privmsg_line(m: &PrivmsgLine<'_>) -> String {
    let PrivmsgLine {
        login,
        user_id,
        channel,
        room_id,
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
        "returning-chatter=0;room-id={room_id};subscriber=0;tmi-sent-ts={};turbo=0;user-id={user_id};user-type=",
        now_ms()
    );
    if badges.contains("vip/") {
        tags.push_str(";vip=1");
    }
    format!("{tags} :{login}!{login}@{login}.tmi.twitch.tv PRIVMSG #{channel} :{text}")
}

/// A tag value escaped as IRCv3 wants: `;` → `\:`, space → `\s`, `\` → `\\`, CR/LF.
pub(super) fn escape_tag(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            ';' => out.push_str("\\:"),
            ' ' => out.push_str("\\s"),
            '\\' => out.push_str("\\\\"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// What goes into a USERNOTICE line (subs, raids…).
pub(super) struct UsernoticeLine<'s> {
    pub(super) login: &'s str,
    pub(super) user_id: &'s str,
    pub(super) channel: &'s str,
    pub(super) room_id: &'s str,
    pub(super) msg_id: &'s str,
    /// `msg-param-*` tags, names without the prefix, values unescaped.
    pub(super) params: &'s [(&'s str, String)],
    pub(super) system_msg: &'s str,
    pub(super) id: &'s str,
}

/// A USERNOTICE with Twitch's tag set (alphabetical, as Twitch orders them).
pub(super) fn usernotice_line(m: &UsernoticeLine<'_>) -> String {
    let mut params: Vec<&(&str, String)> = m.params.iter().collect();
    params.sort_by_key(|(name, _)| *name);
    let mut tags = format!(
        "@badge-info=;badges=;color=;display-name={};emotes=;flags=;id={};login={};mod=0;msg-id={};",
        m.login, m.id, m.login, m.msg_id
    );
    for (name, value) in params {
        let _ = write!(tags, "msg-param-{name}={};", escape_tag(value));
    }
    let _ = write!(
        tags,
        "room-id={};subscriber=0;system-msg={};tmi-sent-ts={};user-id={};user-type= :tmi.twitch.tv USERNOTICE #{}",
        m.room_id,
        escape_tag(m.system_msg),
        now_ms(),
        m.user_id,
        m.channel
    );
    tags
}
