//! The bot's application.

use super::RestClient;
use super::route::Route;
use crate::error::Error;
use crate::model::Application;

impl RestClient {
    /// `GET /oauth2/applications/@me`.
    pub async fn current_application(&self) -> Result<Application, Error> {
        self.json(self.route(&Route::GetCurrentApplication)).await
    }
}
