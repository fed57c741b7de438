//! Moderation: bans and timeouts, moderators, VIPs, blocked terms.

use futures_core::Stream;
use serde::{Deserialize, Serialize};
use serde_json::json;
use transport_http::Method;

use crate::{BlockedTermId, Error, HelixClient, UserId};

/// A banned or timed-out user (`GET /moderation/banned`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BannedUser {
    /// Id.
    pub user_id: UserId,
    /// Login.
    #[serde(default)]
    pub user_login: String,
    /// When the timeout ends (empty for a ban).
    #[serde(default)]
    pub expires_at: String,
    /// Reason.
    #[serde(default)]
    pub reason: String,
    /// Moderator id.
    pub moderator_id: UserId,
}

/// A moderator or VIP.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ChannelRole {
    /// Id.
    pub user_id: UserId,
    /// Login.
    #[serde(default)]
    pub user_login: String,
    /// Display name.
    #[serde(default)]
    pub user_name: String,
}

/// A blocked term.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BlockedTerm {
    /// Id.
    pub id: BlockedTermId,
    /// The term.
    #[serde(default)]
    pub text: String,
    /// Who added it.
    pub moderator_id: UserId,
}

fn ids(broadcaster_id: &UserId, moderator_id: &UserId) -> [(&'static str, String); 2] {
    [
        ("broadcaster_id", broadcaster_id.to_string()),
        ("moderator_id", moderator_id.to_string()),
    ]
}

impl HelixClient {
    /// Bans `user_id` (`duration_secs: None`) or times them out.
    pub async fn ban_user(
        &self,
        broadcaster_id: &UserId,
        moderator_id: &UserId,
        user_id: &UserId,
        duration_secs: Option<u32>,
        reason: &str,
    ) -> Result<(), Error> {
        let mut data = json!({ "user_id": user_id, "reason": reason });
        if let Some(duration) = duration_secs {
            data["duration"] = json!(duration);
        }
        self.send_json::<_, serde_json::Value>(
            Method::POST,
            "/moderation/bans",
            &ids(broadcaster_id, moderator_id),
            &json!({ "data": data }),
        )
        .await
        .map(drop)
    }

    /// Lifts a ban or timeout.
    pub async fn unban_user(
        &self,
        broadcaster_id: &UserId,
        moderator_id: &UserId,
        user_id: &UserId,
    ) -> Result<(), Error> {
        let mut query = ids(broadcaster_id, moderator_id).to_vec();
        query.push(("user_id", user_id.to_string()));
        self.send_empty(Method::DELETE, "/moderation/bans", &query)
            .await
    }

    /// Banned and timed-out users, page by page.
    pub fn banned_users(
        &self,
        broadcaster_id: &UserId,
    ) -> impl Stream<Item = Result<BannedUser, Error>> + Send + 'static {
        self.paginate(
            "/moderation/banned",
            vec![
                ("broadcaster_id", broadcaster_id.to_string()),
                ("first", "100".into()),
            ],
        )
    }

    /// Moderators, page by page.
    pub fn moderators(
        &self,
        broadcaster_id: &UserId,
    ) -> impl Stream<Item = Result<ChannelRole, Error>> + Send + 'static {
        self.paginate(
            "/moderation/moderators",
            vec![
                ("broadcaster_id", broadcaster_id.to_string()),
                ("first", "100".into()),
            ],
        )
    }

    /// Adds (`true`) or removes a moderator.
    pub async fn set_moderator(
        &self,
        broadcaster_id: &UserId,
        user_id: &UserId,
        moderator: bool,
    ) -> Result<(), Error> {
        let query = [
            ("broadcaster_id", broadcaster_id.to_string()),
            ("user_id", user_id.to_string()),
        ];
        let method = if moderator {
            Method::POST
        } else {
            Method::DELETE
        };
        self.send_empty(method, "/moderation/moderators", &query)
            .await
    }

    /// VIPs, page by page.
    pub fn vips(
        &self,
        broadcaster_id: &UserId,
    ) -> impl Stream<Item = Result<ChannelRole, Error>> + Send + 'static {
        self.paginate(
            "/channels/vips",
            vec![
                ("broadcaster_id", broadcaster_id.to_string()),
                ("first", "100".into()),
            ],
        )
    }

    /// Adds (`true`) or removes a VIP.
    pub async fn set_vip(
        &self,
        broadcaster_id: &UserId,
        user_id: &UserId,
        vip: bool,
    ) -> Result<(), Error> {
        let query = [
            ("broadcaster_id", broadcaster_id.to_string()),
            ("user_id", user_id.to_string()),
        ];
        let method = if vip { Method::POST } else { Method::DELETE };
        self.send_empty(method, "/channels/vips", &query).await
    }

    /// Blocked terms, page by page.
    pub fn blocked_terms(
        &self,
        broadcaster_id: &UserId,
        moderator_id: &UserId,
    ) -> impl Stream<Item = Result<BlockedTerm, Error>> + Send + 'static {
        let mut query = ids(broadcaster_id, moderator_id).to_vec();
        query.push(("first", "100".into()));
        self.paginate("/moderation/blocked_terms", query)
    }

    /// Blocks a term.
    pub async fn add_blocked_term(
        &self,
        broadcaster_id: &UserId,
        moderator_id: &UserId,
        text: &str,
    ) -> Result<Option<BlockedTerm>, Error> {
        let page = self
            .send_json(
                Method::POST,
                "/moderation/blocked_terms",
                &ids(broadcaster_id, moderator_id),
                &json!({ "text": text }),
            )
            .await?;
        Ok(page.data.into_iter().next())
    }

    /// Unblocks a term.
    pub async fn remove_blocked_term(
        &self,
        broadcaster_id: &UserId,
        moderator_id: &UserId,
        id: &BlockedTermId,
    ) -> Result<(), Error> {
        let mut query = ids(broadcaster_id, moderator_id).to_vec();
        query.push(("id", id.to_string()));
        self.send_empty(Method::DELETE, "/moderation/blocked_terms", &query)
            .await
    }
}
