//! Channel events: update, stream online/offline, follows, subscriptions, cheers, raids,
//! bans, moderators and channel-points redemptions.

use serde_json::Value;

event_struct! {
    /// `channel.update` v2.
    ChannelUpdate {
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        title: String, language: String, category_id: String, category_name: String,
        content_classification_labels: Vec<String>,
    }
}

event_struct! {
    /// `stream.online` v1.
    StreamOnline {
        id: String, broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        #[serde(rename = "type")] kind: String,
        started_at: String,
    }
}

event_struct! {
    /// `stream.offline` v1.
    StreamOffline { broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String }
}

event_struct! {
    /// `channel.follow` v2.
    ChannelFollow {
        user_id: String, user_login: String, user_name: String,
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        followed_at: String,
    }
}

event_struct! {
    /// `channel.subscribe` v1.
    ChannelSubscribe {
        user_id: String, user_login: String, user_name: String,
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        tier: String, is_gift: bool,
    }
}

event_struct! {
    /// `channel.subscription.gift` v1 (user fields are `None` when anonymous).
    ChannelSubscriptionGift {
        user_id: Option<String>, user_login: Option<String>, user_name: Option<String>,
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        total: u64, tier: String, cumulative_total: Option<u64>, is_anonymous: bool,
    }
}

event_struct! {
    /// The resub message of `channel.subscription.message`.
    SubscriptionMessageText { text: String, emotes: Option<Vec<Value>> }
}

event_struct! {
    /// `channel.subscription.message` v1.
    ChannelSubscriptionMessage {
        user_id: String, user_login: String, user_name: String,
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        tier: String, message: SubscriptionMessageText, cumulative_months: u64,
        streak_months: Option<u64>, duration_months: u64,
    }
}

event_struct! {
    /// `channel.cheer` v1 (user fields are `None` when anonymous).
    ChannelCheer {
        is_anonymous: bool,
        user_id: Option<String>, user_login: Option<String>, user_name: Option<String>,
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        message: String, bits: u64,
    }
}

event_struct! {
    /// `channel.raid` v1.
    ChannelRaid {
        from_broadcaster_user_id: String, from_broadcaster_user_login: String, from_broadcaster_user_name: String,
        to_broadcaster_user_id: String, to_broadcaster_user_login: String, to_broadcaster_user_name: String,
        viewers: u64,
    }
}

event_struct! {
    /// `channel.ban` v1.
    ChannelBan {
        user_id: String, user_login: String, user_name: String,
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        moderator_user_id: String, moderator_user_login: String, moderator_user_name: String,
        reason: String, banned_at: String, ends_at: Option<String>, is_permanent: bool,
    }
}

event_struct! {
    /// `channel.unban` v1.
    ChannelUnban {
        user_id: String, user_login: String, user_name: String,
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        moderator_user_id: String, moderator_user_login: String, moderator_user_name: String,
    }
}

event_struct! {
    /// `channel.moderator.add` / `channel.moderator.remove` v1.
    ModeratorChange {
        user_id: String, user_login: String, user_name: String,
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
    }
}

event_struct! {
    /// The reward of a redemption.
    Reward { id: String, title: String, cost: u64, prompt: String }
}

event_struct! {
    /// `channel.channel_points_custom_reward_redemption.add` v1.
    RewardRedemption {
        id: String,
        user_id: String, user_login: String, user_name: String,
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        user_input: String, status: String, reward: Reward, redeemed_at: String,
    }
}
