//! Stage instances.

use serde_json::json;

use super::RestClient;
use super::route::Route;
use crate::error::Error;
use crate::model::{ChannelMarker, Id, StageInstance};

impl RestClient {
    /// `POST /stage-instances`: opens a stage in a stage channel.
    pub async fn create_stage_instance(
        &self,
        channel: Id<ChannelMarker>,
        topic: &str,
    ) -> Result<StageInstance, Error> {
        let body = json!({ "channel_id": channel, "topic": topic });
        self.json(self.route(&Route::CreateStageInstance).json(&body))
            .await
    }

    /// `GET /stage-instances/{channel}`.
    pub async fn stage_instance(&self, channel: Id<ChannelMarker>) -> Result<StageInstance, Error> {
        self.json(self.route(&Route::GetStageInstance { channel }))
            .await
    }

    /// `DELETE /stage-instances/{channel}`.
    pub async fn delete_stage_instance(&self, channel: Id<ChannelMarker>) -> Result<(), Error> {
        self.empty(self.route(&Route::DeleteStageInstance { channel }))
            .await
    }

    /// `PATCH /stage-instances/{channel}`: changes the topic.
    pub async fn modify_stage_instance(
        &self,
        channel: Id<ChannelMarker>,
        topic: &str,
    ) -> Result<StageInstance, Error> {
        let route = Route::UpdateStageInstance { channel };
        self.json(self.route(&route).json(&json!({ "topic": topic })))
            .await
    }
}
