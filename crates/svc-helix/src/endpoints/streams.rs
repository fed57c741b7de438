//! Streams: `GET /streams`.

use futures_core::Stream;
use serde::{Deserialize, Serialize};

use crate::{Error, GameId, HelixClient, StreamId, UserId};

/// A live stream.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct LiveStream {
    /// Stream id.
    pub id: StreamId,
    /// Broadcaster id.
    pub user_id: UserId,
    /// Broadcaster login.
    #[serde(default)]
    pub user_login: String,
    /// Broadcaster display name.
    #[serde(default)]
    pub user_name: String,
    /// Category id; `None` when the stream has no category (Twitch sends `""`).
    #[serde(default, with = "crate::id::empty_is_none")]
    pub game_id: Option<GameId>,
    /// Category name.
    #[serde(default)]
    pub game_name: String,
    /// `live` (or empty on error).
    #[serde(rename = "type", default)]
    pub stream_type: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Viewers now.
    #[serde(default)]
    pub viewer_count: u64,
    /// When it started (RFC 3339).
    #[serde(default)]
    pub started_at: String,
    /// Language.
    #[serde(default)]
    pub language: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Filters for [`HelixClient::streams`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamFilter {
    /// Only these broadcaster ids.
    pub user_ids: Vec<UserId>,
    /// Only these logins.
    pub user_logins: Vec<String>,
    /// Only these categories.
    pub game_ids: Vec<GameId>,
    /// Only these languages.
    pub languages: Vec<String>,
}

impl HelixClient {
    /// Live streams matching `filter` (most viewers first), page by page.
    pub fn streams(
        &self,
        filter: &StreamFilter,
    ) -> impl Stream<Item = Result<LiveStream, Error>> + Send + 'static + use<> {
        let mut query = vec![("first", "100".to_owned())];
        query.extend(filter.user_ids.iter().map(|v| ("user_id", v.to_string())));
        query.extend(filter.user_logins.iter().map(|v| ("user_login", v.clone())));
        query.extend(filter.game_ids.iter().map(|v| ("game_id", v.to_string())));
        query.extend(filter.languages.iter().map(|v| ("language", v.clone())));
        self.paginate("/streams", query)
    }
}
