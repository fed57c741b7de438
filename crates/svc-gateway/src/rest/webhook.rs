//! Webhook execution.

use super::RestClient;
use super::message::CreateMessage;
use super::route::Route;
use crate::error::Error;
use crate::model::{Id, Message, WebhookMarker};

impl RestClient {
    /// `POST /webhooks/{id}/{token}?wait=true`: posts through a webhook and returns the message.
    pub async fn execute_webhook(
        &self,
        webhook: Id<WebhookMarker>,
        token: &str,
        message: &CreateMessage,
    ) -> Result<Message, Error> {
        let route = Route::ExecuteWebhook { webhook, token };
        self.json(self.route(&route).query("wait", true).json(message))
            .await
    }
}
