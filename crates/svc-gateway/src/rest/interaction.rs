//! Interaction responses and follow-ups.

use super::RestClient;
use super::message::{CreateMessage, EditMessage};
use super::route::Route;
use crate::error::Error;
use crate::model::{
    ApplicationMarker, CommandOptionChoice, Id, InteractionMarker, Message, MessageMarker, Modal,
};
use serde::Serialize;

/// The body of `POST /interactions/{id}/{token}/callback`. `kind`: 1 pong, 4 message,
/// 5 deferred message, 6 deferred update, 7 update message, 8 autocomplete choices,
/// 9 modal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InteractionResponse {
    /// Response type.
    #[serde(rename = "type")]
    pub kind: u8,
    /// The message (types 4, 5 and 7), choices (8) or modal (9).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<InteractionResponseData>,
}

/// What an [`InteractionResponse`] carries, by its type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum InteractionResponseData {
    /// A message (types 4 and 7; type 5 takes only its `flags`).
    Message(CreateMessage),
    /// Autocomplete suggestions (type 8, up to 25).
    Choices {
        /// The suggestions.
        choices: Vec<CommandOptionChoice>,
    },
    /// A modal (type 9).
    Modal(Modal),
}

impl InteractionResponse {
    /// Answers with a message.
    pub fn message(message: CreateMessage) -> Self {
        Self {
            kind: 4,
            data: Some(InteractionResponseData::Message(message)),
        }
    }

    /// "Thinking…": answer later with a follow-up.
    pub fn deferred() -> Self {
        Self {
            kind: 5,
            data: None,
        }
    }

    /// "Thinking…" seen only by the user (the later answer is ephemeral too).
    pub fn deferred_ephemeral() -> Self {
        Self {
            kind: 5,
            data: Some(InteractionResponseData::Message(CreateMessage {
                flags: EPHEMERAL,
                ..CreateMessage::default()
            })),
        }
    }

    /// Component interactions: acknowledge now, edit the message later.
    pub fn deferred_update() -> Self {
        Self {
            kind: 6,
            data: None,
        }
    }

    /// Component interactions: edits the message the component is on.
    pub fn update_message(message: CreateMessage) -> Self {
        Self {
            kind: 7,
            data: Some(InteractionResponseData::Message(message)),
        }
    }

    /// Autocomplete interactions: the suggestions.
    pub fn autocomplete(choices: Vec<CommandOptionChoice>) -> Self {
        Self {
            kind: 8,
            data: Some(InteractionResponseData::Choices { choices }),
        }
    }

    /// Shows a modal.
    pub fn modal(modal: Modal) -> Self {
        Self {
            kind: 9,
            data: Some(InteractionResponseData::Modal(modal)),
        }
    }
}

/// The message flag that shows a response or follow-up only to the user who triggered
/// the interaction.
pub const EPHEMERAL: u64 = 1 << 6;

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
