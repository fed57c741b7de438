//! Shared chat sessions: begin, update, end.

use serde_json::Value;

event_struct! {
    /// `channel.shared_chat.begin` v1.
    SharedChatBegin {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        host_broadcaster_user_id: String,
        host_broadcaster_user_login: String,
        host_broadcaster_user_name: String,
        participants: Vec<Value>,
        session_id: String,
    }
}

event_struct! {
    /// `channel.shared_chat.end` v1.
    SharedChatEnd {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        host_broadcaster_user_id: String,
        host_broadcaster_user_login: String,
        host_broadcaster_user_name: String,
        session_id: String,
    }
}

event_struct! {
    /// `channel.shared_chat.update` v1.
    SharedChatUpdate {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        host_broadcaster_user_id: String,
        host_broadcaster_user_login: String,
        host_broadcaster_user_name: String,
        participants: Vec<Value>,
        session_id: String,
    }
}
