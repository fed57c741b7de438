//! Users and DMs.

use serde_json::json;
use transport_http::Method;

use super::RestClient;
use crate::error::Error;
use crate::model::{Channel, Id, User, UserMarker};

impl RestClient {
    /// `GET /users/@me`: the bot user.
    pub async fn current_user(&self) -> Result<User, Error> {
        self.json(self.request(Method::GET, "GET /users/@me", None, "/users/@me".into()))
            .await
    }

    /// `GET /users/{id}`.
    pub async fn user(&self, user: Id<UserMarker>) -> Result<User, Error> {
        self.json(self.request(
            Method::GET,
            "GET /users/{id}",
            None,
            format!("/users/{user}"),
        ))
        .await
    }

    /// `POST /users/@me/channels`: opens (or finds) the DM channel with a user.
    pub async fn create_dm(&self, recipient: Id<UserMarker>) -> Result<Channel, Error> {
        let body = json!({ "recipient_id": recipient });
        self.json(
            self.request(
                Method::POST,
                "POST /users/@me/channels",
                None,
                "/users/@me/channels".into(),
            )
            .json(&body),
        )
        .await
    }
}
