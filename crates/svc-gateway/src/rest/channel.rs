//! Channels.

use serde_json::Value;

use super::RestClient;
use super::route::Route;
use crate::error::Error;
use crate::model::{Channel, ChannelMarker, Id};

impl RestClient {
    /// `GET /channels/{id}`.
    pub async fn channel(&self, channel: Id<ChannelMarker>) -> Result<Channel, Error> {
        self.json(self.route(&Route::GetChannel { channel })).await
    }

    /// `PATCH /channels/{id}` with the fields to change (`{"name": "…", "topic": "…"}`).
    pub async fn modify_channel(
        &self,
        channel: Id<ChannelMarker>,
        changes: &Value,
    ) -> Result<Channel, Error> {
        self.json(self.route(&Route::UpdateChannel { channel }).json(changes))
            .await
    }

    /// `DELETE /channels/{id}`: deletes a channel (or closes a DM); returns it.
    pub async fn delete_channel(&self, channel: Id<ChannelMarker>) -> Result<Channel, Error> {
        self.json(self.route(&Route::DeleteChannel { channel }))
            .await
    }
}
