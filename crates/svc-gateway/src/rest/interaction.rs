//! Interaction responses and follow-ups.

use super::RestClient;
use super::message::{CreateMessage, EditMessage};
use super::route::Route;
use crate::error::Error;
use crate::model::{ApplicationMarker, Id, InteractionMarker, Message, MessageMarker};
use serde::Serialize;

/// The body of `POST /interactions/{id}/{token}/callback`. `kind`: 1 pong, 4 message,
/// 5 deferred message, 6 deferred update, 7 update message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InteractionResponse {
    /// Response type.
    #[serde(rename = "type")]
    pub kind: u8,
    /// The message, for types 4 and 7.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<CreateMessage>,
}

impl InteractionResponse {
    /// Answers with a message.
    pub fn message(message: CreateMessage) -> Self {
        Self {
            kind: 4,
            data: Some(message),
        }
    }

    /// "Thinking…": answer later with a follow-up.
    pub fn deferred() -> Self {
        Self {
            kind: 5,
            data: None,
        }
    }
}

impl RestClient {
    /// `POST /interactions/{id}/{token}/callback` (within 3 s of the interaction).
    pub async fn interaction_response(
        &self,
        interaction: Id<InteractionMarker>,
        token: &str,
        response: &InteractionResponse,
    ) -> Result<(), Error> {
        let route = Route::InteractionCallback { interaction, token };
        self.empty(self.route(&route).json(response)).await
    }

    /// `POST /webhooks/{application}/{token}`: a follow-up message (valid 15 minutes).
    pub async fn followup(
        &self,
        application: Id<ApplicationMarker>,
        token: &str,
        message: &CreateMessage,
    ) -> Result<Message, Error> {
        let route = Route::ExecuteWebhook {
            webhook: application.cast(),
            token,
        };
        self.json(self.route(&route).query("wait", true).json(message))
            .await
    }

    /// `PATCH /webhooks/{application}/{token}/messages/@original`: edits the response.
    pub async fn edit_original_response(
        &self,
        application: Id<ApplicationMarker>,
        token: &str,
        edit: &EditMessage,
    ) -> Result<Message, Error> {
        self.edit_webhook_message(application, token, "@original", edit)
            .await
    }

    /// `DELETE /webhooks/{application}/{token}/messages/@original`.
    pub async fn delete_original_response(
        &self,
        application: Id<ApplicationMarker>,
        token: &str,
    ) -> Result<(), Error> {
        self.delete_webhook_message(application, token, "@original")
            .await
    }

    /// `PATCH /webhooks/{application}/{token}/messages/{id}`: edits a follow-up.
    pub async fn edit_followup(
        &self,
        application: Id<ApplicationMarker>,
        token: &str,
        message: Id<MessageMarker>,
        edit: &EditMessage,
    ) -> Result<Message, Error> {
        self.edit_webhook_message(application, token, &message.to_string(), edit)
            .await
    }

    /// `DELETE /webhooks/{application}/{token}/messages/{id}`: deletes a follow-up.
    pub async fn delete_followup(
        &self,
        application: Id<ApplicationMarker>,
        token: &str,
        message: Id<MessageMarker>,
    ) -> Result<(), Error> {
        self.delete_webhook_message(application, token, &message.to_string())
            .await
    }

    async fn edit_webhook_message(
        &self,
        application: Id<ApplicationMarker>,
        token: &str,
        message: &str,
        edit: &EditMessage,
    ) -> Result<Message, Error> {
        let webhook = application.cast();
        let route = Route::UpdateWebhookMessage {
            webhook,
            token,
            message,
        };
        self.json(self.route(&route).json(edit)).await
    }

    async fn delete_webhook_message(
        &self,
        application: Id<ApplicationMarker>,
        token: &str,
        message: &str,
    ) -> Result<(), Error> {
        let webhook = application.cast();
        let route = Route::DeleteWebhookMessage {
            webhook,
            token,
            message,
        };
        self.empty(self.route(&route)).await
    }
}
