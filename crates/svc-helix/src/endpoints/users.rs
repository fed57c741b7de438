//! Users: `GET /users`.

use serde::{Deserialize, Serialize};

use crate::client::repeated;
use crate::{Error, HelixClient, UserId};

/// A user (`GET /users`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct User {
    /// User id.
    pub id: UserId,
    /// Login name.
    #[serde(default)]
    pub login: String,
    /// Display name.
    #[serde(default)]
    pub display_name: String,
    /// `staff`, `admin`, `global_mod` or empty.
    #[serde(rename = "type", default)]
    pub user_type: String,
    /// `partner`, `affiliate` or empty.
    #[serde(default)]
    pub broadcaster_type: String,
    /// Channel description.
    #[serde(default)]
    pub description: String,
    /// Avatar URL.
    #[serde(default)]
    pub profile_image_url: String,
    /// Offline banner URL.
    #[serde(default)]
    pub offline_image_url: String,
    /// When the account was created (RFC 3339).
    #[serde(default)]
    pub created_at: String,
}

impl HelixClient {
    /// Users by id and/or login (up to 100 in all); both empty means the token's user.
    pub async fn get_users(&self, ids: &[UserId], logins: &[&str]) -> Result<Vec<User>, Error> {
        let mut query = repeated("id", ids);
        query.extend(repeated("login", logins));
        self.get_data("/users", &query).await
    }
}
