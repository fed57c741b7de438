//! Users.

use serde::{Deserialize, Serialize};

use super::id::{Id, UserMarker};

/// A Discord user (or bot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// The user's id.
    pub id: Id<UserMarker>,
    /// Unique username.
    pub username: String,
    /// Legacy discriminator (`"0"` for migrated users).
    #[serde(default)]
    pub discriminator: Option<String>,
    /// Display name.
    #[serde(default)]
    pub global_name: Option<String>,
    /// Avatar hash.
    #[serde(default)]
    pub avatar: Option<String>,
    /// Whether this is a bot.
    #[serde(default)]
    pub bot: bool,
    /// Whether this is an official system user.
    #[serde(default)]
    pub system: bool,
    /// Public flags.
    #[serde(default)]
    pub public_flags: Option<u64>,
}
