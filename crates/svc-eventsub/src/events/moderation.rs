//! Moderation events: moderator actions, VIPs, warnings, suspicious users, unban requests,
//! shield mode, held messages, cleared user messages and chat settings.

use super::ChatText;
use serde_json::Value;

event_struct! {
    /// `channel.chat.clear_user_messages` v1.
    ChatClearUserMessages {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        target_user_id: String,
        target_user_login: String,
        target_user_name: String,
    }
}

event_struct! {
    /// `channel.chat.user_message_hold` v1.
    ChatUserMessageHold {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        message: ChatText,
        message_id: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `channel.chat.user_message_update` v1.
    ChatUserMessageUpdate {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        message: ChatText,
        message_id: String,
        status: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `channel.chat_settings.update` v1.
    #[allow(clippy::struct_excessive_bools, reason = "Twitch's fields, as sent")]
    ChatSettingsUpdate {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        emote_mode: bool,
        follower_mode: bool,
        follower_mode_duration_minutes: Option<Value>,
        slow_mode: bool,
        slow_mode_wait_time_seconds: i64,
        subscriber_mode: bool,
        unique_chat_mode: bool,
    }
}

event_struct! {
    /// `channel.moderate` v2.
    Moderate {
        action: String,
        automod_terms: Option<Value>,
        ban: Option<Value>,
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        delete: Option<Value>,
        followers: Option<Value>,
        #[serde(rename = "mod")] module: Option<Value>,
        moderator_user_id: String,
        moderator_user_login: String,
        moderator_user_name: String,
        raid: Option<Value>,
        shared_chat_ban: Option<Value>,
        shared_chat_delete: Option<Value>,
        shared_chat_timeout: Option<Value>,
        shared_chat_unban: Option<Value>,
        shared_chat_untimeout: Option<Value>,
        slow: Option<Value>,
        source_broadcaster_user_id: Option<Value>,
        source_broadcaster_user_login: Option<Value>,
        source_broadcaster_user_name: Option<Value>,
        timeout: Value,
        unban: Option<Value>,
        unban_request: Option<Value>,
        unmod: Option<Value>,
        unraid: Option<Value>,
        untimeout: Option<Value>,
        unvip: Option<Value>,
        vip: Option<Value>,
        warn: Option<Value>,
    }
}

event_struct! {
    /// `channel.moderate` v1.
    ModerateV1 {
        action: String,
        automod_terms: Option<Value>,
        ban: Option<Value>,
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        delete: Option<Value>,
        followers: Option<Value>,
        #[serde(rename = "mod")] module: Option<Value>,
        moderator_user_id: String,
        moderator_user_login: String,
        moderator_user_name: String,
        raid: Option<Value>,
        shared_chat_ban: Option<Value>,
        shared_chat_delete: Option<Value>,
        shared_chat_timeout: Option<Value>,
        shared_chat_unban: Option<Value>,
        shared_chat_untimeout: Option<Value>,
        slow: Option<Value>,
        source_broadcaster_user_id: Option<Value>,
        source_broadcaster_user_login: Option<Value>,
        source_broadcaster_user_name: Option<Value>,
        timeout: Value,
        unban: Option<Value>,
        unban_request: Option<Value>,
        unmod: Option<Value>,
        unraid: Option<Value>,
        untimeout: Option<Value>,
        unvip: Option<Value>,
        vip: Option<Value>,
    }
}

event_struct! {
    /// `channel.shield_mode.begin` v1.
    ShieldModeBegin {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        moderator_user_id: String,
        moderator_user_login: String,
        moderator_user_name: String,
        started_at: String,
    }
}

event_struct! {
    /// `channel.shield_mode.end` v1.
    ShieldModeEnd {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        ended_at: String,
        moderator_user_id: String,
        moderator_user_login: String,
        moderator_user_name: String,
    }
}

event_struct! {
    /// `channel.suspicious_user.message` v1.
    SuspiciousUserMessage {
        ban_evasion_evaluation: String,
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        low_trust_status: String,
        message: Value,
        shared_ban_channel_ids: Vec<Value>,
        types: Vec<Value>,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `channel.suspicious_user.update` v1.
    SuspiciousUserUpdate {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        low_trust_status: String,
        moderator_user_id: String,
        moderator_user_login: String,
        moderator_user_name: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `channel.unban_request.create` v1.
    UnbanRequestCreate {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        created_at: String,
        id: String,
        text: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `channel.unban_request.resolve` v1.
    UnbanRequestResolve {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        id: String,
        moderator_user_id: String,
        moderator_user_login: String,
        moderator_user_name: String,
        resolution_text: String,
        status: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `channel.vip.add` v1.
    VipAdd {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `channel.vip.remove` v1.
    VipRemove {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `channel.warning.acknowledge` v1.
    WarningAcknowledge {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `channel.warning.send` v1.
    WarningSend {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        chat_rules_cited: Option<Value>,
        moderator_user_id: String,
        moderator_user_login: String,
        moderator_user_name: String,
        reason: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}
