//! Clips and videos.

use futures_core::Stream;
use serde::{Deserialize, Serialize};
use transport_http::Method;

use crate::client::repeated;
use crate::{ClipId, Error, ErrorKind, GameId, HelixClient, UserId, VideoId};

/// A clip.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Clip {
    /// Id.
    pub id: ClipId,
    /// URL.
    #[serde(default)]
    pub url: String,
    /// Broadcaster id.
    pub broadcaster_id: UserId,
    /// Creator id.
    pub creator_id: UserId,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Views.
    #[serde(default)]
    pub view_count: u64,
    /// Created at (RFC 3339).
    #[serde(default)]
    pub created_at: String,
    /// Length in seconds.
    #[serde(default)]
    pub duration: f64,
}

/// A clip just created (`POST /clips`): it is processed in the background, so only its id
/// and the URL to edit it are known yet.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreatedClip {
    /// Clip id (fetch it with [`HelixClient::get_clips`]).
    pub id: ClipId,
    /// Where the broadcaster edits it.
    #[serde(default)]
    pub edit_url: String,
}

/// A video (VOD, highlight, upload).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Video {
    /// Id.
    pub id: VideoId,
    /// Owner id.
    pub user_id: UserId,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// URL.
    #[serde(default)]
    pub url: String,
    /// Views.
    #[serde(default)]
    pub view_count: u64,
    /// `archive`, `highlight` or `upload`.
    #[serde(rename = "type", default)]
    pub video_type: String,
    /// Length (`3h8m33s`).
    #[serde(default)]
    pub duration: String,
    /// Created at (RFC 3339).
    #[serde(default)]
    pub created_at: String,
}

impl HelixClient {
    /// A broadcaster's clips, page by page.
    pub fn clips(
        &self,
        broadcaster_id: &UserId,
    ) -> impl Stream<Item = Result<Clip, Error>> + Send + 'static {
        self.paginate(
            "/clips",
            vec![
                ("broadcaster_id", broadcaster_id.to_string()),
                ("first", "100".into()),
            ],
        )
    }

    /// Clips by id.
    pub async fn get_clips(&self, ids: &[ClipId]) -> Result<Vec<Clip>, Error> {
        self.get_data("/clips", &repeated("id", ids)).await
    }

    /// A category's clips, page by page.
    pub fn game_clips(
        &self,
        game_id: &GameId,
    ) -> impl Stream<Item = Result<Clip, Error>> + Send + 'static {
        self.paginate(
            "/clips",
            vec![("game_id", game_id.to_string()), ("first", "100".into())],
        )
    }

    /// Clips a live broadcaster's stream (a user token with `clips:edit`); with
    /// `has_delay` the clip starts a few seconds earlier, matching what viewers saw.
    pub async fn create_clip(
        &self,
        broadcaster_id: &UserId,
        has_delay: bool,
    ) -> Result<CreatedClip, Error> {
        let query = [
            ("broadcaster_id", broadcaster_id.to_string()),
            ("has_delay", has_delay.to_string()),
        ];
        self.request_data(Method::POST, "/clips", &query)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::new(ErrorKind::Decode))
    }

    /// Videos by id.
    pub async fn get_videos(&self, ids: &[VideoId]) -> Result<Vec<Video>, Error> {
        self.get_data("/videos", &repeated("id", ids)).await
    }

    /// A category's videos, newest first, page by page.
    pub fn game_videos(
        &self,
        game_id: &GameId,
    ) -> impl Stream<Item = Result<Video, Error>> + Send + 'static {
        self.paginate(
            "/videos",
            VideoFilter::default().query(("game_id", game_id.to_string())),
        )
    }

    /// A category's videos narrowed and ordered by `filter`, page by page.
    pub fn game_videos_matching(
        &self,
        game_id: &GameId,
        filter: &VideoFilter,
    ) -> impl Stream<Item = Result<Video, Error>> + Send + 'static + use<> {
        self.paginate("/videos", filter.query(("game_id", game_id.to_string())))
    }

    /// A user's videos, newest first, page by page.
    pub fn videos(
        &self,
        user_id: &UserId,
    ) -> impl Stream<Item = Result<Video, Error>> + Send + 'static {
        self.paginate(
            "/videos",
            VideoFilter::default().query(("user_id", user_id.to_string())),
        )
    }

    /// A user's videos narrowed and ordered by `filter` (twitchio's `fetch_videos` options),
    /// page by page.
    pub fn videos_matching(
        &self,
        user_id: &UserId,
        filter: &VideoFilter,
    ) -> impl Stream<Item = Result<Video, Error>> + Send + 'static + use<> {
        self.paginate("/videos", filter.query(("user_id", user_id.to_string())))
    }

    /// Deletes up to 5 of the token user's videos (`channel:manage:videos`); answers the
    /// ids deleted.
    pub async fn delete_videos(&self, ids: &[VideoId]) -> Result<Vec<VideoId>, Error> {
        let query = repeated("id", ids);
        self.request_data(Method::DELETE, "/videos", &query).await
    }
}

/// Filters for [`HelixClient::videos_matching`] and [`HelixClient::game_videos_matching`]:
/// each `None` leaves Twitch's default (every language, all time, newest first, all types).
///
/// ```
/// use svc_helix::{VideoFilter, VideoPeriod, VideoSort, VideoType};
///
/// let mut filter = VideoFilter::default();
/// filter.period = Some(VideoPeriod::Week);
/// filter.sort = Some(VideoSort::Views);
/// filter.video_type = Some(VideoType::Highlight);
/// filter.language = Some("de".into());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct VideoFilter {
    /// Only videos in this language (ISO 639-1, or `other`).
    pub language: Option<String>,
    /// Only videos published within this period.
    pub period: Option<VideoPeriod>,
    /// The order.
    pub sort: Option<VideoSort>,
    /// Only videos of this type.
    pub video_type: Option<VideoType>,
}

impl VideoFilter {
    fn query(&self, owner: (&'static str, String)) -> Vec<(&'static str, String)> {
        let mut query = vec![owner, ("first", "100".to_owned())];
        query.extend(self.language.clone().map(|l| ("language", l)));
        query.extend(self.period.map(|p| ("period", p.as_str().to_owned())));
        query.extend(self.sort.map(|s| ("sort", s.as_str().to_owned())));
        query.extend(self.video_type.map(|t| ("type", t.as_str().to_owned())));
        query
    }
}

/// How far back [`VideoFilter`] looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VideoPeriod {
    /// Any time.
    All,
    /// The last day.
    Day,
    /// The last week.
    Week,
    /// The last month.
    Month,
}

impl VideoPeriod {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }
}

/// The order of [`VideoFilter`]'s results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VideoSort {
    /// Newest first.
    Time,
    /// Trending first.
    Trending,
    /// Most viewed first.
    Views,
}

impl VideoSort {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Time => "time",
            Self::Trending => "trending",
            Self::Views => "views",
        }
    }
}

/// The kind of video [`VideoFilter`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VideoType {
    /// Every kind.
    All,
    /// Past broadcasts.
    Archive,
    /// Highlights.
    Highlight,
    /// Uploads.
    Upload,
}

impl VideoType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Archive => "archive",
            Self::Highlight => "highlight",
            Self::Upload => "upload",
        }
    }
}
