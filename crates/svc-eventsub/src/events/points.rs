//! Channel-points events: custom rewards, their redemptions and automatic rewards.

use super::ChatText;
use serde_json::Value;

event_struct! {
    /// `channel.channel_points_automatic_reward_redemption.add` v2.
    PointsAutomaticRewardRedemptionAdd {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        id: String,
        message: ChatText,
        redeemed_at: String,
        reward: Value,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `channel.channel_points_automatic_reward_redemption.add` v1.
    PointsAutomaticRewardRedemptionAddV1 {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        id: String,
        message: Value,
        redeemed_at: String,
        reward: Value,
        user_id: String,
        user_input: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `channel.channel_points_custom_reward.add` v1.
    #[allow(clippy::struct_excessive_bools, reason = "Twitch's fields, as sent")]
    PointsCustomRewardAdd {
        background_color: String,
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        cooldown_expires_at: Option<Value>,
        cost: i64,
        default_image: Value,
        global_cooldown: Value,
        id: String,
        image: Option<Value>,
        is_enabled: bool,
        is_in_stock: bool,
        is_paused: bool,
        is_user_input_required: bool,
        max_per_stream: Value,
        max_per_user_per_stream: Value,
        prompt: String,
        redemptions_redeemed_current_stream: Option<Value>,
        should_redemptions_skip_request_queue: bool,
        title: String,
    }
}

event_struct! {
    /// `channel.channel_points_custom_reward.remove` v1.
    #[allow(clippy::struct_excessive_bools, reason = "Twitch's fields, as sent")]
    PointsCustomRewardRemove {
        background_color: String,
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        cooldown_expires_at: Option<Value>,
        cost: i64,
        default_image: Value,
        global_cooldown: Value,
        id: String,
        image: Option<Value>,
        is_enabled: bool,
        is_in_stock: bool,
        is_paused: bool,
        is_user_input_required: bool,
        max_per_stream: Value,
        max_per_user_per_stream: Value,
        prompt: String,
        redemptions_redeemed_current_stream: Option<Value>,
        should_redemptions_skip_request_queue: bool,
        title: String,
    }
}

event_struct! {
    /// `channel.channel_points_custom_reward.update` v1.
    #[allow(clippy::struct_excessive_bools, reason = "Twitch's fields, as sent")]
    PointsCustomRewardUpdate {
        background_color: String,
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        cooldown_expires_at: Option<Value>,
        cost: i64,
        default_image: Value,
        global_cooldown: Value,
        id: String,
        image: Option<Value>,
        is_enabled: bool,
        is_in_stock: bool,
        is_paused: bool,
        is_user_input_required: bool,
        max_per_stream: Value,
        max_per_user_per_stream: Value,
        prompt: String,
        redemptions_redeemed_current_stream: Option<Value>,
        should_redemptions_skip_request_queue: bool,
        title: String,
    }
}

event_struct! {
    /// `channel.channel_points_custom_reward_redemption.update` v1.
    PointsCustomRewardRedemptionUpdate {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        id: String,
        redeemed_at: String,
        reward: Value,
        status: String,
        user_id: String,
        user_input: String,
        user_login: String,
        user_name: String,
    }
}
