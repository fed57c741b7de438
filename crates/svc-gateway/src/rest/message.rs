//! Messages.

use super::RestClient;
use super::route::Route;
use crate::error::Error;
use crate::model::{ChannelMarker, Component, Embed, Id, Message, MessageMarker, MessageReference};
use serde::Serialize;

/// The body of `POST /channels/{id}/messages`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CreateMessage {
    /// Text (up to 2000 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Embeds (up to 10).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embeds: Vec<Embed>,
    /// Text to speech.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tts: bool,
    /// Reply to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_reference: Option<MessageReference>,
    /// Buttons and select menus, in action rows (up to 5).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    /// Message flags (`1 << 6` ephemeral, for interaction responses and follow-ups;
    /// `1 << 2` suppress embeds; `1 << 12` silent).
    #[serde(skip_serializing_if = "is_zero")]
    pub flags: u64,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` signature
fn is_zero(flags: &u64) -> bool {
    *flags == 0
}

impl CreateMessage {
    /// A text message.
    pub fn text(content: impl Into<String>) -> Self {
        Self {
            content: Some(content.into()),
            ..Self::default()
        }
    }

    /// Makes it a reply to `message`.
    #[must_use]
    pub fn reply_to(mut self, message: &Message) -> Self {
        self.message_reference = Some(MessageReference {
            message_id: Some(message.id),
            channel_id: Some(message.channel_id),
            guild_id: message.guild_id,
        });
        self
    }
}

/// The body of `PATCH /channels/{id}/messages/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EditMessage {
    /// New text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// New embeds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embeds: Option<Vec<Embed>>,
    /// New components (`Some(vec![])` removes them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<Component>>,
}

impl RestClient {
    /// `POST /channels/{id}/messages`.
    pub async fn create_message(
        &self,
        channel: Id<ChannelMarker>,
        message: &CreateMessage,
    ) -> Result<Message, Error> {
        self.json(self.route(&Route::CreateMessage { channel }).json(message))
            .await
    }

    /// `GET /channels/{id}/messages/{id}`.
    pub async fn message(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
    ) -> Result<Message, Error> {
        self.json(self.route(&Route::GetMessage { channel, message }))
            .await
    }

    /// `GET /channels/{id}/messages`: the latest messages (up to `limit`, 1–100).
    pub async fn messages(
        &self,
        channel: Id<ChannelMarker>,
        limit: u8,
    ) -> Result<Vec<Message>, Error> {
        let request = self.route(&Route::GetMessages { channel });
        self.json(request.query("limit", limit.clamp(1, 100))).await
    }

    /// `GET /channels/{id}/messages?before|after|around={id}`: one page of a channel's
    /// history next to a message (up to `limit`, 1–100), newest first. Walk back through a
    /// channel by passing the oldest id of each page as the next `Before`.
    pub async fn messages_near(
        &self,
        channel: Id<ChannelMarker>,
        anchor: HistoryAnchor,
        limit: u8,
    ) -> Result<Vec<Message>, Error> {
        let (name, id) = match anchor {
            HistoryAnchor::Before(id) => ("before", id),
            HistoryAnchor::After(id) => ("after", id),
            HistoryAnchor::Around(id) => ("around", id),
        };
        let request = self.route(&Route::GetMessages { channel });
        self.json(request.query(name, id).query("limit", limit.clamp(1, 100)))
            .await
    }

    /// `PATCH /channels/{id}/messages/{id}`.
    pub async fn edit_message(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
        edit: &EditMessage,
    ) -> Result<Message, Error> {
        let route = Route::UpdateMessage { channel, message };
        self.json(self.route(&route).json(edit)).await
    }

    /// `DELETE /channels/{id}/messages/{id}`.
    pub async fn delete_message(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
    ) -> Result<(), Error> {
        self.empty(self.route(&Route::DeleteMessage { channel, message }))
            .await
    }

    /// `POST /channels/{id}/messages/bulk-delete` (2–100 messages younger than 2 weeks).
    pub async fn bulk_delete_messages(
        &self,
        channel: Id<ChannelMarker>,
        messages: &[Id<MessageMarker>],
    ) -> Result<(), Error> {
        let body = serde_json::json!({ "messages": messages });
        self.empty(
            self.route(&Route::BulkDeleteMessages { channel })
                .json(&body),
        )
        .await
    }
}

/// Where [`RestClient::messages_near`] reads a channel's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryAnchor {
    /// Messages older than this one.
    Before(Id<MessageMarker>),
    /// Messages newer than this one (the ones right after it).
    After(Id<MessageMarker>),
    /// Messages around this one, itself included.
    Around(Id<MessageMarker>),
}
