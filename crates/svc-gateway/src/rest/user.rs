//! Users and DMs.

use serde_json::json;

use super::RestClient;
use super::route::Route;
use crate::error::Error;
use crate::model::{Channel, Id, User, UserMarker};

impl RestClient {
    /// `GET /users/@me`: the bot user.
    pub async fn current_user(&self) -> Result<User, Error> {
        self.json(self.route(&Route::GetCurrentUser)).await
    }

    /// `GET /users/{id}`.
    pub async fn user(&self, user: Id<UserMarker>) -> Result<User, Error> {
        self.json(self.route(&Route::GetUser { user })).await
    }

    /// `POST /users/@me/channels`: opens (or finds) the DM channel with a user.
    pub async fn create_dm(&self, recipient: Id<UserMarker>) -> Result<Channel, Error> {
        let body = json!({ "recipient_id": recipient });
        self.json(self.route(&Route::CreateDm).json(&body)).await
    }
}
