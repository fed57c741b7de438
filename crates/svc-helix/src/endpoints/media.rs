//! Clips and videos.

use futures_core::Stream;
use serde::{Deserialize, Serialize};
use transport_http::Method;

use crate::client::repeated;
use crate::{Error, HelixClient};

/// A clip.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Clip {
    /// Id.
    pub id: String,
    /// URL.
    pub url: String,
    /// Broadcaster id.
    pub broadcaster_id: String,
    /// Creator id.
    pub creator_id: String,
    /// Title.
    pub title: String,
    /// Views.
    pub view_count: u64,
    /// Created at (RFC 3339).
    pub created_at: String,
    /// Length in seconds.
    pub duration: f64,
}

/// A video (VOD, highlight, upload).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Video {
    /// Id.
    pub id: String,
    /// Owner id.
    pub user_id: String,
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Views.
    pub view_count: u64,
    /// `archive`, `highlight` or `upload`.
    #[serde(rename = "type")]
    pub video_type: String,
    /// Length (`3h8m33s`).
    pub duration: String,
    /// Created at (RFC 3339).
    pub created_at: String,
}

impl HelixClient {
    /// A broadcaster's clips, page by page.
    pub fn clips(
        &self,
        broadcaster_id: &str,
    ) -> impl Stream<Item = Result<Clip, Error>> + Send + 'static {
        self.paginate(
            "/clips",
            vec![
                ("broadcaster_id", broadcaster_id.to_owned()),
                ("first", "100".into()),
            ],
        )
    }

    /// Clips by id.
    pub async fn get_clips(&self, ids: &[&str]) -> Result<Vec<Clip>, Error> {
        self.get_data("/clips", &repeated("id", ids)).await
    }

    /// A user's videos, page by page.
    pub fn videos(
        &self,
        user_id: &str,
    ) -> impl Stream<Item = Result<Video, Error>> + Send + 'static {
        self.paginate(
            "/videos",
            vec![("user_id", user_id.to_owned()), ("first", "100".into())],
        )
    }

    /// Deletes videos; answers the ids deleted.
    pub async fn delete_videos(&self, ids: &[&str]) -> Result<Vec<String>, Error> {
        let query = repeated("id", ids);
        self.request_data(Method::DELETE, "/videos", &query).await
    }
}
