//! Guest Star events (Twitch's beta types).

event_struct! {
    /// `channel.guest_star_guest.update` vbeta.
    GuestStarGuestUpdate {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        guest_user_id: String,
        guest_user_login: String,
        guest_user_name: String,
        host_audio_enabled: bool,
        host_user_id: String,
        host_user_login: String,
        host_user_name: String,
        host_video_enabled: bool,
        host_volume: i64,
        moderator_user_id: String,
        moderator_user_login: String,
        moderator_user_name: String,
        session_id: String,
        slot_id: String,
        state: String,
    }
}

event_struct! {
    /// `channel.guest_star_session.begin` vbeta.
    GuestStarSessionBegin {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        session_id: String,
        started_at: String,
    }
}

event_struct! {
    /// `channel.guest_star_session.end` vbeta.
    GuestStarSessionEnd {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        ended_at: String,
        host_user_id: String,
        host_user_login: String,
        host_user_name: String,
        session_id: String,
        started_at: String,
    }
}

event_struct! {
    /// `channel.guest_star_settings.update` vbeta.
    GuestStarSettingsUpdate {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        group_layout: String,
        is_browser_source_audio_enabled: bool,
        is_moderator_send_live_enabled: bool,
        slot_count: i64,
    }
}
