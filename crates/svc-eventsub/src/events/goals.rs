//! Charity campaigns and creator goals.

use serde_json::Value;

event_struct! {
    /// `channel.charity_campaign.donate` v1.
    CharityCampaignDonate {
        amount: Value,
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        campaign_id: String,
        charity_description: String,
        charity_logo: String,
        charity_name: String,
        charity_website: String,
        id: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `channel.charity_campaign.progress` v1.
    CharityCampaignProgress {
        broadcaster_id: String,
        broadcaster_login: String,
        broadcaster_name: String,
        charity_description: String,
        charity_logo: String,
        charity_name: String,
        charity_website: String,
        current_amount: Value,
        id: String,
        target_amount: Value,
    }
}

event_struct! {
    /// `channel.charity_campaign.start` v1.
    CharityCampaignStart {
        broadcaster_id: String,
        broadcaster_login: String,
        broadcaster_name: String,
        charity_description: String,
        charity_logo: String,
        charity_name: String,
        charity_website: String,
        current_amount: Value,
        id: String,
        started_at: String,
        target_amount: Value,
    }
}

event_struct! {
    /// `channel.charity_campaign.stop` v1.
    CharityCampaignStop {
        broadcaster_id: String,
        broadcaster_login: String,
        broadcaster_name: String,
        charity_description: String,
        charity_logo: String,
        charity_name: String,
        charity_website: String,
        current_amount: Value,
        id: String,
        stopped_at: String,
        target_amount: Value,
    }
}

event_struct! {
    /// `channel.goal.begin` v1.
    GoalBegin {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        current_amount: i64,
        description: String,
        id: String,
        started_at: String,
        target_amount: i64,
        #[serde(rename = "type")] kind: String,
    }
}

event_struct! {
    /// `channel.goal.end` v1.
    GoalEnd {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        current_amount: i64,
        description: String,
        ended_at: String,
        id: String,
        is_achieved: bool,
        started_at: String,
        target_amount: i64,
        #[serde(rename = "type")] kind: String,
    }
}

event_struct! {
    /// `channel.goal.progress` v1.
    GoalProgress {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        current_amount: i64,
        description: String,
        id: String,
        started_at: String,
        target_amount: i64,
        #[serde(rename = "type")] kind: String,
    }
}
