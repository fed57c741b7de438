//! Users: `GET /users`.

use serde::{Deserialize, Serialize};

use crate::client::repeated;
use crate::{Error, HelixClient};

/// A user (`GET /users`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct User {
    /// User id.
    pub id: String,
    /// Login name.
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// `staff`, `admin`, `global_mod` or empty.
    #[serde(rename = "type")]
    pub user_type: String,
    /// `partner`, `affiliate` or empty.
    pub broadcaster_type: String,
    /// Channel description.
    pub description: String,
    /// Avatar URL.
    pub profile_image_url: String,
    /// Offline banner URL.
    pub offline_image_url: String,
    /// When the account was created (RFC 3339).
    pub created_at: String,
}

impl HelixClient {
    /// Users by id and/or login (up to 100 in all); both empty means the token's user.
    pub async fn get_users(&self, ids: &[&str], logins: &[&str]) -> Result<Vec<User>, Error> {
        let mut query = repeated("id", ids);
        query.extend(repeated("login", logins));
        self.get_data("/users", &query).await
    }
}
