//! The bot's application.

use transport_http::Method;

use super::RestClient;
use crate::error::Error;
use crate::model::Application;

impl RestClient {
    /// `GET /oauth2/applications/@me`.
    pub async fn current_application(&self) -> Result<Application, Error> {
        self.json(self.request(
            Method::GET,
            "GET /oauth2/applications/@me",
            None,
            "/oauth2/applications/@me".into(),
        ))
        .await
    }
}
