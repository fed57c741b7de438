//! coc.py's `raw_attribute`: typed objects that keep the JSON they were decoded from.
//!
//! Off by default. With [`ClientBuilder::raw_attribute`](crate::ClientBuilder::raw_attribute)
//! on, every object an endpoint returns, and every item of a list page, carries its original
//! JSON in its `raw` field ([`RawJson`]): for storing answers as they came, or for fields
//! this crate does not model yet. Off, the field is one empty pointer and nothing is copied.

use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::model::Page;
use crate::{Error, ErrorKind};

/// The JSON an object was decoded from; empty unless
/// [`ClientBuilder::raw_attribute`](crate::ClientBuilder::raw_attribute) is on.
///
/// One pointer wide, so keeping the slot costs nothing when the option is off. `Debug`
/// prints the length, not the text; equality compares the text.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RawJson(Option<Arc<String>>);

impl RawJson {
    pub(crate) fn new(text: &str) -> Self {
        Self(Some(Arc::new(text.to_owned())))
    }

    /// The JSON text, when kept.
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref().map(String::as_str)
    }

    /// Whether nothing was kept.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// Parses the kept JSON (for fields the typed model lacks); `None` when nothing was kept.
    pub fn to_value(&self) -> Option<Result<serde_json::Value, serde_json::Error>> {
        self.get().map(serde_json::from_str)
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.get() {
            Some(text) => write!(f, "RawJson({} bytes)", text.len()),
            None => f.write_str("RawJson(off)"),
        }
    }
}

/// An object an endpoint returns (or a list page holds): it has a [`RawJson`] slot.
pub trait ApiObject: DeserializeOwned + Send + 'static {
    /// The JSON this object was decoded from (empty unless `raw_attribute` is on).
    fn raw(&self) -> &RawJson;

    /// Fills the slot; called by the client only.
    #[doc(hidden)]
    fn set_raw(&mut self, raw: RawJson);
}

macro_rules! api_objects {
    ($($ty:ty),* $(,)?) => {
        $(
            impl ApiObject for $ty {
                fn raw(&self) -> &RawJson {
                    &self.raw
                }

                fn set_raw(&mut self, raw: RawJson) {
                    self.raw = raw;
                }
            }
        )*
    };
}

use crate::model::{
    BuilderBaseLeague, CapitalLeague, CapitalRaidSeason, Clan, ClanCapitalRanking, ClanMember,
    ClanRanking, ClanWar, GoldPassSeason, Label, League, LeagueGroup, LeagueSeason, Location,
    Player, PlayerRanking, WarLeague, WarLogEntry,
};

api_objects!(
    BuilderBaseLeague,
    CapitalLeague,
    CapitalRaidSeason,
    Clan,
    ClanCapitalRanking,
    ClanMember,
    ClanRanking,
    ClanWar,
    GoldPassSeason,
    Label,
    League,
    LeagueGroup,
    LeagueSeason,
    Location,
    Player,
    PlayerRanking,
    WarLeague,
    WarLogEntry,
);

/// A response body the client decodes: one object, or a page of them.
pub(crate) trait Body: Sized {
    /// Decodes `body`; with `keep_raw`, fills the raw slots.
    fn decode(body: &[u8], keep_raw: bool) -> Result<Self, Error>;
}

impl<T: ApiObject> Body for T {
    fn decode(body: &[u8], keep_raw: bool) -> Result<Self, Error> {
        let mut value: T = crate::client::decode(body)?;
        if keep_raw {
            value.set_raw(RawJson::new(&String::from_utf8_lossy(body)));
        }
        Ok(value)
    }
}

/// The items of a page as the exact JSON text each was sent as.
#[derive(Deserialize)]
struct RawItems<'a> {
    #[serde(borrow, default)]
    items: Vec<&'a RawValue>,
}

impl<T: ApiObject> Body for Page<T> {
    fn decode(body: &[u8], keep_raw: bool) -> Result<Self, Error> {
        let mut page: Self = crate::client::decode(body)?;
        if keep_raw {
            // The typed decode succeeded, so this second pass over the same bytes only
            // fails on input simd-json accepted and serde_json does not; keep it typed.
            let raw: RawItems<'_> = serde_json::from_slice(body).map_err(|error| {
                Error::with_source(
                    ErrorKind::Decode {
                        snippet: String::from_utf8_lossy(&body[..body.len().min(120)]).into_owned(),
                    },
                    error,
                )
            })?;
            for (item, raw) in page.items.iter_mut().zip(raw.items) {
                item.set_raw(RawJson::new(raw.get()));
            }
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_costs_one_pointer_and_debug_hides_the_text() {
        assert_eq!(size_of::<RawJson>(), size_of::<usize>());
        let clan = <Clan as Body>::decode(br##"{"tag":"#2PP","name":"x"}"##, false).unwrap();
        assert!(clan.raw.is_empty());
        assert_eq!(format!("{:?}", clan.raw), "RawJson(off)");
        let clan = <Clan as Body>::decode(br##"{"tag":"#2PP","name":"x"}"##, true).unwrap();
        assert_eq!(clan.raw.get(), Some(r##"{"tag":"#2PP","name":"x"}"##));
        assert_eq!(format!("{:?}", clan.raw), "RawJson(25 bytes)");
    }

    #[test]
    fn page_items_keep_their_own_text() {
        let body = br#"{"items":[{"id":1,"name":"a"} , {"id":2,"name":"b","new":[1]}],"paging":{"cursors":{}}}"#;
        let page = <Page<League> as Body>::decode(body, true).unwrap();
        assert_eq!(page.items[0].raw.get(), Some(r#"{"id":1,"name":"a"}"#));
        assert_eq!(
            page.items[1].raw.get(),
            Some(r#"{"id":2,"name":"b","new":[1]}"#)
        );
        let page = <Page<League> as Body>::decode(body, false).unwrap();
        assert!(page.items.iter().all(|item| item.raw.is_empty()));
    }
}
