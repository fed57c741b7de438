//! Hype trains and shoutouts.

event_struct! {
    /// One hype-train contribution.
    HypeTrainContribution {
        user_id: String, user_login: String, user_name: String,
        #[serde(rename = "type")] kind: String,
        total: u64,
    }
}

event_struct! {
    /// `channel.hype_train.begin` / `progress` / `end` (v1; v2 decodes into the same body).
    HypeTrain {
        id: String,
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        level: u64, total: u64, progress: Option<u64>, goal: Option<u64>,
        top_contributions: Vec<HypeTrainContribution>, last_contribution: Option<HypeTrainContribution>,
        started_at: String, expires_at: Option<String>, ended_at: Option<String>, cooldown_ends_at: Option<String>,
    }
}

event_struct! {
    /// `channel.shoutout.create` v1.
    ShoutoutCreate {
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        to_broadcaster_user_id: String, to_broadcaster_user_login: String, to_broadcaster_user_name: String,
        moderator_user_id: String, moderator_user_login: String, moderator_user_name: String,
        viewer_count: u64, started_at: String, cooldown_ends_at: String, target_cooldown_ends_at: String,
    }
}

event_struct! {
    /// `channel.shoutout.receive` v1.
    ShoutoutReceive {
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        from_broadcaster_user_id: String, from_broadcaster_user_login: String, from_broadcaster_user_name: String,
        viewer_count: u64, started_at: String,
    }
}
