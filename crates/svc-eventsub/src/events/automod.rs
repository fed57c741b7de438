//! AutoMod events: held and updated messages, settings and terms.

use super::ChatText;
use serde_json::Value;

event_struct! {
    /// `automod.message.hold` v2.
    AutomodMessageHold {
        automod: Value,
        blocked_term: Option<Value>,
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        held_at: String,
        message: ChatText,
        message_id: String,
        reason: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `automod.message.hold` v1.
    AutomodMessageHoldV1 {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        category: String,
        held_at: String,
        level: i64,
        message: ChatText,
        message_id: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `automod.message.update` v2.
    AutomodMessageUpdate {
        automod: Value,
        blocked_term: Option<Value>,
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        held_at: String,
        message: ChatText,
        message_id: String,
        moderator_user_id: String,
        moderator_user_login: String,
        moderator_user_name: String,
        reason: String,
        status: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `automod.message.update` v1.
    AutomodMessageUpdateV1 {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        category: String,
        held_at: String,
        level: i64,
        message: ChatText,
        message_id: String,
        moderator_user_id: String,
        moderator_user_login: String,
        moderator_user_name: String,
        status: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `automod.settings.update` v1.
    AutomodSettingsUpdate {
        aggression: i64,
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        bullying: i64,
        disability: i64,
        misogyny: i64,
        moderator_user_id: String,
        moderator_user_login: String,
        moderator_user_name: String,
        overall_level: i64,
        race_ethnicity_or_religion: i64,
        sex_based_terms: i64,
        sexuality_sex_or_gender: i64,
        swearing: i64,
    }
}

event_struct! {
    /// `automod.terms.update` v1.
    AutomodTermsUpdate {
        action: String,
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        from_automod: bool,
        moderator_user_id: String,
        moderator_user_login: String,
        moderator_user_name: String,
        terms: Vec<Value>,
    }
}
