//! Polls and predictions (begin, progress, lock, end share one body each).

use serde_json::Value;

event_struct! {
    /// A poll choice (vote counts absent in `begin`).
    PollChoice {
        id: String, title: String, bits_votes: Option<u64>, channel_points_votes: Option<u64>, votes: Option<u64>,
    }
}

event_struct! {
    /// `channel.poll.begin` / `progress` / `end` v1.
    Poll {
        id: String,
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        title: String, choices: Vec<PollChoice>, bits_voting: Value, channel_points_voting: Value,
        started_at: String, ends_at: Option<String>, status: Option<String>, ended_at: Option<String>,
    }
}

event_struct! {
    /// A prediction outcome.
    PredictionOutcome {
        id: String, title: String, color: String, users: Option<u64>, channel_points: Option<u64>,
        top_predictors: Option<Vec<Value>>,
    }
}

event_struct! {
    /// `channel.prediction.begin` / `progress` / `lock` / `end` v1.
    Prediction {
        id: String,
        broadcaster_user_id: String, broadcaster_user_login: String, broadcaster_user_name: String,
        title: String, outcomes: Vec<PredictionOutcome>, started_at: String,
        locks_at: Option<String>, locked_at: Option<String>, ended_at: Option<String>,
        winning_outcome_id: Option<String>, status: Option<String>,
    }
}
