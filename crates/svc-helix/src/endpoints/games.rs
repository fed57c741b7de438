//! Games / categories: get, top, search.

use futures_core::Stream;
use serde::{Deserialize, Serialize};

use crate::client::repeated;
use crate::{Error, HelixClient};

/// A game or category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Game {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Box art URL template.
    pub box_art_url: String,
    /// IGDB id.
    pub igdb_id: String,
}

impl HelixClient {
    /// Games by id and/or name.
    pub async fn get_games(&self, ids: &[&str], names: &[&str]) -> Result<Vec<Game>, Error> {
        let mut query = repeated("id", ids);
        query.extend(repeated("name", names));
        self.get_data("/games", &query).await
    }

    /// Games by their IGDB ids.
    pub async fn get_games_by_igdb_ids(&self, igdb_ids: &[&str]) -> Result<Vec<Game>, Error> {
        self.get_data("/games", &repeated("igdb_id", igdb_ids))
            .await
    }

    /// The most watched categories, page by page.
    pub fn top_games(&self) -> impl Stream<Item = Result<Game, Error>> + Send + 'static {
        self.paginate("/games/top", vec![("first", "100".into())])
    }

    /// Categories matching `query`.
    pub fn search_categories(
        &self,
        query: &str,
    ) -> impl Stream<Item = Result<Game, Error>> + Send + 'static {
        self.paginate(
            "/search/categories",
            vec![("query", query.to_owned()), ("first", "100".into())],
        )
    }
}
