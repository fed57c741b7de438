//! Gateway intents as Discord applies them to dispatches: an event the session's intents do
//! not cover is not sent (and takes no sequence number); without MESSAGE_CONTENT a message
//! arrives with empty `content`, `embeds`, `attachments`, `components` and `poll` unless it
//! is a DM, the bot's own, or mentions the bot. A GUILD_CREATE lists only the bot and
//! members in voice channels without GUILD_PRESENCES (and no `presences`), and drops offline
//! members when the guild has more members than the session's `large_threshold`.

use std::borrow::Cow;
use std::collections::HashSet;

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

/// What a session asked for in its IDENTIFY that shapes the dispatches it gets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Subscription {
    pub(crate) intents: u64,
    /// Member count above which a guild is large (50–250, Discord's default 50).
    pub(crate) large_threshold: u64,
}

impl Subscription {
    /// From an IDENTIFY's `large_threshold` (absent: 50; clamped into Discord's 50–250).
    pub(crate) fn new(intents: u64, large_threshold: Option<u64>) -> Self {
        Self {
            intents,
            large_threshold: large_threshold.unwrap_or(50).clamp(50, 250),
        }
    }
}

/// What a session subscribed as `sub` receives of `event` (`None`: nothing).
pub(crate) fn filter<'a>(
    sub: Subscription,
    bot: &str,
    event: &str,
    data: &'a Value,
) -> Option<Cow<'a, Value>> {
    let intents = sub.intents;
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
        "GUILD_CREATE" if data.get("members").is_some() => Some(guild_create(sub, bot, data)),
        _ => Some(Cow::Borrowed(data)),
    }
}

/// Discord's GUILD_CREATE member list: without GUILD_PRESENCES only the bot and members in
/// voice channels (and no presences); with it, a guild over `large_threshold` members leaves
/// out offline members. `large` says which the session's threshold made it.
fn guild_create<'a>(sub: Subscription, bot: &str, data: &'a Value) -> Cow<'a, Value> {
    let presences_on = sub.intents & GUILD_PRESENCES != 0;
    let count = data["member_count"]
        .as_u64()
        .unwrap_or_else(|| data["members"].as_array().map_or(0, |m| m.len() as u64));
    let large = count > sub.large_threshold;
    if presences_on && !large && data["large"] == Value::Bool(false) {
        return Cow::Borrowed(data);
    }
    let listed = |key: &str| data[key].as_array().map(Vec::as_slice).unwrap_or_default();
    let mut kept: HashSet<&str> = HashSet::from([bot]);
    kept.extend(
        listed("voice_states")
            .iter()
            .filter_map(|v| v["user_id"].as_str()),
    );
    if presences_on {
        kept.extend(
            listed("presences")
                .iter()
                .filter(|p| p["status"] != "offline")
                .filter_map(|p| p["user"]["id"].as_str()),
        );
    }
    let mut shaped = data.clone();
    if (!presences_on || large)
        && let Some(members) = shaped["members"].as_array_mut()
    {
        members.retain(|m| m["user"]["id"].as_str().is_some_and(|id| kept.contains(id)));
    }
    if !presences_on {
        shaped["presences"] = Value::Array(Vec::new());
    }
    shaped["large"] = Value::Bool(large);
    Cow::Owned(shaped)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn sub(intents: u64) -> Subscription {
        Subscription::new(intents, None)
    }

    #[test]
    fn guild_and_direct_messages_need_their_intents() {
        let guild = json!({"guild_id": "1", "content": "hi", "author": {"id": "7"}});
        let direct = json!({"content": "hi", "author": {"id": "7"}});
        assert!(filter(sub(GUILD_MESSAGES), "9", "MESSAGE_CREATE", &guild).is_some());
        assert!(filter(sub(DIRECT_MESSAGES), "9", "MESSAGE_CREATE", &guild).is_none());
        assert!(filter(sub(DIRECT_MESSAGES), "9", "MESSAGE_CREATE", &direct).is_some());
        assert!(filter(sub(GUILDS), "9", "PRESENCE_UPDATE", &guild).is_none());
        assert!(filter(sub(0), "9", "INTERACTION_CREATE", &guild).is_some());
    }

    #[test]
    fn content_is_blank_without_message_content_unless_exempt() {
        let guild = json!({"guild_id": "1", "content": "hi", "embeds": [{}], "author": {"id": "7"}, "mentions": []});
        let seen = filter(sub(GUILD_MESSAGES), "9", "MESSAGE_CREATE", &guild).unwrap();
        assert_eq!(seen["content"], "");
        assert_eq!(seen["embeds"], json!([]));
        let full = filter(
            sub(GUILD_MESSAGES | MESSAGE_CONTENT),
            "9",
            "MESSAGE_CREATE",
            &guild,
        )
        .unwrap();
        assert_eq!(full["content"], "hi");
        let own = json!({"guild_id": "1", "content": "mine", "author": {"id": "9"}});
        assert_eq!(
            filter(sub(GUILD_MESSAGES), "9", "MESSAGE_CREATE", &own).unwrap()["content"],
            "mine"
        );
        let mention = json!({"guild_id": "1", "content": "hey", "author": {"id": "7"}, "mentions": [{"id": "9"}]});
        assert_eq!(
            filter(sub(GUILD_MESSAGES), "9", "MESSAGE_CREATE", &mention).unwrap()["content"],
            "hey"
        );
    }

    #[test]
    fn guild_create_members_follow_presences_and_large_threshold() {
        let member = |id: &str| json!({"user": {"id": id}, "roles": []});
        let presence = |id: &str, status: &str| json!({"user": {"id": id}, "status": status});
        let guild = json!({
            "id": "1", "member_count": 60, "large": false,
            "members": [member("9"), member("10"), member("11"), member("12"), member("13")],
            "presences": [presence("10", "online"), presence("11", "offline")],
            "voice_states": [{"user_id": "12", "channel_id": "5"}],
        });
        let ids = |v: &Value| -> Vec<String> {
            v["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["user"]["id"].as_str().unwrap().to_owned())
                .collect()
        };
        // No GUILD_PRESENCES: the bot and voice members only, no presences.
        let seen = filter(sub(GUILDS), "9", "GUILD_CREATE", &guild).unwrap();
        assert_eq!(ids(&seen), ["9", "12"]);
        assert_eq!(seen["presences"], json!([]));
        // Presences, 60 members over the default threshold of 50: offline members left out.
        let seen = filter(sub(GUILDS | GUILD_PRESENCES), "9", "GUILD_CREATE", &guild).unwrap();
        assert_eq!(ids(&seen), ["9", "10", "12"]);
        assert_eq!(seen["presences"].as_array().unwrap().len(), 2);
        assert_eq!(seen["large"], true);
        // A threshold above the member count: everyone, untouched.
        let all = Subscription::new(GUILDS | GUILD_PRESENCES, Some(250));
        let seen = filter(all, "9", "GUILD_CREATE", &guild).unwrap();
        assert!(matches!(seen, Cow::Borrowed(_)));
        assert_eq!(ids(&seen).len(), 5);
        assert_eq!(Subscription::new(0, Some(10)).large_threshold, 50);
        assert_eq!(Subscription::new(0, Some(1000)).large_threshold, 250);
    }
}
