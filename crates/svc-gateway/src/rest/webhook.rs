//! Webhook execution.

use transport_http::Method;

use super::RestClient;
use super::message::CreateMessage;
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
        let path = format!("/webhooks/{webhook}/{token}");
        self.json(
            self.request(
                Method::POST,
                "POST /webhooks/{id}/{token}",
                Some(webhook.get()),
                path,
            )
            .query("wait", true)
            .json(message),
        )
        .await
    }
}
