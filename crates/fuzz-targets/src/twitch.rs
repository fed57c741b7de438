//! Twitch: chat lines (svc-ircchat) and EventSub messages and events (svc-eventsub).

use svc_ircchat::{IrcMessage, ServerMessage};

pub(crate) fn irc_message(data: &[u8]) {
    let Some(text) = crate::text(data) else {
        return;
    };
    // One WebSocket message may carry several lines.
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let borrowed = IrcMessage::parse(line);
        let owned = IrcMessage::parse_owned(line.to_owned());
        assert_eq!(
            borrowed.is_ok(),
            owned.is_ok(),
            "borrowed vs owned parse of {line:?}"
        );
        let (Ok(message), Ok(owned)) = (borrowed, owned) else {
            continue;
        };
        for (_key, value) in &message.tags() {
            let _ = value.unescape();
        }
        let _ = message.prefix();
        let _ = message.params().count();
        let _ = message.trailing();
        let typed = ServerMessage::try_from(message).map(ServerMessage::into_owned);
        let typed_owned = ServerMessage::try_from(owned);
        assert_eq!(
            format!("{typed:?}"),
            format!("{typed_owned:?}"),
            "borrowed vs owned typed message of {line:?}"
        );
    }
}

pub(crate) fn eventsub_message(data: &[u8]) {
    let Some(text) = crate::text(data) else {
        return;
    };
    let _ = svc_eventsub::Envelope::parse(text);
}

/// `type\nversion\nevent-json`: the event body of a notification for that subscription.
pub(crate) fn eventsub_event(data: &[u8]) {
    let Some(text) = crate::text(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\n');
    let (Some(kind), Some(version), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let Ok(event) = serde_json::from_str(body) else {
        return;
    };
    let _ = svc_eventsub::Event::parse(kind, version, event);
}
