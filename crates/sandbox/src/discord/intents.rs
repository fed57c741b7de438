//! Gateway intents as Discord applies them to dispatches: an event the session's intents do
//! not cover is not sent (and takes no sequence number); without MESSAGE_CONTENT a message
//! arrives with empty `content`, `embeds`, `attachments`, `components` and `poll` unless it
//! is a DM, the bot's own, or mentions the bot; without GUILD_PRESENCES a GUILD_CREATE has
//! no `presences`.

use std::borrow::Cow;

use serde_json::Value;

const GUILDS: u64 = 1 << 0;
const GUILD_MEMBERS: u64 = 1 << 1;
const GUILD_MODERATION: u64 = 1 << 2;
const GUILD_EXPRESSIONS: u64 = 1 << 3;
const GUILD_INTEGRATIONS: u64 = 1 << 4;
const GUILD_WEBHOOKS: u64 = 1 << 5;
const GUILD_INVITES: u64 = 1 << 6;
const GUILD_VOICE_STATES: u64 = 1 << 7;
const GUILD_PRESENCES: u64 = 1 << 8;
const GUILD_MESSAGES: u64 = 1 << 9;
const GUILD_MESSAGE_REACTIONS: u64 = 1 << 10;
const GUILD_MESSAGE_TYPING: u64 = 1 << 11;
const DIRECT_MESSAGES: u64 = 1 << 12;
const DIRECT_MESSAGE_REACTIONS: u64 = 1 << 13;
const DIRECT_MESSAGE_TYPING: u64 = 1 << 14;
const MESSAGE_CONTENT: u64 = 1 << 15;
const GUILD_SCHEDULED_EVENTS: u64 = 1 << 16;
const AUTO_MODERATION_CONFIGURATION: u64 = 1 << 20;
const AUTO_MODERATION_EXECUTION: u64 = 1 << 21;
const GUILD_MESSAGE_POLLS: u64 = 1 << 24;
const DIRECT_MESSAGE_POLLS: u64 = 1 << 25;

/// The intent an event needs (`None`: always sent, like READY or INTERACTION_CREATE).
fn required(event: &str, in_guild: bool) -> Option<u64> {
    let pick = |guild: u64, direct: u64| Some(if in_guild { guild } else { direct });
    match event {
        "GUILD_CREATE"
        | "GUILD_UPDATE"
        | "GUILD_DELETE"
        | "GUILD_ROLE_CREATE"
        | "GUILD_ROLE_UPDATE"
        | "GUILD_ROLE_DELETE"
        | "CHANNEL_CREATE"
        | "CHANNEL_UPDATE"
        | "CHANNEL_DELETE"
        | "THREAD_CREATE"
        | "THREAD_UPDATE"
        | "THREAD_DELETE"
        | "THREAD_LIST_SYNC"
        | "THREAD_MEMBER_UPDATE"
        | "STAGE_INSTANCE_CREATE"
        | "STAGE_INSTANCE_UPDATE"
        | "STAGE_INSTANCE_DELETE" => Some(GUILDS),
        "CHANNEL_PINS_UPDATE" => pick(GUILDS, DIRECT_MESSAGES),
        "GUILD_MEMBER_ADD"
        | "GUILD_MEMBER_UPDATE"
        | "GUILD_MEMBER_REMOVE"
        | "THREAD_MEMBERS_UPDATE" => Some(GUILD_MEMBERS),
        "GUILD_AUDIT_LOG_ENTRY_CREATE" | "GUILD_BAN_ADD" | "GUILD_BAN_REMOVE" => {
            Some(GUILD_MODERATION)
        }
        "GUILD_EMOJIS_UPDATE" | "GUILD_STICKERS_UPDATE" => Some(GUILD_EXPRESSIONS),
        "GUILD_INTEGRATIONS_UPDATE"
        | "INTEGRATION_CREATE"
        | "INTEGRATION_UPDATE"
        | "INTEGRATION_DELETE" => Some(GUILD_INTEGRATIONS),
        "WEBHOOKS_UPDATE" => Some(GUILD_WEBHOOKS),
        "INVITE_CREATE" | "INVITE_DELETE" => Some(GUILD_INVITES),
        "VOICE_STATE_UPDATE" => Some(GUILD_VOICE_STATES),
        "PRESENCE_UPDATE" => Some(GUILD_PRESENCES),
        "MESSAGE_CREATE" | "MESSAGE_UPDATE" | "MESSAGE_DELETE" | "MESSAGE_DELETE_BULK" => {
            pick(GUILD_MESSAGES, DIRECT_MESSAGES)
        }
        "MESSAGE_REACTION_ADD"
        | "MESSAGE_REACTION_REMOVE"
        | "MESSAGE_REACTION_REMOVE_ALL"
        | "MESSAGE_REACTION_REMOVE_EMOJI" => {
            pick(GUILD_MESSAGE_REACTIONS, DIRECT_MESSAGE_REACTIONS)
        }
        "TYPING_START" => pick(GUILD_MESSAGE_TYPING, DIRECT_MESSAGE_TYPING),
        "GUILD_SCHEDULED_EVENT_CREATE"
        | "GUILD_SCHEDULED_EVENT_UPDATE"
        | "GUILD_SCHEDULED_EVENT_DELETE"
        | "GUILD_SCHEDULED_EVENT_USER_ADD"
        | "GUILD_SCHEDULED_EVENT_USER_REMOVE" => Some(GUILD_SCHEDULED_EVENTS),
        "AUTO_MODERATION_RULE_CREATE"
        | "AUTO_MODERATION_RULE_UPDATE"
        | "AUTO_MODERATION_RULE_DELETE" => Some(AUTO_MODERATION_CONFIGURATION),
        "AUTO_MODERATION_ACTION_EXECUTION" => Some(AUTO_MODERATION_EXECUTION),
        "MESSAGE_POLL_VOTE_ADD" | "MESSAGE_POLL_VOTE_REMOVE" => {
            pick(GUILD_MESSAGE_POLLS, DIRECT_MESSAGE_POLLS)
        }
        _ => None,
    }
}

