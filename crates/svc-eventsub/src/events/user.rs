//! User events: profile updates and whispers.

event_struct! {
    /// `user.update` v1 (`email` only with the `user:read:email` scope).
    UserUpdate {
        user_id: String, user_login: String, user_name: String,
        email: Option<String>, email_verified: bool, description: String,
    }
}

event_struct! {
    /// The text of a whisper.
    WhisperText { text: String }
}

event_struct! {
    /// `user.whisper.message` v1.
    WhisperMessage {
        from_user_id: String, from_user_login: String, from_user_name: String,
        to_user_id: String, to_user_login: String, to_user_name: String,
        whisper_id: String, whisper: WhisperText,
    }
}
