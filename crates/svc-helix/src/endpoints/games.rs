//! Games / categories: get, top, search.

use futures_core::Stream;
use serde::{Deserialize, Serialize};

use crate::client::repeated;
use crate::{Error, GameId, HelixClient};

/// A game or category.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Game {
    /// Id.
    pub id: GameId,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Box art URL template.
    #[serde(default)]
    pub box_art_url: String,
    /// IGDB id.
    #[serde(default)]
    pub igdb_id: String,
}

impl HelixClient {
    /// Games by id and/or name.
    pub async fn get_games(&self, ids: &[GameId], names: &[&str]) -> Result<Vec<Game>, Error> {
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
