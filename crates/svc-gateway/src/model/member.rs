//! Guild members.

use serde::{Deserialize, Serialize};

use super::id::{Id, RoleMarker};
use super::timestamp::Timestamp;
use super::user::User;

/// A guild member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The user (absent inside `MESSAGE_CREATE.member`).
    #[serde(default)]
    pub user: Option<User>,
    /// Guild nickname.
    #[serde(default)]
    pub nick: Option<String>,
    /// Guild avatar hash.
    #[serde(default)]
    pub avatar: Option<String>,
    /// Role ids.
    #[serde(default)]
    pub roles: Vec<Id<RoleMarker>>,
    /// When they joined.
    #[serde(default)]
    pub joined_at: Option<Timestamp>,
    /// When they started boosting.
    #[serde(default)]
    pub premium_since: Option<Timestamp>,
    /// Server-deafened.
    #[serde(default)]
    pub deaf: bool,
    /// Server-muted.
    #[serde(default)]
    pub mute: bool,
    /// Member flags.
    #[serde(default)]
    pub flags: u64,
    /// Has not passed membership screening.
    #[serde(default)]
    pub pending: bool,
    /// Timed out until.
    #[serde(default)]
    pub communication_disabled_until: Option<Timestamp>,
}
