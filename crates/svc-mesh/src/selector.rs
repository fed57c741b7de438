//! Query selectors: pick one client among the matches by a metadata key.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Picks **one** matching client by the value of a metadata key: serialised as
/// `{"$min": "key"}`, `{"$max": "key"}` or `{"$avg": "key"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// The client with the smallest value.
    Min(String),
    /// The client with the largest value.
    Max(String),
    /// The client whose value is closest to the average.
    Avg(String),
}

impl Selector {
    /// The wire name (`$min`, `$max`, `$avg`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Min(_) => "$min",
            Self::Max(_) => "$max",
            Self::Avg(_) => "$avg",
        }
    }

    /// The metadata key.
    pub fn key(&self) -> &str {
        match self {
            Self::Min(key) | Self::Max(key) | Self::Avg(key) => key,
        }
    }
}

impl Serialize for Selector {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.name(), self.key())?;
        map.end()
    }
}
