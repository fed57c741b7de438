//! The singyeong part of the world: the password clients must send, if any.

use serde::{Deserialize, Serialize};

use super::Secret;

/// singyeong: the server's password (none: every client is let in unrestricted).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SingyeongWorld {
    /// The password in IDENTIFY's `auth` and the REST API's `Authorization`.
    #[serde(default)]
    pub password: Option<Secret>,
}
