//! Clash of Clans API client: typed REST, key manager, polling events.
//!
//! The API is plain REST with keys bound to IP addresses, and nothing is pushed: events
//! are differences between successive snapshots, polled no sooner than each response's
//! `Cache-Control: max-age` allows. This crate gives you
//!
//! - [`Client`]: every public endpoint, typed ([`model`]); tags normalised ([`Tag`]); lists
//!   paged with `limit`/`after`/`before` and streamable ([`ListRequest`]); responses cached
//!   for their max-age (at most [`MAX_CACHE_TTL`]), the cache capped in entries and bytes;
//!   each key throttled (10 req/s by default) and keys used
//!   round-robin; 5xx retried with backoff; API errors typed ([`Reason`]);
//! - [`KeyManager`]: logs in to the developer site and keeps keys for the caller's IP,
//!   re-run automatically when the API answers `accessDenied.invalidIp`;
//! - [`EventsClient`]: watches clans, players and wars and publishes [`Event`]s on a
//!   `core_events::EventHub`.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use svc_gameapi::Client;
//! use svc_gameapi::events::{ClanEvent, EventsClient};
//!
//! # let clash = sandbox::clash::Clash::new();
//! # let control = clash.control();
//! # let key = control.create_key("docs", "127.0.0.1");
//! # let server = sandbox::Server::builder().serve(clash).await?;
//! # let base_url = format!("{}/v1", server.base_url());
//! # let clan_tag = control.main_clan().to_lowercase();
//! // In production: `.login(email, password)` instead of `.key(…)` and no base URL.
//! let client = Client::builder().base_url(base_url).key(key).build().await?;
//! let clan = client.clan(&clan_tag).await?; // tags are corrected: `#2pp` → `#2PP`
//! println!("{} has {} members", clan.name, clan.members);
//!
//! let events = EventsClient::new(client);
//! events.hub().on(|event: ClanEvent| println!("{event:?}")).detach();
//! events.add_clans([clan.tag]);
//! # Ok(())
//! # }
//! ```
//!
//! # Coming from coc.py
//!
//! | coc.py `EventsClient` | here |
//! |---|---|
//! | `key_count`, `key_names` | [`ClientBuilder::key_count`], [`ClientBuilder::key_names`] (with [`ClientBuilder::login`]) |
//! | `throttle_limit` (10/s) | [`ClientBuilder::throttle_limit`] (10/s per key by default, spaced evenly) |
//! | `correct_tags` | [`ClientBuilder::correct_tags`] (also `O`→`0` and `%23`) |
//! | `timeout`, `base_url` | [`ClientBuilder::timeout`], [`ClientBuilder::base_url`] |
//! | `cache_max_size` (`None` = off) | [`ClientBuilder::cache_max_size`], plus a byte cap: [`ClientBuilder::cache_max_bytes`] |
//! | `raw_attribute` | [`ClientBuilder::raw_attribute`]: returned objects keep their JSON in `raw` ([`model::RawJson`]); [`Client::raw_get`] for a whole body |
//! | `loop`, `connector`, `run_forever` | tokio's runtime; one pooled HTTP client per [`Client`] |
//! | `load_game_data` | [`game_data()`]: shipped with the crate, parsed on first use, always on ([`Unit::game_data`](model::Unit::game_data)); upgrade events carry it |
//! | `realtime` | not provided: realtime access is a private Supercell arrangement |
//! | `add_clan_updates` / `add_player_updates` / `add_war_updates` (+ `remove_…`) | [`EventsClient::add_clans`], [`EventsClient::add_players`], [`EventsClient::add_wars`] (+ `remove_…`) |
//! | `event`, `add_events`, `remove_events`, `dispatch` | `hub().on` / `on_async` / `once` / `wait_for` / `stream`; `Listener::cancel`; `hub().publish` |
//! | `ClanEvents.*`, `PlayerEvents.*`, `WarEvents.*`, `ClientEvents.*` | [`events::ClanEvent`], [`events::PlayerEvent`], [`events::WarEvent`], [`events::MaintenanceEvent`], [`events::CalendarEvent`]; every event, one by one, in the [`events`] module's table |
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
