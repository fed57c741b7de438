//! Polls and predictions.

use serde::{Deserialize, Serialize};
use serde_json::json;
use transport_http::Method;

use crate::{Error, HelixClient, OutcomeId, PollChoiceId, PollId, PredictionId, UserId};

/// A poll.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Poll {
    /// Id.
    pub id: PollId,
    /// Broadcaster id.
    pub broadcaster_id: UserId,
    /// Question.
    #[serde(default)]
    pub title: String,
    /// Choices with votes.
    #[serde(default)]
    pub choices: Vec<PollChoice>,
    /// `ACTIVE`, `COMPLETED`, `TERMINATED`, `ARCHIVED`, …
    #[serde(default)]
    pub status: String,
    /// Seconds it runs.
    #[serde(default)]
    pub duration: u64,
}

/// A poll choice.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PollChoice {
    /// Id.
    pub id: PollChoiceId,
    /// Text.
    #[serde(default)]
    pub title: String,
    /// Votes.
    #[serde(default)]
    pub votes: u64,
}

/// A prediction.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Prediction {
    /// Id.
    pub id: PredictionId,
    /// Broadcaster id.
    pub broadcaster_id: UserId,
    /// Question.
    #[serde(default)]
    pub title: String,
    /// Outcomes.
    #[serde(default)]
    pub outcomes: Vec<PredictionOutcome>,
    /// `ACTIVE`, `LOCKED`, `RESOLVED`, `CANCELED`.
    #[serde(default)]
    pub status: String,
    /// Winning outcome id once resolved.
    #[serde(default)]
    pub winning_outcome_id: Option<OutcomeId>,
}

/// A prediction outcome.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PredictionOutcome {
    /// Id.
    pub id: OutcomeId,
    /// Text.
    #[serde(default)]
    pub title: String,
    /// Users who bet on it.
    #[serde(default)]
    pub users: u64,
    /// Points bet on it.
    #[serde(default)]
    pub channel_points: u64,
}

impl HelixClient {
    /// A channel's polls (most recent first).
    pub async fn get_polls(&self, broadcaster_id: &UserId) -> Result<Vec<Poll>, Error> {
        self.get_data("/polls", &[("broadcaster_id", broadcaster_id.to_string())])
            .await
    }

    /// Starts a poll.
    pub async fn create_poll(
        &self,
        broadcaster_id: &UserId,
        title: &str,
        choices: &[&str],
        duration_secs: u32,
    ) -> Result<Option<Poll>, Error> {
        let body = json!({
            "broadcaster_id": broadcaster_id,
            "title": title,
            "choices": choices.iter().map(|c| json!({ "title": c })).collect::<Vec<_>>(),
            "duration": duration_secs,
        });
        Ok(self
            .send_json(Method::POST, "/polls", &[], &body)
            .await?
            .data
            .into_iter()
            .next())
    }

    /// Ends a poll: `TERMINATED` (results shown) or `ARCHIVED`.
    pub async fn end_poll(
        &self,
        broadcaster_id: &UserId,
        id: &PollId,
        status: &str,
    ) -> Result<Option<Poll>, Error> {
        let body = json!({ "broadcaster_id": broadcaster_id, "id": id, "status": status });
        Ok(self
            .send_json(Method::PATCH, "/polls", &[], &body)
            .await?
            .data
            .into_iter()
            .next())
    }

    /// A channel's predictions.
    pub async fn get_predictions(&self, broadcaster_id: &UserId) -> Result<Vec<Prediction>, Error> {
        self.get_data(
            "/predictions",
            &[("broadcaster_id", broadcaster_id.to_string())],
        )
        .await
    }

    /// Starts a prediction.
    pub async fn create_prediction(
        &self,
        broadcaster_id: &UserId,
        title: &str,
        outcomes: &[&str],
        window_secs: u32,
    ) -> Result<Option<Prediction>, Error> {
        let body = json!({
            "broadcaster_id": broadcaster_id,
            "title": title,
            "outcomes": outcomes.iter().map(|o| json!({ "title": o })).collect::<Vec<_>>(),
            "prediction_window": window_secs,
        });
        Ok(self
            .send_json(Method::POST, "/predictions", &[], &body)
            .await?
            .data
            .into_iter()
            .next())
    }

    /// Locks, resolves (with `winning_outcome_id`) or cancels a prediction.
    pub async fn end_prediction(
        &self,
        broadcaster_id: &UserId,
        id: &PredictionId,
        status: &str,
        winning_outcome_id: Option<&OutcomeId>,
    ) -> Result<Option<Prediction>, Error> {
        let mut body = json!({ "broadcaster_id": broadcaster_id, "id": id, "status": status });
        if let Some(winner) = winning_outcome_id {
            body["winning_outcome_id"] = json!(winner);
        }
        Ok(self
            .send_json(Method::PATCH, "/predictions", &[], &body)
            .await?
            .data
            .into_iter()
            .next())
    }
}