fn id(value: &Value) -> Option<&str> {
    value["id"].as_str()
}

/// Whether a message's content is visible without MESSAGE_CONTENT.
fn content_exempt(data: &Value, bot: &str) -> bool {
    data.get("guild_id").is_none_or(Value::is_null)
        || id(&data["author"]) == Some(bot)
        || data["mentions"]
            .as_array()
            .is_some_and(|m| m.iter().any(|u| id(u) == Some(bot)))
}

/// What a session with `intents` receives of `event` (`None`: nothing).
pub(crate) fn filter<'a>(
    intents: u64,
    bot: &str,
    event: &str,
    data: &'a Value,
) -> Option<Cow<'a, Value>> {
    let in_guild = data.get("guild_id").is_some_and(|g| !g.is_null());
    if let Some(needed) = required(event, in_guild)
        && intents & needed == 0
    {
        return None;
    }
    match event {
        "MESSAGE_CREATE" | "MESSAGE_UPDATE"
            if intents & MESSAGE_CONTENT == 0 && !content_exempt(data, bot) =>
        {
            let mut stripped = data.clone();
            if let Some(object) = stripped.as_object_mut() {
                for key in ["content", "embeds", "attachments", "components", "poll"] {
                    if let Some(value) = object.get_mut(key) {
                        *value = match value {
                            Value::String(_) => Value::from(""),
                            Value::Array(_) => Value::Array(Vec::new()),
                            _ => Value::Null,
                        };
                    }
                }
            }
            Some(Cow::Owned(stripped))
        }
        "GUILD_CREATE" if intents & GUILD_PRESENCES == 0 && data.get("presences").is_some() => {
            let mut stripped = data.clone();
            stripped["presences"] = Value::Array(Vec::new());
            Some(Cow::Owned(stripped))
        }
        _ => Some(Cow::Borrowed(data)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn guild_and_direct_messages_need_their_intents() {
        let guild = json!({"guild_id": "1", "content": "hi", "author": {"id": "7"}});
        let direct = json!({"content": "hi", "author": {"id": "7"}});
        assert!(filter(GUILD_MESSAGES, "9", "MESSAGE_CREATE", &guild).is_some());
        assert!(filter(DIRECT_MESSAGES, "9", "MESSAGE_CREATE", &guild).is_none());
        assert!(filter(DIRECT_MESSAGES, "9", "MESSAGE_CREATE", &direct).is_some());
        assert!(filter(GUILDS, "9", "PRESENCE_UPDATE", &guild).is_none());
        assert!(filter(0, "9", "INTERACTION_CREATE", &guild).is_some());
    }

    #[test]
    fn content_is_blank_without_message_content_unless_exempt() {
        let guild = json!({"guild_id": "1", "content": "hi", "embeds": [{}], "author": {"id": "7"}, "mentions": []});
        let seen = filter(GUILD_MESSAGES, "9", "MESSAGE_CREATE", &guild).unwrap();
        assert_eq!(seen["content"], "");
        assert_eq!(seen["embeds"], json!([]));
        let full = filter(
            GUILD_MESSAGES | MESSAGE_CONTENT,
            "9",
            "MESSAGE_CREATE",
            &guild,
        )
        .unwrap();
        assert_eq!(full["content"], "hi");
        let own = json!({"guild_id": "1", "content": "mine", "author": {"id": "9"}});
        assert_eq!(
            filter(GUILD_MESSAGES, "9", "MESSAGE_CREATE", &own).unwrap()["content"],
            "mine"
        );
        let mention = json!({"guild_id": "1", "content": "hey", "author": {"id": "7"}, "mentions": [{"id": "9"}]});
        assert_eq!(
            filter(GUILD_MESSAGES, "9", "MESSAGE_CREATE", &mention).unwrap()["content"],
            "hey"
        );
    }
}
