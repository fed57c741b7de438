//! Stage instances.

use serde::Serialize;
use serde_json::json;

use super::RestClient;
use super::route::Route;
use crate::error::Error;
use crate::model::{ChannelMarker, Id, ScheduledEventMarker, StageInstance};

/// The body of `POST /stage-instances`, with the audit-log reason sent beside it.
///
/// ```
/// use svc_gateway::rest::CreateStageInstance;
///
/// let request = CreateStageInstance::new(7.into(), "town hall")
///     .send_start_notification(true)
///     .reason("weekly meeting");
/// let body = serde_json::to_value(&request).unwrap();
/// assert_eq!(body["channel_id"], "7");
/// assert_eq!(body["privacy_level"], 2);
/// assert!(body.get("reason").is_none(), "the reason travels as a header");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateStageInstance {
    channel_id: Id<ChannelMarker>,
    topic: String,
    privacy_level: u8,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    send_start_notification: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    guild_scheduled_event_id: Option<Id<ScheduledEventMarker>>,
    #[serde(skip)]
    reason: Option<String>,
}

/// Privacy level 2: the only one Discord still accepts (1, public, is deprecated).
const GUILD_ONLY: u8 = 2;

impl CreateStageInstance {
    /// A guild-only stage with `topic` (1–120 characters) in a stage channel.
    pub fn new(channel: Id<ChannelMarker>, topic: impl Into<String>) -> Self {
        Self {
            channel_id: channel,
            topic: topic.into(),
            privacy_level: GUILD_ONLY,
            send_start_notification: false,
            guild_scheduled_event_id: None,
            reason: None,
        }
    }

    /// The privacy level (2, guild only, by default).
    pub fn privacy_level(mut self, level: u8) -> Self {
        self.privacy_level = level;
        self
    }

    /// Notify `@everyone` that the stage started (needs `MENTION_EVERYONE`).
    pub fn send_start_notification(mut self, notify: bool) -> Self {
        self.send_start_notification = notify;
        self
    }

    /// The scheduled event the stage belongs to.
    pub fn scheduled_event(mut self, event: Id<ScheduledEventMarker>) -> Self {
        self.guild_scheduled_event_id = Some(event);
        self
    }

    /// The audit-log reason (`X-Audit-Log-Reason`).
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
}

impl RestClient {
    /// `POST /stage-instances`: opens a guild-only stage in a stage channel (see
    /// [`create_stage_instance_with`](Self::create_stage_instance_with) for the other
    /// fields and an audit-log reason).
    pub async fn create_stage_instance(
        &self,
        channel: Id<ChannelMarker>,
        topic: &str,
    ) -> Result<StageInstance, Error> {
        self.create_stage_instance_with(&CreateStageInstance::new(channel, topic))
            .await
    }

    /// `POST /stage-instances` with privacy level, start notification, scheduled event and
    /// audit-log reason.
    pub async fn create_stage_instance_with(
        &self,
        request: &CreateStageInstance,
    ) -> Result<StageInstance, Error> {
        let builder = self.route(&Route::CreateStageInstance).json(request);
        self.json(Self::audit_reason(builder, request.reason.as_deref()))
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
