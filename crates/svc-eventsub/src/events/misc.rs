//! The remaining types: ad breaks, Bits use, subscription end, conduit shards, extension
//! Bits transactions and user authorizations.

use super::ChatText;
use serde_json::Value;

event_struct! {
    /// `channel.ad_break.begin` v1.
    AdBreakBegin {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        duration_seconds: i64,
        is_automatic: bool,
        requester_user_id: String,
        requester_user_login: String,
        requester_user_name: String,
        started_at: String,
    }
}

event_struct! {
    /// `channel.bits.use` v1.
    BitsUse {
        bits: i64,
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        message: ChatText,
        power_up: Option<Value>,
        #[serde(rename = "type")] kind: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `channel.subscription.end` v1.
    SubscriptionEnd {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        is_gift: bool,
        tier: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `conduit.shard.disabled` v1.
    ConduitShardDisabled {
        conduit_id: String,
        shard_id: String,
        status: String,
        transport: Value,
    }
}

event_struct! {
    /// `extension.bits_transaction.create` v1.
    ExtensionBitsTransactionCreate {
        broadcaster_user_id: String,
        broadcaster_user_login: String,
        broadcaster_user_name: String,
        extension_client_id: String,
        id: String,
        product: Value,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `user.authorization.grant` v1.
    UserAuthorizationGrant {
        client_id: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}

event_struct! {
    /// `user.authorization.revoke` v1.
    UserAuthorizationRevoke {
        client_id: String,
        user_id: String,
        user_login: String,
        user_name: String,
    }
}
