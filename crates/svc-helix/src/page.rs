//! [`Page`]: one page of a Helix list (`data` + `pagination.cursor`).

use serde::Deserialize;

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
#[serde(bound = "T: Deserialize<'de>")]
pub struct Page<T> {
    /// The items.
    pub data: Vec<T>,
    /// Where the next page starts.
    #[serde(default)]
    pub pagination: Pagination,
    /// Total count, on endpoints that report it.
    #[serde(default)]
    pub total: Option<u64>,
}

/// The `pagination` object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Pagination {
    /// Cursor for `after`; absent on the last page.
    #[serde(default)]
    pub cursor: Option<String>,
}

impl<T> Page<T> {
    pub(crate) fn empty() -> Self {
        Self {
            data: Vec::new(),
            pagination: Pagination::default(),
            total: None,
        }
    }

    /// The cursor of the next page, if any (an empty cursor means none).
    pub fn cursor(&self) -> Option<&str> {
        self.pagination.cursor.as_deref().filter(|c| !c.is_empty())
    }
}
