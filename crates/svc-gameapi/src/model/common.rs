//! Small shapes shared by many payloads: icons, labels, locations, paging.

use serde::{Deserialize, Serialize};

use super::RawJson;

/// Icon URLs (`tiny`, `small`, `medium`); any may be absent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct IconUrls {
    /// Tiny icon.
    pub tiny: Option<String>,
    /// Small icon.
    pub small: Option<String>,
    /// Medium icon.
    pub medium: Option<String>,
}

/// Clan badge URLs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BadgeUrls {
    /// Small badge.
    pub small: Option<String>,
    /// Medium badge.
    pub medium: Option<String>,
    /// Large badge.
    pub large: Option<String>,
}

/// A clan or player label.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Label {
    /// Label id.
    pub id: u64,
    /// Label name.
    pub name: String,
    /// Its icons.
    pub icon_urls: IconUrls,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}

/// A location (country or region).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Location {
    /// Location id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Whether it is a country.
    pub is_country: bool,
    /// ISO country code, for countries.
    pub country_code: Option<String>,
    /// Localized name, when sent.
    pub localized_name: Option<String>,
    /// The original JSON, when [`raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
    #[serde(skip)]
    pub raw: RawJson,
}

/// A clan's chat language.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ChatLanguage {
    /// Language id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Code (`EN`).
    pub language_code: String,
}

/// Paging cursors of a list answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Cursors {
    /// Cursor for the next page.
    pub after: Option<String>,
    /// Cursor for the previous page.
    pub before: Option<String>,
}

/// The `paging` object of a list answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Paging {
    /// Its cursors.
    pub cursors: Cursors,
}

/// One page of a list answer: `{"items": [...], "paging": {"cursors": {...}}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    /// The items.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// Cursors for the neighbouring pages.
    #[serde(default)]
    pub paging: Paging,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            paging: Paging::default(),
        }
    }
}
