//! Events: what changed between two snapshots of a watched clan, player or war.
//!
//! The API pushes nothing, so [`EventsClient`] polls each watched resource — never before
//! its `Cache-Control: max-age` runs out — and publishes the differences on a
//! [`core_events::EventHub`]. The first fetch of anything is the baseline and yields no
//! event. Attacks are remembered in a [`SeenStore`] so each is reported once, even across
//! restarts when the store persists ([`FileStore`]).

mod attributes;
mod calendar;
mod change;
mod client;
mod diff;
mod event;
mod store;

pub use crate::game_data::UnitKind;
pub use attributes::{ClanChange, MemberChange, PlayerChange, WarChange};
pub use calendar::CalendarKind;
pub use change::Change;
pub use client::{EventsClient, EventsClientBuilder};
pub use event::{
    CalendarEvent, ClanEvent, Event, MaintenanceEvent, PlayerEvent, WarEvent, WarSide,
};
pub use store::{FileStore, MemoryStore, SeenStore};
