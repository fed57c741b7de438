//! Chat events: messages, notifications (subs, raids, announcements, …), clears, deletes.

use serde_json::Value;

event_struct! {
    /// A chat badge.
    Badge { set_id: String, id: String, info: String }
}

event_struct! {
    /// A chat message's text and fragments (emotes, mentions, cheermotes kept as JSON).
    ChatText { text: String, fragments: Vec<Value> }
}

event_struct! {
    /// `channel.chat.message` v1.
    ChatMessage {
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        chatter_user_id: String, chatter_user_login: String, chatter_user_name: String,
        message_id: String, message: ChatText, color: String, badges: Vec<Badge>,
        message_type: String, cheer: Option<Value>, reply: Option<Value>,
        channel_points_custom_reward_id: Option<String>,
    }
}

event_struct! {
    /// `channel.chat.notification` v1. The notice-specific object (`resub`, `raid`, …) is
    /// kept in `extra` under its `notice_type` key.
    ChatNotification {
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        chatter_user_id: String, chatter_user_login: String, chatter_user_name: String,
        chatter_is_anonymous: bool, color: String, badges: Vec<Badge>, system_message: String,
        message_id: String, message: ChatText, notice_type: String,
        #[serde(flatten)] extra: serde_json::Map<String, Value>,
    }
}

event_struct! {
    /// `channel.chat.clear` v1.
    ChatClear { broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String }
}

event_struct! {
    /// `channel.chat.message_delete` v1.
    ChatMessageDelete {
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        target_user_id: String, target_user_login: String, target_user_name: String,
        message_id: String,
    }
}
