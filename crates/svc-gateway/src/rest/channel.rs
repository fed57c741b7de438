//! Channels.

use serde_json::Value;
use transport_http::Method;

use super::RestClient;
use crate::error::Error;
use crate::model::{Channel, ChannelMarker, Id};

impl RestClient {
    /// `GET /channels/{id}`.
    pub async fn channel(&self, channel: Id<ChannelMarker>) -> Result<Channel, Error> {
        self.json(self.request(
            Method::GET,
            "GET /channels/{id}",
            Some(channel.get()),
            format!("/channels/{channel}"),
        ))
        .await
    }

    /// `PATCH /channels/{id}` with the fields to change (`{"name": "…", "topic": "…"}`).
    pub async fn modify_channel(
        &self,
        channel: Id<ChannelMarker>,
        changes: &Value,
    ) -> Result<Channel, Error> {
        self.json(
            self.request(
                Method::PATCH,
                "PATCH /channels/{id}",
                Some(channel.get()),
                format!("/channels/{channel}"),
            )
            .json(changes),
        )
        .await
    }

    /// `DELETE /channels/{id}`: deletes a channel (or closes a DM); returns it.
    pub async fn delete_channel(&self, channel: Id<ChannelMarker>) -> Result<Channel, Error> {
        self.json(self.request(
            Method::DELETE,
            "DELETE /channels/{id}",
            Some(channel.get()),
            format!("/channels/{channel}"),
        ))
        .await
    }
}
