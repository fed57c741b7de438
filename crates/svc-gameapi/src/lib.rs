#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod builder;
mod client;
mod endpoints;
mod error;
pub mod events;
mod game_data;
mod key_manager;
mod keys;
mod list;
pub mod model;
mod raw;
mod search;
mod tag;
mod throttle;
mod timestamp;

pub use builder::{
    ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CACHE_MAX_BYTES, DEFAULT_CACHE_MAX_SIZE,
    DEFAULT_DEVELOPER_SITE, DEFAULT_KEY_NAME, DEFAULT_THROTTLE_LIMIT, DEFAULT_TIMEOUT,
};
pub use client::{Client, MAX_CACHE_TTL};
pub use error::{BoxError, Error, ErrorKind, Reason};
pub use events::{Event, EventsClient};
pub use game_data::{GameData, GameUnit, TownHallCap, UnitKind, game_data};
pub use key_manager::{KeyManager, KeySync, MAX_KEYS_PER_ACCOUNT};
pub use list::{ListRequest, MAX_CURSOR_LEN, MAX_PAGES};
pub use search::ClanSearch;
pub use tag::Tag;
pub use timestamp::Timestamp;
pub use transport_http::Secret;

#[doc(hidden)]
pub use key_manager::ip_from_token;

#[cfg(test)]
mod tests {
    /// Clients are shared across tasks; errors cross task boundaries.
    #[test]
    fn public_types_are_send_and_sync() {
        fn assert<T: Send + Sync + 'static>() {}
        assert::<crate::Client>();
        assert::<crate::EventsClient>();
        assert::<crate::Error>();
        assert::<crate::Event>();
        assert::<crate::KeyManager>();
    }
}
