//! Stage instances.

use serde_json::json;
use transport_http::Method;

use super::RestClient;
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
        self.json(
            self.request(
                Method::POST,
                "POST /stage-instances",
                None,
                "/stage-instances".into(),
            )
            .json(&body),
        )
        .await
    }

    /// `GET /stage-instances/{channel}`.
    pub async fn stage_instance(&self, channel: Id<ChannelMarker>) -> Result<StageInstance, Error> {
        self.json(self.request(
            Method::GET,
            "GET /stage-instances/{id}",
            None,
            format!("/stage-instances/{channel}"),
        ))
        .await
    }

    /// `DELETE /stage-instances/{channel}`.
    pub async fn delete_stage_instance(&self, channel: Id<ChannelMarker>) -> Result<(), Error> {
        self.empty(self.request(
            Method::DELETE,
            "DELETE /stage-instances/{id}",
            None,
            format!("/stage-instances/{channel}"),
        ))
        .await
    }

    /// `PATCH /stage-instances/{channel}`: changes the topic.
    pub async fn modify_stage_instance(
        &self,
        channel: Id<ChannelMarker>,
        topic: &str,
    ) -> Result<StageInstance, Error> {
        self.json(
            self.request(
                Method::PATCH,
                "PATCH /stage-instances/{id}",
                None,
                format!("/stage-instances/{channel}"),
            )
            .json(&json!({ "topic": topic })),
        )
        .await
    }
}
