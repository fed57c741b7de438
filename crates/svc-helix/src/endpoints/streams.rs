//! Streams: `GET /streams`.

use futures_core::Stream;
use serde::{Deserialize, Serialize};

use crate::{Error, HelixClient};

/// A live stream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct LiveStream {
    /// Stream id.
    pub id: String,
    /// Broadcaster id.
    pub user_id: String,
    /// Broadcaster login.
    pub user_login: String,
    /// Broadcaster display name.
    pub user_name: String,
    /// Category id.
    pub game_id: String,
    /// Category name.
    pub game_name: String,
    /// `live` (or empty on error).
    #[serde(rename = "type")]
    pub stream_type: String,
    /// Title.
    pub title: String,
    /// Viewers now.
    pub viewer_count: u64,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// Language.
    pub language: String,
    /// Tags.
    pub tags: Vec<String>,
}

/// Filters for [`HelixClient::streams`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamFilter {
    /// Only these broadcaster ids.
    pub user_ids: Vec<String>,
    /// Only these logins.
    pub user_logins: Vec<String>,
    /// Only these categories.
    pub game_ids: Vec<String>,
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
        query.extend(filter.user_ids.iter().map(|v| ("user_id", v.clone())));
        query.extend(filter.user_logins.iter().map(|v| ("user_login", v.clone())));
        query.extend(filter.game_ids.iter().map(|v| ("game_id", v.clone())));
        query.extend(filter.languages.iter().map(|v| ("language", v.clone())));
        self.paginate("/streams", query)
    }
}
